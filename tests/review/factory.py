"""Valid bundle-v1 documents for many units, fast and deterministic, for the review
tests and benchmark. A unit's bundle N+1 is its bundle N with some work done, so
consecutive bundles have something to compare."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import random
import uuid
import zlib
from pathlib import Path
from typing import Any

import rfc8785

NAMESPACE = uuid.UUID("0b6c3f0e-5d5e-4f7b-9f3e-2a1c5d7e9b11")

DOMAINS = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", 10.0),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", 10.0),
    ("3", "Cải cách thủ tục hành chính", 15.0),
    ("4", "Cải cách tổ chức bộ máy hành chính", 10.0),
    ("5", "Cải cách chế độ công vụ", 15.0),
    ("6", "Cải cách tài chính công", 10.0),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 15.0),
    ("8", "Tác động của cải cách hành chính", 15.0),
]
TASK_TITLES = [
    "Cung cấp tin bài tuyên truyền CCHC trên Trang thông tin điện tử",
    "Cập nhật TTHC tại Bộ phận Một cửa",
    "Thực hiện thư xin lỗi đối với hồ sơ trễ hạn",
    "Số hóa hồ sơ, kết quả giải quyết TTHC",
    "Nâng cao tỷ lệ ký số văn bản trên iDesk",
    "Cài đặt phần mềm chống mã độc của Tỉnh",
    "Xây dựng lại Quy chế chi tiêu nội bộ",
    "Hướng dẫn người dân sử dụng dịch vụ công trực tuyến",
    "Luân chuyển hồ sơ trên Hệ thống một cửa điện tử",
    "Rà soát văn bản quy phạm pháp luật hết hiệu lực",
]
OWNERS = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Hoàng Nam", "Phạm Thị Thu Hà",
          "Võ Minh Tuấn", "Đặng Thị Mỹ Dung"]
PLACES = ["Tân Phú", "An Hòa", "Mỹ Xuân", "Phú Lộc", "Long Hưng", "Bình Thạnh", "Hòa An",
          "Tân Quy Đông", "Đông Hải", "Vĩnh Phước"]


def unit_code(index: int) -> str:
    return f"{10000 + index:05d}"


def unit_of(index: int) -> dict[str, Any]:
    if index % 4 == 1:
        name, level = f"Phường {index % 20 + 1}", "phuong"
    else:
        name, level = f"Xã {PLACES[index % len(PLACES)]} {index}", "xa"
    return {"code": unit_code(index), "name": name, "level": level,
            "supervisor": "Sở Nội vụ tỉnh Đồng Tháp"}


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


def _criteria(rng: random.Random, per_domain: int) -> list[dict[str, Any]]:
    criteria = []
    for code, title, max_points in DOMAINS:
        share = round(max_points / per_domain, 2)
        children = []
        for n in range(1, per_domain + 1):
            lost = rng.choice((0.0, 0.0, 0.25, 0.5, 1.0)) if share >= 1 else 0.0
            children.append({"code": f"{code}.{n}",
                             "title": f"Tiêu chí {code}.{n} của lĩnh vực {code}",
                             "max_points": share, "score": round(share - lost, 2),
                             "finding": "Chưa đạt yêu cầu" if lost else None})
        domain_max = round(share * per_domain, 2)
        score = round(sum(c["score"] for c in children), 2)
        criteria.append({"code": code, "title": title, "max_points": domain_max,
                         "score": score, "finding": None})
        criteria.extend(children)
    return criteria


def _at(day: dt.date, hour: int = 9) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+07:00"


def _task(rng: random.Random, unit: int, n: int, criteria: list[dict[str, Any]],
          today: dt.date) -> dict[str, Any]:
    leaves = [c for c in criteria if "." in c["code"]]
    cited = sorted({rng.choice(leaves)["code"] for _ in range(rng.choice((0, 1, 1, 2)))},
                   key=lambda code: [int(p) for p in code.split(".")])
    status = rng.choice(("todo", "in_progress", "in_progress", "done", "cancelled", "todo"))
    progress = {"todo": 0, "done": 100, "cancelled": rng.randrange(0, 50, 10)}.get(
        status, rng.randrange(10, 100, 10))
    due = today + dt.timedelta(days=rng.randint(-60, 90)) if rng.random() < 0.9 else None
    done_on = (today - dt.timedelta(days=rng.randint(1, 30))) if status == "done" else None
    evidence = []
    if status == "done" or progress >= 60:
        evidence.append({"id": _uid("evidence", unit, n, 0), "title": f"Báo cáo kết quả {n + 1}",
                         "number": f"{n + 10}/BC-UBND", "date": None, "issuer": None,
                         "locator": None, "file": None})
    return {
        "id": _uid("task", unit, n), "title": f"{TASK_TITLES[n % len(TASK_TITLES)]} ({n + 1})",
        "detail": None, "criteria": cited, "owner": rng.choice(OWNERS),
        "due": due.isoformat() if due else None, "status": status, "progress": progress,
        "result": "Đã thực hiện" if status == "done" else None,
        "done_on": done_on.isoformat() if done_on else None,
        "updated_at": _at(today - dt.timedelta(days=rng.randint(1, 40))),
        "evidence": evidence,
        "history": [{"at": _at(today - dt.timedelta(days=45)), "by": OWNERS[0],
                     "field": "owner", "old": None, "new": OWNERS[n % len(OWNERS)]}],
    }


def assessment_of(index: int, today: dt.date, tasks: int = 20,
                  criteria_per_domain: int = 5) -> dict[str, Any]:
    """8 domains x (1 + criteria_per_domain) criteria (48 by default) and `tasks` tasks."""
    rng = random.Random(index)
    criteria = _criteria(rng, criteria_per_domain)
    score = round(sum(c["score"] for c in criteria if "." not in c["code"]), 2)
    return {
        "id": f"dt-cchc-{today.year - 1}", "title": f"Chỉ số CCHC năm {today.year - 1}",
        "index": "PAR", "year": today.year - 1, "issuer": "UBND tỉnh Đồng Tháp",
        "documents": [{"number": "174/BC-SNV", "date": None, "title": None}],
        "max_points": 100.0, "score": score, "rank": index % 170 + 1, "rank_of": 170,
        "criteria": criteria,
        "tasks": [_task(rng, index, n, criteria, today) for n in range(tasks)],
    }


def digest(bundle: dict[str, Any]) -> str:
    body = {k: v for k, v in bundle.items() if k not in ("integrity", "signature")}
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def bundle_of(index: int, today: dt.date, *, sequence: int = 1,
              previous_sha256: str | None = None,
              assessments: list[dict[str, Any]] | None = None,
              created_at: str | None = None) -> dict[str, Any]:
    """A complete, valid bundle (integrity included)."""
    bundle = {
        "format": "cchc-bundle", "version": 1, "kind": "progress",
        "bundle_id": _uid("bundle", index, sequence, previous_sha256),
        "created_at": created_at or _at(today, 16),
        "generator": "cchc-tests 1", "sequence": sequence, "previous_sha256": previous_sha256,
        "unit": unit_of(index),
        "sender": {"name": OWNERS[index % len(OWNERS)], "position": None, "phone": None,
                   "email": None},
        "assessments": assessments if assessments is not None else [assessment_of(index, today)],
    }
    bundle["integrity"] = {"sha256": digest(bundle)}
    return bundle


def unit_key(index: int):  # noqa: ANN201 - store.bundle.signing.SigningKey
    """The deterministic signing key of unit `index`."""
    from store.bundle.signing import SigningKey

    return SigningKey.from_seed(hashlib.sha256(f"cchc review unit {index}".encode()).digest())


def signed(bundle: dict[str, Any], key=None) -> dict[str, Any]:  # noqa: ANN001
    """The bundle as its unit's app writes it today: format version 2 (every criterion
    with a cause and cause kind, none here), no assignments held, signed with the
    unit's key (or `key`)."""
    from tests.bundle.factory import as_version_2

    document = copy.deepcopy(bundle)
    if key is None:
        key = unit_key(int(document["unit"]["code"]) - 10000)
    return as_version_2(document, key)


def progressed(bundle: dict[str, Any], today: dt.date, created_at: str | None = None,
               sequence: int | None = None) -> dict[str, Any]:
    """The unit's next bundle: first open task done (with evidence), second one
    advanced, the last task removed, one new task."""
    assessments = copy.deepcopy(bundle["assessments"])
    tasks = assessments[0]["tasks"]
    open_tasks = [t for t in tasks if t["status"] in ("todo", "in_progress")]
    if open_tasks:
        first = open_tasks[0]
        first.update(status="done", progress=100, result="Đã hoàn thành, có báo cáo",
                     done_on=today.isoformat(), updated_at=_at(today, 10))
        first["evidence"] = first["evidence"] + [{
            "id": _uid("evidence", first["id"], "new"), "title": "Báo cáo hoàn thành",
            "number": "99/BC-UBND", "date": today.isoformat(), "issuer": None,
            "locator": None, "file": None}]
    if len(open_tasks) > 1:
        second = open_tasks[1]
        second.update(status="in_progress", progress=min(second["progress"] + 30, 90),
                      updated_at=_at(today, 11))
    tasks.pop()
    tasks.append({**copy.deepcopy(tasks[0]), "id": _uid("new task", bundle["bundle_id"]),
                  "title": "Nhiệm vụ mới bổ sung", "status": "todo", "progress": 0,
                  "result": None, "done_on": None, "evidence": [], "history": []})
    index = int(bundle["unit"]["code"]) - 10000
    return bundle_of(index, today, sequence=sequence or bundle["sequence"] + 1,
                     previous_sha256=bundle["integrity"]["sha256"], assessments=assessments,
                     created_at=created_at)


def file_name(bundle: dict[str, Any]) -> str:
    day = bundle["created_at"][:10].replace("-", "")
    return f"cchc-{bundle['unit']['code']}-{day}-{bundle['sequence']:04d}.json"


def write_bundle(folder: Path, bundle: dict[str, Any]) -> Path:
    path = folder / file_name(bundle)
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return path


def store_received(session, bundle: dict[str, Any], imported_at: dt.datetime) -> None:  # noqa: ANN001
    """Put a bundle into a review database the way receiving does (snapshot plus
    record), for tests of the read side that must not depend on the reader."""
    from store.models import ReceivedBundle
    from store.snapshot import replace_unit_snapshot

    replace_unit_snapshot(session, bundle["unit"], bundle["assessments"])
    body = {k: v for k, v in bundle.items() if k != "signature"}
    session.add(ReceivedBundle(
        unit_code=bundle["unit"]["code"], bundle_id=bundle["bundle_id"],
        sequence=bundle["sequence"], sha256=bundle["integrity"]["sha256"],
        previous_sha256=bundle["previous_sha256"], created_at=bundle["created_at"],
        file_name=file_name(bundle), imported_at=imported_at,
        content=zlib.compress(rfc8785.dumps(body))))
    session.flush()
