"""Tasks (home): the unit's summary line and its remediation tasks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui import fmt, labels
from tui.i18n import _


class TasksScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="summary")
        table: DataTable[str] = DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#tasks", DataTable)
        table.add_column(_("Criteria"), key="criteria")
        table.add_column(_("Task"), key="title")
        table.add_column(_("Owner"), key="owner")
        table.add_column(_("Deadline"), key="due")
        table.add_column(_("Days"), key="days")
        table.add_column(_("Status"), key="status")
        table.add_column(_("Progress"), key="progress")
        table.add_column(_("Points"), key="points")

    def show_data(self, summary, rows, today) -> None:  # noqa: ANN001
        """Fill the screen from plain rows (store.queries)."""
        self.query_one("#summary", Static).update(self._summary_text(summary, today))
        table = self.query_one("#tasks", DataTable)
        table.clear()
        for row in rows:
            marker = "⚠ " if row.overdue(today) else ""
            table.add_row(row.criteria, row.title, row.owner or "", fmt.date(row.due),
                          marker + fmt.days_left(row.due, today)
                          if row.status in ("todo", "in_progress") else "",
                          labels.status(row.status), fmt.percent(row.progress),
                          fmt.points(row.points_at_stake), key=str(row.id))
        table.loading = False

    @staticmethod
    def _summary_text(summary, today) -> str:  # noqa: ANN001
        if summary is None:
            return _("No unit data yet.")
        parts = [f"{summary.unit_name} ({summary.unit_code})"]
        if summary.assessment_title:
            score = f"{fmt.points(summary.score)}/{fmt.points(summary.max_points)}"
            if summary.rank:
                score += " · " + _("rank {rank}/{of}").format(rank=summary.rank,
                                                               of=summary.rank_of or "?")
            parts.append(f"{summary.assessment_title}: {score}")
        if summary.points_lost is not None:
            parts.append(_("{points} points lost").format(points=fmt.points(summary.points_lost)))
        parts.append(_("{done}/{total} tasks done").format(done=summary.tasks_done,
                                                            total=summary.tasks_total))
        parts.append(_("{n} overdue").format(n=summary.tasks_overdue))
        if summary.next_due:
            parts.append(_("next deadline {date} ({days})").format(
                date=fmt.date(summary.next_due), days=fmt.days_left(summary.next_due, today)))
        return " · ".join(parts)
