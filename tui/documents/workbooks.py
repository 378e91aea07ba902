"""The workbooks (.xlsx): the commune's tasks and criteria, and the supervisor's
summary of all its units (sheets Đơn vị, Quá hạn, Lĩnh vực).

Every figure is a number cell and every date a date cell shown dd/mm/yyyy; codes
(unit and criterion codes) are text, because "01" and "3.10" are names, not
quantities. Each sheet has its heading row frozen, a filter on it and set column
widths. Written in openpyxl's write-only mode: rows stream to the file, so 3,321
units cost seconds and little memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from tui.i18n import _
from tui.words import labels

if TYPE_CHECKING:
    from store.report.remediation import RemediationFacts
    from store.report.review import ReviewSummary

# Number formats (stored in the file in Excel's neutral notation; Excel and
# LibreOffice show them with the reader's decimal mark: 1,5 in Vietnamese).
DATE_FORMAT = "dd/mm/yyyy"
POINTS_FORMAT = "0.0#"
COUNT_FORMAT = "#,##0"
WHOLE_FORMAT = "0"
PERCENT_FORMAT = "0.0%"
KIND_FORMATS = {"date": DATE_FORMAT, "points": POINTS_FORMAT, "count": COUNT_FORMAT,
                "whole": WHOLE_FORMAT, "percent": PERCENT_FORMAT}


@dataclass(frozen=True)
class Column:
    heading: str
    width: float  # in characters
    kind: str = "text"  # text, long (wrapped text), date, points, count, whole, percent


class _Sheet:
    """One sheet being written: its heading row, then data rows of plain values."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[Column],
                 rows: int, frozen_columns: int = 0) -> None:
        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
        last = get_column_letter(len(columns))
        self.sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
        heading_font = Font(bold=True)
        heading_fill = PatternFill("solid", fgColor="DDE4EE")
        wrap = Alignment(wrap_text=True, vertical="center")
        heading = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, column.heading)
            cell.font, cell.fill, cell.alignment = heading_font, heading_fill, wrap
            heading.append(cell)
        self.sheet.append(heading)
        # One styled cell per kind; each data cell takes a copy of its style, which
        # costs a fraction of setting the number format cell by cell.
        self._styles: list[StyleArray | None] = []
        for column in columns:
            number_format = KIND_FORMATS.get(column.kind)
            if number_format is None and column.kind != "long":
                self._styles.append(None)
                continue
            template = WriteOnlyCell(self.sheet)
            if number_format is not None:
                template.number_format = number_format
            else:
                template.alignment = Alignment(wrap_text=True, vertical="top")
            self._styles.append(template._style)

    def append(self, values: Sequence[Any]) -> None:
        row: list[Any] = []
        for style, value in zip(self._styles, values, strict=True):
            if style is None or value is None:
                row.append(value)
                continue
            cell = WriteOnlyCell(self.sheet, value)
            cell._style = copy(style)
            row.append(cell)
        self.sheet.append(row)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fraction(percent: float | None) -> float | None:
    return None if percent is None else round(percent / 100, 4)


def _sheet(workbook: Workbook, title: str, columns: Sequence[Column],
           rows: Iterable[Sequence[Any]], count: int, frozen_columns: int = 0) -> None:
    sheet = _Sheet(workbook, title, columns, count, frozen_columns)
    for row in rows:
        sheet.append(row)


# -- the commune's workbook -------------------------------------------------------

def task_columns() -> list[Column]:
    return [Column(_("Item"), 6, "whole"), Column(_("Criteria"), 10),
            Column(_("Task"), 48, "long"), Column(_("What to do"), 40, "long"),
            Column(_("Official in charge"), 22), Column(_("Deadline"), 12, "date"),
            Column(_("Status"), 16), Column(_("Progress"), 10, "percent"),
            Column(_("Completed on"), 12, "date"), Column(_("Days overdue"), 10, "count"),
            Column(_("Points at stake"), 10, "points"), Column(_("Result"), 40, "long"),
            Column(_("Evidence documents"), 10, "count")]


def criterion_columns() -> list[Column]:
    return [Column(_("Code"), 9), Column(_("Criterion"), 50, "long"),
            Column(_("Maximum points"), 10, "points"), Column(_("Points scored"), 10, "points"),
            Column(_("Points lost"), 10, "points"), Column(_("Number of tasks"), 8, "count"),
            Column(_("Finding"), 45, "long"), Column(_("Cause"), 45, "long"),
            Column(_("Kind of cause"), 18)]


def tasks_workbook(facts: RemediationFacts) -> bytes:
    """The unit's tasks (every one, cancelled too) and its criteria with the causes."""
    workbook = Workbook(write_only=True)
    tasks = facts.tasks
    _sheet(workbook, _("Tasks"), task_columns(), (
        (n, ", ".join(t.criteria), t.title, t.detail, t.owner, t.due, labels.status(t.status),
         t.progress / 100, t.done_on, t.days_late(facts.today), t.points_at_stake, t.result,
         len(t.evidence))
        for n, t in enumerate(tasks, start=1)), len(tasks), frozen_columns=3)
    criteria = facts.criteria
    _sheet(workbook, _("Criteria"), criterion_columns(), (
        (c.code, c.title, c.max_points, c.score, c.points_lost, c.tasks, c.finding, c.cause,
         labels.cause_kind(c.cause_kind) if c.cause else None)
        for c in criteria), len(criteria), frozen_columns=2)
    return _save(workbook)


# -- the supervisor's workbook ----------------------------------------------------

def unit_columns() -> list[Column]:
    return [Column(_("Unit code"), 10), Column(_("Unit"), 28), Column(_("Level"), 10),
            Column(_("Points scored"), 9, "points"), Column(_("Rank"), 8, "whole"),
            Column(_("Units ranked"), 9, "whole"), Column(_("Points lost"), 10, "points"),
            Column(_("Number of tasks"), 9, "count"), Column(_("Done"), 9, "count"),
            Column(_("Overdue"), 9, "count"), Column(_("% done"), 9, "percent"),
            Column(_("Last bundle"), 9, "whole"), Column(_("Sent on"), 12, "date"),
            Column(_("Warnings"), 40, "long")]


def overdue_columns() -> list[Column]:
    return [Column(_("Unit code"), 10), Column(_("Unit"), 28), Column(_("Criteria"), 10),
            Column(_("Task"), 50, "long"), Column(_("Official in charge"), 22),
            Column(_("Deadline"), 12, "date"), Column(_("Days overdue"), 10, "count"),
            Column(_("Points at stake"), 10, "points"), Column(_("Status"), 16),
            Column(_("Progress"), 10, "percent")]


def review_workbook(summary: ReviewSummary) -> bytes:
    from tui.words.review import unit_warnings

    workbook = Workbook(write_only=True)
    units = summary.units
    _sheet(workbook, _("Units"), unit_columns(), (
        (u.code, u.name, labels.level(u.level), u.score, u.rank, u.rank_of, u.points_lost,
         u.tasks_total, u.tasks_done, u.tasks_overdue, _fraction(u.percent_done),
         u.last_sequence, u.last_bundle_on, "; ".join(unit_warnings(u)) or None)
        for u in units), len(units), frozen_columns=2)
    overdue = summary.overdue
    _sheet(workbook, _("Overdue"), overdue_columns(), (
        (t.unit_code, t.unit_name, t.criteria or None, t.title, t.owner, t.due, t.days_late,
         t.points_at_stake, labels.status(t.status), t.progress / 100)
        for t in overdue), len(overdue), frozen_columns=2)
    domains = summary.domains
    columns = [Column(_("Unit code"), 10), Column(_("Unit"), 28)]
    columns += [Column(f"{d.code}. {d.title}" if d.title else d.code, 14, "points")
                for d in domains]
    columns.append(Column(_("Total"), 10, "points"))
    codes = [d.code for d in domains]

    def domain_row(unit) -> list[Any]:  # noqa: ANN001 - UnitOverviewRow
        lost = summary.losses.get(unit.unit_id, {})
        values = [lost.get(code) for code in codes]
        total = round(sum(v for v in values if v is not None), 2) if lost else None
        return [unit.code, unit.name, *values, total]

    _sheet(workbook, _("Domains"), columns, (domain_row(u) for u in units), len(units),
           frozen_columns=2)
    return _save(workbook)
