"""The commune's app: the workspace screen, help, settings, palette commands.

To add a command: append an AppCommand to CchcApp.app_commands() and define the action
(action_<name>) on CchcApp. Commands marked `edits` are absent in read-only mode.
Screens are imported where they are pushed, so the first frame waits for nothing
but Textual itself; the database opens in a worker. What both apps share (theme,
keymap, F1, the palette, the crash guard) is in tui/app_base.py.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from tui.app_base import AppBase, AppCommand, shared_bindings
from tui.context import AppContext
from tui.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from store.assign.importing import ImportResult
    from store.read.assessments import AssessmentRow
    from store.config import OfficerConfig, UnitConfig
    from store.db import Database
    from tui.screens.workspace import WorkspaceScreen
    from tui.services.workspace import Workspace

log = logging.getLogger(__name__)


def commune_app(node: DOMNode) -> CchcApp:
    """The running app as a CchcApp, for the commune's screens and widgets (Textual
    types node.app as a plain App)."""
    return cast("CchcApp", node.app)


class CchcApp(AppBase):
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    # 80x24 first: a short and narrow screen keeps its room for the lists.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        *shared_bindings(),
        Binding("ctrl+b", "backups", _("Backups"), id="app.backups", show=False),
        Binding("ctrl+e", "export", _("Export"), id="app.export"),
        Binding("ctrl+r", "reports", _("Reports"), show=False, id="app.reports"),
        Binding("f2", "settings", _("Settings"), show=False, id="app.settings"),
        Binding("ctrl+z", "undo", _("Undo"), show=False, id="app.undo"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.workspace: Workspace | None = None  # once the worker has opened it
        self._first_frame_shown = threading.Event()
        self.sub_title = _("Remediation of the administrative reform index")

    def on_mount(self) -> None:
        if self.context.config_problem is not None:
            from tui.words.errors import config_problem

            self.notify(config_problem(self.context.config_problem), severity="warning",
                        timeout=15)
        for warning in self.context.startup_warnings:
            self.notify(warning, severity="warning", timeout=15)
        if self.context.demo or self.context.config.unit.configured or self.context.read_only:
            self._show_home()
        else:
            from tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(), self._setup_done)

    def _setup_done(self, result: tuple[UnitConfig, OfficerConfig]) -> None:
        from store.config import save_config
        from store.errors import BrokenConfigFile

        unit, officer = result
        self.context.config.unit = unit
        self.context.config.officer = officer
        try:
            save_config(self.context.config_to_save(), self.context.locations.config_file)
        except BrokenConfigFile as error:
            self.notify(_("Your settings were not saved because {path} has an error; "
                          "fix or remove it first.").format(path=error.path),
                        severity="error", timeout=20)
        except OSError as error:
            self.notify(_("Your settings could not be saved: {reason}").format(
                reason=error.strerror or error), severity="error", timeout=20)
        self._show_home()

    def _show_home(self) -> None:
        from tui.screens.workspace import WorkspaceScreen

        self.push_screen(WorkspaceScreen(read_only=self.context.read_only,
                                         assessment=self.context.config.last_assessment
                                         or None))
        self.load_workspace()

    def on_ready(self) -> None:
        self._first_frame_shown.set()

    @work(thread=True, exclusive=True, group="database")
    def load_workspace(self) -> None:
        # Opening the database imports SQLModel (~0.4 s of Python holding the GIL):
        # waiting for the first frame keeps it from slowing that frame down.
        self._first_frame_shown.wait(timeout=5)
        from tui.services.workspace import open_workspace
        from tui.words.errors import error_sentence

        try:
            workspace = open_workspace(self.context)
        except Exception as error:
            log.exception("opening the database failed")
            from tui.screens.backups import offer_recovery

            if offer_recovery(self, error):
                return
            message = error_sentence(error) or _(
                "The database could not be opened: {reason}").format(reason=error)
            self.call_from_thread(self.notify, message, severity="error", timeout=30)
            self.call_from_thread(self._workspace_failed, message)
            return
        if get_current_worker().is_cancelled:
            workspace.db.dispose()
            return
        self.workspace = workspace
        self.keep_loaded_objects_out_of_collections()
        self.call_from_thread(self._workspace_ready, workspace)
        from tui.screens.today import start_notice

        from tui.screens.evidence_files import start_file_notice

        today_words = start_notice(workspace)
        if today_words is not None:
            self.call_from_thread(self.notify, today_words, timeout=15)
        file_words = start_file_notice(workspace)
        if file_words is not None:
            self.call_from_thread(self.notify, file_words, severity="warning", timeout=15)
        # The day's backup, once the data is shown.
        from tui.services.startup_checks import after_open_checks

        for notice in workspace.notices + after_open_checks(self.context):
            self.call_from_thread(self.notify, notice, severity="warning", timeout=30)

    def _workspace_ready(self, workspace: Workspace) -> None:
        screen = self.workspace_screen()
        if screen is not None:
            screen.set_workspace(workspace)

    def _workspace_failed(self, message: str) -> None:
        screen = self.workspace_screen()
        if screen is not None:
            screen.show_failure(message)

    def workspace_screen(self) -> WorkspaceScreen | None:
        from tui.screens.workspace import WorkspaceScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, WorkspaceScreen):
                return screen
        return None

    # -- commands ------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return super().read_only or (self.workspace is not None
                                     and not self.workspace.editable)

    def app_commands(self) -> list[AppCommand]:
        return [
            AppCommand(_("Tasks"), _("The list of remediation tasks"), "section('tasks')"),
            AppCommand(_("Criteria"), _("Criteria, points lost per domain"),
                       "section('criteria')"),
            AppCommand(_("Deadlines"), _("Tasks and reports by due date"),
                       "section('deadlines')"),
            AppCommand(_("Today"), _("What is overdue or due within 7 days, by official"),
                       "section('today')"),
            AppCommand(_("New task"), _("Add a remediation task or a reporting duty"),
                       "new_task", edits=True),
            AppCommand(_("Switch assessment"),
                       _("Show another of the unit's assessments: PAR or SIPAS, this year "
                         "or an earlier one"), "choose_assessment"),
            AppCommand(_("Enter an assessment"),
                       _("Enter the supervisor's letter by hand: score, rank, document"),
                       "new_assessment", edits=True),
            AppCommand(_("Edit the assessment"),
                       _("Correct the current assessment's title, score, rank or document"),
                       "edit_assessment", edits=True),
            AppCommand(_("Import an assignment"),
                       _("The supervisor's assignment file: see what it changes, then apply "
                         "it"), "import_assignment", edits=True),
            AppCommand(_("Remove the assessment"),
                       _("Remove the current assessment with its criteria, tasks and "
                         "evidence"), "remove_assessment", edits=True),
            AppCommand(_("Removed items"),
                       _("What was removed (tasks, criteria, evidence, assessments): when, "
                         "and by whom"), "removed_items"),
            AppCommand(_("Undo the last edit"),
                       _("Take back the last change made in this session (ctrl+z)"), "undo",
                       edits=True),
            AppCommand(_("Reports"),
                       _("The remediation plan, the results report, the task workbook"),
                       "reports"),
            AppCommand(_("Export progress bundle"),
                       _("Write the bundle for the supervisor to a USB stick or a folder"),
                       "export", edits=True),
            AppCommand(_("Backups"), _("List the backups, take one, restore one"), "backups",
                       edits=True),
            AppCommand(_("Settings"), _("Language, theme, unit, officer"), "settings"),
            AppCommand(_("Help"), _("Keys and a short guide to the work"), "help"),
        ]

    def open_databases(self) -> list[Database]:
        return [self.workspace.db] if self.workspace is not None else []

    def action_backups(self) -> None:
        from tui.screens.backups import BackupsScreen

        self.push_screen(BackupsScreen())

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_import_assignment(self) -> None:
        from tui.screens.import_assignment import ImportScreen

        if not self.read_only and not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen(), self._assignment_imported)

    def _assignment_imported(self, result: ImportResult | None) -> None:
        screen = self.workspace_screen()
        if result is None or screen is None:
            return
        if result.assessments:  # what the supervisor just assigned, on screen
            screen.show_assessment_of(result.assessments[0])
        else:
            screen.refresh_data()

    def action_reports(self) -> None:
        from tui.screens.reports import ReportsScreen

        if not isinstance(self.screen, ReportsScreen):
            self.push_screen(ReportsScreen())

    def show_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(self.context), self._settings_saved)

    def _settings_saved(self, saved: bool | None) -> None:
        if saved and self.workspace is not None:
            self.workspace.officer = self.context.config.officer.name or None

    def action_section(self, section: str) -> None:
        screen = self.workspace_screen()
        if screen is not None:
            screen.action_section(section)

    def action_choose_assessment(self) -> None:
        screen = self.workspace_screen()
        if screen is None:
            return
        if self.screen is not screen:  # a task or a form is open over it: never closed here
            self.notify(_("Go back to the workspace (Esc) to switch the assessment."),
                        severity="warning")
            return
        screen.action_choose_assessment()

    def on_workspace_screen_assessment_switched(
            self, message: WorkspaceScreen.AssessmentSwitched) -> None:
        from tui.services.workspace import remember_assessment

        remember_assessment(self.context, message.ext_id)  # not in read-only mode

    def action_new_task(self) -> None:
        screen = self.workspace_screen()
        if screen is not None and not self.read_only:
            screen.action_new_task()

    def action_new_assessment(self) -> None:
        self._assessment_form(edit=False)

    def action_edit_assessment(self) -> None:
        self._assessment_form(edit=True)

    def _assessment_form(self, *, edit: bool) -> None:
        from tui.screens.letter_forms import AssessmentForm

        workspace = self.workspace
        if workspace is None or self.read_only or workspace.unit_id is None:
            return
        current = None
        if edit:
            current = self._shown_assessment()
            if current is None:
                self.notify(_("There is no assessment yet."), severity="warning")
                return
        self.push_screen(AssessmentForm(workspace, current), self._assessment_saved)

    def _shown_assessment(self) -> AssessmentRow | None:
        """The assessment on screen (the newest when none is chosen)."""
        from store.read.assessments import assessment_rows

        workspace = self.workspace
        if workspace is None or workspace.unit_id is None:
            return None
        with workspace.db.read() as session:
            rows = assessment_rows(session, workspace.unit_id)
        screen = self.workspace_screen()
        shown = screen.assessment_id if screen is not None else None
        return next((row for row in rows if row.id == shown), rows[0] if rows else None)

    def action_remove_assessment(self) -> None:
        from store.write.removals import remove_assessment
        from tui.screens.removal import remove_after_confirming

        workspace = self.workspace
        if workspace is None or self.read_only or workspace.unit_id is None:
            return
        assessment = self._shown_assessment()
        if assessment is None:
            self.notify(_("There is no assessment yet."), severity="warning")
            return
        assessment_id = assessment.id
        remove_after_confirming(
            self, workspace,
            _("Remove the assessment \"{title}\" with all its criteria, tasks, evidence "
              "and their history?").format(title=assessment.title),
            _("Remove the assessment"),
            lambda session: remove_assessment(session, assessment_id, by=workspace.officer),
            _("The assessment was removed."), after=self._after_undo_or_removal)

    def action_removed_items(self) -> None:
        from tui.screens.removed import RemovedScreen

        if self.workspace is not None and not isinstance(self.screen, RemovedScreen):
            self.push_screen(RemovedScreen(self.workspace))

    def action_undo(self) -> None:
        workspace = self.workspace
        if workspace is None or self.read_only:
            return
        try:
            undone = workspace.undo()
        except Exception as error:
            from tui.words.errors import save_failure

            log.exception("undo failed")
            self.notify(save_failure(error), severity="error")
            return
        if undone is None:
            self.notify(_("There is no edit to undo in this session."), severity="warning")
            return
        label, done = undone
        if not done:
            self.notify(_("\"{edit}\" cannot be undone: the data changed since (an export, an "
                          "import or another window).").format(edit=label), severity="warning")
            return
        self.notify(_("Undone: {edit}.").format(edit=label))
        self._after_undo_or_removal()

    def _after_undo_or_removal(self) -> None:
        """Back to the workspace, read again: what was shown may be gone."""
        screen = self.workspace_screen()
        if screen is None:
            return
        while self.screen is not screen and len(self.screen_stack) > 1:
            self.pop_screen()
        screen.refresh_data()

    def _assessment_saved(self, assessment_id: int | None) -> None:
        if assessment_id is not None:
            self.notify(_("The assessment was saved."))
            screen = self.workspace_screen()
            if screen is not None:  # a new one is shown at once, an edited one again
                screen.refresh_data()
                screen.show_assessment(assessment_id)


def run_app(context: AppContext) -> int:
    return CchcApp(context).run_to_exit_code()
