"""A unit's whole state as plain data in the shape of a bundle (bundle-v2's progress
bundle, which is bundle-v1's with the unit's cause per criterion; JSON types:
ISO date strings, RFC 3339 instants, floats), written to and read from the tables.

The demo seed, bundle export and bundle receive all go through here, so a
snapshot that goes in comes out the same.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


from .clock import format_instant, parse_instant
from .derive import code_sort_key, leaf_points_at_stake, task_search_key
from .task_fields import BUNDLE_COLUMNS, BUNDLE_MEMBERS, FieldKind
from .text import fold, nfc

if TYPE_CHECKING:
    from sqlmodel import Session

    from .models import Assessment, Task


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _as_is(value: Any) -> Any:
    return value


# How a task field's value crosses back into a bundle, by its kind (store.task_fields).
_TO_BUNDLE: dict[FieldKind, Callable[[Any], Any]] = {
    FieldKind.UUID: _as_is, FieldKind.TITLE: _as_is, FieldKind.LONG_TEXT: _as_is,
    FieldKind.DATE: _iso, FieldKind.INSTANT: format_instant, FieldKind.STATUS: _as_is,
    FieldKind.PERCENT: _as_is}
# (column or relation, bundle member, write; None for a relation) back.
_TASK_TO_BUNDLE = tuple((field.name, field.bundle,
                         _TO_BUNDLE[field.kind] if field.is_column else None)
                        for field in BUNDLE_MEMBERS)


def upsert_unit(session: Session, unit: dict[str, Any]) -> int:
    return _on_connection(session, upsert_unit_row, unit)


def upsert_unit_row(connection: sqlite3.Connection, unit: dict[str, Any]) -> int:
    """The unit's id, its row inserted or brought up to date."""
    code = nfc(unit["code"])
    name = nfc(unit["name"])
    level = unit.get("level", "xa")
    supervisor = nfc(unit.get("supervisor", "")) or ""
    search_key = fold(code, name)
    found = connection.execute("SELECT id, name, level, supervisor, search_key FROM unit "
                               "WHERE code = ?", (code,)).fetchone()
    if found is None:
        return connection.execute(  # type: ignore[return-value]
            "INSERT INTO unit (code, name, level, supervisor, search_key) VALUES (?,?,?,?,?)",
            (code, name, level, supervisor, search_key)).lastrowid
    if found[1:] != (name, level, supervisor, search_key):
        connection.execute("UPDATE unit SET name = ?, level = ?, supervisor = ?, "
                           "search_key = ? WHERE id = ?",
                           (name, level, supervisor, search_key, found[0]))
    return found[0]


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under the session, in the session's transaction (every
    connection is in autocommit mode and store.db says BEGIN itself, so what is
    executed here commits or rolls back with the session). What the session holds
    is written first."""
    session.flush()
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def _on_connection(session: Session, work: Callable[..., int], *args: Any) -> int:
    """work(connection, *args) on the session's sqlite3 connection; the objects the
    session holds are read again afterwards (they may be rows that work changed)."""
    result = work(raw_connection(session), *args)
    session.expire_all()
    return result


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
    return _on_connection(session, replace_unit_in, unit, assessments)


def replace_unit_in(connection: sqlite3.Connection, unit: dict[str, Any],
                    assessments: list[AssessmentRows]) -> int:
    """replace_unit_rows() on a sqlite3 connection inside a write transaction."""
    unit_id = upsert_unit_row(connection, unit)
    # The unit's criteria, tasks and all below them go with it (ON DELETE CASCADE).
    connection.execute("DELETE FROM assessment WHERE unit_id = ?", (unit_id,))
    for rows in assessments:
        insert_assessment_in(connection, unit_id, rows)
    return unit_id


def insert_assessment(session: Session, unit_id: int, data: dict[str, Any]) -> int:
    return insert_assessment_rows(session, unit_id, assessment_rows(data))


# The columns assessment_rows() fills, in the order of its tuples; the ids and the
# parent ids are put in front by insert_assessment_in().
ASSESSMENT_COLUMNS = ("ext_id", "title", "index_kind", "year", "issuer", "max_points", "score",
                      "rank", "rank_of")
DOCUMENT_COLUMNS = ("position", "number", "date", "title")
CRITERION_COLUMNS = ("code", "sort_key", "title", "max_points", "score", "finding", "cause",
                     "cause_kind", "search_key")
TASK_COLUMNS = (*(field.name for field in BUNDLE_COLUMNS), "search_key", "owner_key",
                "points_at_stake")
EVIDENCE_COLUMNS = ("uid", "position", "title", "number", "date", "issuer", "locator",
                    "file_name", "file_size", "file_sha256", "file_path")
CHANGE_COLUMNS = ("at", "by", "field", "old", "new")


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


_INSERT_ASSESSMENT = _insert("assessment", ("unit_id", *ASSESSMENT_COLUMNS))
_INSERT_DOCUMENT = _insert("documentref", ("assessment_id", *DOCUMENT_COLUMNS))
_INSERT_CRITERION = _insert("criterion", ("id", "assessment_id", *CRITERION_COLUMNS))
_INSERT_TASK = _insert("task", ("id", "assessment_id", *TASK_COLUMNS))
_INSERT_LINK = _insert("taskcriterion", ("task_id", "criterion_id"))
_INSERT_EVIDENCE = _insert("evidence", ("task_id", *EVIDENCE_COLUMNS))
_INSERT_CHANGE = _insert("change", ("task_id", *CHANGE_COLUMNS))


@dataclass
class AssessmentRows:
    """One assessment as table rows without database ids, each a tuple in the order of
    the *_COLUMNS above: links, evidence and history name their task (and a link its
    criterion) by position in `tasks` (and `criteria`) until insert_assessment_in()
    knows the ids. Plain values, so it can be built in another process and pickled
    (cheaply: tuples, no dicts)."""

    assessment: tuple[Any, ...]
    documents: list[tuple[Any, ...]]
    criteria: list[tuple[Any, ...]]
    tasks: list[tuple[Any, ...]]
    links: list[tuple[int, int]]  # (task position, criterion position)
    evidence: list[tuple[Any, ...]]  # (task position, *EVIDENCE_COLUMNS)
    history: list[tuple[Any, ...]]  # (task position, *CHANGE_COLUMNS)

    @property
    def task_uids(self) -> list[str]:
        return [task[0] for task in self.tasks]


def sql_date(value: str | None) -> str | None:
    """An ISO date from a bundle as the Date columns hold it (what SQLAlchemy binds)."""
    return _date(value).isoformat() if value else None  # type: ignore[union-attr]


def sql_instant(value: dt.datetime | None) -> str | None:
    """An aware UTC instant as the DateTime columns hold it (what SQLAlchemy binds for
    SQLite: the UTC fields, microseconds always written)."""
    if value is None:
        return None
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:"
            f"{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}")


def _sql_instant_of(value: str) -> str | None:
    return sql_instant(parse_instant(value))


# How a task field's value from a bundle is bound, by its kind (store.task_fields).
_TO_SQL: dict[FieldKind, Callable[[Any], Any]] = {
    FieldKind.UUID: _as_is, FieldKind.TITLE: nfc, FieldKind.LONG_TEXT: nfc,
    FieldKind.DATE: sql_date, FieldKind.INSTANT: _sql_instant_of, FieldKind.STATUS: _as_is,
    FieldKind.PERCENT: _as_is}
_TASK_TO_SQL = tuple((field.bundle, field.required, _TO_SQL[field.kind])
                     for field in BUNDLE_COLUMNS)


def assessment_rows(data: dict[str, Any]) -> AssessmentRows:
    """The rows of one assessment in bundle-v1 shape, derived columns computed (no
    database needed)."""
    assessment = (data["id"], nfc(data["title"]), data["index"], data["year"],
                  nfc(data["issuer"]), float(data["max_points"]), data.get("score"),
                  data.get("rank"), data.get("rank_of"))
    documents = [(i, nfc(d["number"]), sql_date(d.get("date")), nfc(d.get("title")))
                 for i, d in enumerate(data.get("documents", []))]
    criteria = data.get("criteria", [])
    criterion_rows = [(c["code"], code_sort_key(c["code"]), nfc(c["title"]),
                       float(c["max_points"]), c.get("score"), nfc(c.get("finding")),
                       nfc(c.get("cause")), c.get("cause_kind"),
                       fold(c["code"], c["title"], c.get("finding")))
                      for c in criteria]
    position_of = {c["code"]: position for position, c in enumerate(criteria)}
    task_rows = []
    links: list[tuple[int, int]] = []
    evidence: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    for n, t in enumerate(data.get("tasks", [])):
        codes = [code for code in t.get("criteria", []) if code in position_of]
        cited = [criteria[position_of[code]] for code in codes]
        task_rows.append((
            *(read(t[member]) if required else read(t.get(member))
              for member, required, read in _TASK_TO_SQL),
            task_search_key(t["title"], t.get("detail"), t.get("owner"), t.get("result"),
                            [(c["code"], c["title"], c.get("finding")) for c in cited]),
            fold(t.get("owner")),
            leaf_points_at_stake((c["code"], float(c["max_points"]), c.get("score"))
                                 for c in cited)))
        links.extend((n, position_of[code]) for code in dict.fromkeys(codes))
        for position, e in enumerate(t.get("evidence", [])):
            file = e.get("file") or {}
            evidence.append((n, e["id"], position, nfc(e["title"]), nfc(e.get("number")),
                             sql_date(e.get("date")), nfc(e.get("issuer")),
                             nfc(e.get("locator")), nfc(file.get("name")), file.get("size"),
                             file.get("sha256"), None))
        history.extend((n, _sql_instant_of(h["at"]), nfc(h.get("by")), h["field"],
                        nfc(h.get("old")), nfc(h.get("new")))
                       for h in t.get("history", []))
    return AssessmentRows(assessment, documents, criterion_rows, task_rows, links, evidence,
                          history)


def insert_assessment_rows(session: Session, unit_id: int, rows: AssessmentRows) -> int:
    return _on_connection(session, insert_assessment_in, unit_id, rows)


def _next_id(connection: sqlite3.Connection, table: str) -> int:
    """The id SQLite gives the next row of `table` (an INTEGER PRIMARY KEY without
    AUTOINCREMENT takes the largest id plus one), so that rows inserted with their ids
    given are numbered as they would have been without."""
    return connection.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


# Tasks go in as multi-row INSERT statements of this many rows, as SQLAlchemy's
# "insertmanyvalues" wrote them before: the search index's trigger then fills the
# FTS5 index statement by statement the same way, and it is laid out the same.
_TASKS_PER_STATEMENT = 1000
_TASK_VALUES = f"({', '.join('?' * (len(TASK_COLUMNS) + 2))})"


def _insert_tasks(connection: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    head = _INSERT_TASK[:_INSERT_TASK.index(" VALUES ")]
    for start in range(0, len(rows), _TASKS_PER_STATEMENT):
        part = rows[start:start + _TASKS_PER_STATEMENT]
        connection.execute(f"{head} VALUES {', '.join([_TASK_VALUES] * len(part))}",
                           [value for row in part for value in row])


def insert_assessment_in(connection: sqlite3.Connection, unit_id: int,
                         rows: AssessmentRows) -> int:
    """Insert one assessment's rows with executemany (plain sqlite3: several times
    less work per row than SQLAlchemy, which matters when a supervisor takes in
    thousands of bundles). Returns the assessment id."""
    assessment_id = connection.execute(_INSERT_ASSESSMENT,
                                       (unit_id, *rows.assessment)).lastrowid
    if rows.documents:
        connection.executemany(_INSERT_DOCUMENT,
                               [(assessment_id, *d) for d in rows.documents])
    first_criterion = _next_id(connection, "criterion")
    if rows.criteria:
        connection.executemany(_INSERT_CRITERION, [
            (first_criterion + n, assessment_id, *c) for n, c in enumerate(rows.criteria)])
    if not rows.tasks:
        return assessment_id  # type: ignore[return-value]
    first_task = _next_id(connection, "task")
    _insert_tasks(connection, [(first_task + n, assessment_id, *t)
                               for n, t in enumerate(rows.tasks)])
    if rows.links:
        connection.executemany(_INSERT_LINK, [
            (first_task + task, first_criterion + criterion) for task, criterion in rows.links])
    if rows.evidence:
        connection.executemany(_INSERT_EVIDENCE,
                               [(first_task + e[0], *e[1:]) for e in rows.evidence])
    if rows.history:
        connection.executemany(_INSERT_CHANGE,
                               [(first_task + h[0], *h[1:]) for h in rows.history])
    return assessment_id  # type: ignore[return-value]


def read_unit_snapshot(session: Session, unit_id: int) -> dict[str, Any]:
    """The unit and its assessments in bundle-v1 shape."""
    from sqlalchemy import select

    from .models import Assessment, Unit

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
    from sqlalchemy import select

    from .models import Change, Criterion, DocumentRef, Evidence, Task, TaskCriterion

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
