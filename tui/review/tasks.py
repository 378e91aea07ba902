"""Every task of every unit in one virtual list: search, status filter, one unit or
all, sorted by points at stake, deadline, unit or last update. A search is counted
and its first page read in a worker (the keys of one frame together, a newer search
stopping the older); the other keys swap the table's source at once. The table
reads only the page on screen."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static
from textual.worker import get_current_worker

from tui.i18n import _, ngettext
from tui.widgets.keys_footer import KeysFooter
from tui.review.app import review_app
from tui.review.sources import ReviewTasks, unit_label
from tui.widgets.task_rows import TaskSource, sort_name, task_columns
from tui.widgets.virtual_table import VirtualTable
from tui.words import format as fmt, labels
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.review.tasks import TaskQuery

STATUS_CYCLE: tuple[str | None, ...] = (None, "overdue", "open", "todo", "in_progress", "done",
                                        "cancelled")
SORT_CYCLE = ("points", "due", "unit", "updated")


def status_filter_name(status: str | None) -> str:
    if status is None:
        return _("all")
    if status == "overdue":
        return _("overdue")
    if status == "open":
        return _("not finished")
    return labels.status(status)


class AllTasksScreen(Screen[None]):
    AUTO_FOCUS = "#all-tasks"
    BINDINGS = [
        Binding("slash", "search", _("Search"), id="review.tasks.search"),
        Binding("f", "next_status", _("Status filter"), id="review.tasks.status"),
        Binding("s", "next_sort", _("Sort"), id="review.tasks.sort"),
        Binding("u", "unit_filter", _("This unit / all"), id="review.tasks.unit"),
        Binding("escape", "back", _("Back"), id="review.tasks.back"),
    ]

    def __init__(self, today: dt.date, unit_id: int | None = None,
                 unit_name: str | None = None, *,
                 withdrawn: frozenset[int] = frozenset()) -> None:
        """withdrawn: the ids of every unit's tasks the supervisor withdrew, as the
        overview's worker read them (UnitOverviewRow.withdrawn_task_ids): each query
        of this list leaves them out of "open" and "overdue" and marks their rows."""
        from store.review.tasks import TaskQuery

        super().__init__()
        self.today = today
        self.query_state = TaskQuery(unit_id=unit_id, withdrawn=withdrawn)
        self.unit_name = unit_name
        # Every change of what is listed counts one up; a search's result is shown
        # only if nothing changed since it started.
        self._list_generation = 0
        self.shown_generation = 0
        self._search_waiting = False
        # The connection of the search running in its worker (interrupted by the next).
        self._search_connection: sqlite3.Connection | None = None
        self._search_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="search-bar"):
            yield Label(_("Search:"), classes="search-label")
            yield Input(placeholder=_("words of the task, its criteria or owner"),
                        id="tasks-search")
        yield Static("", id="tasks-state")
        yield VirtualTable(task_columns(with_unit=True), empty_text=_("No task matches."),
                           id="all-tasks")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_source()

    def refresh_source(self) -> None:
        """Show the list for the current query at once (a filter, sort or unit key)."""
        self._list_generation += 1
        source = self._source(self.query_state)
        self.query_one("#all-tasks", VirtualTable).set_source(source)
        self._show_state(source.count())
        self.shown_generation = self._list_generation

    def _source(self, query: "TaskQuery") -> TaskSource:
        return TaskSource(review_app(self).review_db, ReviewTasks(query, self.today),
                          self.today, unit_label=unit_label)

    def _show_state(self, count: int) -> None:
        parts = [ngettext("{n} task", "{n} tasks", count).format(n=fmt.number(count)),
                 _("status: {status}").format(status=status_filter_name(self.query_state.status)),
                 _("by {sort}").format(sort=sort_name(self.query_state.sort))]
        if self.query_state.unit_id is not None:
            parts.append(_("unit: {unit}").format(unit=self.unit_name or ""))
        self.query_one("#tasks-state", Static).update(plain(" · ".join(parts)))
        self.sub_title = _("All tasks") if self.query_state.unit_id is None else (
            self.unit_name or "")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A search key: counted and read in a worker, never on the UI thread (56,000
        tasks take tens of ms a query). Keys typed within one frame make one search;
        a new search stops the one still running."""
        self.query_state = self.query_state.but(search=event.value)
        self._list_generation += 1
        if not self._search_waiting:
            self._search_waiting = True
            self.call_after_refresh(self._start_search)

    def _start_search(self) -> None:
        self._search_waiting = False
        with self._search_lock:
            if self._search_connection is not None:
                self._search_connection.interrupt()  # its result would be dropped anyway
        self.search_tasks(self.query_state, self._list_generation)

    @work(thread=True, exclusive=True, group="all-tasks-search")
    def search_tasks(self, query: "TaskQuery", generation: int) -> None:
        from sqlalchemy.exc import OperationalError

        from store.snapshot import raw_connection

        worker = get_current_worker()
        source = self._source(query)
        db = review_app(self).review_db
        assert db is not None
        try:
            with db.read() as session:
                with self._search_lock:
                    self._search_connection = raw_connection(session)
                try:
                    source.preload(session)
                finally:
                    with self._search_lock:
                        self._search_connection = None
        except OperationalError:
            if worker.is_cancelled or generation != self._list_generation:
                return  # interrupted by a newer search
            raise
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_search, generation, source)

    def _show_search(self, generation: int, source: TaskSource) -> None:
        if generation != self._list_generation:
            return  # a newer key or filter came meanwhile
        self.query_one("#all-tasks", VirtualTable).set_source(source)
        self._show_state(source.count())
        self.shown_generation = generation

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#all-tasks", VirtualTable).focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter on a task opens its unit."""
        source = event.table.source
        if not isinstance(source, TaskSource) or not isinstance(event.key, int):
            return
        task = source.read.get(event.key)
        overview = review_app(self).overview
        if task is not None and overview is not None:
            overview.open_unit(task.unit_id)

    def action_search(self) -> None:
        self.query_one("#tasks-search", Input).focus()

    def action_next_status(self) -> None:
        index = STATUS_CYCLE.index(self.query_state.status)
        self.query_state = self.query_state.but(
            status=STATUS_CYCLE[(index + 1) % len(STATUS_CYCLE)])
        self.refresh_source()

    def action_next_sort(self) -> None:
        index = SORT_CYCLE.index(self.query_state.sort)
        self.query_state = self.query_state.but(sort=SORT_CYCLE[(index + 1) % len(SORT_CYCLE)])
        self.refresh_source()

    def action_unit_filter(self) -> None:
        """Only the highlighted task's unit; pressed again, every unit."""
        if self.query_state.unit_id is not None:
            self.query_state = self.query_state.but(unit_id=None)
        else:
            table = self.query_one("#all-tasks", VirtualTable)
            source, key = table.source, table.cursor_key
            task = (source.read.get(key)
                    if isinstance(source, TaskSource) and isinstance(key, int) else None)
            if task is None:
                return
            self.query_state = self.query_state.but(unit_id=task.unit_id)
            self.unit_name = unit_label(task)
        self.refresh_source()

    def action_back(self) -> None:
        search = self.query_one("#tasks-search", Input)
        if search.has_focus and search.value:
            search.value = ""
            return
        if search.has_focus:
            self.query_one("#all-tasks", VirtualTable).focus()
            return
        self.dismiss()
