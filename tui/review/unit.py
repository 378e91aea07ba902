"""One unit of the review database, read-only: the commune's own workspace screen
(tasks, criteria, deadlines, task detail) on a read-only Workspace, plus two tabs
of the review's own: the bundles received from the unit and what changed since
the bundle before, and a line with the unit's bundle and its warnings."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from tui.i18n import _
from tui.review.sources import bundle_columns, bundle_rows, change_columns, change_rows
from tui.screens.pane_messages import BundleChosen, BundleSetAsideAsked
from tui.screens.section_pane import PaneContext, SectionPane
from tui.screens.workspace import WorkspaceScreen
from tui.widgets.virtual_table import ListSource, VirtualTable
from tui.words import format as fmt
from tui.words import review as words
from tui.words.plain import plain

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from store.db import Database
    from store.review.bundles import ReceivedBundleRow
    from store.review.changes import BundleChanges
    from store.read.units import UnitSummary
    from store.review.overview import UnitOverviewRow


def review_line(row: "UnitOverviewRow") -> str:
    """The unit's current bundle, its key and its warnings, under the workspace's
    summary."""
    parts = []
    if row.last_sequence is not None:
        parts.append(_("bundle {n} sent {date} ({ago})").format(
            n=row.last_sequence, date=fmt.date(row.last_bundle_on),
            ago=words.days_ago(row.days_since_bundle)))
        if not row.current_signed:
            parts.append(_("unsigned"))
    if row.key_fingerprint is not None:
        parts.append(words.key_line(row))
    warnings = words.unit_warnings(row)
    if warnings:
        parts.append("⚠ " + " ".join(warnings))
    return " · ".join(parts)


class BundlesPane(SectionPane):
    """The bundles received from the unit, newest first; Enter shows what changed, x
    asks to set the highlighted one aside (BundleSetAsideAsked)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "set_aside", _("Set aside"), id="review.unit.set-aside"),
    ]

    def __init__(self, context: PaneContext | None, unit_code: str, *,
                 id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.unit_code = unit_code
        self.bundles: list[ReceivedBundleRow] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(bundle_columns(), id="unit-bundles")

    def load(self, context: PaneContext, first: bool) -> None:
        self._read_bundles(context)

    @work(thread=True, exclusive=True, group="unit-bundles")
    def _read_bundles(self, context: PaneContext) -> None:
        from store.review.bundles import received_bundles

        with context.workspace.db.read() as session:
            bundles = received_bundles(session, self.unit_code)
        self.app.call_from_thread(self._show, bundles)

    def _show(self, bundles: list[ReceivedBundleRow]) -> None:
        self.bundles = bundles
        self.table.set_source(ListSource(bundle_rows(bundles)), cursor=self.table.cursor_row)
        self.refresh_bindings()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if isinstance(event.key, int):
            self.post_message(BundleChosen(event.key))

    def on_virtual_table_row_highlighted(self) -> None:
        self.refresh_bindings()  # set aside: only a bundle not set aside yet

    @property
    def highlighted(self) -> "ReceivedBundleRow | None":
        if not self.bundles:
            return None
        return self.bundles[min(self.table.cursor_row, len(self.bundles) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_aside":
            bundle = self.highlighted
            return bundle is not None and bundle.set_aside_at is None
        return True

    def action_set_aside(self) -> None:
        bundle = self.highlighted
        if self.app.read_only:  # type: ignore[attr-defined]
            from tui.words.errors import refused_in_read_only

            self.notify(refused_in_read_only("database"), severity="warning", timeout=8)
            return
        if bundle is not None and bundle.set_aside_at is None:
            self.post_message(BundleSetAsideAsked(bundle))


class ChangesPane(SectionPane):
    """What changed in the tasks from the bundle before to the chosen one (at first
    the newest); the highlighted change in full below."""

    def __init__(self, context: PaneContext | None, unit_code: str, *,
                 id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.unit_code = unit_code
        self.record_id: int | None = None  # the bundle whose changes are shown; None: newest
        self.changes: BundleChanges | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="changes-heading")
        yield VirtualTable(change_columns(), empty_text=_("Nothing changed in the tasks."),
                           id="unit-changes")
        yield Static("", id="change-detail")

    def choose(self, record_id: int) -> None:
        """Show the changes of this bundle when next shown."""
        self.record_id = record_id
        self.invalidate()

    def load(self, context: PaneContext, first: bool) -> None:
        self._read_changes(context, self.record_id)

    @work(thread=True, exclusive=True, group="unit-changes")
    def _read_changes(self, context: PaneContext, record_id: int | None) -> None:
        from store.review.bundles import received_bundles
        from store.review.changes import bundle_changes

        with context.workspace.db.read() as session:
            received = len(received_bundles(session, self.unit_code))
            changes = bundle_changes(session, self.unit_code, record_id)
        self.app.call_from_thread(self._show, changes, received)

    def _show(self, changes: BundleChanges | None, received: int) -> None:
        self.changes = changes
        self.query_one("#changes-heading", Static).update(
            plain(words.changes_heading(changes, received)))
        self.query_one("#change-detail", Static).update("")
        self.table.set_source(ListSource(change_rows(changes.tasks if changes else ())))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        """The highlighted change in full, evidence titles included."""
        event.stop()
        if self.changes is not None:
            change = self.changes.tasks[event.index]
            self.query_one("#change-detail", Static).update(
                plain(words.change_in_full(change), lines=True))


class UnitScreen(WorkspaceScreen):
    SHOW_TODAY = False  # the supervisor chases units, not a commune's officials
    SHOW_REMOVED = False  # a bundle carries no removals
    SUMMARY_KEEPS_UNIT = True  # "Phường 2" is in many towns: its code stays in sight
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="review.unit.back"),
        Binding("b", "section('bundles')", _("Bundles"), id="review.unit.bundles"),
        Binding("c", "section('changes')", _("Changes"), id="review.unit.changes"),
        Binding("4", "section('bundles')", _("Bundles received"), show=False,
                id="review.unit.bundles-tab"),
        Binding("5", "section('changes')", _("Changes"), show=False,
                id="review.unit.changes-tab"),
    ]

    def __init__(self, row: "UnitOverviewRow", today: dt.date, db: "Database",
                 summarised: tuple[str, int] | None = None) -> None:
        """summarised: the (index, year) the overview summarises (None: each unit's
        newest), shown at first when the unit has it, as the overview's row counts."""
        from tui.services.workspace import Workspace

        super().__init__(Workspace(db=db, unit_id=row.unit_id, read_only=True,
                                   withdrawn_task_ids=row.withdrawn_task_ids),
                         read_only=True)
        self.row = row
        self.review_today = today
        self._summarised = summarised

    def wanted_assessment(self) -> int | None:
        """The newest of the unit's assessments of the overview's (index, year), the
        one its row summarises; the unit's newest when it has none of them."""
        wanted = super().wanted_assessment()
        if wanted is None and self._summarised is not None:
            wanted = next((row.id for row in self.assessments  # newest first
                           if (row.index_kind, row.year) == self._summarised), None)
        self._summarised = None
        return wanted

    async def on_mount(self) -> None:
        self.sub_title = self.row.name
        sections = self.query_one("#sections", TabbedContent)
        context = self.pane_context()
        await sections.add_pane(TabPane(_("4 Bundles received"), BundlesPane(
            context, self.row.code, id="bundles-pane"), id="bundles"))
        await sections.add_pane(TabPane(_("5 Changes"), ChangesPane(
            context, self.row.code, id="changes-pane"), id="changes"))

    def summary_lines(self, summary: UnitSummary | None, today: dt.date) -> list[str]:
        from tui.words.assign import assignment_line

        lines = [review_line(self.row)]
        if self.row.assignment is not None:
            lines.append(assignment_line(self.row.assignment))
        return [*super().summary_lines(summary, today), *(line for line in lines if line)]

    def on_bundle_chosen(self, message: BundleChosen) -> None:
        message.stop()
        self.query_one(ChangesPane).choose(message.record_id)
        self.action_section("changes")

    # -- setting aside a wrong acceptance --------------------------------------------------

    def on_bundle_set_aside_asked(self, message: BundleSetAsideAsked) -> None:
        from tui.screens.dialogs import ConfirmDialog

        message.stop()
        bundle = message.bundle

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_aside_bundle(bundle.bundle_id)  # type: ignore[attr-defined]

        self.app.push_screen(ConfirmDialog(words.set_aside_question(bundle, self.row.code),
                                           yes=_("Set aside")), answered)

    @work(thread=True, exclusive=True, group="review-set-aside")
    def set_aside_bundle(self, bundle_id: str) -> None:
        """The only write from this screen: its own writable connection (an event
        backup first), closed before the views read again."""
        from contextlib import closing

        from store.backup import backup_before_event
        from store.clock import today
        from store.review import (close_after_receiving, open_overview_connection,
                                  open_review_for_receiving)
        from store.review.overview import unit_overview
        from store.review.set_aside import SET_ASIDE, set_aside
        from tui.words.keys import set_aside_outcome

        context = self.app.context  # type: ignore[attr-defined]
        locations = context.locations
        path = self.app.review_db_path  # type: ignore[attr-defined]
        try:
            backup_before_event(path, locations.backups_dir, "set-aside",
                                keep_events=context.config.backup.keep_events)
            db = open_review_for_receiving(path, locations.backups_dir)
            try:
                result = set_aside(db, bundle_id, context.actor())
            finally:
                close_after_receiving(db)
            with closing(open_overview_connection(path)) as connection:
                rows = [r for r in unit_overview(connection, today()) if r.code == self.row.code]
        except Exception as error:  # shown in words, logged in full
            log.exception("setting a bundle aside failed")
            self.app.call_from_thread(self.notify, _(
                "The bundle could not be set aside: {reason}. Nothing was changed.").format(
                reason=error), severity="error", timeout=20)
            return
        self.app.call_from_thread(self._set_aside_done, result.outcome == SET_ASIDE,
                                  "\n".join(set_aside_outcome(result)), rows)

    def _set_aside_done(self, done: bool, message: str, rows: list) -> None:
        self.notify(message, severity="information" if done else "warning", timeout=20)
        if rows:  # the assignments are read apart from the overview's rows
            self.row = replace(rows[0], assignment=self.row.assignment)
            if self.workspace is not None:
                self.workspace.withdrawn_task_ids = self.row.withdrawn_task_ids
        self.refresh_data()  # the summary, and the bundles tab (on screen) read again
        self.app.load_overview()  # type: ignore[attr-defined]

    def open_task(self, task_id: int) -> None:
        """The task with the supervisor's notes on it (tui/review/task_notes.py)."""
        from tui.review.task_notes import ReviewTaskScreen

        if self.workspace is not None:
            self.app.push_screen(ReviewTaskScreen(self.workspace, task_id, self.row.code))

    def action_back(self) -> None:
        self.dismiss()
