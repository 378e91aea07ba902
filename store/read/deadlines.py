"""Open tasks and reporting duties grouped by deadline: overdue, this week, this
month, later, none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import case, func, select
from sqlmodel import Session

from ..models import Task
from ..overdue import open_clause
from .withdrawn import not_withdrawn
from .tasks import ROW_COLUMNS, TaskRow, rows_with_criteria

DEADLINE_GROUPS = ("overdue", "week", "month", "later", "none")


def deadline_bounds(today: dt.date) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Each group's first and last due date (inclusive; None = open-ended).
    This week ends on Sunday; this month is what remains of the month after it."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    month_end = max(next_month - dt.timedelta(days=1), week_end)
    return {
        "overdue": (None, today - dt.timedelta(days=1)),
        "week": (today, week_end),
        "month": (week_end + dt.timedelta(days=1), month_end),
        "later": (month_end + dt.timedelta(days=1), None),
    }


def _deadline_conditions(assessment_id: int, group: str, today: dt.date,
                         withdrawn: Collection[int]) -> list:
    conditions = [Task.assessment_id == assessment_id,
                  open_clause(Task.status, Task.withdrawn_at,
                              not_withdrawn(Task.id, withdrawn))]
    if group == "none":
        return conditions + [Task.due.is_(None)]
    first, last = deadline_bounds(today)[group]
    if first is not None:
        conditions.append(Task.due >= first)
    if last is not None:
        conditions.append(Task.due <= last)
    return conditions + [Task.due.is_not(None)]


def deadline_counts(session: Session, assessment_id: int, today: dt.date,
                    withdrawn: Collection[int] = ()) -> dict[str, int]:
    """How many open tasks fall in each deadline group (withdrawn: a unit of a
    review, the ids of its tasks the supervisor withdrew, which are not open)."""
    bounds = deadline_bounds(today)
    group = case(
        (Task.due.is_(None), "none"),
        (Task.due < today, "overdue"),
        (Task.due <= bounds["week"][1], "week"),
        (Task.due <= bounds["month"][1], "month"),
        else_="later")
    rows = session.execute(select(group, func.count())
                           .where(Task.assessment_id == assessment_id,
                                  open_clause(Task.status, Task.withdrawn_at,
                                              not_withdrawn(Task.id, withdrawn)))
                           .group_by(group)).all()
    counts = dict.fromkeys(DEADLINE_GROUPS, 0)
    counts.update({name: count for name, count in rows})
    return counts


def deadline_page(session: Session, assessment_id: int, group: str, today: dt.date,
                  offset: int, limit: int, withdrawn: Collection[int] = ()) -> list[TaskRow]:
    statement = (select(*ROW_COLUMNS)
                 .where(*_deadline_conditions(assessment_id, group, today, withdrawn))
                 .order_by(Task.due, Task.id).limit(limit).offset(offset))
    return rows_with_criteria(session, session.execute(statement).all(), withdrawn)
