"""Deadlines tab: open tasks and reporting duties by due date, grouped as overdue,
this week, this month and later, with the days left."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from tui.i18n import _
from tui.screens.section_pane import SectionPane
from tui.widgets.task_table import DeadlineSource, TaskTable, deadline_columns
from tui.widgets.virtual_table import ListSource, VirtualTable


class DeadlinesPane(SectionPane, Vertical):
    def __init__(self, id: str | None = None, classes: str = "section-pane") -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)

    def compose(self) -> ComposeResult:
        yield TaskTable(deadline_columns(), empty_text=_("Nothing is waiting: every task is "
                                                         "done or cancelled."),
                        id="deadline-table")

    @property
    def table(self) -> TaskTable:
        return self.query_one(TaskTable)

    def load(self, screen, first: bool) -> None:  # noqa: ANN001
        from store.read.deadlines import deadline_counts

        if screen.assessment_id is None:
            self.table.set_source(ListSource([]))
            return
        with screen.workspace.db.read() as session:
            counts = deadline_counts(session, screen.assessment_id, screen.today)
        source = DeadlineSource(screen.workspace.db, screen.assessment_id, screen.today, counts)
        self.table.set_source(source if any(counts.values()) else ListSource([]),
                              cursor=self.table.cursor_row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if isinstance(event.key, int):
            self.screen.open_task(event.key)
