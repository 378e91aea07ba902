"""The read side: summaries and pages of plain rows for the UI (never ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlmodel import Session

from .models import Assessment, Criterion, Task, TaskCriterion, Unit

OPEN_STATUSES = ("todo", "in_progress")


@dataclass(frozen=True)
class UnitSummary:
    unit_code: str
    unit_name: str
    assessment_title: str | None
    score: float | None
    max_points: float | None
    rank: int | None
    rank_of: int | None
    points_lost: float | None
    tasks_total: int
    tasks_done: int
    tasks_overdue: int
    next_due: dt.date | None


@dataclass(frozen=True)
class TaskRow:
    id: int
    criteria: str  # "3.2, 3.3"
    title: str
    owner: str | None
    due: dt.date | None
    status: str
    progress: int
    points_at_stake: float

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.status in OPEN_STATUSES


def current_assessment(session: Session, unit_id: int) -> Assessment | None:
    return session.execute(select(Assessment).where(Assessment.unit_id == unit_id)
                           .order_by(Assessment.year.desc(), Assessment.id.desc())
                           ).scalars().first()


def first_unit(session: Session) -> Unit | None:
    return session.execute(select(Unit).order_by(Unit.id)).scalars().first()


def unit_summary(session: Session, unit_id: int, today: dt.date) -> UnitSummary:
    unit = session.get(Unit, unit_id)
    assert unit is not None
    assessment = current_assessment(session, unit_id)
    tasks = (select(Task).join(Assessment, Task.assessment_id == Assessment.id)
             .where(Assessment.unit_id == unit_id).subquery())
    is_open = tasks.c.status.in_(OPEN_STATUSES)
    total, done, overdue = session.execute(select(
        func.count(),
        func.coalesce(func.sum(case((tasks.c.status == "done", 1), else_=0)), 0),
        func.coalesce(func.sum(case((is_open & (tasks.c.due < today), 1), else_=0)), 0),
    ).select_from(tasks)).one()
    next_due = session.execute(select(func.min(tasks.c.due))
                               .where(is_open, tasks.c.due >= today)).scalar()
    lost = None
    if assessment is not None and assessment.score is not None:
        lost = round(assessment.max_points - assessment.score, 2)
    return UnitSummary(
        unit_code=unit.code, unit_name=unit.name,
        assessment_title=assessment.title if assessment else None,
        score=assessment.score if assessment else None,
        max_points=assessment.max_points if assessment else None,
        rank=assessment.rank if assessment else None,
        rank_of=assessment.rank_of if assessment else None,
        points_lost=lost, tasks_total=total, tasks_done=done, tasks_overdue=overdue,
        next_due=next_due)


def task_rows(session: Session, unit_id: int, *, limit: int = 200, offset: int = 0) -> list[TaskRow]:
    """Tasks of the unit, soonest deadline first (no deadline last)."""
    codes = (select(func.group_concat(Criterion.code, ", "))
             .select_from(TaskCriterion)
             .join(Criterion, Criterion.id == TaskCriterion.criterion_id)
             .where(TaskCriterion.task_id == Task.id)
             .correlate(Task).scalar_subquery())
    statement = (select(Task.id, codes, Task.title, Task.owner, Task.due, Task.status,
                        Task.progress, Task.points_at_stake)
                 .join(Assessment, Task.assessment_id == Assessment.id)
                 .where(Assessment.unit_id == unit_id)
                 .order_by(Task.due.is_(None), Task.due, Task.id)
                 .limit(limit).offset(offset))
    return [TaskRow(id=r[0], criteria=r[1] or "", title=r[2], owner=r[3], due=r[4],
                    status=r[5], progress=r[6], points_at_stake=r[7])
            for r in session.execute(statement)]
