"""The list of removed items (issue 15, left-over 3): r on the workspace and the
palette's "Đã xóa" open it; newest first, what, when and who, in the user's
language; nothing on it changes the data."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select
from textual.widgets._footer import FooterKey

from tests.tui.removed_setup import demo_with_removals
from tests.tui.screen_text import screen_text
from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.help import key_tables

SMALL = (80, 24)


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    for _attempt in range(5):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _content(db_path: Path) -> str:
    """The database's committed content (a dump through another connection)."""
    from store.connect import connect

    connection = connect(db_path, read_only=True)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def _removal_count(app: CchcApp) -> int:
    from store.models import Removal

    with app.workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(Removal)).scalar_one()


async def test_r_lists_the_removals_newest_first_with_what_when_and_who(
        data_dir: Path) -> None:
    from tui.screens.removed import RemovedScreen

    demo_with_removals(data_dir)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        # One removal more, made on screen: the task open first (x, then y).
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("x")
        await _settle(app, pilot)
        await pilot.press("y")
        await _settle(app, pilot)
        assert _removal_count(app) == 4
        await pilot.press("r")
        await _settle(app, pilot)
        assert isinstance(app.screen, RemovedScreen)
        table = app.screen.query_one("#removed-table")
        rows = [table.row_at(i).cells for i in range(table.row_count)]
        assert [row[1] for row in rows] == ["Nhiệm vụ", "Nhiệm vụ", "Tài liệu kiểm chứng",
                                            "Tiêu chí"]
        assert rows[0][2] == "Gửi báo cáo CCHC định kỳ đúng hạn qua Phòng Nội vụ"
        assert rows[1][2] == "Tự đánh giá, chấm điểm Chỉ số CCHC năm nay"
        assert rows[3][2] == "1.1.1 Ban hành Kế hoạch CCHC năm kịp thời"
        assert [row[3] for row in rows[1:]] == ["Nguyễn Thị Hoa", "Trần Văn Bình",
                                                "Lê Văn Cường"]
        assert all(row[0].startswith("21/11/2026 09:00") for row in rows[1:])
        shown = screen_text(app)
        for words in ("Đã xóa", "Thời điểm", "Loại", "Nội dung", "Người xóa"):
            assert words in shown, (words, shown)
        footer = [key.action for key in app.screen.query(FooterKey) if key.display]
        assert "close" in footer and {"help", "app.help"} & set(footer), footer
        # The highlighted one is told in full below the list (its column is cut).
        await pilot.press("down", "down")
        await _settle(app, pilot)
        detail = str(app.screen.query_one("#removed-detail").render())
        assert "Tài liệu kiểm chứng: 40/BC-UBND Báo cáo kết quả khắc phục: Hoàn thành các " \
               "nhiệm vụ còn lại của Kế hoạch CCHC năm" in detail.replace("\n", " ")
        assert "Trần Văn Bình" in detail
        await pilot.press("escape")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "WorkspaceScreen"


async def test_no_key_on_the_list_changes_the_data(data_dir: Path) -> None:
    from tui.screens.removed import RemovedScreen

    db_path = demo_with_removals(data_dir)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        await pilot.press("r")
        await _settle(app, pilot)
        assert isinstance(app.screen, RemovedScreen)
        before = _content(db_path)
        # Every key a removal, an edit or a restore takes elsewhere, and Enter.
        for key in ("enter", "x", "delete", "y", "e", "a", "n", "i", "r", "u", "k", "o",
                    "backspace", "space", "d", "s", "down", "enter", "y"):
            await pilot.press(key)
            await _settle(app, pilot)
            assert isinstance(app.screen, RemovedScreen), key
        assert _removal_count(app) == 3
        assert _content(db_path) == before


async def test_the_palette_and_the_help_offer_the_list(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        names = [str(command[0]) for command in app.get_system_commands(app.screen)]
        assert "Đã xóa" in names
        assert "| r | Đã xóa |" in key_tables({})
        await app.run_action("removed_items")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "RemovedScreen"
        assert "Chưa có gì bị xóa." in screen_text(app)


async def test_the_review_of_a_unit_has_no_removed_list() -> None:
    from tui.review.unit import UnitScreen

    assert UnitScreen.SHOW_REMOVED is False
    screen = UnitScreen.__new__(UnitScreen)
    screen.workspace = object()  # type: ignore[assignment]
    assert screen.check_action("removed_items", ()) is False
