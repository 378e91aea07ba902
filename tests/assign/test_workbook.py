"""The appraisal workbook: what is read from a good sheet, and every bad input refused
with the cell that is wrong."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from store.assign.template import TEMPLATE_HEADERS, template_bytes
from store.assign.workbook import (MAX_WORKBOOK_BYTES, WORKBOOK_PROBLEM_CODES,
                                   WORKBOOK_WARNING_CODES, read_workbook, read_workbook_file)
from tests.assign.factory import HEADERS, criteria_tree, unit_rows, workbook_bytes

ROW = ("30316", "Phường 1", "phường", "1", "Lĩnh vực 1", 10, 8, None)


def _codes(read) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(problem.code, problem.cell) for problem in read.errors]


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one ZIP member replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def test_a_good_sheet_gives_each_unit_its_tree_in_code_order() -> None:
    rows = unit_rows("30316", "Phường 1", "phường", seed=3) + unit_rows("30317", "Phường 2")
    read = read_workbook(workbook_bytes(rows))
    assert read.ok and not read.warnings
    assert [(u.code, u.name, u.level) for u in read.units] == [
        ("30316", "Phường 1", "phuong"), ("30317", "Phường 2", "xa")]
    first = read.units[0]
    assert len(first.criteria) == 50
    assert [c.code for c in first.sorted_criteria()][:4] == ["1", "1.1", "1.1.1", "1.1.2"]
    assert read.rows == 100 and read.sheet == "Sheet1"


def test_headers_are_matched_with_case_diacritics_spacing_and_english_folded() -> None:
    headers = ("MA DVHC", "  tên   đơn vị ", "Loại đơn vị", "Mã TC", "Tên tiêu chí",
               "Điểm tối đa (*)", "Điểm đạt", "Lý do trừ điểm")
    read = read_workbook(workbook_bytes([ROW], headers))
    assert read.ok, read.errors
    english = ("unit code", "Unit name", "level", "criterion", "title", "max", "score",
               "finding")
    assert read_workbook(workbook_bytes([ROW], english)).ok


def test_the_header_row_may_follow_a_title_and_columns_may_be_in_any_order() -> None:
    order = [4, 0, 1, 2, 3, 5, 6, 7]
    headers = [HEADERS[i] for i in order]
    rows = [[row[i] for i in order] for row in unit_rows("30316", "Phường 1")]
    above = [["KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2025"], []]
    read = read_workbook(workbook_bytes(rows, headers, above=above))
    assert read.ok, read.errors
    assert len(read.units[0].criteria) == 50


def test_points_as_text_with_a_decimal_comma_and_codes_as_numbers() -> None:
    rows = [("30316", "Phường 1", None, 1, "Lĩnh vực 1", "1,5", "0,5", "Thiếu\r\nbáo cáo"),
            (30317, "Phường 2", None, "1", "Lĩnh vực 1", 2, None, None)]
    read = read_workbook(workbook_bytes(rows))
    assert read.ok, read.errors
    first, second = read.units
    assert (first.criteria[0].max_points, first.criteria[0].score) == (1.5, 0.5)
    assert first.criteria[0].finding == "Thiếu\nbáo cáo"
    assert second.code == "30317" and second.criteria[0].score is None


def test_a_number_cell_code_that_may_have_lost_a_zero_is_warned() -> None:
    rows = [("30316", "Phường 1", None, 1, "Lĩnh vực 1", 2, 2, None),
            ("30316", "Phường 1", None, 1.1, "Tiêu chí", 2, 2, None)]
    read = read_workbook(workbook_bytes(rows))
    assert read.ok
    assert [(w.code, w.cell) for w in read.warnings] == [("number_code", "Sheet1!D3")]


def test_a_commune_code_that_is_not_5_digits_is_a_warning_naming_the_cell() -> None:
    rows = [("3316", "Phường 1", "phường", "1", "Lĩnh vực 1", 10, 8, None),
            ("SNV", "Sở", "khác", "1", "Lĩnh vực 1", 10, 8, None),
            # the demo's code is not a commune's code gone wrong (issue 15, item 10)
            ("DEMO-30316", "Phường 1", "phường", "1", "Lĩnh vực 1", 10, 8, None)]
    read = read_workbook(workbook_bytes(rows))
    assert read.ok
    assert [(w.code, w.cell, w.details) for w in read.warnings] == [
        ("commune_code", "Sheet1!A2", {"unit": "3316"})]


def test_a_parent_whose_max_is_not_its_childrens_sum_is_a_warning() -> None:
    rows = [ROW, ("30316", "Phường 1", "phường", "1.1", "Tiêu chí", 4, 4, None)]
    read = read_workbook(workbook_bytes(rows))
    assert read.ok
    assert [(w.code, w.cell) for w in read.warnings] == [("points_sum_mismatch", "Sheet1!F2")]


@pytest.mark.parametrize(("rows", "expected"), [
    pytest.param([ROW, ("30316", "Phường 1", "phường", "1.2.1", "x", 1, 1, None)],
                 [("missing_parent", "Sheet1!D3")], id="criterion without its parent"),
    pytest.param([ROW, ("30316", "Phường 1", "phường", "1.1", "x", 1, 1.5, None)],
                 [("score_above_max", "Sheet1!G3")], id="score above max"),
    pytest.param([ROW, ROW], [("duplicate_criterion", "Sheet1!D3")],
                 id="duplicate unit and criterion"),
    pytest.param([ROW[:3] + ("1.a",) + ROW[4:]], [("bad_criterion_code", "Sheet1!D2")],
                 id="bad criterion code"),
    pytest.param([("303 16",) + ROW[1:]], [("bad_unit_code", "Sheet1!A2")],
                 id="bad unit code"),
    pytest.param([(None,) + ROW[1:]], [("required", "Sheet1!A2")], id="no unit code"),
    pytest.param([ROW[:1] + (None,) + ROW[2:]], [("required", "Sheet1!B2")], id="no unit name"),
    pytest.param([ROW[:4] + (None,) + ROW[5:]], [("required", "Sheet1!E2")], id="no title"),
    pytest.param([ROW[:5] + (None,) + ROW[6:]], [("required", "Sheet1!F2")], id="no max"),
    pytest.param([ROW[:5] + ("mười",) + ROW[6:]], [("not_a_number", "Sheet1!F2")],
                 id="max in words"),
    pytest.param([ROW[:6] + ("-1",) + ROW[7:]], [("negative", "Sheet1!G2")],
                 id="negative score"),
    pytest.param([ROW[:6] + (0.125,) + ROW[7:]], [("too_many_decimals", "Sheet1!G2")],
                 id="three decimals"),
    pytest.param([ROW[:6] + (True,) + ROW[7:]], [("not_a_number", "Sheet1!G2")],
                 id="true for a score"),
    pytest.param([ROW[:2] + ("huyện",) + ROW[3:]], [("bad_level", "Sheet1!C2")],
                 id="unknown level"),
    pytest.param([ROW, ("30316", "Phường Một", "phường", "1.1", "x", 10, 8, None)],
                 [("unit_name_differs", "Sheet1!B3")], id="two names for a unit"),
    # XML keeps C0 controls out of a workbook; a C1 control (CSI) can be in one.
    pytest.param([ROW[:4] + ("a\x9bb",) + ROW[5:]], [("control_character", "Sheet1!E2")],
                 id="control character in a title"),
    pytest.param([ROW[:4] + ("x" * 501,) + ROW[5:]], [("too_long", "Sheet1!E2")],
                 id="title too long"),
    pytest.param([ROW[:5] + (0,) + ROW[6:7] + (None,)],
                 [("score_above_max", "Sheet1!G2")], id="a domain of 0 points scored 8"),
    pytest.param([ROW[:5] + (0, 0, None)], [("no_points", "Sheet1!F2")],
                 id="a unit of 0 points"),
])
def test_a_bad_row_is_refused_naming_its_cell(rows: list, expected: list) -> None:
    read = read_workbook(workbook_bytes(rows))
    assert not read.ok
    assert _codes(read) == expected


def test_every_bad_row_is_reported_not_only_the_first() -> None:
    rows = [ROW, ROW, ("30316", "Phường 1", "phường", "2.1", "x", 1, 2, None),
            ("30316", "Phường 1", "phường", "3.1", "x", 1, 1, None)]
    read = read_workbook(workbook_bytes(rows))
    assert _codes(read) == [("duplicate_criterion", "Sheet1!D3"),
                            ("score_above_max", "Sheet1!G4"), ("missing_parent", "Sheet1!D5")]


def test_a_sheet_name_with_spaces_is_quoted_in_the_cell() -> None:
    read = read_workbook(workbook_bytes([ROW, ROW], sheet="Kết quả 2025"))
    assert _codes(read) == [("duplicate_criterion", "'Kết quả 2025'!D3")]


def test_a_sheet_without_recognisable_headers_lists_found_and_needed() -> None:
    read = read_workbook(workbook_bytes([ROW], ("STT", "Đơn vị", "Mã tiêu chí", "Điểm")))
    assert _codes(read) == [("no_headers", "Sheet1!1")]
    details = read.errors[0].details
    assert details["found"] == ["STT", "Đơn vị", "Mã tiêu chí", "Điểm"]
    assert details["needed"] == ["Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Nội dung",
                                 "Điểm tối đa"]
    assert details["missing"] == ["Mã đơn vị", "Nội dung", "Điểm tối đa"]


def test_two_columns_of_one_meaning_are_refused() -> None:
    headers = HEADERS + ("Điểm đạt",)
    read = read_workbook(workbook_bytes([ROW + (9,)], headers))
    assert _codes(read) == [("duplicate_header", "Sheet1!I1")]


def test_headers_without_rows_are_refused() -> None:
    assert _codes(read_workbook(workbook_bytes([]))) == [("no_rows", "Sheet1!1")]


def test_a_formula_counts_by_its_cached_value(tmp_path: Path) -> None:
    """A formula saved by Excel or LibreOffice carries its value: it is read."""
    data = workbook_bytes([ROW[:6] + ("=4*2",) + ROW[7:]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>4*2</f>" in sheet
    cached = _with_part(data, "xl/worksheets/sheet1.xml",
                        sheet.replace(b"<f>4*2</f><v></v>", b"<f>4*2</f><v>8</v>"))
    read = read_workbook(cached)
    assert read.ok, read.errors
    assert read.units[0].criteria[0].score == 8


def test_a_formula_without_a_cached_value_is_refused_with_its_cell() -> None:
    rows = [ROW, ("30316", "Phường 1", "phường", "1.1", "x", 10, "=SUM(G2:G2)", None)]
    read = read_workbook(workbook_bytes(rows))
    assert _codes(read) == [("formula_without_value", "Sheet1!G3")]


def test_10000_rows_of_one_unit_are_refused_at_the_first_row_too_many() -> None:
    rows = [ROW] + [("30316", "Phường 1", "phường", f"1.{i // 900 + 1}.{i % 900 + 1}", "x",
                     0, 0, None) for i in range(9_999)]
    rows += [("30316", "Phường 1", "phường", f"1.{n}", "x", 0, 0, None) for n in range(1, 13)]
    read = read_workbook(workbook_bytes(rows))
    assert not read.ok
    assert ("too_many_criteria", "Sheet1!D2002") in _codes(read)
    assert read.errors[0].details == {"unit": "30316", "limit": 2000}


def test_the_template_reads_back_as_a_valid_unscored_workbook() -> None:
    data = template_bytes([("30316", "Phường 1", "phuong"), ("00123", "Xã A", "xa")],
                          criteria_tree())
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    assert next(sheet.iter_rows(max_row=1, values_only=True)) == TEMPLATE_HEADERS
    read = read_workbook(data)
    assert read.ok and not read.warnings
    assert [u.code for u in read.units] == ["30316", "00123"]  # the leading zero kept
    assert all(c.score is None for u in read.units for c in u.criteria)


# -- not a workbook ---------------------------------------------------------------------

def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
         b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sst>&lol2;</sst>')
_EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
             b'<sst>&e;</sst>')


@pytest.mark.parametrize(("data", "code"), [
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "old_excel", id="an xls"),
    pytest.param("Mã đơn vị,Tên đơn vị\n30316,Phường 1\n".encode(), "text_file",
                 id="a CSV renamed"),
    pytest.param("Mã đơn vị;Tên\n".encode("utf-16"), "text_file", id="a UTF-16 CSV"),
    pytest.param(bytes(range(256)) * 8, "not_xlsx", id="binary garbage"),
    pytest.param(_zip("notes.txt"), "zip_not_xlsx", id="a zip"),
    pytest.param(_zip("[Content_Types].xml", "word/document.xml"), "zip_not_xlsx",
                 id="a docx renamed"),
    pytest.param(b"PK\x03\x04" + bytes(200), "not_xlsx", id="a broken zip"),
    pytest.param(_with_part(workbook_bytes([ROW]), "xl/sharedStrings.xml", _BOMB),
                 "xml_declarations", id="an XML bomb"),
    pytest.param(_with_part(workbook_bytes([ROW]), "xl/sharedStrings.xml", _EXTERNAL),
                 "xml_declarations", id="an external entity"),
    pytest.param(_with_part(workbook_bytes([ROW]), "xl/worksheets/sheet1.xml", _BOMB),
                 "xml_declarations", id="an XML bomb in the sheet"),
    pytest.param(_with_part(workbook_bytes([ROW]), "xl/workbook.xml", b"<workbook"),
                 "damaged", id="a damaged workbook part"),
])
def test_what_is_not_an_xlsx_workbook_is_refused_as_such(data: bytes, code: str) -> None:
    read = read_workbook(data)
    assert [problem.code for problem in read.errors] == [code]
    assert read.errors[0].cell == "" and not read.units


def test_openpyxl_with_defusedxml_refuses_entities_even_past_the_scan(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl as library

    from store.assign import workbook

    assert library.DEFUSEDXML, "defusedxml must be installed: openpyxl then parses with it"
    monkeypatch.setattr(workbook, "_XML_DECLARATIONS", (b"<!never-found",))
    data = _with_part(workbook_bytes([ROW]), "xl/worksheets/sheet1.xml", _BOMB)
    assert [p.code for p in read_workbook(data).errors] == ["xml_declarations"]


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to(monkeypatch: pytest.MonkeyPatch) -> None:
    from store.assign import workbook

    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 50_000)
    filler = b"<x>" + b" " * 60_000 + b"</x>"
    data = _with_part(workbook_bytes([ROW]), "xl/theme/filler.xml", filler)
    assert len(data) < 50_000
    assert [p.code for p in read_workbook(data).errors] == ["unpacks_too_large"]


def test_a_declared_sheet_size_of_a_million_rows_is_not_believed() -> None:
    data = workbook_bytes([ROW])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    huge = _with_part(data, "xl/worksheets/sheet1.xml",
                      sheet.replace(b'<dimension ref="A1:H2"/>',
                                    b'<dimension ref="A1:XFD1048576"/>'))
    assert huge != data
    read = read_workbook(huge)
    assert read.ok and read.rows == 1


def test_a_file_over_32_mib_is_refused_before_it_is_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(MAX_WORKBOOK_BYTES + 1)

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read")

    # store.files judges the size on the handle, before it becomes a file object.
    monkeypatch.setattr("store.files.os.fdopen", no_read)
    read = read_workbook_file(path)
    assert [(p.code, p.details["size"]) for p in read.errors] == [
        ("too_large", MAX_WORKBOOK_BYTES + 1)]


def test_a_missing_file_is_unreadable_and_a_folder_or_pipe_is_no_file(tmp_path: Path) -> None:
    import os

    assert read_workbook_file(tmp_path / "none.xlsx").errors[0].code == "unreadable"
    assert read_workbook_file(tmp_path).errors[0].code == "not_a_file"
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.xlsx")
        assert read_workbook_file(tmp_path / "pipe.xlsx").errors[0].code == "not_a_file"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_the_open_handle_is_judged_not_the_name(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A path that names a workbook when looked at and a FIFO when opened (a link
    changed meanwhile) is refused at once: the check is made on what was opened."""
    import os

    from store import files

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes([ROW]))
    os.mkfifo(tmp_path / "pipe")
    link = tmp_path / "book.xlsx"
    link.symlink_to(good)
    real_open = files.platform_files.open_for_reading

    def swapped_then_opened(path: object) -> int:
        link.unlink()
        link.symlink_to(tmp_path / "pipe")
        return real_open(path)

    monkeypatch.setattr(files.platform_files, "open_for_reading", swapped_then_opened)
    read = read_workbook_file(link)
    assert [p.code for p in read.errors] == ["not_a_file"]


def test_an_unreadable_file_names_the_systems_reason(tmp_path: Path) -> None:
    read = read_workbook_file(tmp_path / "none.xlsx")
    assert read.errors[0].details["reason"]  # "No such file or directory"


def test_an_unexpected_failure_is_a_problem_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from store.assign import workbook

    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(workbook, "_check_units", broken)
    assert read_workbook(workbook_bytes([ROW])).errors[0].code == "damaged"


def test_every_problem_code_is_listed() -> None:
    """The codes the words layer must word: a new one needs its sentence."""
    from tui.words.assign import _WORKBOOK_PROBLEMS, _WORKBOOK_WARNINGS

    assert set(_WORKBOOK_PROBLEMS) == set(WORKBOOK_PROBLEM_CODES)
    assert set(_WORKBOOK_WARNINGS) == set(WORKBOOK_WARNING_CODES)
