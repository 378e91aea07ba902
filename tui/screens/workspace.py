"""The commune's workspace: summary line and three tabs (tasks, criteria, deadlines).

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
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from tui.i18n import _
from tui.screens.criteria import CriteriaPane
from tui.screens.deadlines import DeadlinesPane
from tui.screens.pane_messages import CriterionChosen, TaskChosen
from tui.screens.section_pane import PaneContext, SectionPane
from tui.screens.tasks import TasksPane
from tui.words import format as fmt
from tui.words.plain import plain_lines

if TYPE_CHECKING:
    from store.read.units import UnitSummary
    from tui.services.workspace import Workspace

PANES: dict[str, type[SectionPane]] = {"tasks": TasksPane, "criteria": CriteriaPane,
                                       "deadlines": DeadlinesPane}


def summary_text(summary: UnitSummary | None, today: dt.date) -> str:
    if summary is None:
        return _("No unit data yet.")
    parts = [f"{summary.unit_name} ({summary.unit_code})"]
    if summary.assessment_title:
        score = f"{fmt.points(summary.score)}/{fmt.points(summary.max_points)}"
        if summary.rank:
            score += " · " + _("rank {rank}/{of}").format(rank=summary.rank,
                                                           of=summary.rank_of or "?")
        parts.append(f"{summary.assessment_title}: {score}")
    else:
        parts.append(_("no assessment entered yet"))
    if summary.points_lost is not None:
        parts.append(_("{points} points lost").format(points=fmt.points(summary.points_lost)))
    parts.append(_("{done}/{total} tasks done").format(done=summary.tasks_done,
                                                        total=summary.tasks_total))
    parts.append(_("{n} overdue").format(n=summary.tasks_overdue))
    if summary.next_due:
        parts.append(_("next deadline {date} ({days})").format(
            date=fmt.date(summary.next_due), days=fmt.days_left(summary.next_due, today)))
    return " · ".join(parts)


class WorkspaceScreen(Screen[None]):
    """Tasks (home), criteria and deadlines of one unit's current assessment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "section('tasks')", _("Tasks"), show=False, id="workspace.tasks"),
        Binding("2", "section('criteria')", _("Criteria"), show=False,
                id="workspace.criteria"),
        Binding("3", "section('deadlines')", _("Deadlines"), show=False,
                id="workspace.deadlines"),
        Binding("question_mark", "app.help", _("Help"), show=False, id="workspace.help"),
        Binding("n", "new_task", _("New task"), id="workspace.new-task"),
    ]

    def __init__(self, workspace: Workspace | None = None, *, read_only: bool = False,
                 name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.workspace: Workspace | None = None
        self.read_only = read_only or (workspace is not None and not workspace.editable)
        self.assessment_id: int | None = None
        self.today: dt.date | None = None
        self._pending = workspace

    def compose(self) -> ComposeResult:
        yield Header()
        if self.read_only:
            yield Static(_("READ ONLY"), id="read-only-marker")
        yield Static(_("Opening the database…"), id="summary")
        with TabbedContent(id="sections", initial="tasks"):
            with TabPane(_("1 Tasks"), id="tasks"):
                yield TasksPane(id="tasks-pane")
            # Mounted when first shown: fewer widgets to style before the first frame.
            yield TabPane(_("2 Criteria"), id="criteria")
            yield TabPane(_("3 Deadlines"), id="deadlines")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TasksPane).loading = self._pending is None
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
        from store.read.units import unit_summary

        if self.workspace is None:
            return
        self.today = today()
        summary = None
        if self.workspace.unit_id is not None:
            with self.workspace.db.read() as session:
                summary = unit_summary(session, self.workspace.unit_id, self.today)
        self.assessment_id = summary.assessment_id if summary else None
        self.query_one("#summary", Static).update(
            plain_lines(self.summary_lines(summary, self.today)))
        context = self.pane_context()
        for pane in self.query(SectionPane):
            pane.set_context(context)
        active = self._active_pane()
        if active is not None:
            active.show(first=first)
        self.query_one(TasksPane).loading = False

    def summary_lines(self, summary: UnitSummary | None, today: dt.date) -> list[str]:
        """The lines above the tabs (the review's unit screen adds its bundle's)."""
        return [summary_text(summary, today)]

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
        return True

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
