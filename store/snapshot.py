"""A unit's whole state as plain data in the shape of a bundle (bundle-v2's progress
bundle, which is bundle-v1's with the unit's cause per criterion; JSON types:
ISO date strings, RFC 3339 instants, floats), written to and read from the tables.

The demo seed, bundle export and bundle receive all go through here, so a
snapshot that goes in comes out the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from .clock import format_instant, parse_instant
from .derive import code_sort_key, leaf_points_at_stake, task_search_key
from .models import (Assessment, Change, Criterion, DocumentRef, Evidence, Task, TaskCriterion,
                     Unit)
from .task_fields import BUNDLE_COLUMNS, BUNDLE_MEMBERS, FieldKind
from .text import fold, nfc


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _as_is(value: Any) -> Any:
    return value


# How a task field's value crosses the bundle, by its kind (store.task_fields).
_FROM_BUNDLE: dict[FieldKind, Callable[[Any], Any]] = {
    FieldKind.UUID: _as_is, FieldKind.TITLE: nfc, FieldKind.LONG_TEXT: nfc,
    FieldKind.DATE: _date, FieldKind.INSTANT: parse_instant, FieldKind.STATUS: _as_is,
    FieldKind.PERCENT: _as_is}
_TO_BUNDLE: dict[FieldKind, Callable[[Any], Any]] = {
    FieldKind.UUID: _as_is, FieldKind.TITLE: _as_is, FieldKind.LONG_TEXT: _as_is,
    FieldKind.DATE: _iso, FieldKind.INSTANT: format_instant, FieldKind.STATUS: _as_is,
    FieldKind.PERCENT: _as_is}
# (column, bundle member, required, read) for every column a bundle carries...
_TASK_FROM_BUNDLE = tuple((field.name, field.bundle, field.required, _FROM_BUNDLE[field.kind])
                          for field in BUNDLE_COLUMNS)
# ... and (column or relation, bundle member, write; None for a relation) back.
_TASK_TO_BUNDLE = tuple((field.name, field.bundle,
                         _TO_BUNDLE[field.kind] if field.is_column else None)
                        for field in BUNDLE_MEMBERS)


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
    return replace_unit_rows(session, unit, [assessment_rows(a) for a in assessments])


def replace_unit_rows(session: Session, unit: dict[str, Any],
                      assessments: list[AssessmentRows]) -> int:
    """replace_unit_snapshot() with the rows already prepared by assessment_rows()
    (the receiver prepares them in worker processes, the writer only inserts)."""
    unit_id = upsert_unit(session, unit)
    session.execute(delete(Assessment).where(Assessment.unit_id == unit_id))
    for rows in assessments:
        insert_assessment_rows(session, unit_id, rows)
    return unit_id


def insert_assessment(session: Session, unit_id: int, data: dict[str, Any]) -> int:
    return insert_assessment_rows(session, unit_id, assessment_rows(data))


@dataclass
class AssessmentRows:
    """One assessment as table rows, without database ids: tasks are keyed by uid and
    criteria by code until insert_assessment_rows() knows their ids. Plain values,
    so it can be built in another process and pickled."""

    assessment: dict[str, Any]
    documents: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    links: list[tuple[str, str]]  # (task uid, criterion code)
    evidence: list[dict[str, Any]]  # "task_uid" in place of task_id
    history: list[dict[str, Any]]  # "task_uid" in place of task_id


def assessment_rows(data: dict[str, Any]) -> AssessmentRows:
    """The rows of one assessment in bundle-v1 shape, derived columns computed (no
    database needed)."""
    assessment = {
        "ext_id": data["id"], "title": nfc(data["title"]),
        "index_kind": data["index"], "year": data["year"], "issuer": nfc(data["issuer"]),
        "max_points": float(data["max_points"]), "score": data.get("score"),
        "rank": data.get("rank"), "rank_of": data.get("rank_of"),
    }
    documents = [{"position": i, "number": nfc(d["number"]), "date": _date(d.get("date")),
                  "title": nfc(d.get("title"))}
                 for i, d in enumerate(data.get("documents", []))]
    criteria = data.get("criteria", [])
    criterion_rows = [{"code": c["code"], "sort_key": code_sort_key(c["code"]),
                       "title": nfc(c["title"]), "max_points": float(c["max_points"]),
                       "score": c.get("score"), "finding": nfc(c.get("finding")),
                       "cause": nfc(c.get("cause")), "cause_kind": c.get("cause_kind"),
                       "search_key": fold(c["code"], c["title"], c.get("finding"))}
                      for c in criteria]
    by_code = {c["code"]: c for c in criteria}
    tasks = data.get("tasks", [])
    task_rows = []
    links: list[tuple[str, str]] = []
    evidence: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for t in tasks:
        cited = [by_code[code] for code in t.get("criteria", []) if code in by_code]
        row = {name: read(t[member]) if required else read(t.get(member))
               for name, member, required, read in _TASK_FROM_BUNDLE}
        row["search_key"] = task_search_key(t["title"], t.get("detail"), t.get("owner"),
                                            t.get("result"),
                                            [(c["code"], c["title"], c.get("finding"))
                                             for c in cited])
        row["owner_key"] = fold(t.get("owner"))
        row["points_at_stake"] = leaf_points_at_stake(
            (c["code"], float(c["max_points"]), c.get("score")) for c in cited)
        task_rows.append(row)
        links.extend((t["id"], code) for code in dict.fromkeys(t.get("criteria", []))
                     if code in by_code)
        for position, e in enumerate(t.get("evidence", [])):
            file = e.get("file") or {}
            evidence.append({
                "uid": e["id"], "task_uid": t["id"], "position": position,
                "title": nfc(e["title"]), "number": nfc(e.get("number")),
                "date": _date(e.get("date")), "issuer": nfc(e.get("issuer")),
                "locator": nfc(e.get("locator")), "file_name": nfc(file.get("name")),
                "file_size": file.get("size"), "file_sha256": file.get("sha256"),
                "file_path": None})
        history.extend({"task_uid": t["id"], "at": parse_instant(h["at"]),
                        "by": nfc(h.get("by")), "field": h["field"], "old": nfc(h.get("old")),
                        "new": nfc(h.get("new"))}
                       for h in t.get("history", []))
    return AssessmentRows(assessment, documents, criterion_rows, task_rows, links, evidence,
                          history)


def insert_assessment_rows(session: Session, unit_id: int, rows: AssessmentRows) -> int:
    # Core inserts on the tables (not ORM bulk inserts): several times less overhead
    # per row, which matters when a supervisor takes in thousands of bundles.
    assessment_id = session.execute(
        insert(Assessment.__table__).returning(Assessment.__table__.c.id),
        {**rows.assessment, "unit_id": unit_id}).scalar_one()
    if rows.documents:
        session.execute(insert(DocumentRef.__table__),
                        [{**d, "assessment_id": assessment_id} for d in rows.documents])
    criterion_ids: dict[str, int] = {}
    if rows.criteria:
        table = Criterion.__table__
        result = session.execute(insert(table).returning(table.c.id, table.c.code),
                                 [{**c, "assessment_id": assessment_id} for c in rows.criteria])
        criterion_ids = {code: cid for cid, code in result}
    if not rows.tasks:
        return assessment_id
    table = Task.__table__
    result = session.execute(insert(table).returning(table.c.id, table.c.uid),
                             [{**t, "assessment_id": assessment_id} for t in rows.tasks])
    task_ids = {uid: tid for tid, uid in result}
    if rows.links:
        session.execute(insert(TaskCriterion.__table__),
                        [{"task_id": task_ids[uid], "criterion_id": criterion_ids[code]}
                         for uid, code in rows.links])
    if rows.evidence:
        session.execute(insert(Evidence.__table__), [
            {key: value for key, value in e.items() if key != "task_uid"}
            | {"task_id": task_ids[e["task_uid"]]} for e in rows.evidence])
    if rows.history:
        session.execute(insert(Change.__table__), [
            {key: value for key, value in h.items() if key != "task_uid"}
            | {"task_id": task_ids[h["task_uid"]]} for h in rows.history])
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
                      "score": c.score, "finding": c.finding, "cause": c.cause,
                      "cause_kind": c.cause_kind} for c in criteria],
        "tasks": [_bundle_task(t, {
            "criteria": sorted(links[t.id], key=sort_index.__getitem__),
            "evidence": evidence[t.id], "history": history[t.id]}) for t in tasks],
    }


def _bundle_task(task: Task, relations: dict[str, list[Any]]) -> dict[str, Any]:
    """A task row and its relations as a bundle's task, members in the bundle's order."""
    return {member: relations[name] if write is None else write(getattr(task, name))
            for name, member, write in _TASK_TO_BUNDLE}
