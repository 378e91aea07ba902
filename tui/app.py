"""The Textual application."""

from __future__ import annotations

import logging

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.worker import get_current_worker

from tui.context import AppContext
from tui.i18n import _

log = logging.getLogger(__name__)


class CchcApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "CCHC Tracker"
    BINDINGS = [
        Binding("f1", "help", _("Help"), id="app.help"),
        Binding("ctrl+b", "backups", _("Backups"), id="app.backups", show=False),
        Binding("ctrl+e", "export", _("Export"), id="app.export"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.workspace = None  # tui.workspace.Workspace once the worker has opened it
        self.sub_title = _("Remediation of the administrative reform index")
        if context.config.theme in self.available_themes:
            self.theme = context.config.theme

    def on_mount(self) -> None:
        if self.context.config_problem is not None:
            from tui.messages import config_problem

            self.notify(config_problem(self.context.config_problem), severity="warning",
                        timeout=15)
        if self.context.demo or self.context.config.unit.configured or self.context.read_only:
            self._show_home()
        else:
            from tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(), self._setup_done)

    def _setup_done(self, result) -> None:  # noqa: ANN001
        from store.config import BrokenConfigFile, save_config

        unit, officer = result
        self.context.config.unit = unit
        self.context.config.officer = officer
        try:
            save_config(self.context.config, self.context.locations.config_file)
        except BrokenConfigFile as error:
            self.notify(_("Your settings were not saved because {path} has an error; "
                          "fix or remove it first.").format(path=error.path),
                        severity="error", timeout=20)
        except OSError as error:
            self.notify(_("Your settings could not be saved: {reason}").format(
                reason=error.strerror or error), severity="error", timeout=20)
        self._show_home()

    def _show_home(self) -> None:
        from tui.screens.tasks import TasksScreen

        self.push_screen(TasksScreen())
        self.load_workspace()

    @work(thread=True, exclusive=True, group="database")
    def load_workspace(self) -> None:
        from store.clock import today
        from store.queries import task_rows, unit_summary
        from tui.messages import database_error
        from tui.workspace import open_workspace

        try:
            workspace = open_workspace(self.context)
            summary, rows = None, []
            if workspace.unit_id is not None:
                with workspace.db.read() as session:
                    summary = unit_summary(session, workspace.unit_id, today())
                    rows = task_rows(session, workspace.unit_id)
        except Exception as error:  # noqa: BLE001 - shown in words, logged in full
            log.exception("opening the database failed")
            from tui.screens.backups import offer_recovery

            if offer_recovery(self, error):
                return
            message = database_error(error) or _(
                "The database could not be opened: {reason}").format(reason=error)
            self.call_from_thread(self.notify, message, severity="error", timeout=30)
            return
        if get_current_worker().is_cancelled:
            return
        self.workspace = workspace
        self.call_from_thread(self._data_ready, summary, rows, today())
        from tui.safety import after_open_checks  # the day's backup, once data is shown

        for notice in workspace.notices + after_open_checks(self.context):
            self.call_from_thread(self.notify, notice, severity="warning", timeout=30)

    def _data_ready(self, summary, rows, today) -> None:  # noqa: ANN001
        from tui.screens.tasks import TasksScreen

        if isinstance(self.screen, TasksScreen):
            self.screen.show_data(summary, rows, today)

    def action_backups(self) -> None:
        from tui.screens.backups import BackupsScreen

        self.push_screen(BackupsScreen())

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def get_system_commands(self, screen):  # noqa: ANN001, ANN201
        yield from super().get_system_commands(screen)
        yield SystemCommand(_("Backups"), _("List the backups, take one, restore one"),
                            self.action_backups)
        yield SystemCommand(_("Export progress bundle"),
                            _("Write the bundle for the supervisor to a USB stick or a folder"),
                            self.action_export)

    def action_help(self) -> None:
        self.action_show_help_panel()

    def _fatal_error(self) -> None:
        # Textual would print a traceback with local variables; our users get a
        # sentence, and the details go to the log file.
        log.exception("unexpected error in the app")
        self.bell()
        self._exit_renderables.append(_(
            "CCHC Tracker stopped because of an unexpected error. Nothing you saved was "
            "lost. The details were written to the log in {path}.").format(
            path=self.context.locations.logs_dir))
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        if self.workspace is not None:
            self.workspace.db.dispose()


def run_app(context: AppContext) -> int:
    app = CchcApp(context)
    app.run()
    return app.return_code or 0
