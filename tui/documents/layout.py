"""The layout of an official document under NĐ 30/2020/NĐ-CP, Phụ lục I, for a
document with a named type (Mẫu 1.4: a plan, a report) and its landscape appendix
(Mẫu 2.1): A4, margins top and bottom 20 mm, left 30 mm, right 15 mm, Times New
Roman, the header block in a borderless table, page numbers centred at the top from
page 2, the recipients and the signer side by side at the end.

No words here: every text arrives from the document builders in the user's
language. python-docx has no field API, so the page number is written as the
field's XML (w:fldChar begin / instrText PAGE / separate / end).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
HEADER_DISTANCE = Mm(10)

BODY_PT = 14  # body text, title, subject, signer (13-14)
ISSUER_PT = 13  # issuer's name (12-13)
NATIONAL_PT = 12  # Quốc hiệu (12-13), so it fits its column on one line
MOTTO_PT = 13  # Tiêu ngữ (13-14)
NUMBER_PT = 13  # "Số:" (13)
DATE_PT = 14  # the place-and-date line (13-14)
RECIPIENTS_HEADING_PT = 12  # "Nơi nhận:" (12)
RECIPIENTS_PT = 11  # the list (11)
TABLE_PT = 12  # appendix tables: ten columns on a landscape page
FOOT_PT = 11  # the data check code under the signature
FIRST_LINE_INDENT = Cm(1.27)
PARAGRAPH_SPACE = Pt(6)
LINE_SPACING = 1.15  # NĐ 30: from single to 1.5 lines

# The header block: issuer on the left, Quốc hiệu and Tiêu ngữ on the right; both
# columns fill the writing width of the page (210 - 30 - 15 mm).
HEADER_LEFT, HEADER_RIGHT = Mm(62), Mm(103)
RULE_POINTS = 6  # eighths of a point: a 0.75 pt line

# Word refuses a file whose property elements are out of the schema's order, so the
# elements python-docx has no API for go in before the ones that must follow them
# (ECMA-376 CT_PPr, CT_TblPr, CT_RPr).
PBDR_SUCCESSORS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                   "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                   "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                   "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                   "w:pPrChange")
TBL_BORDERS_SUCCESSORS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                          "w:tblDescription", "w:tblPrChange")
TBL_CELL_MAR_SUCCESSORS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
LANG_SUCCESSORS = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
CELL_MARGIN = Mm(1.2)


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


Text = str | Span | Sequence[Span]


def _spans(text: Text) -> list[Span]:
    if isinstance(text, str):
        return [Span(text)]
    if isinstance(text, Span):
        return [text]
    return list(text)


def new_document(language: str) -> Document:
    """An empty A4 document in Times New Roman with NĐ 30's margins, the spacing of
    its body text, and page numbers at the top centre from page 2."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN" if language == "vi" else "en-GB")
    normal.element.get_or_add_rPr().insert_element_before(lang, *LANG_SUCCESSORS)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = PARAGRAPH_SPACE
    normal.paragraph_format.line_spacing = LINE_SPACING
    section = document.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])
    return document


def _page(section, *, landscape: bool) -> None:  # noqa: ANN001 - docx Section
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = ((PAGE_HEIGHT, PAGE_WIDTH) if landscape
                                               else (PAGE_WIDTH, PAGE_HEIGHT))
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = HEADER_DISTANCE


def _page_number(paragraph) -> None:  # noqa: ANN001 - docx Paragraph
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    for kind, text in (("begin", None), ("instr", "PAGE"), ("separate", None),
                       ("text", "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(BODY_PT)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        elif kind == "text":
            run.text = text  # shown until the reader updates the field
        else:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run._r.append(character)


def write_runs(paragraph, text: Text, size: float | None = None) -> None:  # noqa: ANN001
    for span in _spans(text):
        run = paragraph.add_run(span.text)
        run.bold = span.bold or None
        run.italic = span.italic or None
        if size is not None:
            run.font.size = Pt(size)


def paragraph(container, text: Text = "", *, size: float | None = None,  # noqa: ANN001
              align: str = "justify", indent: bool = True, space_after: Length | None = None,
              keep_with_next: bool = False) -> Paragraph:
    """A paragraph of the body (justified, first line indented) or, with align
    "center"/"left"/"right" and indent False, a line of the layout."""
    made = container.add_paragraph()
    made.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                      "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    if indent:
        made.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    if space_after is not None:
        made.paragraph_format.space_after = space_after
    if keep_with_next:
        made.paragraph_format.keep_with_next = True
    write_runs(made, text, size)
    return made


def estimated_width(text: str, size_pt: float, *, bold: bool = False) -> Length:
    """About how wide text is set in Times New Roman (average advance widths of its
    capitals, small letters, digits and spaces); for the rules under headings."""
    widths = {"upper": 0.72, "lower": 0.47, "digit": 0.5, "space": 0.25, "other": 0.33}
    ems = 0.0
    for character in text:
        if character == " ":
            kind = "space"
        elif character.isdigit():
            kind = "digit"
        elif character.isalpha():
            kind = "upper" if character.isupper() else "lower"
        else:
            kind = "other"
        ems += widths[kind]
    return Pt(ems * size_pt * (1.05 if bold else 1.0))


def rule(container, width: Length, available: Length) -> None:  # noqa: ANN001
    """A centred horizontal line `width` long (a thin paragraph's top border,
    indented on both sides), under a heading inside `available`."""
    made = container.add_paragraph()
    side = max(int((available - width) / 2), 0)
    made.paragraph_format.left_indent = Length(side)
    made.paragraph_format.right_indent = Length(side)
    made.paragraph_format.space_before = Pt(5)
    made.paragraph_format.space_after = Pt(0)
    made.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    made.paragraph_format.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", str(RULE_POINTS)), ("w:space", "1"),
                        ("w:color", "000000")):
        top.set(qn(name), value)
    borders.append(top)
    made._p.get_or_add_pPr().insert_element_before(borders, *PBDR_SUCCESSORS)


def _borderless(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, *TBL_BORDERS_SUCCESSORS)


def set_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fixed column widths (the grid and every cell: Word reads one, LibreOffice the
    other)."""
    table.autofit = False  # w:tblLayout fixed
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _cell_margins(table: Table, side: Length) -> None:
    """Left and right padding of every cell (Word's default, 1.9 mm, wastes a fifth
    of a narrow column)."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(side.twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *TBL_CELL_MAR_SUCCESSORS)


def _clear(cell: _Cell):  # noqa: ANN202 - the cell's first, empty paragraph
    first = cell.paragraphs[0]
    first.paragraph_format.space_after = Pt(0)
    first.paragraph_format.first_line_indent = Pt(0)
    return first


def _cell_line(cell: _Cell, first: bool, text: Text, size: float, align: str = "center",
               space_after: Length | None = None) -> Paragraph:
    made = _clear(cell) if first else cell.add_paragraph()
    made.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                      "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    made.paragraph_format.space_after = Pt(0) if space_after is None else space_after
    made.paragraph_format.first_line_indent = Pt(0)
    made.paragraph_format.line_spacing = 1.0
    write_runs(made, text, size)
    return made


@dataclass(frozen=True)
class HeaderBlock:
    """The texts of the header block, already in the document's language."""

    issuer_lines: tuple[Span, ...]  # the issuing body, capitals; a governing body first
    number_line: str  # "Số:      /KH-UBND": the number left for the records clerk
    national_name: str  # Quốc hiệu
    motto: str  # Tiêu ngữ
    date_line: str  # "Phường 1, ngày      tháng      năm 2026"


def header_block(document: Document, block: HeaderBlock) -> Table:
    """Two borderless rows: issuer | Quốc hiệu and Tiêu ngữ, then number | date."""
    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, (HEADER_LEFT, HEADER_RIGHT))
    issuer, national = table.rows[0].cells
    for n, line in enumerate(block.issuer_lines):
        _cell_line(issuer, n == 0, line, ISSUER_PT)
    longest = max(estimated_width(line.text, ISSUER_PT, bold=line.bold)
                  for line in block.issuer_lines)
    rule(issuer, Length(int(longest * 0.4)), HEADER_LEFT - Cm(0.4))
    _cell_line(national, True, Span(block.national_name, bold=True), NATIONAL_PT)
    _cell_line(national, False, Span(block.motto, bold=True), MOTTO_PT)
    rule(national, estimated_width(block.motto, MOTTO_PT, bold=True), HEADER_RIGHT - Cm(0.4))
    number, date = table.rows[1].cells
    _cell_line(number, True, block.number_line, NUMBER_PT).paragraph_format.space_before = Pt(6)
    _cell_line(date, True, Span(block.date_line, italic=True),
               DATE_PT).paragraph_format.space_before = Pt(6)
    return table


def title_block(document: Document, kind: str, subject: str,
                available: Length = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) -> None:
    """The document's type in capitals and its subject line, bold and centred, with a
    rule under the subject a third of its width."""
    paragraph(document, Span(kind, bold=True), align="center", indent=False,
              space_after=Pt(0)).paragraph_format.space_before = Pt(18)
    made = paragraph(document, Span(subject, bold=True), align="center", indent=False,
                     space_after=Pt(0))
    made.paragraph_format.left_indent = made.paragraph_format.right_indent = Cm(1)
    width = min(estimated_width(subject, BODY_PT, bold=True), available - Cm(2))
    rule(document, Length(int(width / 3)), available)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def heading(document: Document, text: str) -> None:
    """A section heading: 'I. MỤC ĐÍCH, YÊU CẦU'."""
    made = paragraph(document, Span(text, bold=True), keep_with_next=True)
    made.paragraph_format.space_before = PARAGRAPH_SPACE


def closing(document: Document, recipients_heading: str, recipients: Iterable[str],
            signer_lines: Sequence[str], signer_name: str) -> Table:
    """Nơi nhận (left) and the signer's block (right): authority and title in bold
    capitals, room for the signature and the seal, then the name in bold."""
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    set_widths(table, (Mm(75), Mm(90)))
    left, right = table.rows[0].cells
    _cell_line(left, True, Span(recipients_heading, bold=True, italic=True),
               RECIPIENTS_HEADING_PT, align="left").paragraph_format.space_before = Pt(6)
    for line in recipients:
        _cell_line(left, False, line, RECIPIENTS_PT, align="left")
    for n, line in enumerate(signer_lines):
        made = _cell_line(right, n == 0, Span(line, bold=True), BODY_PT)
        if n == 0:
            made.paragraph_format.space_before = Pt(6)
    for _ in range(4):  # the signature and the seal
        _cell_line(right, False, "", BODY_PT)
    _cell_line(right, False, Span(signer_name, bold=True), BODY_PT)
    return table


def landscape_section(document: Document):  # noqa: ANN201 - docx Section
    """A new landscape page for an appendix table; its page numbers go on."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False
    return section


@dataclass(frozen=True)
class Cell:
    """One table cell: paragraphs of text (str or spans), aligned."""

    lines: tuple[Text, ...] = ()
    align: str = "left"

    @staticmethod
    def of(*lines: Text, align: str = "left") -> "Cell":
        return Cell(tuple(line for line in lines if line), align)


def grid_table(document: Document, headings: Sequence[str], widths: Sequence[Length],
               rows: Sequence[Sequence[Cell]], *, size: float = TABLE_PT,
               merged: Sequence[tuple[int, int, int]] = ()) -> Table:
    """A table with a ruled grid, a bold heading row repeated on every page, and the
    rows given. merged: (column, first row, last row) spans, 0 = the first data row;
    a span's text is the first row's."""
    table = document.add_table(rows=1 + len(rows), cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths)
    _cell_margins(table, CELL_MARGIN)
    heading_row = table.rows[0]
    heading_row_properties = heading_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    heading_row_properties.append(repeat)
    cells = [row.cells for row in table.rows]
    for cell, text in zip(cells[0], headings, strict=True):
        _cell_line(cell, True, Span(text, bold=True), size)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    skipped = set()
    for column, first, last in merged:
        if last > first:
            cells[1 + first][column].merge(cells[1 + last][column])
            skipped.update((row, column) for row in range(first + 1, last + 1))
    for index, row in enumerate(rows):
        for column, cell in enumerate(row):
            if (index, column) in skipped:
                continue
            target = cells[1 + index][column]
            lines = cell.lines or ("",)
            for n, line in enumerate(lines):
                _cell_line(target, n == 0, line, size, align=cell.align,
                           space_after=Pt(2) if n < len(lines) - 1 else Pt(0))
    return table


def to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
