"""Every task of every unit in the review database, as a paged SQL source: the UI's
virtual list asks for count() and rows(offset, limit) and never holds more than a
page (up to ~150,000 tasks in a province-wide or national review)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import Select, case, false, func, select
from sqlmodel import Session

from store.models import Assessment, Criterion, Task, TaskCriterion, Unit
from store.overdue import open_clause, overdue_clause
from store.read.withdrawn import not_withdrawn
from store.read.tasks import TaskRow, few_trigram_matches, search_condition
from store.text import fold
from store.vocab import TASK_STATUSES

STATUS_FILTERS = ("open", "overdue", *TASK_STATUSES)
TASK_SORTS = ("points", "due", "unit", "updated")


@dataclass(frozen=True)
class TaskQuery:
    """What the all-tasks list shows: a folded search on the task's words (and its
    criteria's), a status filter (see STATUS_FILTERS; None = all), one unit or all,
    and the order. withdrawn: the ids of the tasks the supervisor withdrew
    (store.assign.overview.withdrawn_task_ids, every unit's): not open nor overdue,
    their rows marked so (the review database's rows do not say it)."""

    search: str = ""
    status: str | None = None
    unit_id: int | None = None
    sort: str = "points"
    withdrawn: frozenset[int] = frozenset()

    def but(self, **changes: object) -> "TaskQuery":
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class UnitTaskRow(TaskRow):
    """A task row of the commune's list, plus the unit it belongs to."""

    unit_id: int = 0
    unit_code: str = ""
    unit_name: str = ""


@dataclass(frozen=True)
class TaskPlan:
    """How a query's pages are read: its row count, and whether its search goes
    through the trigram index (few matches in the whole file) or LIKE."""

    count: int
    trigram: bool


def _filtered(statement: Select, query: TaskQuery, today: dt.date, *,
              trigram: bool = False) -> Select:
    if query.unit_id is not None:
        statement = statement.where(Assessment.unit_id == query.unit_id)
    search = search_condition(query.search, trigram=trigram)
    if search is not None:
        statement = statement.where(search)
    status = query.status
    if status == "open":
        statement = statement.where(open_clause(
            Task.status, Task.withdrawn_at, not_withdrawn(Task.id, query.withdrawn)))
    elif status == "overdue":
        statement = statement.where(overdue_clause(
            Task.status, Task.withdrawn_at, Task.due, today,
            not_withdrawn(Task.id, query.withdrawn)))
    elif status in TASK_STATUSES:
        statement = statement.where(Task.status == status)
    elif status is not None:
        statement = statement.where(false())
    return statement


def _order(sort: str, use_index: bool = True) -> list:
    """The ORDER BY terms of a sort; they match ix_task_points_order and
    ix_task_due_order in store/models.py term for term, so SQLite can read a page
    in index order. use_index=False hides the index from the planner (`+ 0`): for a
    search that few tasks match, scanning and sorting the matches is much faster
    than walking the whole index looking for them."""
    points = Task.points_at_stake if use_index else Task.points_at_stake + 0
    due_missing = Task.due.is_(None) if use_index else case((Task.due.is_(None), 1), else_=0)
    if sort == "due":
        return [due_missing, Task.due, points.desc(), Task.id]
    if sort == "unit":
        return [Unit.code, Task.due.is_(None), Task.due, Task.id]
    if sort == "updated":
        return [Task.updated_at.desc(), Task.id]
    return [points.desc(), Task.due.is_(None), Task.due, Task.id]


def plan_tasks(session: Session, query: TaskQuery, today: dt.date) -> TaskPlan:
    """Count the query's tasks, choosing the search plan as the commune's list does
    (store.read.tasks.open_task_list): the trigram index when few tasks match."""
    trigram = few_trigram_matches(session, fold(query.search))
    statement = select(func.count()).select_from(Task)
    if query.unit_id is not None:
        statement = statement.join(Assessment, Task.assessment_id == Assessment.id)
    count = session.execute(_filtered(statement, query, today, trigram=trigram)).scalar_one()
    return TaskPlan(count, trigram)


def count_tasks(session: Session, query: TaskQuery, today: dt.date) -> int:
    return plan_tasks(session, query, today).count


def task_page(session: Session, query: TaskQuery, today: dt.date, *, offset: int,
              limit: int, plan: TaskPlan | None = None) -> list[UnitTaskRow]:
    """One page of the matching tasks in the query's order.

    plan: plan_tasks() of the same query if the caller has it; with it a search
    that matches few tasks reads them through the trigram index and sorts them,
    instead of walking the order index looking for them."""
    if query.sort not in TASK_SORTS:
        raise ValueError(query.sort)
    if plan is not None and plan.count == 0:
        return []
    trigram = plan is not None and plan.trigram
    # Walking the index in order visits about (offset + limit) * total / matching
    # rows; past a quarter of the table, sorting the matches is cheaper.
    use_index = not (query.search.strip() and plan is not None
                     and (trigram or 4 * (offset + limit) >= plan.count))
    # The page's ids first, then its columns: SQLite would otherwise compute the
    # criteria list of every row skipped by OFFSET.
    ids = select(Task.id).select_from(Task)
    if query.unit_id is not None or query.sort == "unit":
        ids = ids.join(Assessment, Task.assessment_id == Assessment.id)
    if query.sort == "unit":
        ids = ids.join(Unit, Unit.id == Assessment.unit_id)
    ids = (_filtered(ids, query, today, trigram=trigram)
           .order_by(*_order(query.sort, use_index))
           .limit(limit).offset(offset))
    page = [row[0] for row in session.execute(ids)]
    if not page:
        return []
    codes = (select(func.group_concat(Criterion.code, ", "))
             .select_from(TaskCriterion)
             .join(Criterion, Criterion.id == TaskCriterion.criterion_id)
             .where(TaskCriterion.task_id == Task.id)
             .correlate(Task).scalar_subquery())
    statement = (select(Task.id, Unit.id, Unit.code, Unit.name, codes, Task.title, Task.owner,
                        Task.due, Task.status, Task.progress, Task.points_at_stake)
                 .select_from(Task)
                 .join(Assessment, Task.assessment_id == Assessment.id)
                 .join(Unit, Unit.id == Assessment.unit_id)
                 .where(Task.id.in_(page)))
    rows = {r[0]: UnitTaskRow(id=r[0], unit_id=r[1], unit_code=r[2], unit_name=r[3],
                              criteria=r[4] or "", title=r[5], owner=r[6], due=r[7],
                              status=r[8], progress=r[9], points_at_stake=r[10],
                              listed_withdrawn=r[0] in query.withdrawn)
            for r in session.execute(statement)}
    return [rows[task_id] for task_id in page]
