"""The empty appraisal workbook a supervisor fills in: the spec's Vietnamese headers,
then a block of rows per unit the review database knows, each holding the criteria
tree of the latest assessment held (codes, titles, max points), with empty score
and finding cells.

The tree is one for every unit (a province scores its units on one set of
criteria): that of the newest assessment in the review database, or of the year
asked, the PAR Index before SIPAS, and among the units the one with the most
criteria. Written with store.safe_write, so a failed write leaves any earlier file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from ..bundle.export import ExportFailed, write_failure
from ..db import Database
from ..models import Assessment, Criterion, Unit
from ..safe_write import WriteNotVerified, write_atomically
from .workbook import COLUMNS, LEVEL_WORDS

TEMPLATE_COLUMNS = ("unit_code", "unit_name", "level", "code", "title", "max_points", "score",
                    "finding")
TEMPLATE_HEADERS = tuple(COLUMNS[key][0] for key in TEMPLATE_COLUMNS)
SHEET_TITLE = "Thẩm định"
_WIDTHS = (12, 28, 10, 12, 60, 12, 15, 50)
_INDEX_ORDER = {"PAR": 0, "SIPAS": 1, "OTHER": 2}


@dataclass(frozen=True)
class TreeSource:
    """Where the template's criteria tree came from."""

    unit_code: str
    title: str
    index: str
    year: int
    criteria: int


@dataclass(frozen=True)
class TemplateDone:
    path: Path
    units: int
    rows: int
    source: TreeSource | None  # None: the review database holds no assessment yet


@dataclass(frozen=True)
class TemplateRefused:
    """code: no_assessment_of_year (details: year)."""

    code: str
    year: int | None = None


def latest_tree(session: Session, year: int | None = None) -> tuple[
        TreeSource | None, list[tuple[str, str, float]]]:
    """The criteria tree (code, title, max) the template is made of, and its source."""
    counts = (select(Criterion.assessment_id, func.count().label("n"))
              .group_by(Criterion.assessment_id).subquery())
    query = (select(Assessment.id, Assessment.title, Assessment.index_kind, Assessment.year,
                    Unit.code, counts.c.n)
             .join(Unit, Assessment.unit_id == Unit.id)
             .join(counts, counts.c.assessment_id == Assessment.id))
    if year is not None:
        query = query.where(Assessment.year == year)
    rows = session.execute(query).all()
    if not rows:
        return None, []
    best = min(rows, key=lambda r: (-r.year, _INDEX_ORDER.get(r.index_kind, 9), -r.n, r.code))
    tree = [(c.code, c.title, c.max_points) for c in session.execute(
        select(Criterion).where(Criterion.assessment_id == best.id)
        .order_by(Criterion.sort_key)).scalars()]
    return TreeSource(best.code, best.title, best.index_kind, best.year, best.n), tree


def template_bytes(units: list[tuple[str, str, str]],
                   tree: list[tuple[str, str, float]]) -> bytes:
    """The .xlsx: a header row, then for each (code, name, level) unit the tree's rows
    (or one row naming the unit when there is no tree)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    for number, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in TEMPLATE_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "@"  # unit codes keep their leading zeros
        return cell

    for code, name, level in units:
        level_word = LEVEL_WORDS.get(level, LEVEL_WORDS["other"])
        if not tree:
            sheet.append([text_cell(code), name, level_word])
            continue
        for criterion_code, title, max_points in tree:
            sheet.append([text_cell(code), name, level_word, text_cell(criterion_code), title,
                          max_points, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_template(db: Database, path: Path, *,
                   year: int | None = None) -> TemplateDone | TemplateRefused | ExportFailed:
    path = Path(path)
    with db.read() as session:
        source, tree = latest_tree(session, year)
        units = [(u.code, u.name, u.level) for u in session.execute(
            select(Unit).order_by(Unit.code)).scalars()]
    if year is not None and source is None:
        return TemplateRefused("no_assessment_of_year", year)
    data = template_bytes(units, tree)
    if not path.parent.is_dir():
        return ExportFailed("target_missing", path.parent)
    try:
        write_atomically(path, data)
    except WriteNotVerified:
        return ExportFailed("verify_failed", path)
    except OSError as error:
        return write_failure(error, path)
    return TemplateDone(path, len(units), len(units) * max(len(tree), 1), source)
