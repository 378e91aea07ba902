"""When a task is open, overdue or due soon: each rule once, as a Python predicate and
as SQL side by side, so a row in memory and a count in the database always agree.

    open      todo or in progress, and not withdrawn by the supervisor (a later
              assignment no longer holds it: its deadline no longer binds)
    overdue   open and due before today
    due soon  open and due from today to SOON_DAYS days ahead
    upcoming  open and due today or later (the next deadline is the first of them)

Three spellings of the same rule serve three kinds of caller: is_*() for rows
already read, *_sql() for raw SQL (the review's overview runs on plain sqlite3;
:today is bound to today's ISO date), *_clause() for SQLAlchemy column
expressions. The review database knows what was withdrawn from the assignments
it issued, not from its rows: its SQL is written with listed_withdrawn and binds
those task ids; its clauses take store.read.withdrawn.not_withdrawn().
Standard library only: nothing here imports SQLAlchemy, the *_clause() functions
only use the columns' operators.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from .vocab import OPEN_STATUSES

# "Due soon": the task list's marker, the detail view, the deadline filter's default.
SOON_DAYS = 7


def is_open(status: str, withdrawn: bool = False) -> bool:
    return status in OPEN_STATUSES and not withdrawn


def is_overdue(status: str, due: dt.date | None, today: dt.date,
               withdrawn: bool = False) -> bool:
    return due is not None and due < today and is_open(status, withdrawn)


def is_due_soon(status: str, due: dt.date | None, today: dt.date,
                days: int = SOON_DAYS, withdrawn: bool = False) -> bool:
    return (due is not None and is_open(status, withdrawn)
            and today <= due <= today + dt.timedelta(days=days))


_OPEN_LIST = ", ".join(f"'{status}'" for status in OPEN_STATUSES)


# The review database's tasks carry no withdrawn_at (a bundle does not say it): what
# the supervisor withdrew is known there from the assignments it issued
# (store.assign.overview.withdrawn_task_ids). With listed_withdrawn the SQL also says
# "not among the task ids bound to :withdrawn" (a JSON array, "[]" for none).
WITHDRAWN_PARAMETER = "withdrawn"


def open_sql(table: str = "task", *, listed_withdrawn: bool = False) -> str:
    sql = f"{table}.status IN ({_OPEN_LIST}) AND {table}.withdrawn_at IS NULL"
    if listed_withdrawn:
        sql += (f" AND {table}.id NOT IN "
                f"(SELECT value FROM json_each(:{WITHDRAWN_PARAMETER}))")
    return sql


def overdue_sql(table: str = "task", *, listed_withdrawn: bool = False) -> str:
    return f"{open_sql(table, listed_withdrawn=listed_withdrawn)} AND {table}.due < :today"


def upcoming_sql(table: str = "task", *, listed_withdrawn: bool = False) -> str:
    return f"{open_sql(table, listed_withdrawn=listed_withdrawn)} AND {table}.due >= :today"


def withdrawn_parameter(task_ids: Iterable[int]) -> str:
    """The value to bind to :withdrawn for SQL written with listed_withdrawn."""
    return json.dumps(sorted(task_ids))


# status, withdrawn_at, due: SQLAlchemy columns (Task.status...). The deadline halves
# (past_due, due_between) exist on their own for the task list's filter, which says
# "open" once and then "past due OR due within N days". not_withdrawn: a clause saying
# the task is not among those a review database knows were withdrawn
# (store.read.withdrawn.not_withdrawn; None: the unit's own database).

def open_clause(status: Any, withdrawn_at: Any, not_withdrawn: Any = None) -> Any:
    clause = status.in_(OPEN_STATUSES) & withdrawn_at.is_(None)
    return clause if not_withdrawn is None else clause & not_withdrawn


def past_due_clause(due: Any, today: dt.date) -> Any:
    return due < today


def due_between_clause(due: Any, today: dt.date, days: int) -> Any:
    return (due >= today) & (due <= today + dt.timedelta(days=days))


def overdue_clause(status: Any, withdrawn_at: Any, due: Any, today: dt.date,
                   not_withdrawn: Any = None) -> Any:
    return open_clause(status, withdrawn_at, not_withdrawn) & past_due_clause(due, today)


def due_soon_clause(status: Any, withdrawn_at: Any, due: Any, today: dt.date,
                    days: int = SOON_DAYS, not_withdrawn: Any = None) -> Any:
    return (open_clause(status, withdrawn_at, not_withdrawn)
            & due_between_clause(due, today, days))


class Deadline:
    """The rules above as methods of a row that has .status, .due and .withdrawn_at
    (TaskRow, TaskDetail; a row without the column reads None: not withdrawn).
    listed_withdrawn: a review database's row, whose id is among the withdrawn ids
    the supervisor's assignments give (its withdrawn_at is always None)."""

    status: str
    due: dt.date | None
    withdrawn_at: dt.datetime | None = None
    listed_withdrawn: bool = False

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None or self.listed_withdrawn

    @property
    def is_open(self) -> bool:
        return is_open(self.status, self.withdrawn)

    def overdue(self, today: dt.date) -> bool:
        return is_overdue(self.status, self.due, today, self.withdrawn)

    def due_soon(self, today: dt.date, days: int = SOON_DAYS) -> bool:
        """Open and due from today to `days` days ahead."""
        return is_due_soon(self.status, self.due, today, days, self.withdrawn)
