"""The write side. Every change to a task records who, when, the field, old and new.

Functions take an open write session (db.write()), so an edit and its history are
one transaction. They return data or raise EditRefused with a code; the UI words it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import Session

from .clock import now_utc, today
from .derive import code_sort_key, leaf_points_at_stake, parent_code, task_search_key
from .models import (INDEX_KINDS, TASK_STATUSES, Assessment, Change, Criterion, DocumentRef,
                     Evidence, Task, TaskCriterion)
from .text import fold, nfc

# bundle-v1 limits: titles and names 500 characters, other text 10,000; line feed and
# tab only in the long texts (detail, result, finding; bundle-v2 adds the cause).
TITLE_LIMIT = 500
TEXT_LIMIT = 10_000
MULTILINE_FIELDS = {"detail", "result", "finding", "cause"}
CRITERION_CODE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){0,4}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")

# Fields an official may edit on a task, with the type each holds.
TASK_FIELDS: dict[str, type] = {
    "title": str, "detail": str, "owner": str, "due": dt.date, "status": str,
    "progress": int, "result": str, "done_on": dt.date,
}
NULLABLE_TASK_FIELDS = {"detail", "owner", "due", "result", "done_on"}


@dataclass
class EditRefused(Exception):
    """An edit that breaks a rule. code names the rule; field the input at fault."""

    code: str
    field: str | None = None
    value: Any = None


@dataclass
class StaleEdit(Exception):
    """The task changed (another window, another process) since it was read."""

    task_id: int


def as_text(value: Any) -> str | None:
    """How a value is written into the history (and the bundle's Change)."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def as_utc(instant: dt.datetime) -> dt.datetime:
    """Aware UTC, as stored (SQLModel returns stored instants this way)."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=dt.timezone.utc)
    return instant.astimezone(dt.timezone.utc)


def record_change(session: Session, task_id: int, by: str | None, field: str,
                  old: Any, new: Any, at: dt.datetime | None = None) -> None:
    session.add(Change(task_id=task_id, at=as_utc(at or now_utc()), by=nfc(by) or None,
                       field=field, old=nfc(as_text(old)), new=nfc(as_text(new))))


def clean_text(field: str, value: Any, *, required: bool = False,
               limit: int = TEXT_LIMIT) -> str | None:
    """NFC, trimmed, empty -> None; refused if required and empty, too long, or
    holding control characters (line feed and tab only in the long texts)."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = nfc(value.strip()) or ""
    else:
        raise EditRefused("not_text", field, value)
    if not text:
        if required:
            raise EditRefused("required", field)
        return None
    if len(text) > limit:
        raise EditRefused("too_long", field, limit)
    pattern = _CONTROL if field in MULTILINE_FIELDS else _CONTROL_OR_NEWLINE
    if pattern.search(text):
        raise EditRefused("control_characters", field)
    return text


def _check_task_values(values: dict[str, Any]) -> None:
    values["title"] = clean_text("title", values.get("title"), required=True,
                                 limit=TITLE_LIMIT)
    values["owner"] = clean_text("owner", values.get("owner"), limit=TITLE_LIMIT)
    for name in ("detail", "result"):
        values[name] = clean_text(name, values.get(name))
    if values["status"] not in TASK_STATUSES:
        raise EditRefused("unknown_status", "status", values["status"])
    progress = values["progress"]
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise EditRefused("progress_range", "progress", progress)
    if values["status"] == "done":
        if values["progress"] != 100:
            raise EditRefused("done_needs_full_progress", "progress", progress)
        if values["done_on"] is None:
            raise EditRefused("done_needs_date", "done_on")
    elif values["done_on"] is not None:
        raise EditRefused("done_on_only_when_done", "done_on")
    if values["done_on"] is not None and values["done_on"] > today():
        raise EditRefused("date_in_future", "done_on", values["done_on"])


def normalise_task_changes(task: Task, changes: dict[str, Any]) -> dict[str, Any]:
    """The full set of new values, with the status rules applied:
    done sets progress 100 (and today as completion date unless one is given);
    leaving done clears the completion date."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise EditRefused("unknown_field", sorted(unknown)[0])
    values = {name: getattr(task, name) for name in TASK_FIELDS}
    for name, value in changes.items():
        if isinstance(value, str):
            value = nfc(value.strip())
            if value == "" and name in NULLABLE_TASK_FIELDS:
                value = None
        if name in ("due", "done_on") and value is not None and not isinstance(value, dt.date):
            raise EditRefused("not_a_date", name, value)
        values[name] = value
    if "status" in changes:
        if values["status"] == "done":
            values["progress"] = 100 if "progress" not in changes else values["progress"]
            if values["done_on"] is None:
                values["done_on"] = today()
        else:
            values["done_on"] = None
    _check_task_values(values)
    return values


def update_task(session: Session, task_id: int, changes: dict[str, Any], *, by: str | None,
                expected_updated_at: dt.datetime | None = None) -> list[str]:
    """Apply changes to one task and record each changed field. Returns the fields
    that changed. expected_updated_at guards against a lost update: if the task
    changed since the caller read it, StaleEdit is raised and nothing is written."""
    task = session.get(Task, task_id)
    if task is None:
        raise EditRefused("not_found", None, task_id)
    if expected_updated_at is not None and as_utc(expected_updated_at) != task.updated_at:
        raise StaleEdit(task_id)
    values = normalise_task_changes(task, changes)
    changed = [name for name in TASK_FIELDS if values[name] != getattr(task, name)]
    if not changed:
        return []
    # Strictly later than the stored stamp, even with a coarse or pinned clock, so
    # that expected_updated_at always tells two edits apart.
    at = max(as_utc(now_utc()), as_utc(task.updated_at) + dt.timedelta(microseconds=1))
    for name in changed:
        record_change(session, task_id, by, name, getattr(task, name), values[name], at)
        setattr(task, name, values[name])
    task.updated_at = as_utc(at)
    session.add(task)
    session.flush()
    refresh_task_derived(session, [task_id])
    return changed


def refresh_task_derived(session: Session, task_ids: list[int]) -> None:
    """Recompute the cached search key, owner key and points at stake."""
    for task_id in task_ids:
        task = session.get(Task, task_id)
        if task is None:
            continue
        cited = session.execute(
            select(Criterion.code, Criterion.title, Criterion.finding, Criterion.max_points,
                   Criterion.score)
            .join(TaskCriterion, TaskCriterion.criterion_id == Criterion.id)
            .where(TaskCriterion.task_id == task_id)).all()
        task.search_key = task_search_key(task.title, task.detail, task.owner, task.result,
                                          [(c.code, c.title, c.finding) for c in cited])
        task.owner_key = fold(task.owner)
        task.points_at_stake = leaf_points_at_stake(
            (c.code, c.max_points, c.score) for c in cited)
        session.add(task)
    session.flush()


def _checked_criteria(session: Session, assessment_id: int,
                      criterion_ids: Iterable[int]) -> set[int]:
    wanted = set(criterion_ids)
    found = dict(session.execute(select(Criterion.id, Criterion.assessment_id)
                                 .where(Criterion.id.in_(wanted))).all())
    for criterion_id in sorted(wanted):
        if found.get(criterion_id) != assessment_id:
            raise EditRefused("unknown_criterion", "criteria", criterion_id)
    return wanted


def set_task_criteria(session: Session, task_id: int, criterion_ids: Iterable[int], *,
                      by: str | None) -> bool:
    """Make the task cite exactly these criteria (of its own assessment).
    Records one change ("criteria", old codes -> new codes). Returns whether it changed."""
    task = session.get(Task, task_id)
    if task is None:
        raise EditRefused("not_found", None, task_id)
    wanted = _checked_criteria(session, task.assessment_id, criterion_ids)
    current = set(session.execute(select(TaskCriterion.criterion_id)
                                  .where(TaskCriterion.task_id == task_id)).scalars())
    if current == wanted:
        return False
    old_codes = _codes(session, current)
    session.execute(delete(TaskCriterion).where(TaskCriterion.task_id == task_id))
    session.add_all(TaskCriterion(task_id=task_id, criterion_id=c) for c in sorted(wanted))
    session.flush()
    at = now_utc()
    record_change(session, task_id, by, "criteria", old_codes or None,
                  _codes(session, wanted) or None, at)
    task.updated_at = as_utc(at)
    session.add(task)
    refresh_task_derived(session, [task_id])
    return True


def _codes(session: Session, criterion_ids: Iterable[int]) -> str:
    ids = list(criterion_ids)
    if not ids:
        return ""
    codes = session.execute(select(Criterion.code).where(Criterion.id.in_(ids))).scalars()
    return ", ".join(sorted(codes, key=code_sort_key))


def create_task(session: Session, assessment_id: int, values: dict[str, Any],
                criterion_ids: Iterable[int] = (), *, by: str | None) -> int:
    """A new task (todo unless values say otherwise). Its history starts with a
    "created" change carrying the title."""
    if session.get(Assessment, assessment_id) is None:
        raise EditRefused("not_found", None, assessment_id)
    wanted = _checked_criteria(session, assessment_id, criterion_ids)
    at = now_utc()
    draft = Task(uid=str(uuid.uuid4()), assessment_id=assessment_id, title="",
                 updated_at=as_utc(at))
    full = normalise_task_changes(draft, {"title": "", **values})
    for name, value in full.items():
        setattr(draft, name, value)
    session.add(draft)
    session.flush()
    task_id = draft.id
    assert task_id is not None
    record_change(session, task_id, by, "created", None, draft.title, at)
    session.add_all(TaskCriterion(task_id=task_id, criterion_id=c) for c in sorted(wanted))
    session.flush()
    refresh_task_derived(session, [task_id])
    return task_id


# -- evidence ---------------------------------------------------------------------

@dataclass(frozen=True)
class FileFacts:
    """What the app keeps about an evidence file (the file itself stays put)."""

    name: str
    size: int
    sha256: str
    path: str


def describe_file(path: str | Path) -> FileFacts:
    """Name, size and SHA-256 of a file, read in 1 MiB blocks."""
    file = Path(path).expanduser()
    if not file.exists():
        raise EditRefused("file_missing", "file", str(file))
    if not file.is_file():
        raise EditRefused("not_a_file", "file", str(file))
    digest = hashlib.sha256()
    size = 0
    try:
        with open(file, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
                size += len(block)
    except OSError as error:
        raise EditRefused("file_unreadable", "file", str(file)) from error
    return FileFacts(name=nfc(file.name) or file.name, size=size, sha256=digest.hexdigest(),
                     path=str(file.absolute()))


EVIDENCE_FIELDS = ("title", "number", "date", "issuer", "locator", "file")


def _evidence_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EVIDENCE_FIELDS)
    if unknown:
        raise EditRefused("unknown_field", sorted(unknown)[0])
    date = values.get("date")
    if date is not None and not isinstance(date, dt.date):
        raise EditRefused("not_a_date", "date", date)
    if date is not None and date > today():
        raise EditRefused("date_in_future", "date", date)
    file = values.get("file")
    if file is not None and not isinstance(file, FileFacts):
        raise EditRefused("not_a_file", "file", file)
    return {
        "title": clean_text("title", values.get("title"), required=True, limit=TITLE_LIMIT),
        "number": clean_text("number", values.get("number"), limit=TITLE_LIMIT),
        "date": date,
        "issuer": clean_text("issuer", values.get("issuer"), limit=TITLE_LIMIT),
        "locator": clean_text("locator", values.get("locator"), limit=TITLE_LIMIT),
        "file_name": file.name if file else None,
        "file_size": file.size if file else None,
        "file_sha256": file.sha256 if file else None,
        "file_path": file.path if file else None,
    }


def evidence_label(number: str | None, title: str) -> str:
    """How an evidence document is named in the history: "45/BC-UBND Báo cáo ..."."""
    return f"{number} {title}" if number else title


def _touch(session: Session, task_id: int, at: dt.datetime) -> None:
    task = session.get(Task, task_id)
    assert task is not None
    task.updated_at = as_utc(at)
    session.add(task)


def add_evidence(session: Session, task_id: int, values: dict[str, Any], *,
                 by: str | None) -> int:
    if session.get(Task, task_id) is None:
        raise EditRefused("not_found", None, task_id)
    clean = _evidence_values(values)
    position = session.execute(select(func.coalesce(func.max(Evidence.position) + 1, 0))
                               .where(Evidence.task_id == task_id)).scalar_one()
    evidence = Evidence(uid=str(uuid.uuid4()), task_id=task_id, position=position, **clean)
    session.add(evidence)
    session.flush()
    at = now_utc()
    record_change(session, task_id, by, "evidence", None,
                  evidence_label(clean["number"], clean["title"]), at)
    _touch(session, task_id, at)
    assert evidence.id is not None
    return evidence.id


def update_evidence(session: Session, evidence_id: int, values: dict[str, Any], *,
                    by: str | None) -> bool:
    """Replace an evidence record's fields. A missing "file" key keeps the file."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise EditRefused("not_found", None, evidence_id)
    if "file" not in values and evidence.file_name is not None:
        values = {**values, "file": FileFacts(evidence.file_name, evidence.file_size or 0,
                                              evidence.file_sha256 or "",
                                              evidence.file_path or "")}
    clean = _evidence_values(values)
    if all(getattr(evidence, name) == value for name, value in clean.items()):
        return False
    old = evidence_label(evidence.number, evidence.title)
    for name, value in clean.items():
        setattr(evidence, name, value)
    session.add(evidence)
    at = now_utc()
    record_change(session, evidence.task_id, by, "evidence", old,
                  evidence_label(clean["number"], clean["title"]), at)
    _touch(session, evidence.task_id, at)
    return True


def remove_evidence(session: Session, evidence_id: int, *, by: str | None) -> None:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise EditRefused("not_found", None, evidence_id)
    task_id = evidence.task_id
    old = evidence_label(evidence.number, evidence.title)
    session.delete(evidence)
    at = now_utc()
    record_change(session, task_id, by, "evidence", old, None, at)
    _touch(session, task_id, at)


# -- the city's letter, entered by hand --------------------------------------------

def _points(field: str, value: Any, *, required: bool = False) -> float | None:
    if value is None:
        if required:
            raise EditRefused("required", field)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EditRefused("not_a_number", field, value)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise EditRefused("not_a_number", field, value)
    if number < 0:
        raise EditRefused("negative", field, number)
    if abs(number * 100 - round(number * 100)) > 1e-6:
        raise EditRefused("too_many_decimals", field, number)
    return round(number, 2)


def _whole(field: str, value: Any, low: int, high: int | None = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise EditRefused("not_a_whole_number", field, value)
    if value < low or (high is not None and value > high):
        raise EditRefused("out_of_range", field, (low, high))
    return value


ASSESSMENT_FIELDS = ("title", "index_kind", "year", "issuer", "max_points", "score", "rank",
                     "rank_of", "document_number", "document_date", "document_title")


def save_assessment(session: Session, unit_id: int, values: dict[str, Any],
                    assessment_id: int | None = None) -> int:
    """Create (assessment_id None) or update an assessment and its first document."""
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise EditRefused("unknown_field", sorted(unknown)[0])
    title = clean_text("title", values.get("title"), required=True, limit=TITLE_LIMIT)
    kind = values.get("index_kind") or "PAR"
    if kind not in INDEX_KINDS:
        raise EditRefused("unknown_index", "index_kind", kind)
    year = _whole("year", values.get("year"), 2000, 2100)
    if year is None:
        raise EditRefused("required", "year")
    issuer = clean_text("issuer", values.get("issuer"), limit=TITLE_LIMIT) or ""
    max_points = _points("max_points", values.get("max_points", 100.0), required=True)
    assert max_points is not None
    if max_points <= 0:
        raise EditRefused("must_be_positive", "max_points", max_points)
    score = _points("score", values.get("score"))
    if score is not None and score > max_points:
        raise EditRefused("score_above_max", "score", (score, max_points))
    rank = _whole("rank", values.get("rank"), 1)
    rank_of = _whole("rank_of", values.get("rank_of"), 1)
    if rank is not None and rank_of is not None and rank_of < rank:
        raise EditRefused("rank_above_count", "rank_of", (rank, rank_of))
    number = clean_text("document_number", values.get("document_number"), limit=TITLE_LIMIT)
    document_date = values.get("document_date")
    if document_date is not None and not isinstance(document_date, dt.date):
        raise EditRefused("not_a_date", "document_date", document_date)
    document_title = clean_text("document_title", values.get("document_title"),
                                limit=TITLE_LIMIT)
    if number is None and (document_date is not None or document_title is not None):
        raise EditRefused("required", "document_number")
    fields = {"title": title, "index_kind": kind, "year": year, "issuer": issuer,
              "max_points": max_points, "score": score, "rank": rank, "rank_of": rank_of}
    if assessment_id is None:
        assessment = Assessment(unit_id=unit_id, ext_id=str(uuid.uuid4()), **fields)
    else:
        found = session.get(Assessment, assessment_id)
        if found is None or found.unit_id != unit_id:
            raise EditRefused("not_found", None, assessment_id)
        assessment = found
        if max_points < _largest_top_level(session, assessment_id):
            raise EditRefused("max_below_criteria", "max_points", max_points)
        for name, value in fields.items():
            setattr(assessment, name, value)
    session.add(assessment)
    session.flush()
    assert assessment.id is not None
    document = session.execute(select(DocumentRef).where(
        DocumentRef.assessment_id == assessment.id).order_by(DocumentRef.position)
    ).scalars().first()
    if number is None:
        if document is not None:
            session.delete(document)
    elif document is None:
        session.add(DocumentRef(assessment_id=assessment.id, position=0, number=number,
                                date=document_date, title=document_title))
    else:
        document.number, document.date, document.title = number, document_date, document_title
        session.add(document)
    session.flush()
    return assessment.id


def _largest_top_level(session: Session, assessment_id: int) -> float:
    return session.execute(select(func.coalesce(func.max(Criterion.max_points), 0.0)).where(
        Criterion.assessment_id == assessment_id, Criterion.code.not_like("%.%"))).scalar_one()


CRITERION_FIELDS = ("code", "title", "max_points", "score", "finding")


def save_criterion(session: Session, assessment_id: int, values: dict[str, Any],
                   criterion_id: int | None = None) -> int:
    """Create or update a criterion. The code must match the pattern of bundle-v1,
    be unique in the assessment, and have its parent present; 0 <= score <= max.
    Tasks citing it get their points at stake and search text recomputed."""
    unknown = set(values) - set(CRITERION_FIELDS)
    if unknown:
        raise EditRefused("unknown_field", sorted(unknown)[0])
    if session.get(Assessment, assessment_id) is None:
        raise EditRefused("not_found", None, assessment_id)
    code = clean_text("code", values.get("code"), required=True, limit=20)
    assert code is not None
    if not CRITERION_CODE.match(code):
        raise EditRefused("bad_code", "code", code)
    title = clean_text("title", values.get("title"), required=True, limit=TITLE_LIMIT)
    max_points = _points("max_points", values.get("max_points"), required=True)
    assert max_points is not None
    score = _points("score", values.get("score"))
    if score is not None and score > max_points:
        raise EditRefused("score_above_max", "score", (score, max_points))
    finding = clean_text("finding", values.get("finding"))
    same_code = session.execute(select(Criterion).where(
        Criterion.assessment_id == assessment_id, Criterion.code == code)).scalars().first()
    if same_code is not None and same_code.id != criterion_id:
        raise EditRefused("duplicate_code", "code", code)
    parent = parent_code(code)
    if parent is not None and session.execute(select(Criterion.id).where(
            Criterion.assessment_id == assessment_id, Criterion.code == parent)).first() is None:
        raise EditRefused("parent_missing", "code", parent)
    if criterion_id is None:
        criterion = Criterion(assessment_id=assessment_id, code=code, title="", max_points=0)
    else:
        found = session.get(Criterion, criterion_id)
        if found is None or found.assessment_id != assessment_id:
            raise EditRefused("not_found", None, criterion_id)
        criterion = found
        if code != criterion.code and _has_children(session, assessment_id, criterion.code):
            raise EditRefused("has_children", "code", criterion.code)
    criterion.code, criterion.sort_key, criterion.title = code, code_sort_key(code), title
    criterion.max_points, criterion.score, criterion.finding = max_points, score, finding
    criterion.search_key = fold(code, title, finding)
    session.add(criterion)
    session.flush()
    assert criterion.id is not None
    citing = list(session.execute(select(TaskCriterion.task_id)
                                  .where(TaskCriterion.criterion_id == criterion.id)).scalars())
    refresh_task_derived(session, citing)
    return criterion.id


def _has_children(session: Session, assessment_id: int, code: str) -> bool:
    return session.execute(select(Criterion.id).where(
        Criterion.assessment_id == assessment_id,
        Criterion.code.like(f"{code}.%"))).first() is not None


def remove_criterion(session: Session, criterion_id: int) -> None:
    """Delete a criterion that has no sub-criteria and no task citing it."""
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise EditRefused("not_found", None, criterion_id)
    if _has_children(session, criterion.assessment_id, criterion.code):
        raise EditRefused("has_children", "code", criterion.code)
    if session.execute(select(TaskCriterion.task_id).where(
            TaskCriterion.criterion_id == criterion_id)).first() is not None:
        raise EditRefused("cited_by_tasks", "code", criterion.code)
    session.delete(criterion)
    session.flush()
