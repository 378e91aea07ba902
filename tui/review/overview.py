"""Overview of every unit: totals, a chart, and one row per unit to sort, filter and
search. The rows are in memory (a few thousand), so every keystroke re-selects
them instantly; the data comes from the app's read-only review database."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from tui.words import format as fmt
from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.review.app import review_app
from tui.review.sources import OverviewSource, overview_columns
from tui.widgets.bar_chart import Bar, chart_lines
from tui.widgets.virtual_table import VirtualTable
from tui.words import review as words
from tui.words.plain import plain, plain_options

if TYPE_CHECKING:
    from textual.widgets import Select

    from store.assign.overview import UnitAssignments
    from store.review.overview import ChartBar, UnitOverviewRow

FILTERS = ("overdue", "stale", "warnings", "not_held")
CHARTS = ("percent_done", "overdue_by_domain")
CHART_ROWS = 6  # more bars go in two columns
NEWEST = "newest"  # the assessment selector's value for each unit's newest


class OverviewScreen(Screen[None]):
    AUTO_FOCUS = "#review-units"
    BINDINGS = [
        Binding("slash", "search", _("Search"), id="review.overview.search"),
        Binding("t", "all_tasks", _("All tasks"), id="review.overview.all-tasks"),
        Binding("s", "next_sort", _("Sort"), id="review.overview.sort"),
        Binding("i", "receive", _("Receive"), id="review.overview.receive"),
        Binding("a", "assign", _("Assign"), id="review.overview.assign"),
        Binding("r", "reverse_sort", _("Reverse order"), show=False,
                id="review.overview.reverse"),
        Binding("o", "toggle_filter('overdue')", _("Only units with overdue tasks"),
                show=False, id="review.overview.filter-overdue"),
        Binding("l", "toggle_filter('stale')", _("Only units without a recent bundle"),
                show=False, id="review.overview.filter-stale"),
        Binding("w", "toggle_filter('warnings')", _("Only units with warnings"), show=False,
                id="review.overview.filter-warnings"),
        Binding("u", "toggle_filter('not_held')",
                _("Only units that have not imported the latest assignment"), show=False,
                id="review.overview.filter-not-held"),
        Binding("y", "choose_assessment", _("Assessment summarised"), show=False,
                id="review.overview.assessment"),
        Binding("g", "next_chart", _("Other chart"), show=False, id="review.overview.chart"),
        Binding("escape", "leave_search", show=False, id="review.overview.leave-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[UnitOverviewRow] = []
        self.shown: list[UnitOverviewRow] = []
        self.filters: set[str] = set()
        self.sort = "code"
        self.descending = False
        self.chart = CHARTS[0]
        self.domain_bars: list[ChartBar] | None = None  # read when first shown
        # The shown units by share done, counted when they change (not at each resize).
        self.percent_done_bars: list[ChartBar] = []
        self.today: dt.date | None = None
        # Unit code -> its assignments (store.assign.overview), read after the rows.
        self.assignments: dict[str, UnitAssignments] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the review database…"), id="review-totals")
        yield Static("", id="review-chart")
        with Horizontal(id="review-search-bar", classes="search-bar"):
            yield Label(_("Search:"), classes="search-label")
            yield Input(placeholder=_("unit name or code"), id="review-search")
            yield Static("", id="review-filters", classes="filter-state")
            # The assessment selector joins here when the units reported several
            # (issue 14, item 6): mounted then, not hidden from the start, as the
            # receive progress bar below (each new kind of widget is styled once
            # more before the first frame).
        # Until the rows come, the table says so in words: Textual's loading indicator
        # animates on the UI thread while the first frame is being built (issue 16).
        yield VirtualTable(overview_columns(), empty_text=_("Reading the units…"),
                           id="review-units")
        with Horizontal(id="receive-progress"):
            yield Label("", id="receive-progress-label")
        yield KeysFooter()

    # -- data ------------------------------------------------------------------

    def show_data(self, rows: "list[UnitOverviewRow]", today: dt.date) -> None:
        """Fill the screen (called by the app once the worker has read the data)."""
        self.all_rows = self._with_assignments(rows)
        self.today = today
        if self.domain_bars is not None:  # received again: read it again
            self.domain_bars = None
            if self.chart == "overdue_by_domain":
                review_app(self).load_domain_chart(today)
        table = self.query_one("#review-units", VirtualTable)
        table.empty_text = (_("No unit matches.") if rows else
                            _("No bundle received yet. Press i to receive bundle files."))
        if not isinstance(self.focused, Input):
            table.focus()
        self._apply(keep_cursor=True)

    def show_assessment_choices(self, choices: list[tuple[str, int]],
                                summarised: tuple[str, int] | None) -> None:
        """The assessments the overview can summarise; the selector shows only when
        there are several (filled after a refresh: at the first data the selector's
        own parts may not be composed yet)."""
        selector = self.assessment_selector
        if len(choices) <= 1 and (selector is None or not selector.display):
            return
        self.call_after_refresh(self._fill_assessment_choices, choices, summarised)

    @property
    def assessment_selector(self) -> Select | None:
        """The assessment selector, once the units reported several assessments."""
        from textual.widgets import Select

        found = self.query("#review-assessment")
        return found.only_one(Select) if found else None

    def _fill_assessment_choices(self, choices: list[tuple[str, int]],
                                 summarised: tuple[str, int] | None) -> None:
        from textual.widgets import Select

        options = plain_options([
            (_("newest of each unit"), NEWEST),
            *((f"{index} {year}", f"{index} {year}") for index, year in choices)])
        value = NEWEST if summarised is None else f"{summarised[0]} {summarised[1]}"
        selector = self.assessment_selector
        if selector is None:
            # Its Changed on mount carries the value summarised: summarise() ignores it.
            selector = Select(options, value=value, allow_blank=False, compact=True,
                              id="review-assessment")
            self.query_one("#review-search-bar", Horizontal).mount(selector)
        elif not selector.is_mounted:
            # A Select's own parts are composed as it mounts (set_options needs them):
            # a call on its own queue runs once it has mounted.
            selector.call_later(self._fill_assessment_choices, choices, summarised)
            return
        else:
            with selector.prevent(Select.Changed):  # not a choice of the user's
                selector.set_options(options)
                selector.value = value
        selector.display = len(choices) > 1

    def on_select_changed(self, event: "Select.Changed") -> None:
        if event.select.id != "review-assessment":
            return
        event.stop()
        value = str(event.value)
        if value == NEWEST:
            review_app(self).summarise(None)
        else:
            index, _space, year = value.partition(" ")
            review_app(self).summarise((index, int(year)))

    def show_assignments(self, assignments: "dict[str, UnitAssignments]") -> None:
        """The assignments issued to the units (read after the rows): their columns
        appear once the review has issued any."""
        self.assignments = assignments
        table = self.query_one("#review-units", VirtualTable)
        if bool(assignments) != any(c.key == "held" for c in table.columns):
            table.set_columns(overview_columns(assignments=bool(assignments)))
        self.all_rows = self._with_assignments(self.all_rows)
        if self.today is not None:
            self._apply(keep_cursor=True)

    def _with_assignments(self, rows: "list[UnitOverviewRow]") -> "list[UnitOverviewRow]":
        from dataclasses import replace

        return [row if self.assignments.get(row.code) is row.assignment
                else replace(row, assignment=self.assignments.get(row.code)) for row in rows]

    def show_failure(self, message: str) -> None:
        """The database cannot be used: no rows, and why."""
        self.all_rows, self.shown = [], []
        table = self.query_one("#review-units", VirtualTable)
        table.empty_text = message
        table.set_source(OverviewSource([]))
        self.query_one("#review-totals", Static).update("")
        self.query_one("#review-chart", Static).update("")

    def _database_ready(self) -> bool:
        """The unit and task screens need the checked database, opened in a worker
        beside the overview's first read."""
        if review_app(self).review_db is None:
            self.notify(_("The review database is still opening; try again in a moment."),
                        timeout=4)
            return False
        return True

    def _apply(self, keep_cursor: bool = False) -> None:
        from store.review.overview import select_units, units_by_percent_done

        table = self.query_one("#review-units", VirtualTable)
        key = table.cursor_key if keep_cursor else None
        search = self.query_one("#review-search", Input).value
        self.shown = select_units(self.all_rows, search=search, filters=self.filters,
                                  sort=self.sort, descending=self.descending)
        self.percent_done_bars = units_by_percent_done(self.shown)
        table.set_source(OverviewSource(self.shown, assignments=bool(self.assignments)))
        table.set_sort_indicator(self.sort, self.descending)
        if key is not None:
            index = next((i for i, row in enumerate(self.shown) if row.unit_id == key), None)
            if index is not None:
                table.move_cursor(index)
        self._show_totals()
        self._show_chart()

    def _show_totals(self) -> None:
        from store.review.overview import overview_totals

        totals = overview_totals(self.all_rows)
        self.query_one("#review-totals", Static).update(
            plain(words.totals_text(totals, len(self.shown)), lines=True))
        names = {"overdue": _("overdue"), "stale": _("no recent bundle"),
                 "warnings": _("warnings"),
                 "not_held": _("has not imported the latest assignment")}
        active = [names[f] for f in FILTERS if f in self.filters]
        self.query_one("#review-filters", Static).update(
            plain(_("Only: {filters}").format(filters=", ".join(active))) if active else "")

    def _show_chart(self) -> None:
        chart = self.query_one("#review-chart", Static)
        # On a short terminal (80x24) the units need the room more than the chart.
        chart.display = self.size.height >= 28
        width = max(self.size.width - 4, 30)
        bars: list[Bar] | None
        if self.chart == "percent_done":
            title = _("Units by share of tasks done")
            bars = [Bar(words.percent_bucket(b.key), b.value, fmt.number(b.value))
                    for b in self.percent_done_bars]
        else:
            title = _("Overdue tasks by domain (all units)")
            bars = None if self.domain_bars is None else [
                Bar(words.domain_label(b), b.value, fmt.number(b.value)) for b in self.domain_bars]
        if bars is None:
            lines = [Text(_("Counting…"))]
        else:
            lines = chart_lines(bars, width, max_rows=CHART_ROWS) or [Text(_("Nothing to show."))]
        chart.update(Text("\n").join([Text(title), *lines]))

    @property
    def highlighted(self) -> "UnitOverviewRow | None":
        table = self.query_one("#review-units", VirtualTable)
        if not self.shown:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    # -- events and actions ------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "review-search" and self.today is not None:
            self._apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#review-units", VirtualTable).focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        if event.table.id == "review-units":
            self.open_unit(event.key)

    def on_virtual_table_header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        self.sort_by(event.column.key)

    def sort_by(self, column: str) -> None:
        if column == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, False
        if self.today is not None:
            self._apply(keep_cursor=True)

    def open_unit(self, unit_id: object) -> None:
        row = next((r for r in self.all_rows if r.unit_id == unit_id), None)
        if row is not None and self.today is not None and self._database_ready():
            from tui.review.unit import UnitScreen

            app = review_app(self)
            self.app.push_screen(UnitScreen(row, self.today, app.review_db, app.summarised))

    def action_search(self) -> None:
        self.query_one("#review-search", Input).focus()

    def action_leave_search(self) -> None:
        search = self.query_one("#review-search", Input)
        if search.has_focus and search.value:
            search.value = ""
        self.query_one("#review-units", VirtualTable).focus()

    def action_next_sort(self) -> None:
        names = {c.key: c.label for c in overview_columns(assignments=bool(self.assignments))}
        shown = list(names)  # the store's sort columns, in the table's order
        following = shown[(shown.index(self.sort) + 1) % len(shown)] \
            if self.sort in shown else shown[0]
        self.sort, self.descending = following, False
        if self.today is not None:
            self._apply(keep_cursor=True)
        self.notify(_("Sorted by {column}.").format(column=names[following]), timeout=2)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort)

    def action_toggle_filter(self, name: str) -> None:
        self.filters ^= {name}
        if self.today is not None:
            self._apply()

    def action_next_chart(self) -> None:
        self.chart = CHARTS[(CHARTS.index(self.chart) + 1) % len(CHARTS)]
        if self.today is not None:
            if self.chart == "overdue_by_domain" and self.domain_bars is None:
                review_app(self).load_domain_chart(self.today)
            self._show_chart()

    def show_domain_chart(self, bars: "list[ChartBar]") -> None:
        self.domain_bars = bars
        self._show_chart()

    def action_all_tasks(self) -> None:
        if self.today is not None and self._database_ready():
            from tui.review.tasks import AllTasksScreen

            withdrawn = frozenset().union(*(row.withdrawn_task_ids for row in self.all_rows))
            self.app.push_screen(AllTasksScreen(self.today, withdrawn=withdrawn))

    def action_receive(self) -> None:
        review_app(self).action_receive()

    def action_choose_assessment(self) -> None:
        selector = self.assessment_selector
        if selector is not None and selector.display:
            selector.focus()
            selector.action_show_overlay()

    def action_assign(self) -> None:
        review_app(self).action_assign()

    def show_receiving(self, done: int, total: int | None) -> None:
        """The progress line while bundles are received; total None hides it."""
        line = self.query_one("#receive-progress", Horizontal)
        line.set_class(total is not None, "receiving")
        if total is not None:
            from textual.widgets import ProgressBar

            self.query_one("#receive-progress-label", Label).update(
                plain(words.receive_progress(done, total)))
            found = line.query("#receive-progress-bar")
            if found:
                bar = found.only_one(ProgressBar)
            else:  # the first receive of this window
                bar = ProgressBar(id="receive-progress-bar", show_eta=False)
                line.mount(bar)
            bar.update(total=total, progress=done)

    def on_resize(self) -> None:
        if self.today is not None:
            self._show_chart()
