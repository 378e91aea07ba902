"""One unit, read-only: its summary and warnings, its tasks, the bundles received
from it, and what changed since the bundle before."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from tui import fmt, labels
from tui.i18n import _
from tui.review import words
from tui.review.sources import (TaskSource, bundle_columns, bundle_rows, change_columns,
                                change_rows, task_columns)
from tui.widgets.virtual_table import ListSource, VirtualTable

if TYPE_CHECKING:
    from store.review.bundles import ReceivedBundleRow
    from store.review.changes import BundleChanges
    from store.review.overview import UnitOverviewRow


def unit_summary_text(row: "UnitOverviewRow", today: dt.date) -> str:
    first = [f"{row.name} ({row.code})", labels.level(row.level)]
    if row.score is not None:
        score = f"{fmt.points(row.score)}/{fmt.points(row.max_points)}"
        if row.rank:
            score += " · " + _("rank {rank}/{of}").format(rank=row.rank, of=row.rank_of or "?")
        first.append(score)
    if row.points_lost is not None:
        first.append(_("{points} points lost").format(points=fmt.points(row.points_lost)))
    second = [_("{done}/{total} tasks done").format(done=row.tasks_done, total=row.tasks_total),
              _("{n} overdue").format(n=row.tasks_overdue)]
    if row.next_due:
        second.append(_("next deadline {date} ({days})").format(
            date=fmt.date(row.next_due), days=fmt.days_left(row.next_due, today)))
    third = []
    if row.last_sequence is not None:
        third.append(_("bundle {n} sent {date} ({ago})").format(
            n=row.last_sequence, date=fmt.date(row.last_bundle_on),
            ago=words.days_ago(row.days_since_bundle)))
    warnings = words.unit_warnings(row)
    if warnings:
        third.append("⚠ " + " ".join(warnings))
    return "\n".join(" · ".join(line) for line in (first, second, third) if line)


class UnitScreen(Screen[None]):
    AUTO_FOCUS = "#unit-task-list"
    BINDINGS = [
        Binding("escape", "back", _("Back"), id="review.unit.back"),
        Binding("t", "tasks", _("Search tasks"), id="review.unit.tasks"),
        Binding("b", "show_tab('bundles')", _("Bundles"), id="review.unit.bundles"),
        Binding("c", "show_tab('changes')", _("Changes"), id="review.unit.changes"),
        Binding("k", "show_tab('unit-tasks')", _("Tasks"), show=False,
                id="review.unit.task-list"),
    ]

    def __init__(self, row: "UnitOverviewRow", today: dt.date) -> None:
        super().__init__()
        self.row = row
        self.today = today
        self.bundles: list[ReceivedBundleRow] = []
        self.changes: BundleChanges | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(unit_summary_text(self.row, self.today), id="unit-summary")
        with TabbedContent(id="unit-tabs"):
            with TabPane(_("Tasks"), id="unit-tasks"):
                yield VirtualTable(task_columns(with_unit=False),
                                   empty_text=_("This unit has no tasks."), id="unit-task-list")
            with TabPane(_("Bundles received"), id="bundles"):
                yield VirtualTable(bundle_columns(), id="unit-bundles")
            with TabPane(_("Changes"), id="changes"):
                yield Static("", id="changes-heading")
                yield VirtualTable(change_columns(),
                                   empty_text=_("Nothing changed in the tasks."),
                                   id="unit-changes")
                yield Static("", id="change-detail")
        yield Footer()

    def on_mount(self) -> None:
        from store.review.tasks import TaskQuery

        self.sub_title = self.row.name
        db = self.app.review_db  # type: ignore[attr-defined]
        self.query_one("#unit-task-list", VirtualTable).set_source(TaskSource(
            db, TaskQuery(unit_id=self.row.unit_id, sort="due"), self.today, with_unit=False))
        self.query_one("#unit-bundles", VirtualTable).loading = True
        self.query_one("#unit-changes", VirtualTable).loading = True
        self.load_bundles()

    @work(thread=True, exclusive=True, group="unit")
    def load_bundles(self, record_id: int | None = None) -> None:
        from store.review.bundles import received_bundles
        from store.review.changes import bundle_changes

        db = self.app.review_db  # type: ignore[attr-defined]
        with db.read() as session:
            bundles = received_bundles(session, self.row.code)
            changes = bundle_changes(session, self.row.code, record_id)
        self.app.call_from_thread(self._show_bundles, bundles, changes)

    def _show_bundles(self, bundles: "list[ReceivedBundleRow]",
                      changes: "BundleChanges | None") -> None:
        self.bundles, self.changes = bundles, changes
        table = self.query_one("#unit-bundles", VirtualTable)
        table.loading = False
        if table.source is None:
            table.set_source(ListSource(bundle_rows(bundles)))
        self.query_one("#changes-heading", Static).update(words.changes_heading(changes, len(bundles)))
        table = self.query_one("#unit-changes", VirtualTable)
        table.loading = False
        self.query_one("#change-detail", Static).update("")
        table.set_source(ListSource(change_rows(changes.tasks if changes else ())))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        """The highlighted change in full, evidence titles included."""
        if event.table.id == "unit-changes" and self.changes is not None:
            change = self.changes.tasks[event.index]
            self.query_one("#change-detail", Static).update(words.change_in_full(change))

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter on a bundle shows what changed in it."""
        if event.table.id == "unit-bundles":
            self.query_one("#unit-changes", VirtualTable).loading = True
            self.load_bundles(event.key)  # type: ignore[arg-type]
            self.action_show_tab("changes")

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#unit-tabs", TabbedContent).active = tab
        table_id = {"unit-tasks": "#unit-task-list", "bundles": "#unit-bundles",
                    "changes": "#unit-changes"}[tab]
        self.query_one(table_id, VirtualTable).focus()

    def action_tasks(self) -> None:
        from tui.review.tasks import AllTasksScreen

        self.app.push_screen(AllTasksScreen(self.today, self.row.unit_id,
                                            f"{self.row.code} {self.row.name}"))

    def action_back(self) -> None:
        self.dismiss()
