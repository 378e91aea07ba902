"""The supervisor's review notes on a unit's tasks (review database).

A note is a remark such as "thiếu tài liệu kiểm chứng" on one of the unit's tasks:
a task of the unit's latest progress bundle, or one an assignment issued to it.
It waits (sent_in None) until the unit's next assignment file carries it
(store.assign.issue).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlmodel import Session

from ..clock import now_utc
from ..errors import EditRefused
from ..vocab import TEXT_LIMIT, TITLE_LIMIT, EditRefusal
from ..write.history import as_utc
from ..write.rules import clean_text
from ..models import Assessment, Task, Unit
from .tables import IssuedAssignment, ReviewNote

# A task id may be given by its first characters, as long as they name one task.
MIN_PREFIX = 8


@dataclass(frozen=True)
class TaskFound:
    unit_code: str
    task_uid: str
    title: str


def find_tasks(session: Session, given: str) -> list[TaskFound]:
    """The tasks whose id is `given` or starts with it (at least MIN_PREFIX
    characters): those of the units' bundles, then those issued to them."""
    given = given.strip().lower()
    if len(given) < MIN_PREFIX:
        return []
    found = {(row.code, row.uid): TaskFound(row.code, row.uid, row.title)
             for row in session.execute(
                 select(Unit.code, Task.uid, Task.title)
                 .join(Assessment, Task.assessment_id == Assessment.id)
                 .join(Unit, Assessment.unit_id == Unit.id)
                 .where(Task.uid.startswith(given)))}
    for unit_code, uid, title in _issued_tasks(session):
        if uid.startswith(given):
            found.setdefault((unit_code, uid), TaskFound(unit_code, uid, title))
    return sorted(found.values(), key=lambda t: (t.unit_code, t.task_uid))


def _issued_tasks(session: Session) -> list[tuple[str, str, str]]:
    """(unit code, task id, title) of every task of each unit's newest assignment."""
    newest: dict[str, IssuedAssignment] = {}
    for issued in session.execute(select(IssuedAssignment).order_by(
            IssuedAssignment.id)).scalars():
        newest[issued.unit_code] = issued
    tasks = []
    for unit_code, issued in newest.items():
        for assessment in json.loads(zlib.decompress(issued.content))["assessments"]:
            tasks.extend((unit_code, t["id"], t["title"]) for t in assessment["tasks"])
    return tasks


def add_note(session: Session, unit_code: str, task_uid: str, text: str, *, by: str,
             at: dt.datetime | None = None) -> int:
    """Keep a note on one of the unit's tasks until its next assignment. Raises
    EditRefused: not_found (the unit holds no such task), required, too_long,
    control_characters (field text or by)."""
    try:  # a note follows the rules of a task's detail: line feeds and tabs allowed
        clean = clean_text("detail", text, required=True, limit=TEXT_LIMIT)
    except EditRefused as refused:
        raise replace(refused, field="text") from None
    author = clean_text("by", by, required=True, limit=TITLE_LIMIT)
    known = {t.task_uid for t in find_tasks(session, task_uid) if t.unit_code == unit_code}
    if task_uid not in known:
        raise EditRefused(EditRefusal.NOT_FOUND, "task", task_uid)
    note = ReviewNote(unit_code=unit_code, task_uid=task_uid, at=as_utc(at or now_utc()),
                      by=author, text=clean)
    session.add(note)
    session.flush()
    assert note.id is not None
    return note.id


def notes_of_task(session: Session, unit_code: str, task_uid: str) -> list[ReviewNote]:
    """The notes on one task, newest first."""
    return list(session.execute(select(ReviewNote).where(
        ReviewNote.unit_code == unit_code, ReviewNote.task_uid == task_uid)
        .order_by(ReviewNote.at.desc(), ReviewNote.id.desc())).scalars())


def waiting_notes(session: Session) -> dict[str, int]:
    """Unit code -> how many notes wait for its next assignment."""
    counts: dict[str, int] = {}
    for unit_code in session.execute(select(ReviewNote.unit_code).where(
            ReviewNote.sent_in.is_(None))).scalars():
        counts[unit_code] = counts.get(unit_code, 0) + 1
    return counts
