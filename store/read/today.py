"""What the official has to chase today: open tasks that are overdue or due soon
(store.overdue's rules), grouped by the official who owns them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import Session

from ..models import Task
from ..overdue import SOON_DAYS, due_between_clause, open_clause, past_due_clause
from .tasks import ROW_COLUMNS, TaskRow, rows_with_criteria


@dataclass(frozen=True)
class OwnerTasks:
    """One official's tasks to chase; owner None: tasks nobody owns."""

    owner: str | None
    tasks: tuple[TaskRow, ...]

    def overdue_count(self, today: dt.date) -> int:
        return sum(task.overdue(today) for task in self.tasks)


@dataclass(frozen=True)
class TodayList:
    today: dt.date
    groups: tuple[OwnerTasks, ...]

    @property
    def overdue(self) -> int:
        return sum(group.overdue_count(self.today) for group in self.groups)

    @property
    def due_soon(self) -> int:
        return sum(len(group.tasks) for group in self.groups) - self.overdue


def today_list(session: Session, assessment_id: int, today: dt.date,
               days: int = SOON_DAYS) -> TodayList:
    """Open tasks overdue or due within `days` days, by owner (folded name; the
    tasks nobody owns last), each group by deadline."""
    statement = (select(*ROW_COLUMNS, Task.owner_key)
                 .where(Task.assessment_id == assessment_id,
                        open_clause(Task.status, Task.withdrawn_at),
                        or_(past_due_clause(Task.due, today),
                            due_between_clause(Task.due, today, days)))
                 .order_by(Task.owner_key == "", Task.owner_key, Task.due, Task.id))
    found = session.execute(statement).all()
    rows = rows_with_criteria(session, [r[:len(ROW_COLUMNS)] for r in found])
    groups: list[OwnerTasks] = []
    current_key: str | None = None
    bucket: list[TaskRow] = []
    for (*_columns, key), row in zip(found, rows, strict=True):
        if bucket and key != current_key:
            groups.append(OwnerTasks(bucket[0].owner if current_key else None, tuple(bucket)))
            bucket = []
        current_key = key
        bucket.append(row)
    if bucket:
        groups.append(OwnerTasks(bucket[0].owner if current_key else None, tuple(bucket)))
    return TodayList(today, tuple(groups))
