"""The change history: every edit of a task is recorded (who, when, the field, old
and new) in the same transaction, and stamps the task's updated_at."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from ..clock import now_utc
from ..models import Change, Task
from ..text import nfc


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


def touch_task(session: Session, task_id: int, at: dt.datetime) -> None:
    task = session.get(Task, task_id)
    assert task is not None
    task.updated_at = as_utc(at)
    session.add(task)
