"""The Export screen: what will be sent, where to, the result in words, and the
bundles sent so far (number, date, check code, folder; issue 11 item 3)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, OptionList, Static

from store.bundle.reader import read_bundle_file
from tests.tui.test_app_start import Args
from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.export import ExportScreen
from tui.words.bundle import check_code


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


def _text(app: CchcApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open_export_screen(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await _settle(app, pilot)
    await pilot.press("ctrl+e")
    await _settle(app, pilot)
    assert isinstance(app.screen, ExportScreen)


async def test_export_screen_shows_what_and_where_then_exports(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_export_screen(app, pilot)
        what = _text(app, "#export-what")
        assert "Đơn vị: Phường 1 (DEMO-30316)" in what
        assert "nhiệm vụ: 20 (4 đã hoàn thành, 5 quá hạn)" in what
        assert "đây sẽ là tệp số 1" in what
        targets = app.screen.query_one("#export-targets", OptionList)
        prompts = [str(targets.get_option_at_index(i).prompt)
                   for i in range(targets.option_count)]
        assert any(p.startswith("Thư mục xuất tệp:") for p in prompts)

        app.screen.query_one("#export-folder", Input).value = str(stick)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        [written] = list(stick.iterdir())
        digest = read_bundle_file(written).sha256
        result = _text(app, "#export-result")
        assert f"Đã xuất tệp số 1 vào {written}" in result.replace("\n", "")
        assert f"Mã kiểm tra: {digest[:4]} {digest[4:8]} {digest[8:12]}" in result
        # The demo's file says what it is where the user sees it leave.
        assert "lưu ý: Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu" in result.replace(
            "\n", " ")
        assert "lần này sẽ là tệp số 2" in _text(app, "#export-what")
        assert app.context.config.last_export_dir == str(stick)

        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


async def test_export_screen_says_why_when_the_folder_is_gone(tmp_path: Path) -> None:
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        app.action_export()
        await _settle(app, pilot)
        app.screen.query_one("#export-folder", Input).value = str(tmp_path / "pulled-out")
        await pilot.click("#export-run")
        await _settle(app, pilot)
        result = _text(app, "#export-result")
        assert "pulled-out (USB đã bị rút ra?)" in result
        assert "số thứ tự chưa bị sử dụng" in result
        assert "đây sẽ là tệp số 1" in _text(app, "#export-what")
        assert app.screen.query_one("#export-result").has_class("-failed")


async def test_the_palette_offers_export() -> None:
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Xuất tệp báo cáo tiến độ" in titles


def _sent_rows(app: CchcApp) -> list[list[str]]:
    table = app.screen.query_one("#export-sent", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_the_export_screen_lists_the_bundles_sent(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_export_screen(app, pilot)
        assert "Chưa gửi gói nào." in _text(app, "#export-sent-none")
        assert not app.screen.query_one("#export-sent", DataTable).display
        app.screen.query_one("#export-folder", Input).value = str(stick)
        for _ in range(2):
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            await _settle(app, pilot)
        files = sorted(stick.iterdir())
        codes = [check_code(read_bundle_file(path).sha256) for path in files]
        assert _sent_rows(app) == [["2", "21/11/2026", codes[1], str(stick)],
                                   ["1", "21/11/2026", codes[0], str(stick)]]
        assert app.screen.query_one("#export-sent", DataTable).display
        assert not app.screen.query_one("#export-sent-none", Static).display

        # A restore takes the database back to before both: the list still has them.
        from sqlalchemy import delete

        from store.models import ExportRecord

        with app.workspace.db.write() as session:
            session.execute(delete(ExportRecord))
        await pilot.press("f5")
        await _settle(app, pilot)
        await _settle(app, pilot)
        assert [row[0] for row in _sent_rows(app)] == ["2", "1"]
        assert "lần này sẽ là tệp số 3" in _text(app, "#export-what")


async def test_ctrl_s_as_the_screen_opens_exports_to_the_folder_it_offers(
        data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    """The folder is there before the preview's worker ends (the walk in a real terminal
    pressed ctrl+s at once and was told to choose a folder first)."""
    import store.drives as drives
    from tests.holding import hold

    gate = hold(monkeypatch, drives, "removable_drives")  # still looking for USB sticks
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        folder = app.screen.query_one("#export-folder", Input).value
        assert folder == str(app.context.locations.data_dir / "exports")
        await pilot.press("ctrl+s")
        gate.set()
        await _settle(app, pilot)
        assert "Đã xuất tệp số 1" in _text(app, "#export-result")
    assert len(list(Path(folder).glob("*.json"))) == 1
