"""Round trip: whatever the unit's database holds, receive(export(db)) holds the same
units, assessments, criteria (with the unit's causes), tasks, evidence and history;
Vietnamese typed in NFD arrives as NFC."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from store.bundle.export import ExportDone, export_bundle
from store.bundle.receive import receive_bundle
from store.migrations import open_database
from store.models import Unit
from store.snapshot import read_unit_snapshot, replace_unit_snapshot
from tests.bundle.factory import sign, fixed_key, to_bytes

LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ"
           "úùủũụứừửữựýỳỷỹỵĐĂÂÊÔƠƯỆỞ0123456789 .,-/()%")
UNIT = {"code": "30316", "name": "Phường 1", "level": "phuong",
        "supervisor": "UBND thành phố Sa Đéc"}
OFFICER = {"name": "Nguyễn Thị Lan", "position": "", "phone": "", "email": ""}

plain = st.text(alphabet=LETTERS, max_size=24)
multi_line = st.text(alphabet=LETTERS + "\n\t", max_size=40)
points = st.integers(min_value=0, max_value=2000).map(lambda n: n / 100)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)).map(
    dt.date.isoformat)
instants = st.datetimes(min_value=dt.datetime(2022, 1, 1), max_value=dt.datetime(2030, 1, 1),
                        timezones=st.sampled_from([dt.timezone(dt.timedelta(hours=7)),
                                                   dt.timezone.utc])).map(
    lambda moment: moment.replace(microsecond=0).isoformat())
uuids = st.uuids().map(str)


@st.composite
def criteria_trees(draw: st.DrawFn) -> list[dict[str, Any]]:
    criteria = []
    for domain in range(1, draw(st.integers(0, 3)) + 1):
        codes = [str(domain)] + [f"{domain}.{child}"
                                 for child in range(1, draw(st.integers(0, 3)) + 1)]
        for code in codes:
            maximum = draw(points)
            score = draw(st.none() | st.integers(0, round(maximum * 100)).map(lambda n: n / 100))
            criteria.append({"code": code, "title": draw(plain), "max_points": maximum,
                             "score": score, "finding": draw(st.none() | multi_line),
                             "cause": draw(st.none() | multi_line),
                             "cause_kind": draw(st.sampled_from(
                                 [None, "objective", "subjective", "both"]))})
    return criteria


@st.composite
def tasks_for(draw: st.DrawFn, codes: list[str], ids: Any) -> dict[str, Any]:
    status = draw(st.sampled_from(["todo", "in_progress", "done", "cancelled"]))
    done = status == "done"
    history_fields = st.sampled_from(["status", "owner", "progress", "detail"])
    history = []
    for _ in range(draw(st.integers(0, 3))):
        field = draw(history_fields)
        text = multi_line if field == "detail" else plain
        history.append({"at": draw(instants), "by": draw(st.none() | plain), "field": field,
                        "old": draw(st.none() | text), "new": draw(st.none() | text)})
    evidence = [{"id": next(ids), "title": draw(plain), "number": draw(st.none() | plain),
                 "date": draw(st.none() | dates), "issuer": draw(st.none() | plain),
                 "locator": draw(st.none() | plain),
                 "file": draw(st.none() | st.fixed_dictionaries({
                     "name": plain, "size": st.integers(0, 10**9),
                     "sha256": st.text(alphabet="0123456789abcdef", min_size=64,
                                       max_size=64)}))}
                for _ in range(draw(st.integers(0, 2)))]
    return {
        "id": next(ids), "title": draw(plain), "detail": draw(st.none() | multi_line),
        "criteria": draw(st.lists(st.sampled_from(codes), max_size=2)) if codes else [],
        "owner": draw(st.none() | plain), "due": draw(st.none() | dates), "status": status,
        "progress": 100 if done else draw(st.integers(0, 100)),
        "result": draw(st.none() | multi_line), "done_on": draw(dates) if done else None,
        "updated_at": draw(instants), "evidence": evidence, "history": history,
    }


@st.composite
def assessments(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = iter(draw(st.lists(uuids, min_size=60, max_size=60, unique=True)))
    result = []
    for number in range(draw(st.integers(1, 2))):
        criteria = draw(criteria_trees())
        codes = [c["code"] for c in criteria]
        maximum = draw(points.filter(lambda p: p > 0))
        rank = draw(st.none() | st.integers(1, 10))
        result.append({
            "id": f"assessment-{number}", "title": draw(plain),
            "index": draw(st.sampled_from(["PAR", "SIPAS", "OTHER"])),
            "year": 2022 + number, "issuer": draw(plain),
            "documents": draw(st.lists(st.fixed_dictionaries({
                "number": plain, "date": st.none() | dates, "title": st.none() | plain}),
                max_size=2)),
            "max_points": maximum, "score": draw(st.none() | st.just(maximum)),
            "rank": rank, "rank_of": None if rank is None else rank + draw(st.integers(0, 5)),
            "criteria": criteria,
            "tasks": [draw(tasks_for(codes, ids)) for _ in range(draw(st.integers(0, 4)))],
        })
    return result


def _decomposed(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, list):
        return [_decomposed(item) for item in value]
    if isinstance(value, dict):
        return {key: _decomposed(item) for key, item in value.items()}
    return value


def _snapshot(db, code: str) -> dict[str, Any]:  # noqa: ANN001
    with db.read() as session:
        unit_id = session.execute(select(Unit.id).where(Unit.code == code)).scalar_one()
        return read_unit_snapshot(session, unit_id)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=assessments(), typed_decomposed=st.booleans(), sent_decomposed=st.booleans())
def test_receive_of_export_holds_what_the_unit_holds(content: list[dict[str, Any]],
                                                     typed_decomposed: bool,
                                                     sent_decomposed: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        unit_db = open_database(root / "unit.db")
        review_db = open_database(root / "review.db")
        try:
            with unit_db.write() as session:
                replace_unit_snapshot(session, UNIT, _decomposed(content)
                                      if typed_decomposed else content)
            done = export_bundle(unit_db, unit=UNIT, officer=OFFICER, target_dir=root,
                                 generator="cchc test", key=fixed_key())
            assert isinstance(done, ExportDone), done
            data = done.path.read_bytes()
            if sent_decomposed:  # another tool may decompose the text, and sign it again
                data = to_bytes(sign(_decomposed(json.loads(data))))
            result = receive_bundle(review_db, data, done.path.name)
            assert result.verdict == "accepted", result.refusal
            sent = _snapshot(unit_db, UNIT["code"])
            assert _snapshot(review_db, UNIT["code"]) == sent
            assert sent["assessments"] == json.loads(to_bytes(
                _normalised(content)))  # the unit itself stored what was typed, as NFC
        finally:
            unit_db.dispose()
            review_db.dispose()


def _normalised(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the database gives back for `content`: NFC text, criteria in code order,
    a task's criteria once each and in code order, instants in Vietnam's zone."""
    from store.clock import format_instant, parse_instant
    from store.derive import code_sort_key

    result = []
    for assessment in content:
        order = {c["code"]: code_sort_key(c["code"]) for c in assessment["criteria"]}
        tasks = []
        for task in assessment["tasks"]:
            tasks.append(dict(
                task, criteria=sorted(dict.fromkeys(task["criteria"]), key=order.__getitem__),
                updated_at=format_instant(parse_instant(task["updated_at"])),
                history=sorted(({**h, "at": format_instant(parse_instant(h["at"]))}
                                for h in task["history"]), key=lambda h: h["at"])))
        result.append(dict(assessment, tasks=tasks,
                           criteria=sorted(assessment["criteria"],
                                           key=lambda c: order[c["code"]])))
    return json.loads(json.dumps(result))
