"""Criteria tab: the tree domain -> criterion -> sub-criterion with points, the
points lost per domain as a bar chart, and the highlighted criterion's tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui.i18n import _
from tui.screens.section_pane import SectionPane
from tui.widgets.bar_chart import BarChart
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt, labels

if TYPE_CHECKING:
    from store.queries import CriterionRow

NEEDS_TASK_MARK = "✗"


def criteria_columns() -> list[Column]:
    return [
        Column("criterion", _("Criterion"), fr=2, min_width=20),
        Column("max", _("Max"), width=6, align="right"),
        Column("score", _("Score"), width=5, align="right"),
        Column("lost", _("Lost"), width=6, align="right"),
        Column("tasks", _("Tasks"), width=9),
        Column("finding", _("Finding"), fr=2, min_table_width=140),
    ]


def criterion_row(row: CriterionRow) -> Row:
    name = Text("  " * row.depth + f"{row.code} {row.title}")
    if row.depth == 0:
        name.stylize("bold")
    lost = row.points_lost
    if row.needs_task:
        tasks = f"{NEEDS_TASK_MARK} {_('none')}"
    else:
        tasks = str(row.tasks) if row.tasks else "—"
    tone = "danger" if row.needs_task else ("warning" if lost > 0 else None)
    return Row(row.id, (name, fmt.points(row.max_points), fmt.points(row.score),
                        f"−{fmt.points(lost)}" if lost > 0 else "", tasks, row.finding or ""),
               tone=tone)


class CriteriaTable(VirtualTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("See tasks"), id="criteria.tasks"),
    ]


class CriteriaPane(SectionPane, Horizontal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_criterion", _("Add criterion"), id="criteria.add"),
        Binding("e", "edit_criterion", _("Edit criterion"), id="criteria.edit"),
    ]

    def __init__(self, id: str | None = None, classes: str = "section-pane") -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._rows: dict[int, CriterionRow] = {}

    def compose(self) -> ComposeResult:
        yield CriteriaTable(criteria_columns(),
                            empty_text=_("No criteria yet: press a to add the letter's "
                                         "criteria."), id="criteria-table")
        with VerticalScroll(id="criteria-side"):
            yield Static(_("Points lost per domain"), classes="section-title")
            yield BarChart(id="loss-chart")
            yield Static("", id="criterion-detail")

    @property
    def table(self) -> CriteriaTable:
        return self.query_one(CriteriaTable)

    def load(self, screen, first: bool) -> None:  # noqa: ANN001
        from store.queries import criteria_rows

        rows = []
        if screen.assessment_id is not None:
            with screen.workspace.db.read() as session:
                rows = criteria_rows(session, screen.assessment_id)
        self._rows = {row.id: row for row in rows}
        self.table.set_source(ListSource([criterion_row(row) for row in rows]),
                              cursor=self.table.cursor_row)
        self.query_one(BarChart).set_bars([
            (f"{row.code} {row.title}", row.points_lost, fmt.points(row.points_lost))
            for row in rows if row.depth == 0])
        if not rows:
            self.query_one("#criterion-detail", Static).update("")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        event.stop()
        row = self._rows.get(int(event.key))
        if row is not None:
            self.query_one("#criterion-detail", Static).update(self._detail(row))

    def _detail(self, row: CriterionRow) -> Text:
        from store.queries import TaskFilter, TaskList, task_page

        screen = self.screen
        text = Text()
        text.append(f"{row.code} {row.title}\n", style="bold")
        text.append(_("Max {max} · score {score} · lost {lost}").format(
            max=fmt.points(row.max_points), score=fmt.points(row.score),
            lost=fmt.points(row.points_lost)) + "\n")
        if row.finding:
            text.append(_("Finding: {finding}").format(finding=row.finding) + "\n")
        if row.needs_task:
            text.append(f"{NEEDS_TASK_MARK} " + _("no remediation task yet") + "\n",
                        style="bold reverse")
        task_list = TaskList(screen.assessment_id, TaskFilter(criterion=row.code),
                             screen.today, count=0, trigram=False)
        with screen.workspace.db.read() as session:
            tasks = task_page(session, task_list, 0, 8)
        if tasks:
            text.append("\n" + _("Tasks:") + "\n")
            for task in tasks:
                text.append(f"• {task.title} ({labels.status(task.status)})\n")
            text.append("\n" + _("Enter: the list of these tasks"), style="italic")
        return text

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        row = self._rows.get(int(event.key))
        if row is not None:
            self.screen.show_tasks_of(row.code)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_criterion", "edit_criterion"):
            if not self.screen.editable or self.screen.assessment_id is None:
                return False
            if action == "edit_criterion" and self.table.cursor_key is None:
                return False
        return True

    def action_add_criterion(self) -> None:
        self._open_form(None)

    def action_edit_criterion(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self._open_form(int(key))

    def _open_form(self, criterion_id: int | None) -> None:
        from tui.screens.letter_forms import CriterionForm

        screen = self.screen
        if not screen.editable or screen.assessment_id is None:
            return
        self.app.push_screen(CriterionForm(screen.workspace, screen.assessment_id, criterion_id))
