"""The commune's workspace: summary line and four tabs (tasks, criteria, deadlines,
today).

The screen takes a Workspace (database + unit + read-only flag) and never reaches
into the app for data, so the supervisor's review can show a unit of its review
database read-only with the very same screen. Its tabs get what they show in a
PaneContext and ask for the rest with messages (TaskChosen, CriterionChosen), so
what opening a task means is decided here, once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Label, Select, Static, TabbedContent, TabPane

from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.virtual_table import VirtualTable
from tui.screens.criteria import CriteriaPane
from tui.screens.deadlines import DeadlinesPane
from tui.screens.pane_messages import CriterionChosen, TaskChosen
from tui.screens.section_pane import PaneContext, SectionPane
from tui.screens.tasks import TasksPane
from tui.screens.today import TodayPane
from tui.words import format as fmt
from tui.words.plain import plain, plain_lines, plain_options

if TYPE_CHECKING:
    from store.read.assessments import AssessmentRow
    from store.read.units import UnitSummary
    from tui.services.workspace import Workspace

PANES: dict[str, type[SectionPane]] = {"tasks": TasksPane, "criteria": CriteriaPane,
                                       "deadlines": DeadlinesPane, "today": TodayPane}


# At this width and wider the summary says everything (two lines at 120 columns);
# narrower, it takes the longest of its shorter forms that fits on one line.
FULL_SUMMARY_WIDTH = 120


def summary_forms(summary: UnitSummary | None, today: dt.date, *,
                  keep_unit: bool = False) -> list[str]:
    """The summary from the fullest form to the shortest. The shorter ones leave out
    first what is said elsewhere on the screen: the unit's code, the assessment's
    title (the selector, the tabs), the points lost (max minus score), the deadline's
    date (the tasks' Deadline column); the unit's name goes last. keep_unit: the
    unit's name and code stay in every form (the review, among many units)."""
    if summary is None:
        return [_("No unit data yet.")]
    score = rank = ""
    if summary.assessment_title:
        score = f"{fmt.points(summary.score)}/{fmt.points(summary.max_points)}"
        if summary.rank:
            rank = _("rank {rank}/{of}").format(rank=summary.rank, of=summary.rank_of or "?")
    overdue = _("{n} overdue").format(n=summary.tasks_overdue)

    def joined(*parts: str) -> str:
        return " · ".join(part for part in parts if part)

    if summary.assessment_title:
        assessed = f"{summary.assessment_title}: {joined(score, rank)}"
    else:
        assessed = _("no assessment entered yet")
    lost = (_("{points} points lost").format(points=fmt.points(summary.points_lost))
            if summary.points_lost is not None else "")
    done = _("{done}/{total} tasks done").format(done=summary.tasks_done,
                                                  total=summary.tasks_total)
    short_done = _("{done}/{total} done").format(done=summary.tasks_done,
                                                 total=summary.tasks_total)
    nearest = next_short = ""
    if summary.next_due:
        days = fmt.days_left(summary.next_due, today)
        nearest = _("next deadline {date} ({days})").format(
            date=fmt.date(summary.next_due), days=days)
        next_short = _("next due: {days}").format(days=days)
    short_assessed = joined(score, rank) if summary.assessment_title else assessed
    unit = f"{summary.unit_name} ({summary.unit_code})"
    name = unit if keep_unit else summary.unit_name
    forms = [
        joined(unit, assessed, lost, done, overdue, nearest),
        joined(name, short_assessed, lost, done, overdue, nearest),
        joined(name, short_assessed, short_done, overdue, nearest),
        joined(name, short_assessed, short_done, overdue, next_short),
    ]
    if not keep_unit:
        forms.append(joined(short_assessed, short_done, overdue, next_short))
    return forms


def summary_for_width(summary: UnitSummary | None, today: dt.date, width: int, *,
                      keep_unit: bool = False) -> str:
    """The summary for a screen `width` columns wide: whole at FULL_SUMMARY_WIDTH and
    wider, else the fullest form that fits on one line (the shortest if none does)."""
    from rich.cells import cell_len

    forms = summary_forms(summary, today, keep_unit=keep_unit)
    if width >= FULL_SUMMARY_WIDTH:
        return forms[0]
    room = width - 2  # the summary's padding
    return next((form for form in forms if cell_len(form) <= room), forms[-1])


def assessment_label(row: AssessmentRow) -> str:
    """An assessment among the unit's others: index and year first (what tells them
    apart), then its title and who assessed."""
    label = f"{row.index_kind} {row.year} · {row.title}"
    return f"{label} · {row.issuer}" if row.issuer else label


class WorkspaceScreen(Screen[None]):
    """Tasks (home), criteria and deadlines of one of the unit's assessments: the one
    chosen in the selector above the summary (shown when there are several), at
    first the one named (`assessment`, an ext_id) or else the newest."""

    DEFAULT_CSS: ClassVar[str] = """
    WorkspaceScreen #assessment-bar { height: 1; background: $panel; }
    WorkspaceScreen #assessment-label { width: auto; padding: 0 1; text-style: bold; }
    WorkspaceScreen #assessment-select { width: 1fr; }
    """

    class AssessmentSwitched(Message):
        """The user chose another assessment (the commune's app remembers it)."""

        def __init__(self, ext_id: str) -> None:
            super().__init__()
            self.ext_id = ext_id

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "section('tasks')", _("Tasks"), show=False, id="workspace.tasks"),
        Binding("2", "section('criteria')", _("Criteria"), show=False,
                id="workspace.criteria"),
        Binding("3", "section('deadlines')", _("Deadlines"), show=False,
                id="workspace.deadlines"),
        Binding("4", "section('today')", _("Today"), show=False, id="workspace.today"),
        Binding("question_mark", "app.help", _("Help"), show=False, id="workspace.help"),
        Binding("n", "new_task", _("New task"), id="workspace.new-task"),
        Binding("i", "import_assignment", _("Import"), id="workspace.import"),
        Binding("r", "removed_items", _("Removed items"), show=False,
                id="workspace.removed"),
    ]

    # The Today tab: the commune's own to-do of the day (the review's unit screen,
    # which shows another unit's data, has none).
    SHOW_TODAY: ClassVar[bool] = True
    # The list of what the unit removed (the review's unit screen shows a bundle's
    # data, which carries no removals).
    SHOW_REMOVED: ClassVar[bool] = True
    # The summary's short forms keep the unit's name and code (the review's unit
    # screen: one unit among many, names repeat across districts).
    SUMMARY_KEEPS_UNIT: ClassVar[bool] = False

    def __init__(self, workspace: Workspace | None = None, *, read_only: bool = False,
                 assessment: str | None = None,
                 name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.workspace: Workspace | None = None
        self.read_only = read_only or (workspace is not None and not workspace.editable)
        self.assessment_id: int | None = None
        self.assessments: list[AssessmentRow] = []  # the unit's, newest first
        self.today: dt.date | None = None
        self._pending = workspace
        self._wanted = assessment  # the ext_id to show at first, when the unit has it
        self._summary: UnitSummary | None = None  # as last read
        # Mounted at the first choice; kept here, since a query finds it only once
        # its bar has mounted its children.
        self._assessment_select: Select | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        if self.read_only:
            yield Static(_("READ ONLY"), id="read-only-marker")
        # The assessment selector is mounted above the summary when there is a choice
        # to make (_show_choices): most units have one, and the first frame waits for
        # nothing hidden.
        yield Static(_("Opening the database…"), id="summary")
        with TabbedContent(id="sections", initial="tasks"):
            with TabPane(_("1 Tasks"), id="tasks"):
                yield TasksPane(id="tasks-pane")
            # Mounted when first shown: fewer widgets to style before the first frame.
            yield TabPane(_("2 Criteria"), id="criteria")
            yield TabPane(_("3 Deadlines"), id="deadlines")
            if self.SHOW_TODAY:
                yield TabPane(_("4 Today"), id="today")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self._pending is not None:
            self.call_after_refresh(self._show_pending)

    @property
    def editable(self) -> bool:
        return self.workspace is not None and self.workspace.editable and not self.read_only

    def pane_context(self) -> PaneContext | None:
        """What the tabs show: None until the database is open."""
        if self.workspace is None or self.today is None:
            return None
        return PaneContext(self.workspace, self.assessment_id, self.today,
                           read_only=not self.editable)

    def set_workspace(self, workspace: Workspace) -> None:
        """Show this unit (called once the database is open). The tabs' contents
        mount after the screen, so the data goes in after the next refresh."""
        self._pending = workspace
        if self.is_mounted and self.query("#task-table"):
            self._show_pending()
        elif self.is_mounted:
            self.call_after_refresh(self._show_pending)

    def show_failure(self, message: str) -> None:
        """The database could not be opened: say why in the summary line (the
        notification goes after some seconds), and not "reading" in the list."""
        self.query_one("#summary", Static).update(plain(message))
        table = self.query_one("#task-table", VirtualTable)
        table.empty_text = _("The data could not be opened (the reason is above).")
        table.refresh()

    def _show_pending(self) -> None:
        workspace, self._pending = self._pending, None
        if workspace is None:
            return
        self.workspace = workspace
        self.read_only = self.read_only or not workspace.editable
        self.refresh_data(first=True)
        self.refresh_bindings()

    def refresh_data(self, first: bool = False) -> None:
        """Read the summary and the visible section again (after an edit)."""
        from store.clock import today
        from store.read.assessments import assessment_rows
        from store.read.units import unit_summary

        if self.workspace is None:
            return
        self.today = today()
        summary = None
        self.assessments = []
        if self.workspace.unit_id is not None:
            with self.workspace.db.read() as session:
                self.assessments = assessment_rows(session, self.workspace.unit_id)
                chosen = self._chosen_assessment()
                summary = unit_summary(session, self.workspace.unit_id, self.today,
                                       assessment_id=chosen,
                                       withdrawn=self.workspace.withdrawn_task_ids)
        self.assessment_id = summary.assessment_id if summary else None
        self._show_choices()
        self._summary = summary
        self._show_summary()
        context = self.pane_context()
        for pane in self.query(SectionPane):
            pane.set_context(context)
        active = self._active_pane()
        if active is not None:
            active.show(first=first)

    def _show_summary(self) -> None:
        if self.today is None:
            return
        self.query_one("#summary", Static).update(
            plain_lines(self.summary_lines(self._summary, self.today)))

    def on_resize(self) -> None:
        # The summary's form follows the width (shorter on a narrow terminal).
        if self.is_mounted and self.workspace is not None:
            self._show_summary()

    def _chosen_assessment(self) -> int | None:
        """The assessment to show among self.assessments: the one shown (if it is still
        there), else the one asked for at first, else the newest (None)."""
        ids = {row.id for row in self.assessments}
        if self.assessment_id in ids:
            return self.assessment_id
        return self.wanted_assessment()

    def wanted_assessment(self) -> int | None:
        """The assessment asked for at first among self.assessments, once (None: the
        newest): the one of the ext_id given, when the unit has it."""
        wanted = next((row.id for row in self.assessments if row.ext_id == self._wanted), None)
        self._wanted = None
        return wanted

    @property
    def assessment_select(self) -> Select | None:
        """The assessment selector, once the unit has had a choice to make and the
        selector is mounted."""
        select = self._assessment_select
        return select if select is not None and select.is_mounted else None

    def _show_choices(self) -> None:
        """The selector, when there is a choice to make (two assessments or more):
        mounted the first time, hidden again when there is none."""
        choice = len(self.assessments) > 1
        select = self._assessment_select
        if select is not None and select.parent is not None:
            select.parent.display = choice
        if not choice:
            return
        options = plain_options([(assessment_label(row), row.id) for row in self.assessments])
        if select is None:
            # Made with its choices and value (its Changed once mounted carries the
            # value shown: on_select_changed ignores it).
            self._assessment_select = Select(options, value=self.assessment_id,
                                             allow_blank=False, compact=True,
                                             id="assessment-select")
            self.mount(Horizontal(Label(_("Assessment:"), id="assessment-label"),
                                  self._assessment_select, id="assessment-bar"),
                       before=self.query_one("#summary"))
        elif not select.is_mounted:
            # A Select's own parts are composed as it mounts (set_options needs them):
            # a call on its own queue runs once it has mounted.
            select.call_later(self._show_choices)
        else:
            with self.prevent(Select.Changed):
                select.set_options(options)
                select.value = self.assessment_id

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "assessment-select":
            return
        event.stop()
        if isinstance(event.value, int) and event.value != self.assessment_id:
            self.show_assessment(event.value)

    def show_assessment(self, assessment_id: int) -> None:
        """Show another of the unit's assessments (the selector, the palette, a new one)."""
        row = next((row for row in self.assessments if row.id == assessment_id), None)
        if row is None:
            return
        self.assessment_id = assessment_id
        self.refresh_data()
        self.post_message(self.AssessmentSwitched(row.ext_id))

    def show_assessment_of(self, ext_id: str) -> None:
        """show_assessment() by the issuer's id of it (an assignment just imported)."""
        self._wanted = ext_id
        self.assessment_id = None
        self.refresh_data()
        row = next((row for row in self.assessments if row.id == self.assessment_id), None)
        if row is not None and row.ext_id == ext_id:
            self.post_message(self.AssessmentSwitched(ext_id))

    def action_choose_assessment(self) -> None:
        """Open the selector (the palette's entry)."""
        if len(self.assessments) < 2:
            self.notify(_("This unit has one assessment only; enter or import another to "
                          "switch between them."), severity="warning")
            return
        select = self.assessment_select
        if select is not None:
            select.focus()
            select.expanded = True

    def summary_lines(self, summary: UnitSummary | None, today: dt.date) -> list[str]:
        """The lines above the tabs (the review's unit screen adds its bundle's)."""
        return [summary_for_width(summary, today, self.size.width or FULL_SUMMARY_WIDTH,
                                  keep_unit=self.SUMMARY_KEEPS_UNIT)]

    def _active_pane(self) -> SectionPane | None:
        active = self.query_one("#sections", TabbedContent).active or "tasks"
        found = self.query(f"#{active}-pane").results(SectionPane)
        return next(found, None)

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        section = event.pane.id or "tasks"
        # The event's own section, not the one active now: keys typed fast may have
        # moved on, and that pane may exist already (mounting it twice crashed).
        pane = next(self.query(f"#{section}-pane").results(SectionPane), None)
        if pane is None:
            pane = PANES[section](self.pane_context(), id=f"{section}-pane")
            await event.pane.mount(pane)
        if section != (self.query_one("#sections", TabbedContent).active or "tasks"):
            return  # passed by already: the section now shown takes the focus, not this one
        pane.show()
        pane.focus_main()

    def on_screen_resume(self) -> None:
        # Back from a task or a form: what it saved shows at once.
        if self.workspace is not None:
            self.refresh_data()

    def action_section(self, section: str) -> None:
        self.query_one("#sections", TabbedContent).active = section

    def on_task_chosen(self, message: TaskChosen) -> None:
        message.stop()
        self.open_task(message.task_id)

    def on_criterion_chosen(self, message: CriterionChosen) -> None:
        message.stop()
        self.show_tasks_of(message.code)

    def show_tasks_of(self, code: str) -> None:
        """The task list filtered to one criterion (from the criteria tab)."""
        self.call_later(self.query_one(TasksPane).filter_criterion, code)
        self.action_section("tasks")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_task":
            return self.editable and self.assessment_id is not None
        if action == "import_assignment":  # the unit's own database only (not a review's)
            return self.editable
        if action == "section" and parameters == ("today",):
            return self.SHOW_TODAY
        if action == "removed_items":
            return self.SHOW_REMOVED and self.workspace is not None
        return True

    def action_removed_items(self) -> None:
        from tui.screens.removed import RemovedScreen

        if self.SHOW_REMOVED and self.workspace is not None:
            self.app.push_screen(RemovedScreen(self.workspace))

    async def action_import_assignment(self) -> None:
        if self.editable:
            await self.app.run_action("import_assignment")

    def action_new_task(self) -> None:
        from tui.screens.task_form import TaskForm

        if self.workspace is None or self.assessment_id is None or not self.editable:
            return
        self.app.push_screen(TaskForm(self.workspace, self.assessment_id), self._task_created)

    def _task_created(self, task_id: int | None) -> None:
        if task_id is not None:
            self.notify(_("The task was added."))
            self.open_task(task_id)

    def open_task(self, task_id: int) -> None:
        from tui.screens.task_detail import TaskScreen

        if self.workspace is not None:
            self.app.push_screen(TaskScreen(self.workspace, task_id, read_only=self.read_only))
