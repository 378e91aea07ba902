"""Tasks as VirtualTable rows: columns, words and markers, and the row sources that
page them out of the database (the commune's task list, the review's list of every
unit's tasks, the deadlines list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar


from tui.words import format as fmt, labels
from tui.i18n import _
from tui.widgets.virtual_table import Column, Row, VirtualTable
from tui.words.plain import plain

if TYPE_CHECKING:
    from sqlmodel import Session

    from store.db import Database
    from store.read.tasks import TaskFilter, TaskList, TaskRow

TaskT = TypeVar("TaskT", bound="TaskRow")

OVERDUE_MARK = "⚠"
# Before a task's title: one of its evidence files is missing or changed.
FILE_PROBLEM_MARK = "⊘"
SOON_MARK = "!"
DONE_MARK = "✓"
# Before the title of a task an assignment brought (the supervisor's), and in the
# "when" column of one a later assignment withdrew: marks that read without colour.
ASSIGNED_MARK = "»"
WITHDRAWN_MARK = "⊘"


def task_columns(*, with_unit: bool = False) -> list[Column]:
    """A task list's columns; narrow terminals drop owner, status and progress
    (the 'when' column then carries the status of closed tasks). with_unit: the
    unit comes first and takes a third of the title's room (the review's list)."""
    columns = [
        Column("criteria", _("Criteria"), width=9),
        Column("title", _("Task"), fr=2 if with_unit else 1, min_width=16),
        Column("owner", _("Owner"), width=18, min_table_width=130),
        Column("due", _("Deadline"), width=10),
        Column("days", _("Days left"), width=17),
        Column("status", _("Status"), width=14, min_table_width=130),
        Column("progress", _("Progress"), width=8, align="right", min_table_width=90),
        Column("points", _("Points"), width=6, align="right"),
    ]
    if with_unit:
        columns.insert(0, Column("unit", _("Unit"), fr=1, min_width=12))
    return columns


def sort_name(sort: str) -> str:
    """A task list's order in words (the commune's and the review's sort keys)."""
    return {"deadline": _("deadline"), "due": _("deadline"), "points": _("points at stake"),
            "status": _("status"), "owner": _("owner"), "unit": _("unit"),
            "updated": _("last update")}.get(sort, sort)


def when_text(row: TaskRow, today: dt.date) -> str:
    """Days left or overdue, with a marker that reads without colour; a task the
    supervisor withdrew says so first (its deadline no longer binds)."""
    if row.withdrawn:
        return f"{WITHDRAWN_MARK} {_('withdrawn')}"
    if row.status == "done":
        return f"{DONE_MARK} {labels.status('done')}"
    if row.status == "cancelled":
        return f"– {labels.status('cancelled')}"
    if row.due is None:
        return _("no deadline")
    words = fmt.days_left(row.due, today)
    if row.overdue(today):
        return f"{OVERDUE_MARK} {words}"
    if row.due_soon(today):
        return f"{SOON_MARK} {words}"
    return words


def tone(row: TaskRow, today: dt.date) -> str | None:
    if row.withdrawn:
        return "muted"
    if row.overdue(today):
        return "danger"
    if row.due_soon(today):
        return "warning"
    if not row.is_open:
        return "muted"
    return None


def title_cell(row: TaskRow) -> str:
    """The task's title, marked when the supervisor's assignment brought it."""
    return f"{ASSIGNED_MARK} {row.title}" if row.assigned_by else row.title


def task_row(row: TaskRow, today: dt.date, unit: str | None = None) -> Row:
    """One task's cells; `unit` (the unit's code and name) goes first when given."""
    cells = (
        row.criteria or "—",
        title_cell(row),
        row.owner or "—",
        fmt.date(row.due),
        when_text(row, today),
        labels.status(row.status),
        fmt.percent(row.progress),
        fmt.points(row.points_at_stake) if row.points_at_stake else "—",
    )
    return Row(row.id, cells if unit is None else (unit, *cells), tone=tone(row, today))


class TaskPages(Protocol[TaskT]):
    """How one list of tasks is counted and read: a store query, in a session."""

    def count(self, session: Session) -> int | None:
        """How many tasks; None when counting now would delay the first page."""
        ...

    def page(self, session: Session, offset: int, limit: int) -> Sequence[TaskT]: ...


class TaskSource(Generic[TaskT]):
    """A list of tasks as table rows, read from the database a page at a time and
    worded only for the pages a table asks for: the commune's task list and the
    review's list of every unit's tasks. `unit_label` adds the unit column.

    The count and every page are read here, when the table asks, not in the key
    handler that made the source. A list opened without its count (a search with
    many matches) shows its first pages at once; `counted` is False until
    set_exact_count() gives the number."""

    def __init__(self, db: Database, pages: TaskPages[TaskT], today: dt.date, *,
                 unit_label: Callable[[TaskT], str] | None = None,
                 file_problems: Collection[int] = ()) -> None:
        self.db = db
        self.file_problems = file_problems  # ids of tasks shown with FILE_PROBLEM_MARK
        self.pages = pages
        self.today = today
        self.unit_label = unit_label
        self._count: int | None = None
        self.counted = False
        self._first_page: Sequence[Row] | None = None
        # The tasks read so far, by id: what a screen needs of the highlighted one.
        self.read: dict[int, TaskT] = {}

    def count(self) -> int:
        if self._count is None:
            with self.db.read() as session:
                known = self.pages.count(session)
            if known is not None:
                self._count, self.counted = known, True
                return known
            first = self.rows(0, VirtualTable.PAGE_SIZE)
            self._first_page = first  # the table asks for it next
            if len(first) < VirtualTable.PAGE_SIZE:
                self._count, self.counted = len(first), True
            else:
                # Enough to scroll through the first pages until the count arrives.
                self._count = 2 * VirtualTable.PAGE_SIZE
        return self._count

    def set_exact_count(self, count: int) -> None:
        self._count, self.counted = count, True

    def preload(self, session: Session) -> None:
        """Count and read the first page now, in `session` (a worker's), so that
        showing the source reads nothing more on the UI thread."""
        count = self.pages.count(session)
        found = self.pages.page(session, 0, VirtualTable.PAGE_SIZE)
        self.read.update((task.id, task) for task in found)
        unit_label = self.unit_label
        self._first_page = [task_row(task, self.today, unit_label(task) if unit_label else None)
                            for task in found]
        if count is None and len(found) < VirtualTable.PAGE_SIZE:
            count = len(found)
        if count is None:
            self._count = 2 * VirtualTable.PAGE_SIZE
        else:
            self._count, self.counted = count, True

    def rows(self, offset: int, limit: int) -> Sequence[Row]:
        if offset == 0 and self._first_page is not None and len(self._first_page) >= limit:
            first, self._first_page = self._first_page, None
            return first[:limit]
        with self.db.read() as session:
            found = self.pages.page(session, offset, limit)
        self.read.update((task.id, task) for task in found)
        unit_label = self.unit_label
        rows = [task_row(task, self.today, unit_label(task) if unit_label else None)
                for task in found]
        if self.file_problems:
            title = 2 if unit_label else 1
            rows = [Row(row.key, (*row.cells[:title], f"{FILE_PROBLEM_MARK} {row.cells[title]}",
                                  *row.cells[title + 1:]), tone=row.tone)
                    if row.key in self.file_problems else row for row in rows]
        return rows


class AssessmentTasks:
    """The commune's task list for one filter (store.read.tasks): planned when first
    counted. `total`, the assessment's task count, saves a count per keystroke; the
    pane keeps it from one source to the next."""

    def __init__(self, assessment_id: int, flt: TaskFilter, today: dt.date, *,
                 total: int | None = None) -> None:
        self.assessment_id = assessment_id
        self.filter = flt
        self.today = today
        self.total = total
        self._task_list: TaskList | None = None

    def task_list(self, session: Session) -> TaskList:
        from store.read.tasks import TaskFilter, open_task_list

        if self._task_list is None:
            if self.total is None:
                self.total = open_task_list(session, self.assessment_id, TaskFilter(),
                                            self.today).count
            self._task_list = open_task_list(session, self.assessment_id, self.filter,
                                             self.today, total=self.total, count_many=False)
        return self._task_list

    def count(self, session: Session) -> int | None:
        return self.task_list(session).count

    def exact_count(self, session: Session) -> int:
        from store.read.tasks import count_tasks

        return count_tasks(session, self.task_list(session))

    def page(self, session: Session, offset: int, limit: int) -> Sequence[TaskRow]:
        from store.read.tasks import task_page

        return task_page(session, self.task_list(session), offset, limit)


def group_title(group: str, today: dt.date) -> str:
    from store.read.deadlines import deadline_bounds

    bounds = deadline_bounds(today)
    if group == "overdue":
        return _("Overdue")
    if group == "week":
        return _("This week (to {date})").format(date=fmt.date(bounds["week"][1]))
    if group == "month":
        return _("This month (to {date})").format(date=fmt.date(bounds["month"][1]))
    if group == "later":
        return _("Later")
    return _("No deadline")


def deadline_columns() -> list[Column]:
    return [
        Column("kind", _("Kind"), width=9),
        Column("title", _("Task"), fr=1, min_width=16),
        Column("owner", _("Owner"), width=18, min_table_width=110),
        Column("due", _("Deadline"), width=10),
        Column("days", _("Days left"), width=17),
        Column("criteria", _("Criteria"), width=9, min_table_width=90),
    ]


class DeadlineSource:
    """Open tasks and reporting duties grouped by when they are due, each group
    under a heading row. Only the groups' counts are read when the table first
    asks; rows come a page at a time from the group they fall in. No open task at
    all: no row, so the table says that nothing is waiting. withdrawn: a unit of a
    review, the ids of its tasks the supervisor withdrew (not open, so not listed)."""

    def __init__(self, db: Database, assessment_id: int, today: dt.date, *,
                 withdrawn: frozenset[int] = frozenset()) -> None:
        self.db = db
        self.assessment_id = assessment_id
        self.today = today
        self.withdrawn = withdrawn
        self._groups: list[tuple[str, int]] | None = None

    @property
    def groups(self) -> list[tuple[str, int]]:
        """(group, tasks in it) of the groups shown, in order."""
        if self._groups is None:
            from store.read.deadlines import deadline_counts

            with self.db.read() as session:
                counts = deadline_counts(session, self.assessment_id, self.today,
                                         self.withdrawn)
            # An empty group keeps its heading (the user sees that nothing is late),
            # except "no deadline", which only appears when it has tasks.
            self._groups = ([(g, n) for g, n in counts.items() if n or g != "none"]
                            if any(counts.values()) else [])
        return self._groups

    def count(self) -> int:
        return sum(n + 1 for _g, n in self.groups)

    def rows(self, offset: int, limit: int) -> Sequence[Row]:
        from store.read.deadlines import deadline_page

        result: list[Row] = []
        start = 0  # index of the group's heading
        groups = self.groups
        with self.db.read() as session:
            for group, n in groups:
                end = start + 1 + n
                low, high = max(offset, start), min(offset + limit, end)
                if low < high:
                    if low == start:
                        heading = plain(f"{group_title(group, self.today)} · {n}")
                        result.append(Row(("group", group), (heading,), tone="group",
                                          span=True))
                        low += 1
                    if high > low:
                        page = deadline_page(session, self.assessment_id, group, self.today,
                                             low - start - 1, high - low, self.withdrawn)
                        result.extend(self._row(r) for r in page)
                start = end
                if start >= offset + limit:
                    break
        return result

    def _row(self, row: TaskRow) -> Row:
        kind = _("Report") if row.is_duty else _("Task")
        return Row(row.id, (kind, title_cell(row), row.owner or "—", fmt.date(row.due),
                            when_text(row, self.today), row.criteria or "—"),
                   tone=tone(row, self.today))

