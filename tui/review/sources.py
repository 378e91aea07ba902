"""Row sources for the review tables: store rows in, table rows (words) out.

Cells are formatted only for the rows a table asks for, so a 3,321-unit overview
or a 150,000-task list costs one page of formatting per screenful.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.i18n import _
from tui.widgets.virtual_table import Cell, Column, Row
from tui.words import format as fmt, labels
from tui.words import review as words
from tui.words.plain import plain

if TYPE_CHECKING:
    from sqlmodel import Session

    from store.review.bundles import ReceivedBundleRow
    from store.review.changes import TaskChange
    from store.review.overview import UnitOverviewRow
    from store.review.tasks import TaskPlan, TaskQuery, UnitTaskRow


def overview_columns(assignments: bool = False) -> list[Column]:
    """Keys are the store's sort columns (store.review.overview.SORT_COLUMNS).
    Headings leave a cell for the sort arrow; at 100 columns the unit name gets ~19.
    assignments: the review issued assignments, so their columns are shown (the held
    one at every width, the others from 110 and 130 columns)."""
    return [*_unit_columns(), *(_assignment_columns() if assignments else [])]


def _assignment_columns() -> list[Column]:
    return [
        Column("assigned", _("Assigned"), width=14, min_table_width=110),
        Column("held", _("Held"), width=8, align="right"),
        Column("missing_tasks", _("Missing"), width=7, align="right", min_table_width=110),
        Column("withdrawn_tasks", _("Withdrawn"), width=8, align="right",
               min_table_width=130),
    ]


def _unit_columns() -> list[Column]:
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


def _assignment_cells(row: "UnitOverviewRow") -> tuple[Cell, ...]:
    from tui.words.assign import held_cell, sent_cell

    state = row.assignment
    if state is None:
        return ("", "", "", "")
    return (sent_cell(state),
            plain(held_cell(state), style="" if state.up_to_date else "bold"),
            fmt.number(len(state.missing_tasks)) if state.missing_tasks else "",
            fmt.number(len(state.withdrawn_tasks)) if state.withdrawn_tasks else "")


def _overview_row(row: "UnitOverviewRow", assignments: bool) -> Row:
    warnings = ", ".join(words.warning_word(code) for code in row.warnings)
    overdue = plain(fmt.number(row.tasks_overdue), style="bold" if row.tasks_overdue else "")
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
        *(_assignment_cells(row) if assignments else ()),
    ), tone="warning" if row.warnings else None)


class OverviewSource:
    """The selected units (already in memory), formatted a page at a time;
    assignments: with the assignment columns (overview_columns(assignments=True))."""

    def __init__(self, rows: Sequence["UnitOverviewRow"], assignments: bool = False) -> None:
        self._rows = rows
        self._assignments = assignments

    def count(self) -> int:
        return len(self._rows)

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [_overview_row(row, self._assignments)
                for row in self._rows[offset:offset + limit]]


class ReviewTasks:
    """Every task matching a query across the review's units (store.review.tasks),
    as pages for tui.widgets.task_rows.TaskSource: planned once, when counted."""

    def __init__(self, query: "TaskQuery", today: dt.date) -> None:
        self.query = query
        self.today = today
        self._plan: "TaskPlan | None" = None

    def plan(self, session: "Session") -> "TaskPlan":
        from store.review.tasks import plan_tasks

        if self._plan is None:
            self._plan = plan_tasks(session, self.query, self.today)
        return self._plan

    def count(self, session: "Session") -> int:
        return self.plan(session).count

    def page(self, session: "Session", offset: int, limit: int) -> "list[UnitTaskRow]":
        from store.review.tasks import task_page

        return task_page(session, self.query, self.today, offset=offset, limit=limit,
                         plan=self.plan(session))


def unit_label(task: "UnitTaskRow") -> str:
    """The unit column of the all-units task list."""
    return f"{task.unit_code} {task.unit_name}"


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
