"""The summary line of a unit: its current assessment and the state of its tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlmodel import Session

from ..models import Assessment, Task, Unit
from ..overdue import open_clause, overdue_clause
from ..vocab import TaskStatus
from .assessments import current_assessment


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
    assessment_id: int | None = None


def unit_summary(session: Session, unit_id: int, today: dt.date,
                 assessment_id: int | None = None) -> UnitSummary:
    """The summary line: the unit, its assessment (the current one unless given)
    and the state of that assessment's tasks."""
    unit = session.get(Unit, unit_id)
    assert unit is not None
    assessment = (session.get(Assessment, assessment_id) if assessment_id is not None
                  else current_assessment(session, unit_id))
    total = done = overdue = 0
    next_due = None
    if assessment is not None:
        is_overdue = overdue_clause(Task.status, Task.due, today)
        total, done, overdue = session.execute(select(
            func.count(),
            func.coalesce(func.sum(case((Task.status == TaskStatus.DONE, 1), else_=0)), 0),
            func.coalesce(func.sum(case((is_overdue, 1), else_=0)), 0),
        ).where(Task.assessment_id == assessment.id)).one()
        next_due = session.execute(select(func.min(Task.due)).where(
            Task.assessment_id == assessment.id, open_clause(Task.status),
            Task.due >= today)).scalar()
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
        next_due=next_due, assessment_id=assessment.id if assessment else None)
