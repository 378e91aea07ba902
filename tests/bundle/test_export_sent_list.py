"""The Export screen lists the bundles sent: number, date, check code, folder (issue
11 item 3), those the database forgot (a restore, a kill) included."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from store.bundle.reader import read_bundle_file
from tests.tui.test_app_start import Args
from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.export import ExportScreen
from tui.words.bundle import check_code


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _rows(app: CchcApp) -> list[list[str]]:
    table = app.screen.query_one("#export-sent", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_the_export_screen_lists_the_bundles_sent(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+e")
        await _settle(app, pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "Chưa gửi gói nào." in str(app.screen.query_one("#export-sent-none",
                                                                Static).render())
        assert not app.screen.query_one("#export-sent", DataTable).display
        app.screen.query_one("#export-folder", Input).value = str(stick)
        for _ in range(2):
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
        files = sorted(stick.iterdir())
        codes = [check_code(read_bundle_file(path).sha256) for path in files]
        assert _rows(app) == [["2", "21/11/2026", codes[1], str(stick)],
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
        assert [row[0] for row in _rows(app)] == ["2", "1"]
        assert "lần này sẽ là tệp số 3" in str(app.screen.query_one("#export-what",
                                                                    Static).render())
