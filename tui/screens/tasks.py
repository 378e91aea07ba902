"""Tasks (home tab): search as you type, filters, sort, and the task list.

The list is a VirtualTable paged from SQLite: each keystroke or filter change
counts the matches and reads one page, whatever the size of the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from tui.i18n import _
from tui.screens.section_pane import SectionPane
from tui.widgets.task_table import TaskSource, TaskTable, task_columns
from tui.widgets.virtual_table import VirtualTable
from tui.words import labels

if TYPE_CHECKING:
    from store.queries import TaskFilter

ALL = "*"
NO_OWNER = "-"
SORTS = ("deadline", "points", "status", "owner")
SORT_COLUMNS = {"deadline": "due", "points": "points", "status": "status", "owner": "owner"}


def sort_name(sort: str) -> str:
    return {"deadline": _("deadline"), "points": _("points at stake"), "status": _("status"),
            "owner": _("owner")}[sort]


def status_options() -> list[tuple[str, str]]:
    return [(_("All statuses"), ALL), (_("Not finished"), "open")] + [
        (labels.status(code), code) for code in ("todo", "in_progress", "done", "cancelled")]


def deadline_options() -> list[tuple[str, str]]:
    return [(_("Any deadline"), ALL), (_("Overdue"), "overdue"),
            (_("Overdue or due in 7 days"), "overdue+7"),
            (_("Due in 7 days"), "7"), (_("Due in 14 days"), "14"), (_("Due in 30 days"), "30")]


class TasksPane(SectionPane, Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", _("Search"), id="tasks.search"),
        Binding("s", "sort", _("Sort"), id="tasks.sort"),
        # Not in the footer: the line beside the search box says it.
        Binding("f", "filter", _("Filter"), show=False, id="tasks.filter"),
    ]

    def __init__(self, id: str | None = None, classes: str = "section-pane") -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.sort = "deadline"
        self._total: int | None = None
        self._domain_options: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="task-filters"):
            yield Input(placeholder=_("Search (accents not needed)…"), id="task-search",
                        compact=True)
            yield Static(_("f: filter by status, deadline, domain, official"),
                         id="filter-hint", classes="hint")
        yield TaskTable(task_columns(), empty_text=_("No task matches."), id="task-table")

    def _filters_shown(self) -> bool:
        return bool(self.query("#filter-status"))

    async def show_filters(self) -> None:
        """Mount the filter choices on first use: four Selects cost ~40 ms of the
        first frame, which a user who never filters should not pay."""
        if self._filters_shown():
            return
        await self.query_one("#filter-hint").remove()
        await self.query_one("#task-filters").mount_all([
            Select(status_options(), value=ALL, allow_blank=False, compact=True,
                   id="filter-status"),
            Select(deadline_options(), value=ALL, allow_blank=False, compact=True,
                   id="filter-deadline"),
            Select([(_("All domains"), ALL)], value=ALL, allow_blank=False, compact=True,
                   id="filter-domain"),
            Select([(_("All officials"), ALL)], value=ALL, allow_blank=False, compact=True,
                   id="filter-owner"),
        ])
        if self.screen.workspace is not None and self.screen.assessment_id is not None:
            self._fill_choices()

    @property
    def table(self) -> TaskTable:
        return self.query_one("#task-table", TaskTable)

    def invalidate(self) -> None:
        super().invalidate()
        self._total = None

    def load(self, screen, first: bool) -> None:  # noqa: ANN001
        """Fill the filter choices and the list from the screen's workspace."""
        if screen.assessment_id is not None and self._filters_shown():
            self._fill_choices()
        self.apply(keep_cursor=not first)
        self.table.set_sort_indicator(SORT_COLUMNS[self.sort])
        if first:
            self.table.focus()

    def _fill_choices(self) -> None:
        from store.queries import domains, task_owners

        screen = self.screen
        with screen.workspace.db.read() as session:
            tops = domains(session, screen.assessment_id)
            owners = task_owners(session, screen.assessment_id)
        domain_select = self.query_one("#filter-domain", Select)
        chosen = domain_select.value
        options = [(_("All domains"), ALL)] + [(f"{code}. {title}", code) for code, title in tops]
        if chosen not in (ALL, *(code for code, _title in tops)):
            options.append((str(chosen), str(chosen)))
        self._domain_options = options
        with self.prevent(Select.Changed):
            domain_select.set_options(options)
            domain_select.value = chosen
            owner_select = self.query_one("#filter-owner", Select)
            owner = owner_select.value
            owner_options = [(_("All officials"), ALL)] + [(name, key) for name, key in owners]
            owner_options.append((_("(no owner)"), NO_OWNER))
            owner_select.set_options(owner_options)
            owner_select.value = owner if owner in {v for _l, v in owner_options} else ALL

    def current_filter(self) -> TaskFilter:
        from store.queries import TaskFilter

        search = self.query_one("#task-search", Input).value
        if not self._filters_shown():
            return TaskFilter(search=search, sort=self.sort)
        status = self.query_one("#filter-status", Select).value
        deadline = str(self.query_one("#filter-deadline", Select).value)
        domain = self.query_one("#filter-domain", Select).value
        owner = self.query_one("#filter-owner", Select).value
        overdue = deadline in ("overdue", "overdue+7")
        within = {"overdue+7": 7, "7": 7, "14": 14, "30": 30}.get(deadline)
        return TaskFilter(
            status=None if status == ALL else str(status), overdue=overdue, due_within=within,
            criterion=None if domain == ALL else str(domain),
            owner_key=None if owner == ALL else ("" if owner == NO_OWNER else str(owner)),
            search=search, sort=self.sort)

    def apply(self, keep_cursor: bool = False) -> None:
        """Show the list for the current search, filters and sort."""
        screen = self.screen
        if screen.workspace is None:
            return  # not loaded yet (the Selects announce their first value at mount)
        from store.queries import open_task_list

        if screen.assessment_id is None:
            from tui.widgets.virtual_table import ListSource

            self.table.empty_text = _("No assessment yet: add one from the command palette "
                                      "(ctrl+p, \"Enter an assessment\").")
            self.table.set_source(ListSource([]))
            return
        with screen.workspace.db.read() as session:
            if self._total is None:
                from store.queries import TaskFilter

                self._total = open_task_list(session, screen.assessment_id, TaskFilter(),
                                             screen.today).count
            task_list = open_task_list(session, screen.assessment_id, self.current_filter(),
                                       screen.today, total=self._total, count_many=False)
        self.table.empty_text = _("No task matches.")
        source = TaskSource(screen.workspace.db, task_list)
        if keep_cursor and self.table.source is not None:
            self.table.set_source(source, cursor=self.table.cursor_row)
        else:
            self.table.set_source(source)
        if not source.counted:
            self._count_in_background(source)

    @work(thread=True, exclusive=True, group="task-count")
    def _count_in_background(self, source: TaskSource) -> None:
        from store.queries import count_tasks

        with source.db.read() as session:
            count = count_tasks(session, source.task_list)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, source, count)

    def _counted(self, source: TaskSource, count: int) -> None:
        if self.table.source is source:
            source.set_exact_count(count)
            self.table.refresh_count()

    async def filter_criterion(self, code: str) -> None:
        await self.show_filters()
        domain_select = self.query_one("#filter-domain", Select)
        with self.prevent(Select.Changed):
            if code not in (value for _label, value in self._domain_options):
                self._domain_options.append((code, code))
                domain_select.set_options(self._domain_options)
            domain_select.value = code
        self.apply()

    # -- events ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "task-search":
            self.apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    def on_key(self, event) -> None:  # noqa: ANN001
        if event.key in ("escape", "down") and self.screen.focused is self.query_one(
                "#task-search", Input):
            event.stop()
            self.table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.apply()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.screen.open_task(int(event.key))

    def on_virtual_table_header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        event.stop()
        for sort, column in SORT_COLUMNS.items():
            if column == event.column.key:
                self.set_sort(sort)

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "filter", "search") and isinstance(self.screen.focused, Input):
            return False
        return True

    def action_search(self) -> None:
        self.query_one("#task-search", Input).focus()

    async def action_filter(self) -> None:
        await self.show_filters()
        self.query_one("#filter-status", Select).focus()

    def action_sort(self) -> None:
        self.set_sort(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def set_sort(self, sort: str) -> None:
        self.sort = sort
        self.table.set_sort_indicator(SORT_COLUMNS[sort])
        self.apply()
        self.notify(_("Sorted by {name}.").format(name=sort_name(sort)), timeout=2)
