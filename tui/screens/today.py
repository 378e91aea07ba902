"""Today tab ("Hôm nay"): what is overdue or due within a week, grouped by the
official who owns it, so the user knows whom to chase. Also the start notice
that points to it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.app import ComposeResult

from tui.i18n import _, ngettext
from tui.screens.pane_messages import TaskChosen
from tui.screens.section_pane import PaneContext, SectionPane
from tui.widgets.task_rows import tone, when_text
from tui.widgets.task_table import TaskTable
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.read.today import OwnerTasks, TodayList
    from store.workdays import WorkCalendar
    from tui.services.workspace import Workspace


def today_columns() -> list[Column]:
    return [
        Column("title", _("Task"), fr=1, min_width=16),
        Column("due", _("Deadline"), width=10),
        Column("days", _("Days left"), width=17),
        Column("workdays", _("Working days"), width=14),
        Column("criteria", _("Criteria"), width=9, min_table_width=90),
    ]


def owner_heading(group: OwnerTasks, today: dt.date) -> str:
    name = group.owner or _("(no owner)")
    overdue = group.overdue_count(today)
    count = ngettext("{n} task", "{n} tasks", len(group.tasks)).format(n=len(group.tasks))
    if overdue:
        count += ", " + _("{n} overdue").format(n=overdue)
    return f"{name} · {count}"


def today_rows(found: TodayList, calendar: WorkCalendar) -> list[Row]:
    rows: list[Row] = []
    for group in found.groups:
        rows.append(Row(("owner", group.owner), (plain(owner_heading(group, found.today)),),
                        tone="group", span=True))
        rows.extend(Row(task.id, (task.title, fmt.date(task.due),
                                  when_text(task, found.today),
                                  fmt.working_days_cell(task.due, found.today, calendar),
                                  task.criteria or "—"),
                        tone=tone(task, found.today))
                    for task in group.tasks)
    return rows


def today_notice(found: TodayList) -> str | None:
    """The start notice: how much is overdue and due this week, and the key that
    shows it; None when nothing is waiting."""
    if not found.groups:
        return None
    return _("Today: {overdue} overdue and {soon} due within 7 days. Press 4 to see "
             "them by official.").format(overdue=found.overdue, soon=found.due_soon)


def start_notice(workspace: Workspace) -> str | None:
    """today_notice() for the unit's current assessment (read in the opening worker)."""
    from store.clock import today
    from store.read.assessments import current_assessment
    from store.read.today import today_list

    if workspace.unit_id is None:
        return None
    with workspace.db.read() as session:
        assessment = current_assessment(session, workspace.unit_id)
        if assessment is None or assessment.id is None:
            return None
        return today_notice(today_list(session, assessment.id, today()))


class TodayPane(SectionPane):
    def compose(self) -> ComposeResult:
        yield TaskTable(today_columns(), empty_text=_("Nothing is overdue or due within "
                                                      "7 days."), id="today-table")

    @property
    def table(self) -> TaskTable:
        return self.query_one(TaskTable)

    def load(self, context: PaneContext, first: bool) -> None:
        from store.read.today import today_list

        if context.assessment_id is None:
            self.table.set_source(ListSource([]))
            return
        with context.workspace.db.read() as session:
            found = today_list(session, context.assessment_id, context.today)
        rows = today_rows(found, context.workspace.work_calendar)
        self.table.set_source(ListSource(rows), cursor=self.table.cursor_row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if isinstance(event.key, int):  # not an owner's heading
            self.post_message(TaskChosen(event.key))
