"""Issue 15 item 9: 80x24 first. The footer shows the main job (^e Xuất tệp) and
only keys that fit whole; the task list tells the highlighted task in full (title,
owner, status, progress) where its columns are cut or hidden; the criteria list
keeps the screen, the chart of lost points one key (g) away; the evidence keeps
its file column and the history its change; the task form shows the ticked
criteria first."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import SelectionList, Static
from textual.widgets._footer import FooterKey

from tests.tui.test_workspace import Args, settle
from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.task_form import ticked_first

SMALL = (80, 24)


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await settle(app, pilot, rounds=5)


def footer_keys(app: CchcApp) -> list[str]:
    """The actions of the footer's keys in sight, each whole (none runs past the
    palette's key). By action: the words depend on when pytest imported the app."""
    keys = list(app.screen.query(FooterKey))
    palette = next(key for key in keys if key.has_class("-command-palette"))
    shown = [key for key in keys if key.display and key is not palette]
    for key in shown:
        assert key.region.right <= palette.region.x, (key.description, key.region)
    return [key.action.removeprefix("app.") for key in shown]


def _columns(table) -> list[str]:  # noqa: ANN001
    return [placed.column.key for placed in table._layout(table.size.width)]


async def test_the_footer_shows_the_export_first_and_whole_keys(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        for tab in ("1", "2", "3"):
            await pilot.press(tab)
            await _settle(app, pilot)
            keys = footer_keys(app)
            assert keys[0] == "export", (tab, keys)
            assert len(keys) >= 3, (tab, keys)
        await pilot.press("1", "enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "TaskScreen"
        assert footer_keys(app)[0] == "export"
    async with CchcApp(make_context(Args())).run_test(size=(160, 40)) as pilot:
        await _settle(pilot.app, pilot)
        keys = footer_keys(pilot.app)  # wide: every key, the export first
        assert keys[0] == "export" and "help" in keys and "sort" in keys


async def test_every_tab_keeps_its_main_keys_and_help_at_80_columns(data_dir: Path) -> None:
    """What matters on each tab is in the footer at 80x24, whole, with f1 last (beside
    the palette's key): a new task from the task list, the criteria tab and the others."""
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        wanted = {"1": {"select", "new_task", "sort"},
                  "2": {"select", "new_task", "add_criterion"},
                  "3": {"select", "new_task"}, "4": {"select", "new_task"}}
        for tab, actions in wanted.items():
            await pilot.press(tab)
            await _settle(app, pilot)
            keys = footer_keys(app)
            assert keys[0] == "export" and keys[-1] == "help", (tab, keys)
            assert actions <= set(keys), (tab, keys)
        await pilot.press("1", "enter")
        await _settle(app, pilot)
        keys = footer_keys(app)
        assert keys[0] == "export" and keys[-1] == "help", keys


async def test_the_summary_takes_one_line_at_80_columns_and_says_all_at_120(
        data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        summary = app.screen.query_one("#summary", Static)
        shown = str(summary.render())
        assert summary.region.height == 1, shown
        for part in ("Phường 1", "86,1/100", "hạng 6/9", "xong 4/20", "5 quá hạn",
                     "hạn tới: còn "):
            assert part in shown, (part, shown)
        await pilot.resize_terminal(120, 30)
        await _settle(app, pilot)
        shown = str(summary.render())
        for part in ("Phường 1 (DEMO-30316)", "Chỉ số CCHC năm 2025: 86,1/100", "hạng 6/9",
                     "bị trừ 13,9 điểm", "hoàn thành 4/20 nhiệm vụ", "5 quá hạn",
                     "hạn gần nhất "):
            assert part in shown, (part, shown)
        await pilot.resize_terminal(*SMALL)  # narrower again: the short form again
        await _settle(app, pilot)
        assert summary.region.height == 1


async def test_the_highlighted_task_is_told_in_full_under_a_narrow_list(
        data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        pane = app.screen.query_one("TasksPane")
        table = pane.query_one("#task-table")
        assert "owner" not in _columns(table) and "status" not in _columns(table)
        preview = pane.query_one("#task-preview", Static)
        assert preview.display and preview.region.height >= 2
        await pilot.press("down")
        await _settle(app, pilot)
        task = table.source.read[int(table.cursor_key)]
        shown = str(preview.render())
        assert task.title in shown  # the whole title, cut in its column
        assert task.owner in shown and "Chưa thực hiện" in shown and "0%" in shown
    async with CchcApp(make_context(Args())).run_test(size=(160, 40)) as pilot:
        await _settle(pilot.app, pilot)
        pane = pilot.app.screen.query_one("TasksPane")
        assert {"owner", "status", "progress"} <= set(_columns(pane.query_one("#task-table")))
        assert not pane.query_one("#task-preview").display  # every column is there


async def test_the_criteria_keep_the_small_screen_and_g_shows_the_chart(
        data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        await pilot.press("2")
        await _settle(app, pilot)
        pane = app.screen.query_one("CriteriaPane")
        chart, detail = pane.query_one("#loss-chart"), pane.query_one("#criterion-detail")
        assert not chart.display and detail.display
        assert pane.query_one("#criteria-table").region.height >= 11  # was 8: the chart
        await pilot.press("g")
        await _settle(app, pilot)
        assert chart.display and not detail.display
        await pilot.press("g")
        await _settle(app, pilot)
        assert not chart.display and detail.display
    async with CchcApp(make_context(Args())).run_test(size=(120, 35)) as pilot:
        await _settle(pilot.app, pilot)
        await pilot.press("2")
        await _settle(pilot.app, pilot)
        pane = pilot.app.screen.query_one("CriteriaPane")
        assert pane.query_one("#loss-chart").display  # room for both beside the list
        assert pane.query_one("#criterion-detail").display


async def test_evidence_keeps_its_file_and_history_its_change(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        evidence = app.screen.query_one("#evidence-table")
        assert "file" in _columns(evidence)
        history = app.screen.query_one("#history-table")
        change = next(placed for placed in history._layout(history.size.width)
                      if placed.column.key == "change")
        # "Chưa thực hiện → Đang thực hiện", the longest status change, whole.
        assert change.width >= len("Chưa thực hiện → Đang thực hiện")


def test_ticked_criteria_come_first_in_code_order() -> None:
    criteria = [(1, "1", "A"), (2, "1.1", "B"), (3, "2", "C"), (4, "3.2", "D")]
    assert [c[0] for c in ticked_first(criteria, {4, 2})] == [2, 4, 1, 3]
    assert ticked_first(criteria, set()) == criteria


async def test_the_task_form_shows_the_ticked_criteria_first(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one("#task-table")
        # A task that remedies criteria late in the list (3.2 and 3.3).
        row = next(i for i in range(table.row_count)
                   if str(table.row_at(i).cells[0]).startswith("3.2, 3.3"))
        table.move_cursor(row)
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("e")
        await _settle(app, pilot)
        picker = app.screen.query_one("#f-criteria", SelectionList)
        first = [picker.get_option_at_index(i).value for i in range(2)]
        assert set(first) == set(picker.selected) and len(picker.selected) == 2


async def test_the_footer_composes_its_keys_again_only_when_they_change(data_dir: Path) -> None:
    """Textual refreshes the bindings on every focus change and after new data; the
    footer keeps its keys (no compose and styling again) while what it shows is the
    same, and shows the new keys when they change."""
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(120, 30)) as pilot:
        await _settle(app, pilot)
        before = list(app.screen.query(FooterKey))
        shown = footer_keys(app)
        app.screen.refresh_bindings()
        await _settle(app, pilot)
        after = list(app.screen.query(FooterKey))
        assert after and all(a is b for a, b in zip(after, before, strict=True))
        assert footer_keys(app) == shown
        await pilot.press("2")  # the criteria tab: other keys
        await _settle(app, pilot)
        assert footer_keys(app) != shown
        assert not any(key in before for key in app.screen.query(FooterKey))
