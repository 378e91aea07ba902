"""The supervisor's review app: opens the review database read-only (mode=ro) and
shows the overview; the unit, all-tasks and change views are pushed from there.

The first frame shows the screen and a loading indicator; SQLAlchemy is imported
and the database opened in a worker, as in the commune's app. What both apps
share (theme, keymap, F1, the palette, the crash guard) is in tui/app_base.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.binding import BindingType
from textual.worker import get_current_worker

from tui.app_base import AppBase, shared_bindings
from tui.context import AppContext
from tui.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from store.bundle.receive import ReceiveResult
    from store.db import Database
    from store.review.early import EarlyOverviewRead
    from store.review.overview import UnitOverviewRow
    from tui.review.overview import OverviewScreen

log = logging.getLogger(__name__)


def review_app(node: DOMNode) -> ReviewApp:
    """The running app as a ReviewApp, for the review's screens (Textual types
    node.app as a plain App)."""
    return cast("ReviewApp", node.app)


class ReviewApp(AppBase):
    # Absolute, so that a subclass in another folder (the benchmark's) finds them.
    CSS_PATH = [Path(__file__).parent.parent / "app.tcss", Path(__file__).parent / "review.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = shared_bindings()

    def __init__(self, context: AppContext, review_db_path: Path,
                 early_overview: EarlyOverviewRead | None = None, *,
                 check_key: bool = False) -> None:
        super().__init__(context)
        self.review_db_path = review_db_path
        # The supervisor's key, on record, is checked once the database is open (the
        # command left it to the window, to keep cryptography off the first frame).
        self.check_key = check_key
        # The overview's first queries, started by the command before Textual loaded.
        self.early_overview = early_overview
        self.review_db: Database | None = None
        self.overview: OverviewScreen | None = None
        # The (index, year) the overview summarises; None: each unit's newest.
        self.summarised: tuple[str, int] | None = None
        self.sub_title = _("Review of the units' bundles (read-only)")

    def open_databases(self) -> list[Database]:
        return [self.review_db] if self.review_db is not None else []

    def on_mount(self) -> None:
        from tui.review.overview import OverviewScreen

        self.overview = OverviewScreen()
        self.push_screen(self.overview)
        self.load_overview()

    @work(thread=True, exclusive=True, group="review-open")
    def open_review_database(self) -> None:
        """The checked, read-only Database (SQLAlchemy, the startup check) for the
        unit and task screens, opened once the overview is on screen (importing
        SQLAlchemy beside the overview's read would hold the GIL it needs)."""
        from store.review import open_review_read_only
        from tui.words.errors import error_sentence

        try:
            self.review_db = open_review_read_only(self.review_db_path)
            self.keep_loaded_objects_out_of_collections()
        except Exception as error:
            log.exception("opening the review database failed")
            message = error_sentence(error) or _(
                "The database could not be opened: {reason}").format(reason=error)
            self.call_from_thread(self.notify, message, severity="error", timeout=30)
            self.call_from_thread(self._overview_failed, message)
            return
        if self.check_key:
            self.check_key = False
            self._check_own_key()

    def _check_own_key(self) -> None:
        """The supervisor's key against its record (review_keys.review_key_notice), told
        in the window when something is wrong with it; a failure only logged: the key
        is checked again before anything is signed."""
        from tui.cli_commands.review_keys import review_key_notice

        try:
            notice = review_key_notice(self.context)
        except Exception:
            log.exception("checking the review's signing key failed")
            return
        if notice is not None:
            self.call_from_thread(self.notify, notice, severity="warning", timeout=20)

    @work(thread=True, exclusive=True, group="review-database")
    def load_overview(self) -> None:
        """Read the overview (at start, and again after receiving)."""
        import sqlite3

        from store.clock import today
        from store.review.overview import overview_rows, read_overview_facts

        day = today()
        early, self.early_overview = self.early_overview, None
        try:
            if early is not None and early.today == day and self.summarised is None:
                facts, choices = early.result()
            else:
                facts, choices = read_overview_facts(self.review_db_path, day, self.summarised)
        except sqlite3.Error:
            # open_review_database() finds out why and tells the user.
            log.info("the overview could not be read", exc_info=True)
            self.call_from_thread(self.open_review_database)
            return
        self.call_from_thread(self._overview_ready, overview_rows(facts), day, choices)

    def _overview_ready(self, rows: list[UnitOverviewRow], day: dt.date,
                        choices: list[tuple[str, int]]) -> None:
        if self.overview is not None:
            self.overview.show_assessment_choices(choices, self.summarised)
            self.overview.show_data(rows, day)
        # After the frame with the rows: a thread in Python beside the first paint
        # would take the GIL from it half of the time.
        self.call_after_refresh(self.load_assignments)
        if self.review_db is None:
            self.call_after_refresh(self.open_review_database)

    def summarise(self, assessment: tuple[str, int] | None) -> None:
        """Summarise this (index, year) in the overview (None: each unit's newest)."""
        if assessment != self.summarised:
            self.summarised = assessment
            self.load_overview()

    @work(thread=True, exclusive=True, group="review-assignments")
    def load_assignments(self) -> None:
        """What was assigned to each unit against what it reports holding (after the
        overview's rows: the first frame does not wait for it)."""
        import sqlite3
        from contextlib import closing

        from store.assign.overview import assignments_by_unit
        from store.review import open_overview_connection

        try:
            with closing(open_overview_connection(self.review_db_path)) as connection:
                found = assignments_by_unit(connection)
        except sqlite3.Error:
            log.info("the assignments could not be read", exc_info=True)
            return  # the overview's own read tells what is wrong with the file
        if self.overview is not None:
            self.call_from_thread(self.overview.show_assignments, found)

    def _overview_failed(self, message: str) -> None:
        if self.overview is not None:
            self.overview.show_failure(message)

    @work(thread=True, exclusive=True, group="review-chart")
    def load_domain_chart(self, day: dt.date) -> None:
        """Overdue tasks by domain: read only when that chart is first shown."""
        from contextlib import closing

        from store.review import open_overview_connection
        from store.review.overview import overdue_tasks_by_domain

        with closing(open_overview_connection(self.review_db_path)) as connection:
            bars = overdue_tasks_by_domain(connection, day)
        if self.overview is not None:
            self.call_from_thread(self.overview.show_domain_chart, bars)

    def action_assign(self) -> None:
        """The assignment screen, its fields proposed from what the review holds."""
        if self.context.read_only:
            self.notify(_("The review is open read-only: assignments cannot be issued. "
                          "Open it without --read-only."), severity="warning", timeout=6)
            return
        if self.review_db is None:
            self.notify(_("The review database is still opening; try again in a moment."),
                        timeout=4)
            return
        self.open_assign_screen()

    @work(thread=True, exclusive=True, group="review-assign")
    def open_assign_screen(self) -> None:
        from store.assign.defaults import IssueDefaults, issue_defaults
        from tui.review.assign import out_folder, start_folder

        assert self.review_db is not None
        try:
            with self.review_db.read() as session:
                defaults = issue_defaults(session)
        except Exception:  # a proposal only: the form opens empty
            log.exception("reading the assignment defaults failed")
            defaults = IssueDefaults()
        folder, out = start_folder(self.context), out_folder(self.context)
        self.call_from_thread(self._show_assign_screen, defaults, folder, out)

    def _show_assign_screen(self, defaults, folder: Path, out: Path) -> None:  # noqa: ANN001
        from tui.review.assign import AssignScreen

        self.push_screen(AssignScreen(defaults, folder, out))

    def action_receive(self) -> None:
        """Ask where from, then receive in a worker (unless one is running)."""
        from tui.review.receive import ReceiveDialog, suggested_folder

        if self.context.read_only:
            from tui.words.bundle import no_receive_when_read_only

            self.notify(no_receive_when_read_only(), severity="warning", timeout=6)
            return
        if any(w.group == "receive" and not w.is_finished for w in self.workers):
            self.notify(_("Bundles are being received; please wait."), timeout=4)
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.receive_bundles(path)

        self.push_screen(ReceiveDialog(suggested_folder()), chosen)

    @work(thread=True, exclusive=True, group="receive")
    def receive_bundles(self, path: Path) -> None:
        """The only writer: its own writable connection, closed before the view is
        read again (journal_mode=DELETE, so it leaves no -wal/-shm behind)."""
        from store.review.receiving import find_bundle_files, receive_into
        from tui.words.bundle import waiting_for_another_receive
        from tui.words.review import receive_lines, receive_totals
        from tui.words.visible import visible

        worker = get_current_worker()
        found = find_bundle_files([path])
        if not found.count:
            self.call_from_thread(self.notify, _("No bundle files (*.json) were found."),
                                  severity="warning", timeout=8)
            return
        total = found.count
        problems: list[str] = []

        def progress(index: int, file: Path, result: ReceiveResult) -> None:
            if result.verdict != "accepted" or result.warnings:
                # a name that is not text holds lone surrogates, which no terminal takes
                problems.extend(receive_lines(visible(file.name), result))
            self.call_from_thread(self._receiving, index + 1, total)

        self.call_from_thread(self._receiving, 0, total)
        locations = self.context.locations
        try:
            totals = receive_into(self.review_db_path, found.files, refused=found.refused,
                                  backups_dir=locations.backups_dir, on_result=progress,
                                  keep_backups=self.context.config.backup.keep_events,
                                  should_stop=lambda: worker.is_cancelled,
                                  on_wait=lambda: self.call_from_thread(
                                      self.notify, waiting_for_another_receive(),
                                      timeout=10))
        except Exception as error:
            log.exception("receiving bundles failed")
            self.call_from_thread(self.notify, _(
                "Receiving stopped: {reason}. What was received before is kept.").format(
                reason=error), severity="error", timeout=30)
            self.call_from_thread(self._receiving, 0, None)
            return
        self.call_from_thread(self._receiving, total, None)
        message = "\n".join([receive_totals(totals), *problems[:8]])
        self.call_from_thread(self.notify, message, timeout=20,
                              severity="warning" if problems else "information")
        self.call_from_thread(self.load_overview)

    def _receiving(self, done: int, total: int | None) -> None:
        if self.overview is not None:
            self.overview.show_receiving(done, total)


def run_review_app(context: AppContext, review_db_path: Path,
                   early_overview: EarlyOverviewRead | None = None, *,
                   check_key: bool = False) -> int:
    return ReviewApp(context, review_db_path, early_overview,
                     check_key=check_key).run_to_exit_code()
