"""One unit of the review database, read-only: the commune's own workspace screen
(tasks, criteria, deadlines, task detail) on a read-only Workspace, plus two tabs
of the review's own: the bundles received from the unit and what changed since
the bundle before, and a line with the unit's bundle and its warnings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from tui.i18n import _
from tui.review.sources import bundle_columns, bundle_rows, change_columns, change_rows
from tui.screens.section_pane import SectionPane
from tui.screens.workspace import WorkspaceScreen
from tui.widgets.virtual_table import ListSource, VirtualTable
from tui.words import format as fmt
from tui.words import review as words

if TYPE_CHECKING:
    from store.db import Database
    from store.review.bundles import ReceivedBundleRow
    from store.review.changes import BundleChanges
    from store.review.overview import UnitOverviewRow


def review_line(row: "UnitOverviewRow") -> str:
    """The unit's newest bundle and its warnings, under the workspace's summary."""
    parts = []
    if row.last_sequence is not None:
        parts.append(_("bundle {n} sent {date} ({ago})").format(
            n=row.last_sequence, date=fmt.date(row.last_bundle_on),
            ago=words.days_ago(row.days_since_bundle)))
    warnings = words.unit_warnings(row)
    if warnings:
        parts.append("⚠ " + " ".join(warnings))
    return " · ".join(parts)


class BundlesPane(SectionPane, Vertical):
    """The bundles received from the unit, newest first; Enter shows what changed."""

    def compose(self) -> ComposeResult:
        yield VirtualTable(bundle_columns(), id="unit-bundles")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#unit-bundles", VirtualTable)

    def load(self, screen, first: bool) -> None:  # noqa: ANN001 - UnitScreen
        screen.load_bundles()


class ChangesPane(SectionPane, Vertical):
    """What changed in the tasks from the bundle before to the chosen one."""

    def compose(self) -> ComposeResult:
        yield Static("", id="changes-heading")
        yield VirtualTable(change_columns(), empty_text=_("Nothing changed in the tasks."),
                           id="unit-changes")
        yield Static("", id="change-detail")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#unit-changes", VirtualTable)

    def load(self, screen, first: bool) -> None:  # noqa: ANN001 - UnitScreen
        screen.load_bundles(screen.record_id)


class UnitScreen(WorkspaceScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="review.unit.back"),
        Binding("b", "section('bundles')", _("Bundles"), id="review.unit.bundles"),
        Binding("c", "section('changes')", _("Changes"), id="review.unit.changes"),
        Binding("4", "section('bundles')", _("Bundles received"), show=False,
                id="review.unit.bundles-tab"),
        Binding("5", "section('changes')", _("Changes"), show=False,
                id="review.unit.changes-tab"),
    ]

    def __init__(self, row: "UnitOverviewRow", today: dt.date, db: "Database") -> None:
        from tui.services.workspace import Workspace

        super().__init__(Workspace(db=db, unit_id=row.unit_id, read_only=True),
                         read_only=True)
        self.row = row
        self.review_today = today
        self.record_id: int | None = None  # the bundle whose changes are shown
        self.bundles: list[ReceivedBundleRow] = []
        self.changes: BundleChanges | None = None

    async def on_mount(self) -> None:
        self.sub_title = self.row.name
        sections = self.query_one("#sections", TabbedContent)
        await sections.add_pane(TabPane(_("4 Bundles received"), BundlesPane(
            id="bundles-pane", classes="section-pane"), id="bundles"))
        await sections.add_pane(TabPane(_("5 Changes"), ChangesPane(
            id="changes-pane", classes="section-pane"), id="changes"))

    def refresh_data(self, first: bool = False) -> None:
        super().refresh_data(first)
        summary = self.query_one("#summary", Static)
        line = review_line(self.row)
        if line:
            summary.update(f"{summary.content}\n{line}")

    @work(thread=True, exclusive=True, group="unit")
    def load_bundles(self, record_id: int | None = None) -> None:
        from store.review.bundles import received_bundles
        from store.review.changes import bundle_changes

        assert self.workspace is not None
        with self.workspace.db.read() as session:
            bundles = received_bundles(session, self.row.code)
            changes = bundle_changes(session, self.row.code, record_id)
        self.app.call_from_thread(self._show_bundles, bundles, changes)

    def _show_bundles(self, bundles: "list[ReceivedBundleRow]",
                      changes: "BundleChanges | None") -> None:
        self.bundles, self.changes = bundles, changes
        for table in self.query("#unit-bundles").results(VirtualTable):
            if table.source is None:
                table.set_source(ListSource(bundle_rows(bundles)))
        for heading in self.query("#changes-heading").results(Static):
            heading.update(words.changes_heading(changes, len(bundles)))
            self.query_one("#change-detail", Static).update("")
            self.query_one("#unit-changes", VirtualTable).set_source(
                ListSource(change_rows(changes.tasks if changes else ())))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        """The highlighted change in full, evidence titles included."""
        if event.table.id == "unit-changes" and self.changes is not None:
            change = self.changes.tasks[event.index]
            self.query_one("#change-detail", Static).update(words.change_in_full(change))

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter on a bundle shows what changed in it."""
        if event.table.id == "unit-bundles":
            event.stop()
            self.record_id = event.key  # type: ignore[assignment]
            self.load_bundles(self.record_id)
            self.action_section("changes")

    def action_back(self) -> None:
        self.dismiss()
