"""The workbooks read back with openpyxl: number cells, date cells shown
dd/mm/yyyy, frozen headings, widths, filters, no figure stored as text."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import FIXED_TODAY
from tui.documents.workbooks import (
    COUNT_FORMAT,
    DATE_FORMAT,
    PERCENT_FORMAT,
    POINTS_FORMAT,
    review_workbook,
    tasks_workbook,
)

NUMBER_FORMATS = {POINTS_FORMAT, COUNT_FORMAT, PERCENT_FORMAT, "0"}


def _load(data: bytes):  # noqa: ANN202
    return openpyxl.load_workbook(io.BytesIO(data))


def _columns(sheet) -> dict[str, list]:  # noqa: ANN001
    """Heading -> the cells below it."""
    headings = [cell.value for cell in sheet[1]]
    columns: dict[str, list] = {heading: [] for heading in headings}
    for row in sheet.iter_rows(min_row=2):
        for heading, cell in zip(headings, row, strict=True):
            columns[heading].append(cell)
    return columns


def _check_sheet(sheet, rows: int) -> dict[str, list]:  # noqa: ANN001
    """The layout every sheet has; returns its columns."""
    assert sheet.max_row == rows + 1
    assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}" \
                                    f"{rows + 1}"
    assert all(sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width >= 6
               for n in range(1, sheet.max_column + 1))
    assert all(cell.font.bold for cell in sheet[1])
    columns = _columns(sheet)
    for cells in columns.values():
        for cell in cells:
            if isinstance(cell.value, str):  # text that looks like a number is a code
                assert cell.number_format == "General"
            if cell.data_type == "n" and cell.value is not None:
                assert cell.number_format in NUMBER_FORMATS
            if cell.is_date:
                assert cell.number_format == DATE_FORMAT
    return columns


def _numeric_text(columns: dict[str, list], allowed: set[str]) -> list[str]:
    """Headings of columns holding a number stored as text, codes excepted."""
    found = []
    for heading, cells in columns.items():
        if heading in allowed:
            continue
        for cell in cells:
            if isinstance(cell.value, str):
                try:
                    float(cell.value.replace(",", "."))
                except ValueError:
                    continue
                found.append(heading)
    return found


def test_the_commune_workbook_holds_every_task_and_criterion(demo_facts) -> None:  # noqa: ANN001
    facts, _plan, _results = demo_facts
    workbook = _load(tasks_workbook(facts))
    assert workbook.sheetnames == ["Nhiệm vụ", "Tiêu chí"]
    tasks = _check_sheet(workbook["Nhiệm vụ"], len(facts.tasks))
    assert len(facts.tasks) == 20  # cancelled and reporting duties too
    assert [c.value for c in tasks["STT"]] == list(range(1, 21))
    by_title = {c.value: n for n, c in enumerate(tasks["Nhiệm vụ"])}
    for task in facts.tasks:
        n = by_title[task.title]
        due = tasks["Hạn"][n]
        if task.due is None:
            assert due.value is None
        else:
            assert due.is_date and due.value.date() == task.due
        assert tasks["Tiến độ"][n].value == pytest.approx(task.progress / 100)
        assert tasks["Tiến độ"][n].number_format == PERCENT_FORMAT
        late = task.days_late(FIXED_TODAY)
        assert tasks["Số ngày quá hạn"][n].value == late
        assert tasks["Điểm bị trừ liên quan"][n].value == pytest.approx(task.points_at_stake)
        assert tasks["Trạng thái"][n].value in ("Chưa thực hiện", "Đang thực hiện",
                                                "Đã hoàn thành", "Hủy")
    assert _numeric_text(tasks, {"Tiêu chí"}) == []
    criteria = _check_sheet(workbook["Tiêu chí"], len(facts.criteria))
    codes = [c.value for c in criteria["Mã"]]
    assert codes == [c.code for c in facts.criteria] and "1.1.2" in codes
    n = codes.index("3.4")
    assert criteria["Điểm bị trừ"][n].value == pytest.approx(1.5)
    assert criteria["Điểm bị trừ"][n].number_format == POINTS_FORMAT
    assert criteria["Loại nguyên nhân"][n].value == "Khách quan"
    assert criteria["Nguyên nhân"][n].value.startswith("Người dân lớn tuổi")
    assert _numeric_text(criteria, {"Mã"}) == []


def test_the_supervisor_workbook_has_units_overdue_and_domains(review_db_path) -> None:  # noqa: ANN001
    from store.report.review import review_summary
    from store.review import open_overview_connection

    connection = open_overview_connection(review_db_path)
    try:
        summary = review_summary(connection, FIXED_TODAY)
    finally:
        connection.close()
    workbook = _load(review_workbook(summary))
    assert workbook.sheetnames == ["Đơn vị", "Quá hạn", "Lĩnh vực"]

    units = _check_sheet(workbook["Đơn vị"], 6)
    assert [c.value for c in units["Mã đơn vị"]] == [u.code for u in summary.units]
    for n, unit in enumerate(summary.units):
        assert units["Điểm đạt"][n].value == pytest.approx(unit.score)
        assert units["Hạng"][n].value == unit.rank
        assert units["Điểm bị trừ"][n].value == pytest.approx(unit.points_lost)
        assert units["Số nhiệm vụ"][n].value == unit.tasks_total
        assert units["Quá hạn"][n].value == unit.tasks_overdue
        percent = units["Tỷ lệ hoàn thành"][n]
        if unit.percent_done is None:
            assert percent.value is None
        else:
            assert percent.value == pytest.approx(unit.percent_done / 100)
        assert units["Tệp gần nhất số"][n].value == unit.last_sequence
        assert units["Ngày gửi"][n].value.date() == unit.last_bundle_on
    warnings = {u.code: c.value for u, c in zip(summary.units, units["Cảnh báo"], strict=False)}
    assert "2, 3" in warnings["10002"]  # the gap
    assert warnings["10006"] is None
    assert _numeric_text(units, {"Mã đơn vị"}) == []

    overdue = _check_sheet(workbook["Quá hạn"], len(summary.overdue))
    assert len(summary.overdue) == summary.totals.tasks_overdue > 0
    for n, task in enumerate(summary.overdue):
        assert overdue["Hạn"][n].is_date and overdue["Hạn"][n].value.date() == task.due
        assert overdue["Số ngày quá hạn"][n].value == (FIXED_TODAY - task.due).days > 0
    assert _numeric_text(overdue, {"Mã đơn vị", "Tiêu chí"}) == []

    domains = _check_sheet(workbook["Lĩnh vực"], 6)
    headings = [c.value for c in workbook["Lĩnh vực"][1]]
    assert headings[:3] == ["Mã đơn vị", "Đơn vị",
                            "1. Công tác chỉ đạo, điều hành cải cách hành chính"]
    assert headings[-1] == "Tổng" and len(headings) == 2 + 8 + 1
    for n, unit in enumerate(summary.units):
        values = [domains[h][n].value for h in headings[2:-1]]
        assert domains["Tổng"][n].value == pytest.approx(sum(values))
        assert sum(values) == pytest.approx(unit.points_lost)
        assert all(domains[h][n].number_format == POINTS_FORMAT for h in headings[2:])


def test_a_unit_with_no_losses_has_empty_figures_not_zero_text(empty_db) -> None:  # noqa: ANN001
    from store.report.remediation import remediation_facts
    from tests.documents.conftest import small_unit

    unit_id = small_unit(empty_db, [("1", "Chỉ đạo", 10.0, 10.0, None)])
    with empty_db.read() as session:
        facts = remediation_facts(session, unit_id, FIXED_TODAY)
    workbook = _load(tasks_workbook(facts))
    assert workbook["Nhiệm vụ"].max_row == 1  # only the headings
    criteria = _columns(workbook["Tiêu chí"])
    assert criteria["Điểm bị trừ"][0].value == 0 and criteria["Điểm bị trừ"][0].data_type == "n"
    assert criteria["Nguyên nhân"][0].value is None
