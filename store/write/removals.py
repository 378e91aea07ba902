"""Removing a task or an assessment, and recording every removal (store.models
.Removal): the rows that held their history go with them (the database cascades
a task's history, evidence and links; an assessment's criteria and tasks), so the
record of the removal is kept apart. What the supervisor's assignment brought is
removed only by the supervisor (withdrawn in a later assignment)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from ..clock import now_utc
from ..errors import EditRefused
from ..models import Assessment, Removal, Task
from ..text import nfc
from ..vocab import EditRefusal, RemovalKind
from .history import as_utc


def record_removal(session: Session, kind: RemovalKind, label: str, *, by: str | None,
                   assessment_id: int | None) -> None:
    session.add(Removal(at=as_utc(now_utc()), by=nfc(by) or None, kind=kind.value,
                        label=nfc(label) or "", assessment_id=assessment_id))


def remove_task(session: Session, task_id: int, *, by: str | None) -> None:
    task = session.get(Task, task_id)
    if task is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, task_id)
    if task.assigned_by is not None:
        raise EditRefused(EditRefusal.ASSIGNED, None, task.title)
    record_removal(session, RemovalKind.TASK, task.title, by=by,
                   assessment_id=task.assessment_id)
    session.delete(task)
    session.flush()


def remove_assessment(session: Session, assessment_id: int, *, by: str | None) -> None:
    """The assessment with its documents, criteria, tasks and their history."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, assessment_id)
    if assessment.assigned_by is not None:
        raise EditRefused(EditRefusal.ASSIGNED, None, assessment.title)
    record_removal(session, RemovalKind.ASSESSMENT, assessment.title, by=by,
                   assessment_id=assessment_id)
    session.delete(assessment)
    session.flush()


def removals(session: Session, limit: int = 200) -> list[Removal]:
    """The latest removals first."""
    return list(session.execute(select(Removal).order_by(Removal.at.desc(), Removal.id.desc())
                                .limit(limit)).scalars())
