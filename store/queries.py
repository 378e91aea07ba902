"""The read side: summaries and pages of plain rows for the UI (never ORM objects).

Task lists are read a page at a time (count + LIMIT/OFFSET) in one of the orders
of models.TASK_ORDERS, each backed by an index, so a list of 100,000 tasks costs
the same as a list of 20. Search uses the FTS5 trigram index for 3+ characters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal_column, or_, select, text
from sqlmodel import Session

from .derive import code_sort_key, parent_code, points_lost
from .models import (TASK_IS_CLOSED, TASK_ORDERS, TASK_SEARCH_TABLE, Assessment, Change,
                     Criterion, DocumentRef, Evidence, Task, TaskCriterion, Unit)
from .text import fold, like_pattern

OPEN_STATUSES = ("todo", "in_progress")
TASK_SORTS = tuple(TASK_ORDERS)
# Folded queries this long or longer go to the trigram index.
TRIGRAM_MIN = 3
SOON_DAYS = 7


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

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_duty(self) -> bool:
        """A reporting duty: a task with a deadline that remedies no criterion."""
        return not self.criteria

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.is_open

    def due_soon(self, today: dt.date, days: int = SOON_DAYS) -> bool:
        """Open and due from today to `days` days ahead."""
        return (self.due is not None and self.is_open
                and today <= self.due <= today + dt.timedelta(days=days))


@dataclass(frozen=True)
class TaskFilter:
    """What the task list shows. Empty fields do not filter.

    status: a status code or "open" (todo or in progress). overdue and due_within
    select open tasks past their deadline / due in the next N days (both: either).
    criterion: tasks working on this code: citing it, one below it (a domain "3"
    takes 3.x.x) or one above it.
    owner_key: folded owner name ("" = tasks with no owner).
    """

    status: str | None = None
    overdue: bool = False
    due_within: int | None = None
    criterion: str | None = None
    owner_key: str | None = None
    search: str = ""
    sort: str = "deadline"


def current_assessment(session: Session, unit_id: int) -> Assessment | None:
    return session.execute(select(Assessment).where(Assessment.unit_id == unit_id)
                           .order_by(Assessment.year.desc(), Assessment.id.desc())
                           ).scalars().first()


def first_unit(session: Session) -> Unit | None:
    return session.execute(select(Unit).order_by(Unit.id)).scalars().first()


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
        is_open = Task.status.in_(OPEN_STATUSES)
        total, done, overdue = session.execute(select(
            func.count(),
            func.coalesce(func.sum(case((Task.status == "done", 1), else_=0)), 0),
            func.coalesce(func.sum(case((is_open & (Task.due < today), 1), else_=0)), 0),
        ).where(Task.assessment_id == assessment.id)).one()
        next_due = session.execute(select(func.min(Task.due)).where(
            Task.assessment_id == assessment.id, is_open, Task.due >= today)).scalar()
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


# -- the task list ----------------------------------------------------------------

def _phrase(folded: str) -> str:
    return '"' + folded.replace('"', '""') + '"'


def search_condition(query: str, *, trigram: bool):  # noqa: ANN202 - SQL or None
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
    if flt.status == "open":
        conditions.append(Task.status.in_(OPEN_STATUSES))
    elif flt.status:
        conditions.append(Task.status == flt.status)
    deadline = []
    if flt.overdue:
        deadline.append(Task.due < today)
    if flt.due_within is not None:
        deadline.append(and_(Task.due >= today,
                             Task.due <= today + dt.timedelta(days=flt.due_within)))
    if deadline:
        conditions.append(Task.status.in_(OPEN_STATUSES))
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


_ROW_COLUMNS = (Task.id, Task.title, Task.owner, Task.due, Task.status, Task.progress,
                Task.points_at_stake)


def _order(sort: str) -> list:
    parts = TASK_ORDERS.get(sort, TASK_ORDERS["deadline"])
    return [text(part) for part in parts] + [Task.id]


def task_page(session: Session, task_list: TaskList, offset: int, limit: int) -> list[TaskRow]:
    flt = task_list.filter
    statement = (select(*_ROW_COLUMNS)
                 .where(*task_conditions(task_list.assessment_id, flt, task_list.today,
                                         trigram=task_list.trigram))
                 .order_by(*_order(flt.sort)).limit(limit).offset(offset))
    return _task_rows(session, session.execute(statement).all())


def _task_rows(session: Session, rows: Sequence) -> list[TaskRow]:
    codes = criteria_codes(session, [r[0] for r in rows])
    return [TaskRow(id=r[0], criteria=", ".join(codes.get(r[0], ())), title=r[1], owner=r[2],
                    due=r[3], status=r[4], progress=r[5], points_at_stake=r[6])
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


def task_rows(session: Session, unit_id: int, *, limit: int = 200,
              offset: int = 0) -> list[TaskRow]:
    """Tasks of the unit's current assessment, soonest deadline first."""
    assessment = current_assessment(session, unit_id)
    if assessment is None:
        return []
    task_list = open_task_list(session, assessment.id, TaskFilter(), dt.date.today())
    return task_page(session, task_list, offset, limit)


def task_owners(session: Session, assessment_id: int) -> list[tuple[str, str]]:
    """(name as written, folded key) of the officials who own tasks, by name."""
    rows = session.execute(select(Task.owner_key, func.min(Task.owner))
                           .where(Task.assessment_id == assessment_id, Task.owner_key != "")
                           .group_by(Task.owner_key).order_by(Task.owner_key)).all()
    return [(name, key) for key, name in rows]


def domains(session: Session, assessment_id: int) -> list[tuple[str, str]]:
    """(code, title) of the top-level criteria."""
    rows = session.execute(select(Criterion.code, Criterion.title)
                           .where(Criterion.assessment_id == assessment_id,
                                  Criterion.code.not_like("%.%"))
                           .order_by(Criterion.sort_key)).all()
    return [(code, title) for code, title in rows]


# -- deadlines --------------------------------------------------------------------

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


def _deadline_conditions(assessment_id: int, group: str, today: dt.date) -> list:
    conditions = [Task.assessment_id == assessment_id, Task.status.in_(OPEN_STATUSES)]
    if group == "none":
        return conditions + [Task.due.is_(None)]
    first, last = deadline_bounds(today)[group]
    if first is not None:
        conditions.append(Task.due >= first)
    if last is not None:
        conditions.append(Task.due <= last)
    return conditions + [Task.due.is_not(None)]


def deadline_counts(session: Session, assessment_id: int, today: dt.date) -> dict[str, int]:
    """How many open tasks fall in each deadline group."""
    bounds = deadline_bounds(today)
    group = case(
        (Task.due.is_(None), "none"),
        (Task.due < today, "overdue"),
        (Task.due <= bounds["week"][1], "week"),
        (Task.due <= bounds["month"][1], "month"),
        else_="later")
    rows = session.execute(select(group, func.count())
                           .where(Task.assessment_id == assessment_id,
                                  Task.status.in_(OPEN_STATUSES))
                           .group_by(group)).all()
    counts = dict.fromkeys(DEADLINE_GROUPS, 0)
    counts.update({name: count for name, count in rows})
    return counts


def deadline_page(session: Session, assessment_id: int, group: str, today: dt.date,
                  offset: int, limit: int) -> list[TaskRow]:
    statement = (select(*_ROW_COLUMNS)
                 .where(*_deadline_conditions(assessment_id, group, today))
                 .order_by(Task.due, Task.id).limit(limit).offset(offset))
    return _task_rows(session, session.execute(statement).all())


# -- criteria ---------------------------------------------------------------------

@dataclass(frozen=True)
class CitedCriterion:
    id: int
    code: str
    title: str
    max_points: float
    score: float | None
    finding: str | None

    @property
    def points_lost(self) -> float:
        return points_lost(self.max_points, self.score)


@dataclass(frozen=True)
class CriterionRow(CitedCriterion):
    depth: int  # 0 domain, 1 criterion, 2 sub-criterion...
    tasks: int  # tasks (not cancelled) citing it, a criterion above it or one below it
    has_children: bool

    @property
    def needs_task(self) -> bool:
        """Lost points, and no task works on it: the unit has not planned a fix."""
        return self.points_lost > 0 and self.tasks == 0


def criteria_rows(session: Session, assessment_id: int) -> list[CriterionRow]:
    """The assessment's criteria in tree order (3, 3.1, 3.1.1, 3.2 ...)."""
    criteria = session.execute(
        select(Criterion.id, Criterion.code, Criterion.title, Criterion.max_points,
               Criterion.score, Criterion.finding)
        .where(Criterion.assessment_id == assessment_id)
        .order_by(Criterion.sort_key)).all()
    cited = session.execute(
        select(Criterion.code, TaskCriterion.task_id)
        .join(TaskCriterion, TaskCriterion.criterion_id == Criterion.id)
        .join(Task, Task.id == TaskCriterion.task_id)
        .where(Criterion.assessment_id == assessment_id, Task.status != "cancelled")).all()
    # Whoever fixes 3.2 works on 3 and on 3.2.1 too: a task counts for the criterion
    # it cites, every criterion above it and every one below it.
    direct: dict[str, set[int]] = defaultdict(set)
    under: dict[str, set[int]] = defaultdict(set)
    for code, task_id in cited:
        direct[code].add(task_id)
        ancestor: str | None = code
        while ancestor is not None:
            under[ancestor].add(task_id)
            ancestor = parent_code(ancestor)
    parents = {parent_code(row.code) for row in criteria}
    rows = []
    for row in criteria:
        working = set(under.get(row.code, ()))
        ancestor = parent_code(row.code)
        while ancestor is not None:
            working |= direct.get(ancestor, set())
            ancestor = parent_code(ancestor)
        rows.append(CriterionRow(
            id=row.id, code=row.code, title=row.title, max_points=row.max_points,
            score=row.score, finding=row.finding, depth=row.code.count("."),
            tasks=len(working), has_children=row.code in parents))
    return rows


# -- one task ---------------------------------------------------------------------

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
class TaskDetail:
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

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.status in OPEN_STATUSES


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


# -- assessments ------------------------------------------------------------------

@dataclass(frozen=True)
class AssessmentRow:
    id: int
    title: str
    index_kind: str
    year: int
    issuer: str
    max_points: float
    score: float | None
    rank: int | None
    rank_of: int | None
    document_number: str | None
    document_date: dt.date | None
    document_title: str | None


def assessment_rows(session: Session, unit_id: int) -> list[AssessmentRow]:
    """The unit's assessments, newest first, each with its first document."""
    assessments = session.execute(select(Assessment).where(Assessment.unit_id == unit_id)
                                  .order_by(Assessment.year.desc(), Assessment.id.desc())
                                  ).scalars().all()
    rows = []
    for a in assessments:
        document = session.execute(select(DocumentRef).where(DocumentRef.assessment_id == a.id)
                                   .order_by(DocumentRef.position)).scalars().first()
        rows.append(AssessmentRow(
            id=a.id, title=a.title, index_kind=a.index_kind, year=a.year, issuer=a.issuer,
            max_points=a.max_points, score=a.score, rank=a.rank, rank_of=a.rank_of,
            document_number=document.number if document else None,
            document_date=document.date if document else None,
            document_title=document.title if document else None))
    return rows
