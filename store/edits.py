"""The write side. Every change to a task records who, when, the field, old and new.

Functions take an open write session (db.write()), so an edit and its history are
one transaction. They return data or raise EditRefused with a code; the UI words it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from .clock import now_utc, today
from .derive import leaf_points_at_stake, task_search_key
from .models import TASK_STATUSES, Change, Criterion, Task, TaskCriterion
from .text import fold, nfc

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


def _check_task_values(values: dict[str, Any]) -> None:
    title = values.get("title")
    if not title or not str(title).strip():
        raise EditRefused("required", "title")
    if len(title) > 500:
        raise EditRefused("too_long", "title", 500)
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
