"""Criteria tab: the tree domain -> criterion -> sub-criterion with points, the
points lost per domain as a bar chart, and the highlighted criterion's tasks (read
by a worker, so moving the cursor never waits for the database)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.i18n import _
from tui.screens.pane_messages import CriterionChosen
from tui.screens.section_pane import PaneContext, SectionPane
from tui.widgets.bar_chart import Bar, BarChart
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt, labels
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.causes import CriterionCause
    from store.read.criteria import CriterionRow, DomainComparison
    from store.read.tasks import TaskRow

NEEDS_TASK_MARK = "✗"


def criteria_columns(previous_year: int | None = None) -> list[Column]:
    """The tree's columns; previous_year: a column with each domain's score that year
    (the previous year's assessment of the same index, when the unit holds it)."""
    columns = [
        Column("criterion", _("Criterion"), fr=2, min_width=20),
        Column("max", _("Max"), width=6, align="right"),
        Column("score", _("Score"), width=5, align="right"),
        Column("lost", _("Lost"), width=6, align="right"),
        Column("tasks", _("Tasks"), width=9),
        Column("finding", _("Finding"), fr=2, min_table_width=140),
    ]
    if previous_year is not None:
        columns.insert(3, Column("previous", _("Score {year}").format(year=previous_year),
                                 width=10, align="right"))
    return columns


def previous_score(row: CriterionRow, comparison: DomainComparison | None) -> str:
    """A domain's score in the previous year's assessment ("—": it had no such
    domain); "" for a criterion below a domain (criteria change from year to year,
    domains are what the letters compare)."""
    if comparison is None or row.depth != 0:
        return ""
    before = comparison.domains.get(row.code)
    return fmt.points(before.score) if before is not None else "—"


def lost_text(row: CriterionRow, comparison: DomainComparison | None) -> str:
    """A domain's points lost for its bar, the previous year's in brackets."""
    lost = fmt.points(row.points_lost)
    if comparison is None:
        return lost
    before = comparison.domains.get(row.code)
    return f"{lost} ({fmt.points(before.points_lost) if before is not None else '—'})"


def comparison_text(row: CriterionRow, comparison: DomainComparison | None) -> Text:
    """A domain's points beside the previous year's, in words (empty: nothing to say)."""
    if comparison is None or row.depth != 0:
        return Text()
    before = comparison.domains.get(row.code)
    if before is None:
        return plain(_("Not among the domains of {title} ({year}).").format(
            title=comparison.title, year=comparison.year)).append("\n")
    text = plain(_("{year} ({title}): {score}/{max}, {lost} lost.").format(
        year=comparison.year, title=comparison.title, score=fmt.points(before.score),
        max=fmt.points(before.max_points), lost=fmt.points(before.points_lost))).append("\n")
    difference = round(row.points_lost - before.points_lost, 2)
    if difference < 0:
        change = _("This year: {points} points fewer lost.").format(
            points=fmt.points(-difference))
    elif difference > 0:
        change = _("This year: {points} points more lost.").format(points=fmt.points(difference))
    else:
        change = _("This year: as many points lost.")
    # the line feeds are ours, not data: plain() would show them as \n
    text.append_text(plain(change, style="bold")).append("\n")
    return text


def criterion_row(row: CriterionRow, comparison: DomainComparison | None = None) -> Row:
    name = plain("  " * row.depth + f"{row.code} {row.title}")
    if row.depth == 0:
        name.stylize("bold")
    lost = row.points_lost
    if row.needs_task:
        tasks = _("{mark} no task").format(mark=NEEDS_TASK_MARK)
    else:
        tasks = str(row.tasks) if row.tasks else "—"
    tone = "danger" if row.needs_task else ("warning" if lost > 0 else None)
    cells = [name, fmt.points(row.max_points), fmt.points(row.score),
             f"−{fmt.points(lost)}" if lost > 0 else "", tasks, row.finding or ""]
    if comparison is not None:
        cells.insert(3, previous_score(row, comparison))
    return Row(row.id, tuple(cells), tone=tone)


class CriteriaTable(VirtualTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("See tasks"), id="criteria.tasks"),
    ]


class CriteriaPane(SectionPane):
    DEFAULT_CSS: ClassVar[str] = """
    CriteriaPane {
        layout: horizontal;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_criterion", _("Add criterion"), id="criteria.add"),
        Binding("e", "edit_criterion", _("Edit criterion"), id="criteria.edit"),
        Binding("c", "edit_cause", _("Cause"), id="criteria.cause"),
        Binding("g", "toggle_chart", _("Chart of lost points / the criterion"), show=False,
                id="criteria.chart"),
    ]

    # How many of a criterion's tasks the detail lists.
    TASKS_SHOWN = 8

    def __init__(self, context: PaneContext | None = None, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self._rows: dict[int, CriterionRow] = {}
        # criterion code -> its first tasks, read since the tab last loaded
        self._tasks_of: dict[str, list[TaskRow]] = {}
        self._causes: dict[int, CriterionCause] = {}  # the unit's cause per criterion
        # The previous year's domains of the same index, when the unit holds them.
        self._comparison: DomainComparison | None = None

    def compose(self) -> ComposeResult:
        yield CriteriaTable(criteria_columns(),
                            empty_text=_("No criteria yet: press a to add the letter's "
                                         "criteria."), id="criteria-table")
        with VerticalScroll(id="criteria-side"):
            yield Static(_("Points lost per domain"), classes="section-title",
                         id="chart-title")
            yield BarChart(id="loss-chart")
            yield Static("", id="criterion-detail")

    @property
    def table(self) -> CriteriaTable:
        return self.query_one(CriteriaTable)

    def load(self, context: PaneContext, first: bool) -> None:
        from store.read.criteria import criteria_rows, criterion_causes, domain_comparison

        rows = []
        comparison = None
        if context.assessment_id is not None:
            with context.workspace.db.read() as session:
                rows = criteria_rows(session, context.assessment_id)
                self._causes = criterion_causes(session, [row.id for row in rows])
                comparison = domain_comparison(session, context.assessment_id)
        if (comparison and comparison.year) != (self._comparison and self._comparison.year):
            self.table.set_columns(criteria_columns(comparison.year if comparison else None))
        self._comparison = comparison
        self._rows = {row.id: row for row in rows}
        self._tasks_of = {}
        self.table.set_source(ListSource([criterion_row(row, comparison) for row in rows]),
                              cursor=self.table.cursor_row)
        self.query_one(BarChart).set_bars([
            Bar(f"{row.code} {row.title}", row.points_lost, lost_text(row, comparison))
            for row in rows if row.depth == 0])
        self.query_one("#chart-title", Static).update(
            plain(_("Points lost per domain ({year} in brackets)").format(year=comparison.year))
            if comparison is not None else _("Points lost per domain"))
        if not rows:
            self.query_one("#criterion-detail", Static).update("")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        event.stop()
        row = self._rows.get(int(event.key))
        self.refresh_bindings()  # the cause key is offered on criteria that lost points
        if row is None:
            return
        tasks = self._tasks_of.get(row.code)
        self._show_detail(row, tasks)
        if tasks is None and self.context is not None:
            self._read_tasks(self.context, row)

    @work(thread=True, exclusive=True, group="criterion-tasks")
    def _read_tasks(self, context: PaneContext, row: CriterionRow) -> None:
        """The first tasks working on the criterion, for its detail."""
        from store.read.tasks import TaskFilter, TaskList, task_page

        assert context.assessment_id is not None  # a criterion belongs to one
        task_list = TaskList(context.assessment_id, TaskFilter(criterion=row.code),
                             context.today, count=0, trigram=False)
        with context.workspace.db.read() as session:
            tasks = task_page(session, task_list, 0, self.TASKS_SHOWN)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._tasks_read, context, row, tasks)

    def _tasks_read(self, context: PaneContext, row: CriterionRow,
                    tasks: list[TaskRow]) -> None:
        if context is not self.context:
            return  # read for data the screen has replaced since
        self._tasks_of[row.code] = tasks
        if self.table.cursor_key == row.id:
            self._show_detail(row, tasks)

    def _show_detail(self, row: CriterionRow, tasks: list[TaskRow] | None) -> None:
        self.query_one("#criterion-detail", Static).update(self._detail(row, tasks))

    def _detail(self, row: CriterionRow, tasks: list[TaskRow] | None) -> Text:
        """The criterion in full; its tasks once read (None: not yet)."""
        text = Text()
        text.append(plain(f"{row.code} {row.title}", style="bold"))
        text.append("\n")
        text.append(plain(_("Max {max} · score {score} · lost {lost}").format(
            max=fmt.points(row.max_points), score=fmt.points(row.score),
            lost=fmt.points(row.points_lost))))
        text.append("\n")
        if row.finding:
            text.append(plain(_("Finding: {finding}").format(finding=row.finding), lines=True))
            text.append("\n")
        text.append_text(comparison_text(row, self._comparison))
        text.append_text(self._cause(row))
        if row.needs_task:
            text.append(NEEDS_TASK_MARK + " " + _("no remediation task yet"),
                        style="bold reverse")
            text.append("\n")
        if tasks:
            text.append("\n" + _("Tasks:") + "\n")
            for task in tasks:
                text.append(plain(f"• {task.title} ({labels.status(task.status)})"))
                text.append("\n")
            text.append("\n" + _("Enter: the list of these tasks"), style="italic")
        return text

    def _cause(self, row: CriterionRow) -> Text:
        """The unit's cause of the lost points and its kind (c: edit)."""
        if row.points_lost <= 0:
            return Text()
        cause = self._causes.get(row.id)
        if cause is None or not cause.cause:
            # A domain's loss is told on the criteria below it that lost the points.
            if any(other.code.startswith(f"{row.code}.") and other.points_lost > 0
                   for other in self._rows.values()):
                return Text()
            return Text(_("Cause: not recorded yet (c)") + "\n", style="italic")
        return plain(_("Cause ({kind}): {cause}").format(
            kind=labels.cause_kind(cause.cause_kind), cause=cause.cause) + "\n", lines=True)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        row = self._rows.get(int(event.key))
        if row is not None:
            self.post_message(CriterionChosen(row.code))

    def action_toggle_chart(self) -> None:
        """Where the screen is small (80x24) the side shows either the chart of lost
        points or the highlighted criterion; elsewhere both, and g does nothing."""
        self.toggle_class("-chart")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_criterion", "edit_criterion", "edit_cause"):
            context = self.context
            if context is None or not context.editable or context.assessment_id is None:
                return False
            if action != "add_criterion" and self.table.cursor_key is None:
                return False
            if action == "edit_cause":
                row = self._rows.get(int(self.table.cursor_key))
                return row is not None and row.points_lost > 0
        return True

    def action_edit_cause(self) -> None:
        from tui.screens.cause_form import CauseForm

        key, context = self.table.cursor_key, self.context
        if key is None or context is None or not context.editable:
            return
        # Back on the workspace, the tab reads its criteria and causes again.
        self.app.push_screen(CauseForm(context.workspace, int(key)), self._cause_saved)

    def _cause_saved(self, saved: bool | None) -> None:
        if saved:
            self.notify(_("The cause was saved."))

    def action_add_criterion(self) -> None:
        self._open_form(None)

    def action_edit_criterion(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self._open_form(int(key))

    def _open_form(self, criterion_id: int | None) -> None:
        from tui.screens.letter_forms import CriterionForm

        context = self.context
        if context is None or not context.editable or context.assessment_id is None:
            return
        self.app.push_screen(CriterionForm(context.workspace, context.assessment_id,
                                           criterion_id))
