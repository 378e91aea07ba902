"""A unit's whole state as plain data in the shape of bundle-v1 (JSON types:
ISO date strings, RFC 3339 instants, floats), written to and read from the tables.

The demo seed, bundle export and bundle receive all go through here, so a
snapshot that goes in comes out the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from .clock import LOCAL_ZONE, to_local
from .derive import code_sort_key, leaf_points_at_stake, task_search_key
from .models import (Assessment, Change, Criterion, DocumentRef, Evidence, Task, TaskCriterion,
                     Unit)
from .text import fold, nfc


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_instant(value: str) -> dt.datetime:
    """RFC 3339 with offset -> aware UTC, as stored."""
    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=LOCAL_ZONE)
    return instant.astimezone(dt.timezone.utc)


def format_instant(stored: dt.datetime) -> str:
    """Stored UTC -> RFC 3339 in Vietnam's zone, seconds precision."""
    return to_local(stored).replace(microsecond=0).isoformat()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def upsert_unit(session: Session, unit: dict[str, Any]) -> int:
    code = nfc(unit["code"])
    values = {"name": nfc(unit["name"]), "level": unit.get("level", "xa"),
              "supervisor": nfc(unit.get("supervisor", "")) or ""}
    values["search_key"] = fold(code, values["name"])
    existing = session.execute(select(Unit).where(Unit.code == code)).scalars().first()
    if existing is None:
        row = Unit(code=code, **values)
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]
    for key, value in values.items():
        setattr(existing, key, value)
    session.flush()
    return existing.id  # type: ignore[return-value]


def replace_unit_snapshot(session: Session, unit: dict[str, Any],
                          assessments: list[dict[str, Any]]) -> int:
    """Make the unit's stored state exactly `assessments`. Returns the unit id.

    Input is assumed valid (bundle models or the app's own editors checked it).
    """
    unit_id = upsert_unit(session, unit)
    session.execute(delete(Assessment).where(Assessment.unit_id == unit_id))
    for assessment in assessments:
        insert_assessment(session, unit_id, assessment)
    return unit_id


def insert_assessment(session: Session, unit_id: int, data: dict[str, Any]) -> int:
    assessment_id = session.execute(insert(Assessment).returning(Assessment.id), {
        "unit_id": unit_id, "ext_id": data["id"], "title": nfc(data["title"]),
        "index_kind": data["index"], "year": data["year"], "issuer": nfc(data["issuer"]),
        "max_points": float(data["max_points"]), "score": data.get("score"),
        "rank": data.get("rank"), "rank_of": data.get("rank_of"),
    }).scalar_one()
    documents = [{"assessment_id": assessment_id, "position": i, "number": nfc(d["number"]),
                  "date": _date(d.get("date")), "title": nfc(d.get("title"))}
                 for i, d in enumerate(data.get("documents", []))]
    if documents:
        session.execute(insert(DocumentRef), documents)

    criteria = data.get("criteria", [])
    criterion_ids: dict[str, int] = {}
    by_code: dict[str, dict[str, Any]] = {}
    if criteria:
        rows = [{"assessment_id": assessment_id, "code": c["code"],
                 "sort_key": code_sort_key(c["code"]), "title": nfc(c["title"]),
                 "max_points": float(c["max_points"]), "score": c.get("score"),
                 "finding": nfc(c.get("finding")),
                 "search_key": fold(c["code"], c["title"], c.get("finding"))}
                for c in criteria]
        result = session.execute(
            insert(Criterion).returning(Criterion.id, Criterion.code), rows)
        criterion_ids = {code: cid for cid, code in result}
        by_code = {c["code"]: c for c in criteria}

    tasks = data.get("tasks", [])
    if not tasks:
        return assessment_id
    task_rows = []
    for t in tasks:
        cited = [by_code[code] for code in t.get("criteria", []) if code in by_code]
        task_rows.append({
            "uid": t["id"], "assessment_id": assessment_id, "title": nfc(t["title"]),
            "detail": nfc(t.get("detail")), "owner": nfc(t.get("owner")),
            "due": _date(t.get("due")), "status": t["status"], "progress": t["progress"],
            "result": nfc(t.get("result")), "done_on": _date(t.get("done_on")),
            "updated_at": parse_instant(t["updated_at"]),
            "search_key": task_search_key(t["title"], t.get("detail"), t.get("owner"),
                                          t.get("result"),
                                          [(c["code"], c["title"], c.get("finding"))
                                           for c in cited]),
            "owner_key": fold(t.get("owner")),
            "points_at_stake": leaf_points_at_stake(
                (c["code"], float(c["max_points"]), c.get("score")) for c in cited),
        })
    result = session.execute(insert(Task).returning(Task.id, Task.uid),
                             task_rows)
    task_ids = {uid: tid for tid, uid in result}
    links, evidence, history = [], [], []
    for t in tasks:
        task_id = task_ids[t["id"]]
        links.extend({"task_id": task_id, "criterion_id": criterion_ids[code]}
                     for code in dict.fromkeys(t.get("criteria", [])) if code in criterion_ids)
        for position, e in enumerate(t.get("evidence", [])):
            file = e.get("file") or {}
            evidence.append({
                "uid": e["id"], "task_id": task_id, "position": position,
                "title": nfc(e["title"]), "number": nfc(e.get("number")),
                "date": _date(e.get("date")), "issuer": nfc(e.get("issuer")),
                "locator": nfc(e.get("locator")), "file_name": nfc(file.get("name")),
                "file_size": file.get("size"), "file_sha256": file.get("sha256"),
                "file_path": None})
        history.extend({"task_id": task_id, "at": parse_instant(h["at"]), "by": nfc(h.get("by")),
                        "field": h["field"], "old": nfc(h.get("old")), "new": nfc(h.get("new"))}
                       for h in t.get("history", []))
    if links:
        session.execute(insert(TaskCriterion), links)
    if evidence:
        session.execute(insert(Evidence), evidence)
    if history:
        session.execute(insert(Change), history)
    return assessment_id


def read_unit_snapshot(session: Session, unit_id: int) -> dict[str, Any]:
    """The unit and its assessments in bundle-v1 shape."""
    unit = session.get(Unit, unit_id)
    assert unit is not None
    assessments = session.execute(select(Assessment).where(Assessment.unit_id == unit_id)
                                  .order_by(Assessment.year, Assessment.id)).scalars().all()
    return {
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level,
                 "supervisor": unit.supervisor},
        "assessments": [read_assessment(session, a) for a in assessments],
    }


def read_assessment(session: Session, a: Assessment) -> dict[str, Any]:
    documents = session.execute(select(DocumentRef).where(DocumentRef.assessment_id == a.id)
                                .order_by(DocumentRef.position)).scalars().all()
    criteria = session.execute(select(Criterion).where(Criterion.assessment_id == a.id)
                               .order_by(Criterion.sort_key)).scalars().all()
    codes = {c.id: c.code for c in criteria}
    tasks = session.execute(select(Task).where(Task.assessment_id == a.id)
                            .order_by(Task.id)).scalars().all()
    task_ids = [t.id for t in tasks]
    links: dict[int, list[str]] = defaultdict(list)
    evidence: dict[int, list[dict[str, Any]]] = defaultdict(list)
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if task_ids:
        for link in session.execute(select(TaskCriterion).where(
                TaskCriterion.task_id.in_(task_ids))).scalars():
            links[link.task_id].append(codes[link.criterion_id])
        for e in session.execute(select(Evidence).where(Evidence.task_id.in_(task_ids))
                                 .order_by(Evidence.task_id, Evidence.position,
                                           Evidence.id)).scalars():
            file = None
            if e.file_name is not None:
                file = {"name": e.file_name, "size": e.file_size, "sha256": e.file_sha256}
            evidence[e.task_id].append({
                "id": e.uid, "title": e.title, "number": e.number, "date": _iso(e.date),
                "issuer": e.issuer, "locator": e.locator, "file": file})
        for h in session.execute(select(Change).where(Change.task_id.in_(task_ids))
                                 .order_by(Change.task_id, Change.at, Change.id)).scalars():
            history[h.task_id].append({"at": format_instant(h.at), "by": h.by,
                                       "field": h.field, "old": h.old, "new": h.new})
    sort_index = {c.code: c.sort_key for c in criteria}
    return {
        "id": a.ext_id, "title": a.title, "index": a.index_kind, "year": a.year,
        "issuer": a.issuer,
        "documents": [{"number": d.number, "date": _iso(d.date), "title": d.title}
                      for d in documents],
        "max_points": a.max_points, "score": a.score, "rank": a.rank, "rank_of": a.rank_of,
        "criteria": [{"code": c.code, "title": c.title, "max_points": c.max_points,
                      "score": c.score, "finding": c.finding} for c in criteria],
        "tasks": [{
            "id": t.uid, "title": t.title, "detail": t.detail,
            "criteria": sorted(links[t.id], key=sort_index.__getitem__),
            "owner": t.owner, "due": _iso(t.due), "status": t.status,
            "progress": t.progress, "result": t.result, "done_on": _iso(t.done_on),
            "updated_at": format_instant(t.updated_at),
            "evidence": evidence[t.id], "history": history[t.id],
        } for t in tasks],
    }
