"""Creating and editing tasks, the criteria they cite, and their derived columns."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from ..clock import now_utc, today
from ..derive import code_sort_key, leaf_points_at_stake, task_search_key
from ..errors import EditRefused, StaleEdit
from ..models import Assessment, Criterion, Task, TaskCriterion
from ..task_fields import EDITABLE, FieldKind
from ..text import fold, nfc
from ..vocab import TASK_STATUSES, EditRefusal
from .history import as_utc, record_change
from .rules import Problems, clean_text

# The fields an official may edit on a task (store.task_fields says which).
EDITABLE_NAMES = tuple(field.name for field in EDITABLE)
_TEXTS = tuple(field for field in EDITABLE if field.kind in (FieldKind.TITLE,
                                                             FieldKind.LONG_TEXT))
_DATES = frozenset(field.name for field in EDITABLE if field.kind is FieldKind.DATE)
_NULLABLE = frozenset(field.name for field in EDITABLE if not field.required)


def check_task_values(values: dict[str, Any]) -> None:
    """Every refusal of a task's full set of values at once (store.write.rules.Problems);
    its texts are cleaned in place. A form asks it while the official types."""
    problems = Problems()
    for text_field in _TEXTS:
        assert text_field.limit is not None
        values[text_field.name] = problems.take(
            clean_text, text_field.name, values.get(text_field.name),
            required=text_field.required, limit=text_field.limit)
    if values["status"] not in TASK_STATUSES:
        problems.add(EditRefused(EditRefusal.UNKNOWN_STATUS, "status", values["status"]))
    progress = values["progress"]
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        problems.add(EditRefused(EditRefusal.PROGRESS_RANGE, "progress", progress))
    if values["status"] == "done":
        if values["progress"] != 100:
            problems.add(EditRefused(EditRefusal.DONE_NEEDS_FULL_PROGRESS, "progress", progress))
        if values["done_on"] is None:
            problems.add(EditRefused(EditRefusal.DONE_NEEDS_DATE, "done_on"))
    elif values["done_on"] is not None:
        problems.add(EditRefused(EditRefusal.DONE_ON_ONLY_WHEN_DONE, "done_on"))
    if values["done_on"] is not None and values["done_on"] > today():
        problems.add(EditRefused(EditRefusal.DATE_IN_FUTURE, "done_on", values["done_on"]))
    problems.raise_any()


def normalise_task_changes(task: Task, changes: dict[str, Any]) -> dict[str, Any]:
    """The full set of new values, with the status rules applied:
    done sets progress 100 (and today as completion date unless one is given);
    leaving done clears the completion date."""
    unknown = set(changes) - set(EDITABLE_NAMES)
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    values = {name: getattr(task, name) for name in EDITABLE_NAMES}
    for name, value in changes.items():
        if isinstance(value, str):
            value = nfc(value.strip())
            if value == "" and name in _NULLABLE:
                value = None
        if name in _DATES and value is not None and not isinstance(value, dt.date):
            raise EditRefused(EditRefusal.NOT_A_DATE, name, value)
        values[name] = value
    if "status" in changes:
        if values["status"] == "done":
            values["progress"] = 100 if "progress" not in changes else values["progress"]
            if values["done_on"] is None:
                values["done_on"] = today()
        else:
            values["done_on"] = None
    check_task_values(values)
    return values


def update_task(session: Session, task_id: int, changes: dict[str, Any], *, by: str | None,
                expected_updated_at: dt.datetime | None = None) -> list[str]:
    """Apply changes to one task and record each changed field. Returns the fields
    that changed. expected_updated_at guards against a lost update: if the task
    changed since the caller read it, StaleEdit is raised and nothing is written."""
    task = session.get(Task, task_id)
    if task is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, task_id)
    if expected_updated_at is not None and as_utc(expected_updated_at) != task.updated_at:
        raise StaleEdit(task_id)
    values = normalise_task_changes(task, changes)
    changed = [name for name in EDITABLE_NAMES if values[name] != getattr(task, name)]
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
            raise EditRefused(EditRefusal.UNKNOWN_CRITERION, "criteria", criterion_id)
    return wanted


def set_task_criteria(session: Session, task_id: int, criterion_ids: Iterable[int], *,
                      by: str | None) -> bool:
    """Make the task cite exactly these criteria (of its own assessment).
    Records one change ("criteria", old codes -> new codes). Returns whether it changed."""
    task = session.get(Task, task_id)
    if task is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, task_id)
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
        raise EditRefused(EditRefusal.NOT_FOUND, None, assessment_id)
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
