"""One task as the detail view and the form read it: its fields, the criteria it
cites, its evidence and its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from ..models import Change, Criterion, Evidence, Task, TaskCriterion
from ..overdue import Deadline
from .criteria import CitedCriterion


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    title: str
    number: str | None
    date: dt.date | None
    issuer: str | None
    locator: str | None
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    file_path: str | None


@dataclass(frozen=True)
class ChangeRow:
    at: dt.datetime
    by: str | None
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class TaskDetail(Deadline):
    id: int
    assessment_id: int
    title: str
    detail: str | None
    owner: str | None
    due: dt.date | None
    status: str
    progress: int
    result: str | None
    done_on: dt.date | None
    updated_at: dt.datetime
    points_at_stake: float
    criteria: list[CitedCriterion] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)
    history: list[ChangeRow] = field(default_factory=list)


def task_detail(session: Session, task_id: int) -> TaskDetail | None:
    task = session.get(Task, task_id)
    if task is None:
        return None
    criteria = session.execute(
        select(Criterion).join(TaskCriterion, TaskCriterion.criterion_id == Criterion.id)
        .where(TaskCriterion.task_id == task_id).order_by(Criterion.sort_key)).scalars().all()
    evidence = session.execute(select(Evidence).where(Evidence.task_id == task_id)
                               .order_by(Evidence.position, Evidence.id)).scalars().all()
    history = session.execute(select(Change).where(Change.task_id == task_id)
                              .order_by(Change.at.desc(), Change.id.desc())).scalars().all()
    return TaskDetail(
        id=task.id, assessment_id=task.assessment_id, title=task.title, detail=task.detail,
        owner=task.owner, due=task.due, status=task.status, progress=task.progress,
        result=task.result, done_on=task.done_on, updated_at=task.updated_at,
        points_at_stake=task.points_at_stake,
        criteria=[CitedCriterion(c.id, c.code, c.title, c.max_points, c.score, c.finding)
                  for c in criteria],
        evidence=[EvidenceRow(e.id, e.title, e.number, e.date, e.issuer, e.locator,
                              e.file_name, e.file_size, e.file_sha256, e.file_path)
                  for e in evidence],
        history=[ChangeRow(h.at, h.by, h.field, h.old, h.new) for h in history])
