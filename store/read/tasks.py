"""The task list: a page at a time (count + LIMIT/OFFSET) in one of the orders of
models.TASK_ORDERS, each backed by an index, so a list of 100,000 tasks costs the
same as a list of 20. Search uses the FTS5 trigram index for 3+ characters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, literal_column, or_, select, text
from sqlmodel import Session

from ..derive import code_sort_key, parent_code
from ..models import TASK_ORDERS, TASK_SEARCH_TABLE, Criterion, Task, TaskCriterion
from ..overdue import Deadline, due_between_clause, open_clause, past_due_clause
from .withdrawn import not_withdrawn
from ..text import fold, like_pattern

TASK_SORTS = tuple(TASK_ORDERS)
# Folded queries this long or longer go to the trigram index.
TRIGRAM_MIN = 3


@dataclass(frozen=True)
class TaskRow(Deadline):
    id: int
    criteria: str  # "3.2, 3.3"
    title: str
    owner: str | None
    due: dt.date | None
    status: str
    progress: int
    points_at_stake: float
    # The issuer code of the assignment that brought it (None: the unit's own task),
    # and when a later assignment of that issuer no longer held it (withdrawn).
    assigned_by: str | None = None
    withdrawn_at: dt.datetime | None = None
    # A task of a review database that the supervisor withdrew (store.overdue):
    # the row's withdrawn_at cannot say it.
    listed_withdrawn: bool = False

    @property
    def is_duty(self) -> bool:
        """A reporting duty: a task with a deadline that remedies no criterion."""
        return not self.criteria


@dataclass(frozen=True)
class TaskFilter:
    """What the task list shows. Empty fields do not filter.

    status: a status code or "open" (todo or in progress). overdue and due_within
    select open tasks past their deadline / due in the next N days (both: either).
    criterion: tasks working on this code: citing it, one below it (a domain "3"
    takes 3.x.x) or one above it.
    owner_key: folded owner name ("" = tasks with no owner).
    withdrawn: a unit of a review, the ids of its tasks the supervisor withdrew
    (store.assign.overview.withdrawn_task_ids): not open, their rows marked so.
    """

    status: str | None = None
    overdue: bool = False
    due_within: int | None = None
    criterion: str | None = None
    owner_key: str | None = None
    search: str = ""
    sort: str = "deadline"
    withdrawn: frozenset[int] = frozenset()


def _phrase(folded: str) -> str:
    return '"' + folded.replace('"', '""') + '"'


def search_condition(query: str, *, trigram: bool) -> ColumnElement[bool]:
    """Tasks whose folded text contains the folded query: looked up in the trigram
    index (trigram=True), or checked with LIKE row by row."""
    folded = fold(query)
    if not folded:
        return None
    if trigram and len(folded) >= TRIGRAM_MIN:
        matches = (select(literal_column("rowid"))
                   .select_from(text(TASK_SEARCH_TABLE))
                   .where(text(f"{TASK_SEARCH_TABLE} MATCH :phrase")
                          .bindparams(phrase=_phrase(folded))))
        return Task.id.in_(matches)
    return Task.search_key.like(like_pattern(query), escape="\\")


def ancestors(code: str) -> list[str]:
    """'3.2.1' -> ['3.2', '3']."""
    found = []
    parent = parent_code(code)
    while parent is not None:
        found.append(parent)
        parent = parent_code(parent)
    return found


def _cites(code: str):  # noqa: ANN202
    """The task works on `code`: it cites it, a criterion below it or one above it
    (the same rule as CriterionRow.tasks)."""
    return (select(TaskCriterion.task_id)
            .join(Criterion, Criterion.id == TaskCriterion.criterion_id)
            .where(TaskCriterion.task_id == Task.id,
                   or_(Criterion.code.in_([code, *ancestors(code)]),
                       Criterion.code.like(f"{code}.%")))
            .exists())


def task_conditions(assessment_id: int, flt: TaskFilter, today: dt.date, *,
                    trigram: bool = True) -> list:
    conditions = [Task.assessment_id == assessment_id]
    is_open = open_clause(Task.status, Task.withdrawn_at, not_withdrawn(Task.id, flt.withdrawn))
    if flt.status == "open":
        conditions.append(is_open)
    elif flt.status:
        conditions.append(Task.status == flt.status)
    # Open, and overdue or due soon: store.overdue's rules, "open" said once.
    deadline = []
    if flt.overdue:
        deadline.append(past_due_clause(Task.due, today))
    if flt.due_within is not None:
        deadline.append(due_between_clause(Task.due, today, flt.due_within))
    if deadline:
        conditions.append(is_open)
        conditions.append(or_(*deadline))
    if flt.criterion:
        conditions.append(_cites(flt.criterion))
    if flt.owner_key is not None:
        conditions.append(Task.owner_key == flt.owner_key)
    search = search_condition(flt.search, trigram=trigram)
    if search is not None:
        conditions.append(search)
    return conditions


@dataclass(frozen=True)
class TaskList:
    """A filtered task list: how many rows, and how to read its pages quickly."""

    assessment_id: int
    filter: TaskFilter
    today: dt.date
    count: int | None  # None: not counted yet (count_tasks counts it)
    trigram: bool  # page through the trigram index rather than walking the order index


# A search matching fewer tasks than this (in the whole file) is counted through
# the trigram index; more, and a LIKE pass over the tasks is cheaper.
TRIGRAM_COUNT_LIMIT = 2000


def open_task_list(session: Session, assessment_id: int, flt: TaskFilter,
                   today: dt.date, *, total: int | None = None,
                   count_many: bool = True) -> TaskList:
    """Count the tasks the filter selects and choose the plan for its pages.

    Search as you type must repaint within 50 ms at 100,000 tasks. Few matches:
    the trigram index finds them in a few ms. Many matches: LIKE counts them in
    ~25 ms (or later, see count_many), and a page walks the list's order index, which
    fills after a few rows because matches are dense. `total` (the assessment's
    task count, if the caller knows it) saves one count. count_many=False leaves
    the count of a search with many matches to count_tasks(), so that the first
    page can be shown before it (a keystroke then costs a page, not a count)."""
    folded = fold(flt.search)
    if not folded:
        count = _count(session, task_conditions(assessment_id, flt, today))
        return TaskList(assessment_id, flt, today, count, trigram=False)
    few = few_trigram_matches(session, folded)
    if not few and not count_many:
        return TaskList(assessment_id, flt, today, None, trigram=False)
    count = _count(session, task_conditions(assessment_id, flt, today, trigram=few))
    if not count:
        return TaskList(assessment_id, flt, today, 0, trigram=few)
    if total is None:
        total = _count(session, [Task.assessment_id == assessment_id])
    dense = count * 20 >= total
    return TaskList(assessment_id, flt, today, count,
                    trigram=len(folded) >= TRIGRAM_MIN and not dense)


def few_trigram_matches(session: Session, folded: str) -> bool:
    """The folded search is long enough for the trigram index, and fewer than
    TRIGRAM_COUNT_LIMIT tasks in the whole file match it (also used by the
    supervisor's all-units list, store.review.tasks)."""
    return len(folded) >= TRIGRAM_MIN and session.execute(text(
        f"SELECT count(*) FROM (SELECT rowid FROM {TASK_SEARCH_TABLE} "
        f"WHERE {TASK_SEARCH_TABLE} MATCH :phrase LIMIT :limit)"),
        {"phrase": _phrase(folded), "limit": TRIGRAM_COUNT_LIMIT},
    ).scalar_one() < TRIGRAM_COUNT_LIMIT


def _count(session: Session, conditions: list) -> int:
    return session.execute(select(func.count()).select_from(Task)
                           .where(*conditions)).scalar_one()


def count_tasks(session: Session, task_list: TaskList) -> int:
    """The exact number of rows of a task list opened with count_many=False."""
    if task_list.count is not None:
        return task_list.count
    return _count(session, task_conditions(task_list.assessment_id, task_list.filter,
                                           task_list.today, trigram=False))


# The columns of a TaskRow, in the order rows_with_criteria() reads them.
ROW_COLUMNS = (Task.id, Task.title, Task.owner, Task.due, Task.status, Task.progress,
               Task.points_at_stake, Task.assigned_by, Task.withdrawn_at)


def _order(sort: str) -> list:
    parts = TASK_ORDERS.get(sort, TASK_ORDERS["deadline"])
    return [text(part) for part in parts] + [Task.id]


def task_page(session: Session, task_list: TaskList, offset: int, limit: int) -> list[TaskRow]:
    flt = task_list.filter
    statement = (select(*ROW_COLUMNS)
                 .where(*task_conditions(task_list.assessment_id, flt, task_list.today,
                                         trigram=task_list.trigram))
                 .order_by(*_order(flt.sort)).limit(limit).offset(offset))
    return rows_with_criteria(session, session.execute(statement).all(), flt.withdrawn)


def rows_with_criteria(session: Session, rows: Sequence,
                       withdrawn: Collection[int] = ()) -> list[TaskRow]:
    """TaskRows of rows selected as ROW_COLUMNS, with the codes each task cites;
    withdrawn: ids of tasks the supervisor withdrew that the rows do not mark."""
    codes = criteria_codes(session, [r[0] for r in rows])
    return [TaskRow(id=r[0], criteria=", ".join(codes.get(r[0], ())), title=r[1], owner=r[2],
                    due=r[3], status=r[4], progress=r[5], points_at_stake=r[6],
                    assigned_by=r[7], withdrawn_at=r[8], listed_withdrawn=r[0] in withdrawn)
            for r in rows]


def criteria_codes(session: Session, task_ids: Sequence[int]) -> dict[int, list[str]]:
    """The codes each task cites, in code order."""
    if not task_ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    for task_id, code in session.execute(
            select(TaskCriterion.task_id, Criterion.code)
            .join(Criterion, Criterion.id == TaskCriterion.criterion_id)
            .where(TaskCriterion.task_id.in_(task_ids))):
        found[task_id].append(code)
    return {task_id: sorted(codes, key=code_sort_key) for task_id, codes in found.items()}


def task_owners(session: Session, assessment_id: int) -> list[tuple[str, str]]:
    """(name as written, folded key) of the officials who own tasks, by name."""
    rows = session.execute(select(Task.owner_key, func.min(Task.owner))
                           .where(Task.assessment_id == assessment_id, Task.owner_key != "")
                           .group_by(Task.owner_key).order_by(Task.owner_key)).all()
    return [(name, key) for key, name in rows]
