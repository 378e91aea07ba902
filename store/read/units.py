"""The summary line of a unit: its current assessment and the state of its tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from ..models import Assessment, Unit
from .assessments import current_assessment
from ..overdue import WITHDRAWN_PARAMETER, withdrawn_parameter
from .unit_counts import NO_TASKS, ScoreAndTasks, score_and_tasks, task_counts_sql

_ASSESSMENT_TASK_COUNTS = text(
    f"SELECT {task_counts_sql(listed_withdrawn=True)} FROM task AS t "
    "WHERE t.assessment_id = :assessment_id")


@dataclass(frozen=True)
class UnitSummary(ScoreAndTasks):
    unit_code: str
    unit_name: str
    assessment_title: str | None
    assessment_id: int | None = None


def unit_summary(session: Session, unit_id: int, today: dt.date,
                 assessment_id: int | None = None, *,
                 withdrawn: Collection[int] = ()) -> UnitSummary:
    """The summary line: the unit, its assessment (the current one unless given)
    and the state of that assessment's tasks. withdrawn: a unit of the review, the
    ids of the tasks the supervisor withdrew (its rows do not say it): not open, so
    not overdue nor the next deadline."""
    unit = session.get(Unit, unit_id)
    assert unit is not None
    assessment = (session.get(Assessment, assessment_id) if assessment_id is not None
                  else current_assessment(session, unit_id))
    if assessment is None:
        return UnitSummary(unit_code=unit.code, unit_name=unit.name, assessment_title=None,
                           **score_and_tasks(None, None, None, None, NO_TASKS))
    counts = tuple(session.execute(_ASSESSMENT_TASK_COUNTS, {
        "assessment_id": assessment.id, "today": today.isoformat(),
        WITHDRAWN_PARAMETER: withdrawn_parameter(withdrawn)}).one())
    return UnitSummary(
        unit_code=unit.code, unit_name=unit.name, assessment_title=assessment.title,
        assessment_id=assessment.id,
        **score_and_tasks(assessment.score, assessment.max_points, assessment.rank,
                          assessment.rank_of, counts))
