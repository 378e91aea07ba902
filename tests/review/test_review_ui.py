"""The review screens on the six-unit review database: what a supervisor sees and
can do (search, filters, sort, a unit's detail, what changed, all tasks)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TabbedContent

from tests.review import factory
from tui.widgets.virtual_table import VirtualTable


def make_app(review_db_path: Path, language: str = "vi",  # noqa: ANN201
             keymap: dict[str, str] | None = None):
    from store.config import Config
    from store.paths import resolve
    from tui.context import AppContext
    from tui.i18n import set_language
    from tui.review.app import ReviewApp

    set_language(language)
    locations = resolve(review_db_path.parent)
    config = Config(language=language, keymap=keymap or {})
    return ReviewApp(AppContext(locations=locations, config=config), review_db_path)


async def ready(app, pilot) -> None:  # noqa: ANN001
    """Until no worker runs (one may start another after a refresh)."""
    for _attempt in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(not worker.is_finished for worker in app.workers):
            return


async def searched(app, pilot) -> None:  # noqa: ANN001
    """The all-tasks search's worker done and its result shown."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.screen.shown_generation == app.screen._list_generation


def cells(table: VirtualTable, index: int) -> list[str]:
    row = table.row_at(index)
    assert row is not None
    return [str(cell) for cell in row.cells]


def codes(table: VirtualTable) -> list[str]:
    return [cells(table, i)[0] for i in range(table.row_count)]


async def test_overview_lists_units_with_totals_and_chart(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert codes(table) == [factory.unit_code(i) for i in range(1, 7)]
        totals = str(app.screen.query_one("#review-totals", Static).render())
        assert "6 đơn vị" in totals and "3 có cảnh báo" in totals
        chart = str(app.screen.query_one("#review-chart", Static).render())
        assert "█" in chart and "không có nhiệm vụ" in chart
        gap = cells(table, 1)
        assert gap[3] == "4" and "thiếu" in gap[-1]
        await pilot.press("g")
        await ready(app, pilot)
        chart = str(app.screen.query_one("#review-chart", Static).render())
        assert "lĩnh vực" in chart and "3. Cải cách thủ tục" in chart


async def test_overview_search_filters_and_sort(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        table = screen.query_one("#review-units", VirtualTable)
        await pilot.press("slash", *"phuong")
        assert screen.query_one("#review-search", Input).has_focus
        assert codes(table) == [factory.unit_code(1), factory.unit_code(5)]
        assert "2 / 6 đơn vị" in str(screen.query_one("#review-totals", Static).render())
        await pilot.press("escape")  # clears the search
        await pilot.press("escape")  # back to the table
        assert table.has_focus and table.row_count == 6
        await pilot.press("w")
        assert codes(table) == [factory.unit_code(i) for i in (2, 3, 4)]
        await pilot.press("l")
        assert codes(table) == [factory.unit_code(4)]
        await pilot.press("w", "l", "o")
        assert all(row.tasks_overdue > 0 for row in screen.shown)
        await pilot.press("o")
        await pilot.press("s")  # next column: name
        assert screen.sort == "name"
        assert [r.name for r in screen.shown] == sorted(r.name for r in screen.shown)
        await pilot.press("r")
        assert [r.name for r in screen.shown] == sorted((r.name for r in screen.shown),
                                                        reverse=True)
        screen.sort_by("tasks_overdue")
        await pilot.pause()
        overdue = [r.tasks_overdue for r in screen.shown]
        assert overdue == sorted(overdue)


async def test_the_user_s_keymap_applies_to_the_review(review_db_path: Path) -> None:
    """The review used to ignore config.toml's [keymap]: it is the app base's now."""
    keymap = {"review.overview.search": "ctrl+f", "app.help": "f12"}
    app = make_app(review_db_path, keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        search = app.screen.query_one("#review-search", Input)
        await pilot.press("slash")
        await pilot.pause()
        assert not search.has_focus
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert search.has_focus
        await pilot.press("escape", "f12")
        await pilot.pause()
        assert app.screen.query("HelpPanel")


async def test_unit_detail_shows_tasks_bundles_and_changes(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")  # the first unit: two bundles
        await ready(app, pilot)
        screen = app.screen
        assert screen.read_only and not screen.editable
        summary = str(screen.query_one("#summary", Static).render())
        assert "Phường 2 (10001)" in summary and "tệp số 2" in summary
        tasks = screen.query_one("#task-table", VirtualTable)
        assert tasks.row_count == 20
        await pilot.press("2")  # the commune's criteria tab, read-only
        await ready(app, pilot)
        assert screen.query_one("#sections", TabbedContent).active == "criteria"
        await pilot.press("b")
        await ready(app, pilot)
        bundles = screen.query_one("#unit-bundles", VirtualTable)
        assert screen.query_one("#sections", TabbedContent).active == "bundles"
        assert [cells(bundles, i)[0] for i in range(bundles.row_count)] == ["2", "1"]
        await pilot.press("c")
        await ready(app, pilot)
        heading = str(screen.query_one("#changes-heading", Static).render())
        assert "tệp số 1" in heading and "tệp số 2" in heading
        assert "1 mới, 1 bị xóa" in heading
        changes = screen.query_one("#unit-changes", VirtualTable)
        kinds = [cells(changes, i)[0] for i in range(changes.row_count)]
        assert kinds[-2:] == ["Mới", "Bị xóa"] and kinds[0] == "Thay đổi"
        first = cells(changes, 0)[3]
        assert "trạng thái" in first and "Đã hoàn thành" in first and "100%" in first
        detail = str(screen.query_one("#change-detail", Static).render())
        assert "Báo cáo hoàn thành" in detail
        # Enter on the older bundle: nothing earlier to compare with
        await pilot.press("b", "down", "enter")
        await ready(app, pilot)
        assert screen.query_one("#sections", TabbedContent).active == "changes"
        assert "Chưa có tệp nào nhận trước" in str(
            screen.query_one("#changes-heading", Static).render())
        await pilot.press("1", "enter")  # a task, read-only
        await ready(app, pilot)
        # the review's own task screen (with the supervisor's notes), read-only
        assert type(app.screen).__name__ == "ReviewTaskScreen" and app.screen.read_only
        await pilot.press("escape", "escape")
        assert app.screen is app.overview


async def test_all_tasks_search_filter_and_unit(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        overview = app.screen
        total = sum(r.tasks_total for r in overview.all_rows)
        overdue = sum(r.tasks_overdue for r in overview.all_rows)
        await pilot.press("t")
        screen = app.screen
        table = screen.query_one("#all-tasks", VirtualTable)
        assert table.row_count == total
        state = screen.query_one("#tasks-state", Static)
        await pilot.press("f")
        assert table.row_count == overdue and "quá hạn" in str(state.render())
        assert all(row.tone == "danger" for row in (table.row_at(i)
                                                    for i in range(table.row_count)))
        await pilot.press("slash", *"chong ma doc")
        await searched(app, pilot)
        assert 0 < table.row_count < overdue
        assert all("chống mã độc" in cells(table, i)[2] for i in range(table.row_count))
        await pilot.press("enter", "s")
        assert screen.query_state.sort == "due"
        await pilot.press("enter")  # open the task's unit
        await ready(app, pilot)
        assert app.screen.__class__.__name__ == "UnitScreen"


async def test_all_tasks_unit_filter(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        total = sum(r.tasks_total for r in app.overview.all_rows)
        await pilot.press("t", "u")
        screen = app.screen
        table = screen.query_one("#all-tasks", VirtualTable)
        units = {cells(table, i)[0] for i in range(table.row_count)}
        assert table.row_count == 20 and len(units) == 1
        assert next(iter(units)) in str(screen.query_one("#tasks-state", Static).render())
        await pilot.press("u")
        assert table.row_count == total


async def test_english_on_request(review_db_path: Path) -> None:
    app = make_app(review_db_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        totals = str(app.screen.query_one("#review-totals", Static).render())
        assert "6 units" in totals and "3 with warnings" in totals


async def test_receiving_from_the_review_screen(tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review import ensure_review_database

    ensure_review_database(locations.review_db_path)
    inbox = tmp_path / "usb"
    inbox.mkdir()
    for index in (7, 8):
        factory.write_bundle(inbox, factory.bundle_of(index, factory.dt.date(2026, 11, 20)))
    (inbox / "broken.json").write_text("{", encoding="utf-8")
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert table.row_count == 0
        await pilot.press("i")
        dialog = app.screen
        dialog.query_one("#receive-path", Input).value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        assert app.screen is dialog and "nowhere" in str(
            dialog.query_one("#receive-error", Static).render())
        dialog.query_one("#receive-path", Input).value = str(inbox)
        await pilot.press("enter")
        await ready(app, pilot)
        await ready(app, pilot)
        assert app.screen is app.overview
        assert codes(table) == [factory.unit_code(7), factory.unit_code(8)]
        assert not app.screen.query_one("#receive-progress").has_class("receiving")
        shown = [str(n.message) for n in app._notifications]
        assert any("2 đã nhận" in m and "1 bị từ chối" in m and "broken.json" in m
                   for m in shown)
    assert not any(p.name.endswith(("-wal", "-shm", "-journal"))
                   for p in locations.data_dir.iterdir())


async def test_a_damaged_review_database_is_told_and_left_alone(locations) -> None:  # noqa: ANN001
    path = locations.review_db_path
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert table.row_count == 0 and str(path) in table.empty_text
        assert app.review_db is None
        await pilot.press("t", "enter")
        assert app.screen is app.overview
    assert path.read_bytes() == before


async def test_the_receive_progress_bar_is_mounted_at_the_first_receive(
        review_db_path: Path) -> None:
    """The bar is not part of the first frame (issue 16): it comes with the first
    receive, shows its progress, hides after it and serves the next receive."""
    from textual.widgets import Label, ProgressBar

    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        overview = app.overview
        assert overview is not None and not overview.query(ProgressBar)
        line = overview.query_one("#receive-progress")
        overview.show_receiving(0, 10)
        overview.show_receiving(3, 10)
        await pilot.pause()
        bar = overview.query_one("#receive-progress-bar", ProgressBar)
        assert line.has_class("receiving") and (bar.total, bar.progress) == (10, 3)
        assert "3/10" in str(overview.query_one("#receive-progress-label", Label).render())
        overview.show_receiving(10, None)
        assert not line.has_class("receiving")
        overview.show_receiving(1, 5)
        await pilot.pause()
        assert list(overview.query(ProgressBar)) == [bar] and (bar.total, bar.progress) == (5, 1)


async def test_a_damaged_key_on_record_is_told_in_the_window(
        review_db_path: Path, capsys) -> None:  # noqa: ANN001
    """The command leaves the check of a key on record to the window (issue 16): what
    is wrong with it is told there, once the database is open."""
    from store.config import Config
    from store.keys import key_path_for
    from store.paths import resolve
    from tui.cli_commands.review_keys import ensure_review_key
    from tui.context import AppContext
    from tui.review.app import ReviewApp

    ensure_review_key(AppContext(locations=resolve(review_db_path.parent), config=Config()))
    capsys.readouterr()
    key_path_for(review_db_path).write_bytes(b"not a key")
    app = make_app(review_db_path)
    checking = ReviewApp(app.context, review_db_path, check_key=True)
    async with checking.run_test(size=(100, 30)) as pilot:
        await ready(checking, pilot)
        await checking.workers.wait_for_complete()
        await pilot.pause()
        told = [n for n in checking._notifications if key_path_for(review_db_path).name in
                str(n.message)]
        assert len(told) == 1 and told[0].severity == "warning"
    assert capsys.readouterr().err == ""
    app = make_app(review_db_path)  # without the check (the command made it): nothing told
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await app.workers.wait_for_complete()
        assert not any(key_path_for(review_db_path).name in str(n.message)
                       for n in app._notifications)
