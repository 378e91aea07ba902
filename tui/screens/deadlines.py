"""Deadlines tab: open tasks and reporting duties by due date, grouped as overdue,
this week, this month and later, with the days left."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.i18n import _
from tui.screens.pane_messages import TaskChosen
from tui.screens.section_pane import PaneContext, SectionPane
from tui.widgets.task_rows import DeadlineSource, deadline_columns
from tui.widgets.task_table import TaskTable
from tui.widgets.virtual_table import ListSource, VirtualTable


class DeadlinesPane(SectionPane):
    def compose(self) -> ComposeResult:
        yield TaskTable(deadline_columns(), empty_text=_("Nothing is waiting: every task is "
                                                         "done or cancelled."),
                        id="deadline-table")

    @property
    def table(self) -> TaskTable:
        return self.query_one(TaskTable)

    def load(self, context: PaneContext, first: bool) -> None:
        if context.assessment_id is None:
            self.table.set_source(ListSource([]))
            return
        self.table.set_source(DeadlineSource(context.workspace.db, context.assessment_id,
                                             context.today,
                                             withdrawn=context.workspace.withdrawn_task_ids),
                              cursor=self.table.cursor_row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if isinstance(event.key, int):  # not a group's heading
            self.post_message(TaskChosen(event.key))
