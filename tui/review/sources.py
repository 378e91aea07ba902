"""Row sources for the review tables: store rows in, table rows (words) out.

Cells are formatted only for the rows a table asks for, so a 3,321-unit overview
or a 150,000-task list costs one page of formatting per screenful.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from tui.i18n import _
from tui.widgets.virtual_table import Column, Row
from tui.words import format as fmt, labels
from tui.words import review as words

if TYPE_CHECKING:
    from store.db import Database
    from store.review.bundles import ReceivedBundleRow
    from store.review.changes import TaskChange
    from store.review.overview import UnitOverviewRow
    from store.review.tasks import TaskQuery, UnitTaskRow


def overview_columns() -> list[Column]:
    """Keys are the store's sort columns (store.review.overview.SORT_COLUMNS).
    Headings leave a cell for the sort arrow; at 100 columns the unit name gets ~19."""
    return [
        Column("code", _("Code"), width=6),
        Column("name", _("Unit"), fr=1, min_width=10),
        Column("level", _("Level"), width=9, min_table_width=140),
        Column("last_sequence", _("No."), width=4, align="right"),
        Column("last_bundle_on", _("Sent"), width=10, min_table_width=110),
        Column("days_since_bundle", _("Days ago"), width=7, align="right"),
        Column("score", _("Score"), width=5, align="right"),
        Column("rank", _("Rank"), width=7, align="right", min_table_width=120),
        Column("points_lost", _("Lost"), width=6, align="right"),
        Column("tasks_total", _("Tasks"), width=8, align="right", min_table_width=90),
        Column("tasks_done", _("Done"), width=5, align="right", min_table_width=130),
        Column("tasks_overdue", _("Late"), width=6, align="right"),
        Column("percent_done", _("%done"), width=5, align="right"),
        Column("next_due", _("Next due"), width=10, min_table_width=90),
        Column("warnings", _("Warnings"), width=11),
    ]


def _overview_row(row: "UnitOverviewRow") -> Row:
    warnings = ", ".join(words.warning_word(code) for code in row.warnings)
    overdue = Text(fmt.number(row.tasks_overdue), style="bold" if row.tasks_overdue else "")
    return Row(row.unit_id, (
        row.code, row.name, labels.level(row.level),
        "" if row.last_sequence is None else str(row.last_sequence),
        fmt.date(row.last_bundle_on), "" if row.days_since_bundle is None else
        fmt.number(row.days_since_bundle),
        fmt.points(row.score),
        f"{row.rank}/{row.rank_of}" if row.rank and row.rank_of else fmt.number(row.rank),
        fmt.points(row.points_lost), fmt.number(row.tasks_total), fmt.number(row.tasks_done),
        overdue, fmt.percent(row.percent_done), fmt.date(row.next_due),
        ("⚠ " + warnings) if warnings else "",
    ), tone="warning" if row.warnings else None)


class OverviewSource:
    """The selected units (already in memory), formatted a page at a time."""

    def __init__(self, rows: Sequence["UnitOverviewRow"]) -> None:
        self._rows = rows

    def count(self) -> int:
        return len(self._rows)

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [_overview_row(row) for row in self._rows[offset:offset + limit]]


def task_columns(with_unit: bool) -> list[Column]:
    columns = [
        Column("unit", _("Unit"), fr=1, min_width=12),
        Column("criteria", _("Criteria"), width=8),
        Column("title", _("Task"), fr=2, min_width=16),
        Column("owner", _("Owner"), width=14, min_table_width=110),
        Column("due", _("Deadline"), width=10),
        Column("days", _("Days"), width=13, min_table_width=120),
        Column("status", _("Status"), width=16, min_table_width=90),
        Column("progress", _("Progress"), width=7, align="right"),
        Column("points", _("Points"), width=6, align="right"),
    ]
    return columns if with_unit else columns[1:]


def _task_row(row: "UnitTaskRow", today: dt.date, with_unit: bool) -> Row:
    overdue = row.overdue(today)
    days = fmt.days_left(row.due, today) if row.status in ("todo", "in_progress") else ""
    status = ("⚠ " if overdue else "") + labels.status(row.status)
    cells = [f"{row.unit_code} {row.unit_name}", row.criteria, row.title, row.owner or "",
             fmt.date(row.due), days, status, fmt.percent(row.progress),
             fmt.points(row.points_at_stake)]
    tone = "danger" if overdue else ("muted" if row.status in ("done", "cancelled") else None)
    return Row(row.id, cells if with_unit else cells[1:], tone=tone)


class TaskSource:
    """Every task matching a query, read from the review database a page at a time.

    count() runs once per query (the table asks on set_source); rows() one short
    read each, on the UI thread: a page costs about a millisecond."""

    def __init__(self, db: "Database", query: "TaskQuery", today: dt.date, *,
                 with_unit: bool = True) -> None:
        self.db = db
        self.query = query
        self.today = today
        self.with_unit = with_unit
        self._plan = None  # store.review.tasks.TaskPlan, once counted
        # task id -> (unit id, "code name"), for the rows read so far
        self.unit_of: dict[int, tuple[int, str]] = {}

    def count(self) -> int:
        if self._plan is None:
            from store.review.tasks import plan_tasks

            with self.db.read() as session:
                self._plan = plan_tasks(session, self.query, self.today)
        return self._plan.count

    def rows(self, offset: int, limit: int) -> list[Row]:
        from store.review.tasks import task_page

        with self.db.read() as session:
            self.count()
            page = task_page(session, self.query, self.today, offset=offset, limit=limit,
                             plan=self._plan)
        self.unit_of.update((row.id, (row.unit_id, f"{row.unit_code} {row.unit_name}"))
                            for row in page)
        return [_task_row(row, self.today, self.with_unit) for row in page]


def bundle_columns() -> list[Column]:
    return [
        Column("sequence", _("No."), width=4, align="right"),
        Column("sent", _("Sent"), width=16),
        Column("received", _("Received"), width=16, min_table_width=90),
        Column("check", _("Check code"), width=14),
        Column("file", _("File"), fr=1, min_width=12),
        Column("warnings", _("Warnings"), fr=1, min_width=10),
    ]


def bundle_rows(bundles: Sequence["ReceivedBundleRow"]) -> list[Row]:
    from tui.words.bundle import check_code

    return [Row(b.id, (str(b.sequence), words.sent_on(b.created_at), fmt.instant(b.imported_at),
                       check_code(b.sha256), b.file_name, words.bundle_warnings(b)),
                tone="muted" if b.set_aside_at is not None else
                "warning" if b.missing_before or b.forked else None)
            for b in bundles]


def change_columns() -> list[Column]:
    return [
        Column("kind", _("Change"), width=9),
        Column("criteria", _("Criteria"), width=8),
        Column("title", _("Task"), fr=1, min_width=16),
        Column("what", _("What changed"), fr=2, min_width=16),
    ]


def change_rows(changes: Sequence["TaskChange"]) -> list[Row]:
    tones = {"new": "success", "removed": "muted"}
    return [Row(c.task_id, (words.change_kind(c.kind), ", ".join(c.criteria), c.title,
                            words.change_description(c)), tone=tones.get(c.kind))
            for c in changes]
