"""Tasks (home tab): search as you type, filters, sort, and the task list.

The list is a VirtualTable paged from SQLite: each keystroke or filter change
gives the table a new source, which counts the matches and reads one page when the
table asks, whatever the size of the list. The filters' choices are read in a
worker when the tab loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from tui.i18n import _
from tui.screens.pane_messages import TaskChosen
from tui.screens.section_pane import PaneContext, SectionPane
from tui.widgets.task_rows import AssessmentTasks, TaskSource, sort_name, task_columns
from tui.widgets.task_table import TaskTable
from tui.widgets.virtual_table import VirtualTable
from tui.words import labels
from tui.words.plain import plain, plain_options

if TYPE_CHECKING:
    from store.read.tasks import TaskFilter
    from store.read.tasks import TaskRow as StoreTaskRow

ALL = "*"
NO_OWNER = "-"
SORTS = ("deadline", "points", "status", "owner")
SORT_COLUMNS = {"deadline": "due", "points": "points", "status": "status", "owner": "owner"}
# The cells of a task row, by column (tui/widgets/task_rows.py), and the width from
# which the list shows every column.
TASK_COLUMN_KEYS = tuple(column.key for column in task_columns())
ALL_COLUMNS_FROM = max(column.min_table_width for column in task_columns())


def status_options() -> list[tuple[str, str]]:
    return [(_("All statuses"), ALL), (_("Not finished"), "open")] + [
        (labels.status(code), code) for code in ("todo", "in_progress", "done", "cancelled")]


def deadline_options() -> list[tuple[str, str]]:
    return [(_("Any deadline"), ALL), (_("Overdue"), "overdue"),
            (_("Overdue or due in 7 days"), "overdue+7"),
            (_("Due in 7 days"), "7"), (_("Due in 14 days"), "14"), (_("Due in 30 days"), "30")]


class TasksPane(SectionPane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", _("Search"), id="tasks.search"),
        Binding("s", "sort", _("Sort"), id="tasks.sort"),
        # Not in the footer: the line beside the search box says it.
        Binding("f", "filter", _("Filter"), show=False, id="tasks.filter"),
    ]

    def __init__(self, context: PaneContext | None = None, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.sort = "deadline"
        self._total: int | None = None  # the assessment's task count, once a source read it
        self._domain_options: list[tuple[str, str]] = []
        # (domains, owners) of the assessment for the filter choices, once read
        self._choices: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None
        # Tasks with an evidence file missing or changed (marked in the list).
        self.file_problems: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="task-filters"):
            yield Input(placeholder=_("Search (accents not needed)…"), id="task-search",
                        compact=True)
            yield Static(_("f: filter by status, deadline, domain, official"),
                         id="filter-hint", classes="hint")
        # Until the unit's data is open the table says so in words (no loading
        # animation on the UI thread while the first frame is built: issue 16).
        yield TaskTable(task_columns(), empty_text=_("Reading the tasks…"), id="task-table")
        yield Static("", id="task-preview")

    def on_resize(self, event: events.Resize) -> None:
        # Narrower than this, the list hides owner and status and cuts titles: the
        # highlighted task is told in full under it.
        self.set_class(event.size.width < ALL_COLUMNS_FROM, "-preview")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.table is not self.table or event.row.span:
            return
        cells = dict(zip(TASK_COLUMN_KEYS, event.row.cells, strict=False))
        preview = plain(str(cells.get("title", "")), style="bold")
        preview.append("\n")
        preview.append_text(plain(" · ".join(str(cells[key]) for key in (
            "owner", "status", "progress", "days") if key in cells)))
        self.query_one("#task-preview", Static).update(preview)

    def _filters_shown(self) -> bool:
        return bool(self.query("#filter-status"))

    async def show_filters(self) -> None:
        """Mount the filter choices on first use: four Selects cost ~40 ms of the
        first frame, which a user who never filters should not pay."""
        if self._filters_shown():
            return
        await self.query_one("#filter-hint").remove()
        await self.query_one("#task-filters").mount_all([
            Select(plain_options(status_options()), value=ALL, allow_blank=False, compact=True,
                   id="filter-status"),
            Select(plain_options(deadline_options()), value=ALL, allow_blank=False,
                   compact=True, id="filter-deadline"),
            Select([(_("All domains"), ALL)], value=ALL, allow_blank=False, compact=True,
                   id="filter-domain"),
            Select([(_("All officials"), ALL)], value=ALL, allow_blank=False, compact=True,
                   id="filter-owner"),
        ])
        if self._choices is not None:
            self._fill_choices(*self._choices)

    @property
    def table(self) -> TaskTable:
        return self.query_one("#task-table", TaskTable)

    def set_context(self, context: PaneContext | None) -> None:
        super().set_context(context)
        self._total = None

    def load(self, context: PaneContext, first: bool) -> None:
        """The list at once; the filters' choices from a worker, once the list is
        on screen (their read must not slow the first frame)."""
        self.apply(keep_cursor=not first)
        self.table.set_sort_indicator(SORT_COLUMNS[self.sort])
        if first:
            self.table.focus()
        if context.assessment_id is not None:
            self.call_after_refresh(self._read_choices, context, context.assessment_id)
            self.call_after_refresh(self._check_files, context, context.assessment_id)

    @work(thread=True, exclusive=True, group="task-files")
    def _check_files(self, context: PaneContext, assessment_id: int) -> None:
        """Which tasks have an evidence file missing or changed (reads the files:
        off the UI thread, after the list is shown)."""
        from store.evidence_files import tasks_with_file_problems

        with context.workspace.db.read() as session:
            found = tasks_with_file_problems(session, assessment_id,
                                             context.workspace.evidence_files)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._files_checked, context, found)

    def _files_checked(self, context: PaneContext, found: dict[int, str]) -> None:
        if context is not self.context or found == self.file_problems:
            return
        self.file_problems = found
        self.apply(keep_cursor=True)

    @work(thread=True, exclusive=True, group="task-choices")
    def _read_choices(self, context: PaneContext, assessment_id: int) -> None:
        from store.read.criteria import domains
        from store.read.tasks import task_owners

        with context.workspace.db.read() as session:
            tops = domains(session, assessment_id)
            owners = task_owners(session, assessment_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._choices_read, context, tops, owners)

    def _choices_read(self, context: PaneContext, tops: list[tuple[str, str]],
                      owners: list[tuple[str, str]]) -> None:
        if context is not self.context:
            return  # read for data the screen has replaced since
        self._choices = (tops, owners)
        if self._filters_shown():
            self._fill_choices(tops, owners)

    def _fill_choices(self, tops: list[tuple[str, str]], owners: list[tuple[str, str]]) -> None:
        domain_select = self.query_one("#filter-domain", Select)
        chosen = domain_select.value
        options = [(_("All domains"), ALL)] + [(f"{code}. {title}", code) for code, title in tops]
        if chosen not in (ALL, *(code for code, _title in tops)):
            options.append((str(chosen), str(chosen)))
        self._domain_options = options
        with self.prevent(Select.Changed):
            domain_select.set_options(plain_options(options))
            domain_select.value = chosen
            owner_select = self.query_one("#filter-owner", Select)
            owner = owner_select.value
            owner_options = [(_("All officials"), ALL)] + [(name, key) for name, key in owners]
            owner_options.append((_("(no owner)"), NO_OWNER))
            owner_select.set_options(plain_options(owner_options))
            owner_select.value = owner if owner in {v for _l, v in owner_options} else ALL

    def current_filter(self) -> TaskFilter:
        from store.read.tasks import TaskFilter

        search = self.query_one("#task-search", Input).value
        # A unit of a review: the tasks the supervisor withdrew, which its rows do not mark.
        withdrawn = self.context.workspace.withdrawn_task_ids if self.context else frozenset()
        if not self._filters_shown():
            return TaskFilter(search=search, sort=self.sort, withdrawn=withdrawn)
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
            search=search, sort=self.sort, withdrawn=withdrawn)

    def apply(self, keep_cursor: bool = False) -> None:
        """Show the list for the current search, filters and sort."""
        context = self.context
        if context is None:
            return  # not loaded yet (the Selects announce their first value at mount)
        if context.assessment_id is None:
            from tui.widgets.virtual_table import ListSource

            self.table.empty_text = _("No assessment yet: add one from the command palette "
                                      "(ctrl+p, \"Enter an assessment\").")
            self.table.set_source(ListSource([]))
            return
        pages = AssessmentTasks(context.assessment_id, self.current_filter(), context.today,
                                total=self._total)
        source = TaskSource(context.workspace.db, pages, context.today,
                            file_problems=self.file_problems)
        self.table.empty_text = _("No task matches.")
        # The table counts the source here, and reads the page it shows.
        if keep_cursor and self.table.source is not None:
            self.table.set_source(source, cursor=self.table.cursor_row)
        else:
            self.table.set_source(source)
        self._total = pages.total
        if not source.counted:
            self._count_in_background(source, pages)

    @work(thread=True, exclusive=True, group="task-count")
    def _count_in_background(self, source: TaskSource[StoreTaskRow],
                             pages: AssessmentTasks) -> None:
        with source.db.read() as session:
            count = pages.exact_count(session)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, source, count)

    def _counted(self, source: TaskSource[StoreTaskRow], count: int) -> None:
        if self.table.source is source:
            source.set_exact_count(count)
            self.table.refresh_count()

    async def filter_criterion(self, code: str) -> None:
        await self.show_filters()
        domain_select = self.query_one("#filter-domain", Select)
        with self.prevent(Select.Changed):
            if code not in (value for _label, value in self._domain_options):
                # Before the choices are read, "all domains" and this one.
                self._domain_options = [*(self._domain_options or [(_("All domains"), ALL)]),
                                        (code, code)]
                domain_select.set_options(plain_options(self._domain_options))
            domain_select.value = code
        self.apply()

    # -- events ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "task-search":
            self.apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key in ("escape", "down") and self.app.focused is self.query_one(
                "#task-search", Input):
            event.stop()
            self.table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.apply()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.post_message(TaskChosen(int(event.key)))

    def on_virtual_table_header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        event.stop()
        for sort, column in SORT_COLUMNS.items():
            if column == event.column.key:
                self.set_sort(sort)

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "filter", "search") and isinstance(self.app.focused, Input):
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
