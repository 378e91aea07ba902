"""A unit's score and the state of its tasks: the fields that the commune's summary
line (store.read.units.UnitSummary) and the supervisor's overview
(store.review.overview.UnitOverviewRow) share, and the one SQL that counts them.

Standard library only: the overview, the review's first frame, runs this SQL on a
plain sqlite3 connection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..overdue import overdue_sql, upcoming_sql
from ..vocab import TaskStatus


def task_counts_sql(*, listed_withdrawn: bool = False) -> str:
    """The aggregate columns over the tasks `t` of a unit (or of one assessment), in
    the order score_and_tasks() takes them; :today is bound to today's ISO date.
    listed_withdrawn: the tasks bound to :withdrawn are not open either (the
    review's database, store.overdue)."""
    return f"""count(*),
           coalesce(sum(t.status = '{TaskStatus.DONE}'), 0),
           coalesce(sum(t.status = '{TaskStatus.CANCELLED}'), 0),
           coalesce(sum({overdue_sql("t", listed_withdrawn=listed_withdrawn)}), 0),
           min(CASE WHEN {upcoming_sql("t", listed_withdrawn=listed_withdrawn)} THEN t.due END)"""


NO_TASKS = (0, 0, 0, 0, None)


def percent_done(done: int, total: int, cancelled: int) -> float | None:
    """Done among the tasks that count (cancelled ones do not)."""
    counted = total - cancelled
    return round(100.0 * done / counted, 1) if counted > 0 else None


@dataclass(frozen=True, kw_only=True)
class ScoreAndTasks:
    score: float | None
    max_points: float | None
    rank: int | None
    rank_of: int | None
    points_lost: float | None
    tasks_total: int
    tasks_done: int
    tasks_cancelled: int
    tasks_overdue: int
    next_due: dt.date | None  # the first deadline from today on of an open task

    @property
    def percent_done(self) -> float | None:
        return percent_done(self.tasks_done, self.tasks_total, self.tasks_cancelled)


def score_and_tasks(score: float | None, max_points: float | None, rank: int | None,
                    rank_of: int | None, counts: tuple[Any, ...]) -> dict[str, Any]:
    """The ScoreAndTasks fields of a score and a row of task_counts_sql() (NO_TASKS
    when there is no assessment or no task)."""
    total, done, cancelled, overdue, next_due = counts
    return {
        "score": score, "max_points": max_points, "rank": rank, "rank_of": rank_of,
        "points_lost": (round(max_points - score, 2)
                        if score is not None and max_points is not None else None),
        "tasks_total": total, "tasks_done": done, "tasks_cancelled": cancelled,
        "tasks_overdue": overdue,
        "next_due": dt.date.fromisoformat(next_due) if next_due else None,
    }
