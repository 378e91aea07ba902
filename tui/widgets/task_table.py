"""Tasks as VirtualTable rows: columns, words and markers, and the row sources that
page them out of the database (the task list and the deadlines list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tui.i18n import _
from tui.widgets.virtual_table import Column, Row, VirtualTable
from tui.words import format as fmt, labels

if TYPE_CHECKING:
    from store.db import Database
    from store.queries import TaskList, TaskRow

OVERDUE_MARK = "⚠"
SOON_MARK = "!"
DONE_MARK = "✓"


def task_columns() -> list[Column]:
    """The task list's columns; narrow terminals drop owner, status and progress
    (the 'when' column then carries the status of closed tasks)."""
    return [
        Column("criteria", _("Criteria"), width=9),
        Column("title", _("Task"), fr=1, min_width=16),
        Column("owner", _("Owner"), width=18, min_table_width=130),
        Column("due", _("Deadline"), width=10),
        Column("days", _("Days left"), width=17),
        Column("status", _("Status"), width=14, min_table_width=130),
        Column("progress", _("Progress"), width=8, align="right", min_table_width=90),
        Column("points", _("Points"), width=6, align="right"),
    ]


def when_text(row: TaskRow, today: dt.date) -> str:
    """Days left or overdue, with a marker that reads without colour."""
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
    if row.overdue(today):
        return "danger"
    if row.due_soon(today):
        return "warning"
    if not row.is_open:
        return "muted"
    return None


def task_row(row: TaskRow, today: dt.date) -> Row:
    return Row(row.id, (
        row.criteria or "—",
        row.title,
        row.owner or "—",
        fmt.date(row.due),
        when_text(row, today),
        labels.status(row.status),
        fmt.percent(row.progress),
        fmt.points(row.points_at_stake) if row.points_at_stake else "—",
    ), tone=tone(row, today))


class TaskSource:
    """The filtered task list, read a page at a time (store.queries.task_page).

    A list opened without its count (a search with many matches) shows its first
    pages at once; `counted` is False until set_exact_count() gives the number."""

    def __init__(self, db: Database, task_list: TaskList) -> None:
        self.db = db
        self.task_list = task_list
        self._count = task_list.count
        self.counted = task_list.count is not None
        self._first_page: Sequence[Row] | None = None

    def count(self) -> int:
        if self._count is None:
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

    def rows(self, offset: int, limit: int) -> Sequence[Row]:
        from store.queries import task_page

        if offset == 0 and self._first_page is not None and len(self._first_page) >= limit:
            first, self._first_page = self._first_page, None
            return first[:limit]
        with self.db.read() as session:
            found = task_page(session, self.task_list, offset, limit)
        return [task_row(r, self.task_list.today) for r in found]


def group_title(group: str, today: dt.date) -> str:
    from store.queries import deadline_bounds

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
    under a heading row. Only the groups' counts are read up front; rows come a
    page at a time from the group they fall in."""

    def __init__(self, db: Database, assessment_id: int, today: dt.date,
                 counts: dict[str, int]) -> None:
        self.db = db
        self.assessment_id = assessment_id
        self.today = today
        # An empty group keeps its heading (the user sees that nothing is late),
        # except "no deadline", which only appears when it has tasks.
        self.groups = [(g, n) for g, n in counts.items() if n or g != "none"]

    def count(self) -> int:
        return sum(n + 1 for _g, n in self.groups)

    def rows(self, offset: int, limit: int) -> Sequence[Row]:
        from store.queries import deadline_page

        result: list[Row] = []
        start = 0  # index of the group's heading
        with self.db.read() as session:
            for group, n in self.groups:
                end = start + 1 + n
                low, high = max(offset, start), min(offset + limit, end)
                if low < high:
                    if low == start:
                        heading = Text(f"{group_title(group, self.today)} · {n}")
                        result.append(Row(("group", group), (heading,), tone="group",
                                          span=True))
                        low += 1
                    if high > low:
                        page = deadline_page(session, self.assessment_id, group, self.today,
                                             low - start - 1, high - low)
                        result.extend(self._row(r) for r in page)
                start = end
                if start >= offset + limit:
                    break
        return result

    def _row(self, row: TaskRow) -> Row:
        kind = _("Report") if row.is_duty else _("Task")
        return Row(row.id, (kind, row.title, row.owner or "—", fmt.date(row.due),
                            when_text(row, self.today), row.criteria or "—"),
                   tone=tone(row, self.today))


class TaskTable(VirtualTable):
    """A list of tasks: Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("Open"), id="tasks.open"),
    ]
