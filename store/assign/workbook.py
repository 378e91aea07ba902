"""The appraisal workbook (bundle-v2, "The appraisal workbook"): untrusted .xlsx bytes
-> the rows of each unit, checked, every problem named by its cell ("Sheet1!F17").

read_workbook() never raises. Before openpyxl sees the bytes they must be a ZIP
holding a workbook (an old .xls, a CSV renamed or another ZIP is told as such), of
at most 32 MiB, unpacking to at most MAX_UNPACKED_BYTES, with no XML part that
declares a DTD or an entity (XML bombs, external entities). openpyxl then reads in
read-only mode with defusedxml (a dependency; it refuses entity declarations
again). Only the first sheet is read, and only its first MAX_COLUMNS columns.

A formula counts by its cached value; a formula without one is refused with its
cell (a second, formula-mode pass finds them among the cells the first pass saw
empty). Every broken rule is collected (up to MAX_PROBLEMS), so the supervisor
fixes the sheet in one go; any error means nothing may be written.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..bundle.models import (CRITERION_CODE_PATTERN, MAX_CRITERIA, TEXT_MAX_CHARS,
                             TITLE_MAX_CHARS, UNIT_CODE_PATTERN)
from ..derive import code_sort_key, is_demo_code, parent_code
from ..text import fold

log = logging.getLogger(__name__)

MAX_WORKBOOK_BYTES = 32 * 1024 * 1024
# What the ZIP may unpack to, all parts together (a sheet of 170 units x 50 criteria
# is a few MiB; a ZIP bomb is gigabytes).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_COLUMNS = 64
# The header row is the first of these rows that names every required column
# (a title row or two above it is common).
HEADER_SEARCH_ROWS = 20
MAX_SHEET_ROWS = 1_048_576  # Excel's own limit
MAX_PROBLEMS = 1_000

_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
# A formula element of a sheet: <f>, <f t="shared" ...>, <x:f/>.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")
_SCAN_BLOCK = 1 << 20

UNIT_CODE = re.compile(UNIT_CODE_PATTERN)
CRITERION_CODE = re.compile(CRITERION_CODE_PATTERN)
COMMUNE_CODE = re.compile(r"^[0-9]{5}$")
_POINTS_TEXT = re.compile(r"^[0-9]{1,6}([.,][0-9]+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_RUN = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_PLAIN_SHEET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")

# The columns, each with the headers it is recognised by (folded: case, diacritics,
# spacing and punctuation do not matter). The first is the template's own header.
COLUMNS: dict[str, tuple[str, ...]] = {
    "unit_code": ("Mã đơn vị", "Mã ĐVHC", "Mã đơn vị hành chính", "Mã ĐV", "unit code"),
    "unit_name": ("Tên đơn vị", "Tên ĐVHC", "Đơn vị", "unit name", "unit"),
    "level": ("Cấp", "Loại đơn vị", "Cấp đơn vị", "level"),
    "code": ("Mã tiêu chí", "Tiêu chí", "Mã TC", "Mã TC/TCTP", "criterion",
             "criterion code"),
    "title": ("Nội dung", "Tên tiêu chí", "Nội dung tiêu chí", "title", "criterion title"),
    "max_points": ("Điểm tối đa", "Tối đa", "max", "max points", "maximum"),
    "score": ("Điểm thẩm định", "Điểm đạt", "Thẩm định", "score", "appraised score"),
    "finding": ("Nhận xét", "Lý do trừ điểm", "Nhận xét, lý do trừ điểm", "Ghi chú",
                "finding"),
}
REQUIRED_COLUMNS = ("unit_code", "unit_name", "code", "title", "max_points")
# The unit levels of the "Cấp" column (folded) -> the bundle's level.
LEVELS = {"xa": "xa", "commune": "xa", "phuong": "phuong", "ward": "phuong",
          "dac khu": "dac_khu", "dac_khu": "dac_khu", "special zone": "dac_khu",
          "khac": "other", "other": "other"}
COMMUNE_LEVELS = ("xa", "phuong", "dac_khu")
# How the template writes each level into the "Cấp" column.
LEVEL_WORDS = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu", "other": "khác"}


def header_key(text: str) -> str:
    """A header as it is matched: folded, parentheses dropped, punctuation as spaces."""
    folded = fold(re.sub(r"\([^)]*\)", " ", text))
    return " ".join(_NOT_ALNUM.sub(" ", folded).split())


_HEADER_LOOKUP = {header_key(header): column for column, headers in COLUMNS.items()
                  for header in headers}


@dataclass(frozen=True)
class WorkbookProblem:
    """An error or a warning about the workbook. cell: "Sheet1!F17", "Sheet1!5" (a row),
    or "" for the file as a whole; details: the values a sentence needs."""

    code: str
    cell: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AppraisalRow:
    """One (unit, criterion) row, its values checked."""

    row: int
    code: str
    title: str
    max_points: float
    score: float | None
    finding: str | None


@dataclass
class UnitRows:
    """One unit's rows, in the order of the sheet."""

    code: str
    name: str
    level: str | None
    first_row: int
    criteria: list[AppraisalRow] = field(default_factory=list)

    def sorted_criteria(self) -> list[AppraisalRow]:
        return sorted(self.criteria, key=lambda c: code_sort_key(c.code))


@dataclass(frozen=True)
class WorkbookRead:
    """What a workbook held. ok: no error (warnings may remain); units in the order
    they first appear; problems_total counts problems beyond the MAX_PROBLEMS kept."""

    sheet: str = ""
    units: tuple[UnitRows, ...] = ()
    errors: tuple[WorkbookProblem, ...] = ()
    warnings: tuple[WorkbookProblem, ...] = ()
    errors_total: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


WORKBOOK_PROBLEM_CODES = {
    # the file as a whole
    "too_large": "over 32 MiB (details: size, limit)",
    "unreadable": "the file could not be read (details: reason)",
    "not_a_file": "a folder, a pipe or a device rather than a file",
    "empty": "no content",
    "old_excel": "an OLE file: an old .xls, or a password-protected workbook",
    "text_file": "text (a CSV or a renamed text file), not a workbook",
    "not_xlsx": "neither a ZIP nor an OLE file",
    "zip_not_xlsx": "a ZIP without a workbook in it (details: kind: docx, xlsb, zip)",
    "too_many_parts": "a ZIP of too many members (details: count, limit)",
    "unpacks_too_large": "unpacks to more than allowed: a ZIP bomb (details: limit)",
    "encrypted_part": "a ZIP member is encrypted (details: part)",
    "xml_declarations": "an XML part declares a DTD or an entity: an XML bomb or an external "
                        "entity (details: part)",
    "damaged": "the workbook could not be read by openpyxl (details: error)",
    "no_sheet": "the workbook has no worksheet",
    "no_headers": "no row names the required columns (details: found, missing)",
    "duplicate_header": "two columns of the same meaning (details: column, first)",
    "no_rows": "the sheet has headers but no rows",
    # a cell
    "required": "an empty cell in a required column (details: column)",
    "formula_without_value": "a formula whose value was never calculated and saved",
    "not_a_number": "points that are no number (details: value)",
    "negative": "negative points (details: value)",
    "too_many_decimals": "points with more than two decimals (details: value)",
    "bad_unit_code": "a unit code not of 1-16 of A-Z a-z 0-9 . _ - (details: value)",
    "bad_criterion_code": "a criterion code not like 3.2.1 (details: value)",
    "bad_level": "an unknown unit level (details: value)",
    "too_long": "a text over its limit (details: limit, length)",
    "control_character": "a control character in a text",
    "not_text": "a date, time or true/false where a text is expected (details: value)",
    "unit_name_differs": "the unit's name differs from its first row (details: unit, "
                         "first, first_cell)",
    "unit_level_differs": "the unit's level differs from its first row (details: unit, "
                          "first, first_cell)",
    "duplicate_criterion": "a (unit, criterion) pair twice (details: unit, code, first_cell)",
    "missing_parent": "a criterion whose parent is not among the unit's rows (details: "
                      "unit, code, parent)",
    "score_above_max": "a score above the criterion's maximum (details: score, max)",
    "too_many_criteria": "more criteria for one unit than a bundle holds (details: unit, "
                         "limit)",
    "no_points": "the unit's domains total 0 points (details: unit)",
}
WORKBOOK_WARNING_CODES = {
    "commune_code": "a commune's or ward's code that is not 5 digits (details: unit)",
    "number_code": "a criterion code read from a number cell: 3.10 and 3.1 look alike "
                   "(details: value)",
    "points_sum_mismatch": "a parent's maximum differs from its children's sum (details: "
                           "unit, code, max, sum)",
}


# Where a problem is: "Sheet1!5" as text, or (sheet, column, row), named only when a
# problem is reported (most cells of a sheet of 8,500 rows never are).
Where = str | tuple[str, int, int]


class _Problems:
    def __init__(self) -> None:
        self.errors: list[WorkbookProblem] = []
        self.warnings: list[WorkbookProblem] = []
        self.errors_total = 0

    def error(self, problem: str, cell: Where = "", **details: Any) -> None:
        self.errors_total += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(WorkbookProblem(problem, _named(cell), details))

    def warning(self, problem: str, cell: Where = "", **details: Any) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(WorkbookProblem(problem, _named(cell), details))

    def result(self, **values: Any) -> WorkbookRead:
        return WorkbookRead(errors=tuple(self.errors), warnings=tuple(self.warnings),
                            errors_total=self.errors_total, **values)


def _named(cell: Where) -> str:
    return cell if isinstance(cell, str) else cell_name(*cell)


def _refused(code: str, **details: Any) -> WorkbookRead:
    return WorkbookRead(errors=(WorkbookProblem(code, "", details),), errors_total=1)


def read_workbook_file(path: str | os.PathLike[str]) -> WorkbookRead:
    """read_workbook() of a file, opened by store.files: a regular file only (a FIFO
    or a device is refused without blocking), its size judged on the open handle
    before a byte is read."""
    from ..files import NOT_REGULAR, TOO_LARGE, FileRefused, read_regular

    try:
        data = read_regular(path, MAX_WORKBOOK_BYTES)
    except FileRefused as refused:
        if refused.problem == NOT_REGULAR:  # a folder, or a FIFO that would never end
            return _refused("not_a_file")
        if refused.problem == TOO_LARGE:
            return _refused("too_large", size=refused.size, limit=MAX_WORKBOOK_BYTES)
        # missing or unreadable: the system's words (no such file, permission denied)
        return _refused("unreadable", reason=refused.reason or refused.problem)
    return read_workbook(data)


def read_workbook(data: bytes) -> WorkbookRead:
    """Untrusted bytes -> the checked rows of each unit. Never raises."""
    try:
        return _read(data)
    except Exception as error:  # the boundary: a refusal, never a crash
        log.exception("reading a workbook failed unexpectedly")
        return _refused("damaged", error=type(error).__name__)


def _read(data: bytes) -> WorkbookRead:
    if len(data) > MAX_WORKBOOK_BYTES:
        return _refused("too_large", size=len(data), limit=MAX_WORKBOOK_BYTES)
    refusal, with_formulas = _check_container(data)
    if refusal is not None:
        return refusal
    problems = _Problems()
    # openpyxl warns about styles and extensions it skips: nothing a user can act on.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = _open_book(data)
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on bad input
            return _damaged(error)
        try:
            if not book.worksheets:
                return _refused("no_sheet")
            sheet = book.worksheets[0]
            rows, empty_cells = _read_rows(sheet, problems)
        except Exception as error:  # noqa: BLE001
            return _damaged(error)
        finally:
            book.close()
    if rows is None:
        return problems.result(sheet=sheet.title)
    part = _first_sheet_part(data)
    if part in with_formulas:
        try:
            without_value = _formulas_without_value(data, part)
        except Exception as error:  # noqa: BLE001
            return _damaged(error)
        for row, column in sorted(without_value & empty_cells):
            problems.error("formula_without_value", cell_name(sheet.title, column, row))
    units = _check_units(rows, problems)
    return problems.result(sheet=sheet.title, units=tuple(units), rows=len(rows.rows))


def _damaged(error: Exception) -> WorkbookRead:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps what defusedxml raised in a ValueError
        if isinstance(cause, DefusedXmlException):  # what the scan above did not see
            return _refused("xml_declarations", part="")
        cause = cause.__cause__ or cause.__context__
    return _refused("damaged", error=type(error).__name__)


# -- the container -------------------------------------------------------------------

def _check_container(data: bytes) -> tuple[WorkbookRead | None, set[str]]:
    """A refusal when the bytes are no safe workbook; else the XML parts that hold
    formulas (only those need the search for formulas without a value)."""
    if not data.strip():
        return _refused("empty"), set()
    if data.startswith(_OLE_SIGNATURE):
        return _refused("old_excel"), set()
    if not data.startswith(_ZIP_SIGNATURES):
        return _refused("text_file" if _looks_like_text(data) else "not_xlsx"), set()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return _refused("not_xlsx"), set()
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            return _refused("too_many_parts", count=len(members), limit=MAX_ZIP_MEMBERS), set()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            kind = ("docx" if "word/document.xml" in names
                    else "xlsb" if "xl/workbook.bin" in names else "zip")
            return _refused("zip_not_xlsx", kind=kind), set()
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
            return _refused("unpacks_too_large", limit=MAX_UNPACKED_BYTES), set()
        unpacked = 0
        with_formulas: set[str] = set()
        for member in members:
            if member.flag_bits & 0x1:
                return _refused("encrypted_part", part=member.filename[:64]), set()
            if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                scan = _scan_part(archive, member, MAX_UNPACKED_BYTES - unpacked)
            except _TooLarge:
                return _refused("unpacks_too_large", limit=MAX_UNPACKED_BYTES), set()
            except (zipfile.BadZipFile, OSError, EOFError, ValueError,
                    NotImplementedError, RuntimeError):
                return _refused("damaged", error="zip"), set()
            if scan.declares_dtd:
                return _refused("xml_declarations", part=member.filename[:64]), set()
            if scan.has_formula:
                with_formulas.add(member.filename)
            unpacked += scan.size
    return None, with_formulas


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class _PartScan:
    declares_dtd: bool
    has_formula: bool
    size: int


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> _PartScan:
    """Whether an XML part holds <!DOCTYPE or <!ENTITY, and a formula element, read in
    blocks (the sizes a ZIP declares may lie, so the bytes actually unpacked are
    counted against budget)."""
    overlap = 16
    tail = b""
    size = 0
    has_formula = False
    with archive.open(member) as part:
        while block := part.read(_SCAN_BLOCK):
            size += len(block)
            if size > budget:
                raise _TooLarge
            window = tail + block
            if any(mark in window for mark in _XML_DECLARATIONS):
                return _PartScan(True, has_formula, size)
            has_formula = has_formula or _FORMULA_TAG.search(window) is not None
            tail = window[-overlap:]
    return _PartScan(False, has_formula, size)


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text (a CSV export)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a letter cut at the end of the sample
    return True


# -- the rows --------------------------------------------------------------------------

def cell_name(sheet: str, column: int, row: int) -> str:
    """'Sheet1!F17'; a sheet name with spaces or other letters is quoted as Excel does."""
    from openpyxl.utils import get_column_letter

    return f"{_sheet_ref(sheet)}!{get_column_letter(column)}{row}"


def _sheet_ref(sheet: str) -> str:
    if _PLAIN_SHEET_NAME.match(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass
class _SheetRows:
    sheet: str
    columns: dict[str, int]  # column key -> 1-based column number
    rows: list[tuple[int, dict[str, Any]]]  # (row number, raw values by column key)


def _read_rows(sheet: Any, problems: _Problems) -> tuple[_SheetRows | None,
                                                          set[tuple[int, int]]]:
    """The header row found, then each non-empty row's raw values. Also the cells of
    recognised columns that read empty (a formula there may lack its cached value)."""
    title = sheet.title
    columns: dict[str, int] | None = None
    best: tuple[int, list[str]] = (-1, [])
    number = 0
    heads = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(heads, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        matched, duplicates = _match_headers(values)
        texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if texts and len(matched) > best[0]:
            best = (len(matched), texts)
        if all(key in matched for key in REQUIRED_COLUMNS):
            for key, index, first in duplicates:
                problems.error("duplicate_header", cell_name(title, index, number),
                               column=COLUMNS[key][0], first=cell_name(title, first, number))
            if duplicates:
                return None, set()
            columns = matched
            break
    if columns is None:
        needed = [COLUMNS[key][0] for key in REQUIRED_COLUMNS]
        found_keys = _match_headers(tuple(best[1]))[0]
        missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in found_keys]
        problems.error("no_headers", f"{_sheet_ref(title)}!1", found=best[1][:MAX_COLUMNS],
                       needed=needed, missing=missing)
        return None, set()
    header_row = number
    rows: list[tuple[int, dict[str, Any]]] = []
    empty: set[tuple[int, int]] = set()
    # Only as wide as the columns used: openpyxl pads every row to the width asked.
    body: Iterator[tuple[Any, ...]] = sheet.iter_rows(
        min_row=header_row + 1, max_col=max(columns.values()), values_only=True)
    for number, values in enumerate(body, start=header_row + 1):
        if number > MAX_SHEET_ROWS:
            break
        raw = {key: values[index - 1] if index - 1 < len(values) else None
               for key, index in columns.items()}
        cleaned = {key: None if isinstance(value, str) and not value.strip() else value
                   for key, value in raw.items()}
        if all(value is None for value in cleaned.values()):
            continue
        rows.append((number, cleaned))
        empty.update((number, columns[key]) for key, value in raw.items() if value is None)
    if not rows:
        problems.error("no_rows", f"{_sheet_ref(title)}!{header_row}")
        return None, set()
    return _SheetRows(title, columns, rows), empty


def _open_book(data: bytes) -> Any:
    """The workbook in read-only mode, formulas by their cached values, its first
    sheet's declared size forgotten (a declared A1:XFD1048576 must not make a million
    empty rows)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets[:1]:
        sheet.reset_dimensions()
    return book


def _match_headers(values: tuple[Any, ...]) -> tuple[dict[str, int],
                                                     list[tuple[str, int, int]]]:
    """Column key -> column number of one row, and the headers of a meaning already
    matched (key, column, first column)."""
    matched: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    for index, value in enumerate(values, start=1):
        if not isinstance(value, str):
            continue
        key = _HEADER_LOOKUP.get(header_key(value))
        if key is None:
            continue
        if key in matched:
            duplicates.append((key, index, matched[key]))
        else:
            matched[key] = index
    return matched, duplicates


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _localname(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet_part(data: bytes) -> str | None:
    """The ZIP member of the workbook's first worksheet (as openpyxl takes it: the
    first <sheet> whose relationship is a worksheet, not a chart sheet)."""
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = fromstring(archive.read("xl/workbook.xml"))
        try:
            relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except KeyError:
            return None
    targets = {rel.get("Id"): (rel.get("Type") or "", rel.get("Target") or "")
               for rel in relations.iter(f"{_RELATIONSHIPS}Relationship")}
    for element in book.iter():
        if _localname(element.tag) != "sheet":
            continue
        kind, target = targets.get(element.get(f"{_OFFICE_RELATIONSHIPS}id"), ("", ""))
        if kind.endswith("/worksheet"):
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _formulas_without_value(data: bytes, part: str) -> set[tuple[int, int]]:
    """(row, column) of every cell of the sheet part that holds a formula and no
    cached value: a file written by a program, never calculated by Excel or
    LibreOffice. Read with defusedxml's iterparse, which refuses entities."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import coordinate_to_tuple

    found: set[tuple[int, int]] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as source:
        for _event, element in iterparse(source, events=("end",)):
            name = _localname(element.tag)
            if name == "c":
                children = {_localname(child.tag): child for child in element}
                value = children.get("v")
                if "f" in children and (value is None or not (value.text or "").strip()):
                    reference = element.get("r")
                    if reference:
                        found.add(coordinate_to_tuple(reference))
            elif name == "row":
                element.clear()
    return found


# -- values ------------------------------------------------------------------------------

def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _single_line(value: Any) -> str | Any:
    """A name or title: NFC, line breaks and runs of spaces as one space."""
    if isinstance(value, str):
        return _SPACE_RUN.sub(" ", unicodedata.normalize("NFC", value)).strip()
    return value


def _text(value: Any, cell: Where, problems: _Problems, *, limit: int,
          multi_line: bool = False, column: str = "") -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        problems.error("not_text", cell, value=str(value)[:64])
        return None
    if isinstance(value, (int, float)):
        text = _number_text(value)
    elif multi_line:
        lines = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace(
            "\r", "\n").split("\n")
        text = "\n".join(line.rstrip() for line in lines).strip()
    else:
        text = _single_line(str(value))
    if not text:
        return None
    if _CONTROL.search(text if not multi_line else text.replace("\t", "")):
        problems.error("control_character", cell)
        return None
    if len(text) > limit:
        problems.error("too_long", cell, limit=limit, length=len(text))
        return None
    return text


def _points(value: Any, cell: Where, problems: _Problems) -> float | None:
    """A number cell, or a text such as "1,5" or "2"; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.error("not_a_number", cell, value=str(value)[:64])
        return None
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.startswith("-") and _POINTS_TEXT.match(text[1:]):
            problems.error("negative", cell, value=value.strip()[:64])
            return None
        if not _POINTS_TEXT.match(text):
            problems.error("not_a_number", cell, value=value.strip()[:64])
            return None
        number = float(text.replace(",", "."))
    else:
        number = float(value)
    if not math.isfinite(number):
        problems.error("not_a_number", cell, value=str(value)[:64])
        return None
    if number < 0:
        problems.error("negative", cell, value=number)
        return None
    scaled = number * 100
    if abs(scaled - round(scaled)) > 1e-6 * max(1.0, abs(scaled)):
        problems.error("too_many_decimals", cell, value=number)
        return None
    return round(number, 2)


def _unit_code(value: Any, cell: Where, problems: _Problems) -> str | None:
    if value is None:
        problems.error("required", cell, column=COLUMNS["unit_code"][0])
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        code = _number_text(value)
    elif isinstance(value, str):
        code = value.strip()
    else:
        problems.error("bad_unit_code", cell, value=str(value)[:64])
        return None
    if not UNIT_CODE.match(code):
        problems.error("bad_unit_code", cell, value=code[:64])
        return None
    return code


def _criterion_code(value: Any, cell: Where, problems: _Problems) -> str | None:
    if value is None:
        problems.error("required", cell, column=COLUMNS["code"][0])
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        code = _number_text(value)
        if isinstance(value, float) and not value.is_integer():
            problems.warning("number_code", cell, value=code)
    elif isinstance(value, str):
        code = value.strip().rstrip(".")
    else:
        problems.error("bad_criterion_code", cell, value=str(value)[:64])
        return None
    if not CRITERION_CODE.match(code):
        problems.error("bad_criterion_code", cell, value=code[:64])
        return None
    return code


def _level(value: Any, cell: Where, problems: _Problems) -> str | None:
    if value is None:
        return None
    level = LEVELS.get(fold(str(value)).replace("_", " ")) or LEVELS.get(fold(str(value)))
    if level is None:
        problems.error("bad_level", cell, value=str(value)[:64],
                       allowed=list(LEVEL_WORDS.values()))
    return level


# -- the units ---------------------------------------------------------------------------

def _check_units(rows: _SheetRows, problems: _Problems) -> list[UnitRows]:
    sheet, columns = rows.sheet, rows.columns
    units: dict[str, UnitRows] = {}
    seen: dict[tuple[str, str], int] = {}
    counted: dict[str, int] = {}

    def at(key: str, row: int) -> Where:
        return (sheet, columns[key], row)

    for number, raw in rows.rows:
        unit_code = _unit_code(raw["unit_code"], at("unit_code", number), problems)
        name = _text(raw["unit_name"], at("unit_name", number), problems,
                     limit=TITLE_MAX_CHARS)
        if name is None and raw["unit_name"] is None:
            problems.error("required", at("unit_name", number), column=COLUMNS["unit_name"][0])
        level = (_level(raw["level"], at("level", number), problems)
                 if "level" in columns else None)
        code = _criterion_code(raw["code"], at("code", number), problems)
        title = _text(raw["title"], at("title", number), problems, limit=TITLE_MAX_CHARS)
        if title is None and raw["title"] is None:
            problems.error("required", at("title", number), column=COLUMNS["title"][0])
        max_points = _points(raw["max_points"], at("max_points", number), problems)
        if max_points is None and raw["max_points"] is None:
            problems.error("required", at("max_points", number),
                           column=COLUMNS["max_points"][0])
        score = (_points(raw["score"], at("score", number), problems)
                 if "score" in columns else None)
        finding = (_text(raw["finding"], at("finding", number), problems,
                         limit=TEXT_MAX_CHARS, multi_line=True)
                   if "finding" in columns else None)
        if unit_code is None:
            continue
        unit = units.get(unit_code)
        if unit is None:
            unit = units[unit_code] = UnitRows(unit_code, name or "", level, number)
        else:
            if name is not None and unit.name and name != unit.name:
                problems.error("unit_name_differs", at("unit_name", number), unit=unit_code,
                               first=unit.name,
                               first_cell=_named(at("unit_name", unit.first_row)))
            if level is not None and unit.level is not None and level != unit.level:
                problems.error("unit_level_differs", at("level", number), unit=unit_code,
                               first=LEVEL_WORDS[unit.level],
                               first_cell=_named(at("level", unit.first_row)))
            unit.name = unit.name or name or ""
            unit.level = unit.level or level
        if code is None:
            continue
        counted[unit_code] = counted.get(unit_code, 0) + 1
        if counted[unit_code] == MAX_CRITERIA + 1:
            problems.error("too_many_criteria", at("code", number), unit=unit_code,
                           limit=MAX_CRITERIA)
        if counted[unit_code] > MAX_CRITERIA:
            continue
        first = seen.get((unit_code, code))
        if first is not None:
            problems.error("duplicate_criterion", at("code", number), unit=unit_code,
                           code=code, first_cell=_named(at("code", first)))
            continue
        seen[(unit_code, code)] = number
        if score is not None and max_points is not None and score > max_points:
            problems.error("score_above_max", at("score", number), score=score, max=max_points)
            continue
        if title is None or max_points is None:
            continue
        unit.criteria.append(AppraisalRow(number, code, title, max_points, score, finding))
    for unit in units.values():
        _check_tree(unit, sheet, columns, problems)
    return list(units.values())


def _check_tree(unit: UnitRows, sheet: str, columns: dict[str, int],
                problems: _Problems) -> None:
    # The demo's code is not a commune's code gone wrong (store.derive.is_demo_code).
    if (unit.level in (None, *COMMUNE_LEVELS) and not COMMUNE_CODE.match(unit.code)
            and not is_demo_code(unit.code)):
        problems.warning("commune_code", cell_name(sheet, columns["unit_code"], unit.first_row),
                         unit=unit.code)
    by_code = {criterion.code: criterion for criterion in unit.criteria}
    children_sum: dict[str, float] = {}
    for criterion in unit.criteria:
        parent = parent_code(criterion.code)
        if parent is None:
            continue
        if parent not in by_code:
            problems.error("missing_parent", cell_name(sheet, columns["code"], criterion.row),
                           unit=unit.code, code=criterion.code, parent=parent)
            continue
        children_sum[parent] = children_sum.get(parent, 0.0) + criterion.max_points
    for code, total in children_sum.items():
        parent_row = by_code[code]
        if abs(total - parent_row.max_points) > 0.005:
            problems.warning("points_sum_mismatch",
                             cell_name(sheet, columns["max_points"], parent_row.row),
                             unit=unit.code, code=code, max=parent_row.max_points,
                             sum=round(total, 2))
    if unit.criteria and sum(c.max_points for c in unit.criteria if "." not in c.code) <= 0:
        problems.error("no_points", cell_name(sheet, columns["max_points"], unit.first_row),
                       unit=unit.code)

