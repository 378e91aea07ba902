"""The review app's assignment screen (issue 14, item 2): the workbook chosen from a
path or the file list, the fields proposed, the preview per unit with every bad row
by its cell, then the files written on confirmation; the empty template."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Static

from tests.review import factory
from tests.review.assigned import UNITS, issue_twice, unit_rows_of
from tests.review.test_review_ui import make_app, ready
from tui.widgets.virtual_table import VirtualTable


def workbook(folder: Path, rows=None, name: str = "tham-dinh.xlsx") -> Path:  # noqa: ANN001
    from tests.assign.factory import workbook_bytes

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(workbook_bytes(rows if rows is not None else
                                    [row for i in UNITS for row in unit_rows_of(i)]))
    return path


def value(app, name: str) -> str:  # noqa: ANN001
    return app.screen.query_one(f"#a-{name}", Input).value


def text(app, selector: str) -> str:  # noqa: ANN001
    return str(app.screen.query_one(selector, Static).render())


async def open_form(app, pilot) -> None:  # noqa: ANN001
    from tui.review.assign import AssignScreen

    await ready(app, pilot)
    await pilot.press("a")
    await ready(app, pilot)
    assert isinstance(app.screen, AssignScreen)


def fill(app, **values: str) -> None:  # noqa: ANN001
    for name, typed in values.items():
        app.screen.query_one(f"#a-{name}", Input).value = typed


async def submit(app, pilot, **values: str) -> None:  # noqa: ANN001
    """The fields filled (fill) and the form sent (ctrl+s): a preview, or the
    problems under their fields."""
    fill(app, **values)
    await pilot.press("ctrl+s")
    await ready(app, pilot)


FORM = dict(issuer_code="SNV-87", letter_date="20/05/2026", due="16/06/2026",
            report_due="20/06/2026")


async def test_the_form_proposes_the_newest_assessment_held(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        assert value(app, "title") == "Chỉ số CCHC năm 2025"
        assert value(app, "year") == "2025"
        assert value(app, "issuer_name") == "UBND tỉnh Đồng Tháp"
        assert value(app, "letter") == "174/BC-SNV"
        assert value(app, "out") == str(app.context.locations.data_dir / "giao-viec")
        await pilot.press("escape")
        assert app.screen is app.overview


async def test_the_form_proposes_the_last_assignment_issued(review_db_path: Path,
                                                             tmp_path: Path) -> None:
    issue_twice(review_db_path, tmp_path / "out")
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        assert (value(app, "issuer_code"), value(app, "issuer_name")) == (
            "SNV-87", "Sở Nội vụ tỉnh Đồng Tháp")
        assert (value(app, "letter"), value(app, "letter_date")) == ("2231/SNV-CCHC",
                                                                      "20/05/2026")
        assert (value(app, "due"), value(app, "report_due")) == ("16/06/2026", "20/06/2026")


async def test_preview_then_write_issues_one_file_per_unit(review_db_path: Path,
                                                          tmp_path: Path) -> None:
    from tui.review.assign import AssignPreviewScreen

    path = workbook(tmp_path / "in")
    out = tmp_path / "giao"
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        await submit(app, pilot, workbook=str(path), out=str(out), **FORM)
        assert isinstance(app.screen, AssignPreviewScreen)
        assert "Sẵn sàng ghi 3 tệp giao việc" in text(app, "#preview-verdict")
        table = app.screen.query_one("#preview-units", VirtualTable)
        assert [str(table.row_at(i).cells[0]) for i in range(3)] == [
            factory.unit_code(i) for i in UNITS]
        assert not out.exists()  # the preview writes nothing
        assert "cchc-assign-10001-20261121-0001.json" in text(app, "#preview-unit")
        await pilot.press("w")
        await ready(app, pilot)
        assert "Đã ghi: 3 tệp giao việc" in text(app, "#preview-verdict")
        assert "khóa" in text(app, "#preview-problems")
        assert "mã kiểm tra" in text(app, "#preview-unit")  # the written file's
        assert len(list(out.glob("cchc-assign-*.json"))) == 3
        assert app.screen.query_one("#preview-write", Button).disabled
        await pilot.press("w")  # written once only
        await ready(app, pilot)
        assert len(list(out.glob("cchc-assign-*.json"))) == 3
        await pilot.press("escape", "escape")
        await ready(app, pilot)
        units = app.overview.query_one("#review-units", VirtualTable)
        assert "held" in [c.key for c in units.columns]
    # Next time the list starts in the workbook's folder and the files go where they went.
    assert app.context.config.assign.workbook_dir == str(path.parent)
    assert app.context.config.assign.out_dir == str(out)


async def test_every_bad_row_is_shown_by_its_cell_and_nothing_can_be_written(
        review_db_path: Path, tmp_path: Path) -> None:
    from tui.review.assign import AssignPreviewScreen

    rows = [row for i in UNITS for row in unit_rows_of(i)]
    rows[4] = (*rows[4][:6], 99.0, rows[4][7])  # a score above its maximum, sheet row 6
    path = workbook(tmp_path / "in", rows)
    out = tmp_path / "giao"
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        await submit(app, pilot, workbook=str(path), out=str(out), **FORM)
        assert isinstance(app.screen, AssignPreviewScreen)
        assert "không ghi được gì" in text(app, "#preview-verdict")
        assert "Sheet1!G6" in text(app, "#preview-problems")
        assert app.screen.query_one("#preview-write", Button).disabled
        await pilot.press("w")
        await ready(app, pilot)
        assert not out.exists()


async def test_a_bad_field_is_told_under_it_and_nothing_is_checked(review_db_path: Path,
                                                                   tmp_path: Path) -> None:
    from tui.review.assign import AssignScreen

    path = workbook(tmp_path / "in")
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        await submit(app, pilot, workbook=str(path), out=str(tmp_path / "giao"),
                     **{**FORM, "due": "31/02/2026"})
        assert isinstance(app.screen, AssignScreen)
        assert "Không có ngày này" in text(app, "#e-due")
        await submit(app, pilot, workbook=str(tmp_path / "none.xlsx"), due="16/06/2026")
        assert isinstance(app.screen, AssignScreen)
        assert "none.xlsx" in text(app, "#e-workbook") and text(app, "#e-due") == ""


async def test_a_bad_issuer_code_or_a_missing_title_is_told_under_its_field(
        review_db_path: Path, tmp_path: Path) -> None:
    from tui.review.assign import AssignScreen

    path = workbook(tmp_path / "in")
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        await submit(app, pilot, workbook=str(path), out=str(tmp_path / "giao"), title=" ",
                     **{**FORM, "issuer_code": "SỞ NỘI VỤ"})
        assert isinstance(app.screen, AssignScreen)
        assert "“SỞ NỘI VỤ” không phải mã cơ quan giao" in text(app, "#e-issuer_code")
        assert "--" not in text(app, "#e-issuer_code")
        assert text(app, "#e-title") != ""
        assert not (tmp_path / "giao").exists()


async def test_the_file_list_starts_in_the_last_folder_and_fills_the_path(
        review_db_path: Path, tmp_path: Path) -> None:
    from tui.review.assign import WorkbookList

    path = workbook(tmp_path / "in")
    (tmp_path / "in" / "ghi-chu.txt").write_text("x")
    (tmp_path / "in" / "cu").mkdir()
    app = make_app(review_db_path)
    app.context.config.assign.workbook_dir = str(path.parent)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        files = app.screen.query_one(WorkbookList)
        assert files.folder == path.parent
        names = [str(files.get_option_at_index(i).prompt) for i in range(files.option_count)]
        assert names == ["..", "cu/", "tham-dinh.xlsx"]  # no other kind of file
        files.focus()
        files.highlighted = 1  # into cu/, then back up
        await pilot.press("enter")
        assert files.folder == path.parent / "cu"
        files.highlighted = 0  # ".."
        await pilot.press("enter")
        assert files.folder == path.parent
        files.highlighted = 2
        await pilot.press("enter")
        await pilot.pause()
        assert value(app, "workbook") == str(path)


async def test_the_empty_template_is_written_to_the_out_folder(review_db_path: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "giao"
    out.mkdir()
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(app, pilot)
        fill(app, out=str(out))
        await pilot.press("ctrl+t")
        await ready(app, pilot)
    from store.assign.workbook import read_workbook_file

    read = read_workbook_file(out / "mau-tham-dinh.xlsx")
    assert len(read.units) == 6  # every unit of the review, scores still to fill in


async def test_a_read_only_review_issues_nothing(review_db_path: Path) -> None:
    from dataclasses import replace

    from tui.review.assign import AssignScreen

    app = make_app(review_db_path)
    app.context = replace(app.context, read_only=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("a")
        await ready(app, pilot)
        assert not isinstance(app.screen, AssignScreen)
