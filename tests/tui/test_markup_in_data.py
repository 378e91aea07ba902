"""Markup in data is shown as it is (issue 10, item 1): the commune's app, the
review, notifications, the palette and the last-resort error message.

Every text below once meant something to Textual: "[/]" in an assessment's title
stopped the commune's app at every start, "[/b]" in an owner the task's screen,
"[/x]" in a changed title the review's Changes tab; "Xã [bold red]ĐỎ[/]" was
shown in red and "[@click=app.quit]" was a link that closed the app.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.binding import Binding

from store.config import Config
from store.paths import resolve
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.conftest import build_review_db
from tests.review.test_review_ui import make_app, ready
from tests.tui.screen_text import hidden_characters, screen_text
from tests.tui.test_app_start import Args
from tui.app import CchcApp
from tui.app_base import AppBase, AppCommand, shared_bindings
from tui.cli import make_context
from tui.context import AppContext

RED = "Xã [bold red]ĐỎ[/]"
CLICK = "[@click=app.quit]"
CLOSES = "[/]"


def _demo_with(data_dir: Path, *statements: tuple[str, tuple]) -> None:
    """The demo commune's database, then changed by SQL (as a unit's own data)."""
    from store.demo import seed_demo

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    with sqlite3.connect(locations.db_path) as connection:
        for sql, parameters in statements:
            connection.execute(sql, parameters)
    connection.close()


async def _settle(app, pilot) -> None:  # noqa: ANN001
    for _attempt in range(10):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return


async def _click_on(pilot, text: str) -> None:  # noqa: ANN001
    """Click on each cell of the first place the screen shows `text`."""
    rows = screen_text(pilot.app).splitlines()
    y = next(i for i, row in enumerate(rows) if text in row)
    x = cell_len(rows[y][:rows[y].index(text)])
    for offset in range(cell_len(text)):
        await pilot.click(offset=(x + offset, y))
        await pilot.pause()


def _assert_running(app) -> None:  # noqa: ANN001
    assert app.is_running and app.return_code is None


# -- the commune's app ---------------------------------------------------------------


@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "read-only"])
async def test_markup_in_an_assessment_title_is_shown_as_it_is(data_dir: Path,
                                                               read_only: bool) -> None:
    title = f"{CLICK} Chỉ số {CLOSES} {RED}"
    _demo_with(data_dir, ("UPDATE assessment SET title = ?", (title,)))
    app = CchcApp(make_context(Args(demo=True, read_only=read_only)))
    async with app.run_test(size=(160, 30)) as pilot:
        await _settle(app, pilot)
        _assert_running(app)
        assert title in screen_text(app)
        await _click_on(pilot, CLICK)
        _assert_running(app)
    assert app.return_code in (None, 0)


async def test_markup_in_an_owner_and_a_detail_is_shown_on_the_task(data_dir: Path) -> None:
    _demo_with(data_dir, ("UPDATE task SET owner = ?, detail = ?, result = ? WHERE id = 1",
                          ("[/b]Võ Minh Tuấn", "[/b] Làm [bold]ngay[/]\nrồi báo cáo [/]",
                           f"{RED} {CLICK}")),
               ("UPDATE criterion SET title = ?, finding = ? WHERE id IN "
                "(SELECT criterion_id FROM taskcriterion WHERE task_id = 1)",
                (f"Tiêu chí {CLOSES}", "[i]chưa đạt[/b]")))
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(app, pilot)
        app.workspace_screen().open_task(1)
        await _settle(app, pilot)
        _assert_running(app)
        shown = screen_text(app)
        for text in ("[/b]Võ Minh Tuấn", "[/b] Làm [bold]ngay[/]", "rồi báo cáo [/]",
                     f"{RED} {CLICK}", f"Tiêu chí {CLOSES}", "[i]chưa đạt[/b]"):
            assert text in shown
        await _click_on(pilot, CLICK)
        _assert_running(app)


async def test_markup_in_criteria_shows_in_the_tree_the_chart_and_the_filters(
        data_dir: Path) -> None:
    domain = f"Lĩnh vực {CLOSES} [b]"
    _demo_with(data_dir, ("UPDATE criterion SET title = ? WHERE code = '1'", (domain,)))
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(app, pilot)
        await pilot.press("2")
        await _settle(app, pilot)
        shown = screen_text(app)
        assert f"1 {domain}" in shown  # the tree and the chart's label
        await pilot.press("1", "f")
        await _settle(app, pilot)
        await pilot.press("tab", "tab", "enter")  # the domain filter's choices
        await _settle(app, pilot)
        _assert_running(app)
        assert f"1. {domain}" in screen_text(app)


# -- the review ------------------------------------------------------------------------


def _review_db(locations, first: dict, *later: dict) -> Path:  # noqa: ANN001
    for bundle in (first, *later):
        bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return build_review_db(locations.review_db_path, [first, *later])


async def _open_unit(app, pilot) -> None:  # noqa: ANN001
    await ready(app, pilot)
    app.overview.open_unit(app.overview.all_rows[0].unit_id)
    await ready(app, pilot)


async def test_review_unit_with_markup_in_its_names_and_titles(locations) -> None:  # noqa: ANN001
    bundle = factory.bundle_of(1, FIXED_TODAY)
    bundle["unit"]["name"] = f"{RED} {CLICK}"
    bundle["assessments"][0]["title"] = f"Chỉ số {CLOSES}"
    app = make_app(_review_db(locations, bundle))
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        assert f"{RED} {CLICK}" in screen_text(app)  # the overview's row
        await _click_on(pilot, CLICK)
        _assert_running(app)
        await _open_unit(app, pilot)
        _assert_running(app)
        shown = screen_text(app)
        assert f"Chỉ số {CLOSES}" in shown and f"{RED} {CLICK}" in shown
        await _click_on(pilot, CLICK)
        _assert_running(app)


async def test_review_task_with_markup_in_its_owner_and_detail(locations) -> None:  # noqa: ANN001
    bundle = factory.bundle_of(1, FIXED_TODAY)
    for task in bundle["assessments"][0]["tasks"]:
        task.update(owner="[/b]Trần Văn Bình", detail="[/b] chi tiết [/]")
    app = make_app(_review_db(locations, bundle))
    async with app.run_test(size=(160, 40)) as pilot:
        await _open_unit(app, pilot)
        app.screen.query_one("#task-table").focus()
        await pilot.press("enter")
        await ready(app, pilot)
        _assert_running(app)
        assert type(app.screen).__name__ == "ReviewTaskScreen"
        shown = screen_text(app)
        assert "[/b]Trần Văn Bình" in shown and "[/b] chi tiết [/]" in shown


async def test_review_changes_with_markup_in_a_changed_title(locations) -> None:  # noqa: ANN001
    first = factory.bundle_of(1, FIXED_TODAY)
    second = factory.progressed(first, FIXED_TODAY)
    second["assessments"][0]["tasks"][0]["title"] = "Nhiệm vụ [/x] đổi tên"
    app = make_app(_review_db(locations, first, second))
    async with app.run_test(size=(160, 40)) as pilot:
        await _open_unit(app, pilot)
        app.screen.action_section("changes")
        await ready(app, pilot)
        _assert_running(app)
        assert "Nhiệm vụ [/x] đổi tên" in screen_text(app)


async def test_a_received_file_s_name_is_shown_with_its_escapes_visible(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review.receiving import receive_into

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "x\x1b]0;T\x07[b]\u202eabc.json"
    path.write_text(factory.write_bundle(inbox, factory.bundle_of(1, FIXED_TODAY))
                    .read_text(encoding="utf-8"), encoding="utf-8")
    totals = receive_into(locations.review_db_path, [path], processes=1)
    assert totals.accepted == 1
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await _open_unit(app, pilot)
        app.screen.action_section("bundles")
        await ready(app, pilot)
        shown = screen_text(app)
        assert "x\\x1b]0;T\\x07[b]<U+202E>abc.json" in shown
        assert not hidden_characters(shown)


# -- by construction: notifications, the palette, the error message --------------------


def _small_app(locations) -> AppBase:  # noqa: ANN001
    class Small(AppBase):
        BINDINGS = [*shared_bindings(),
                    Binding("r", "ring", f"Key {CLOSES} [b]", id="small.ring")]

        def app_commands(self) -> list[AppCommand]:
            return [AppCommand(f"Bell {CLOSES}", f"Rings {RED}", "bell")]

        def action_ring(self) -> None:
            self.bell()

    return Small(AppContext(locations=locations, config=Config()))


async def test_notifications_are_plain_whoever_sends_them(locations) -> None:  # noqa: ANN001
    app = _small_app(locations)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        app.notify(f"{RED} {CLICK}\nline two \x1b[2J\u202e", markup=True)
        app.screen.notify(f"{CLOSES} from a widget", timeout=30)
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert f"{RED} {CLICK}" in shown and "line two \\x1b[2J<U+202E>" in shown
        assert f"{CLOSES} from a widget" in shown
        assert not hidden_characters(shown)
        _assert_running(app)


async def test_the_palette_shows_commands_and_keys_as_they_are_worded(locations) -> None:  # noqa: ANN001
    app = _small_app(locations)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert f"Bell {CLOSES}" in shown and f"Rings {RED}" in shown
        assert f"Key {CLOSES} [b]" in shown
        _assert_running(app)


async def test_the_header_shows_a_title_on_one_line(locations) -> None:  # noqa: ANN001
    app = _small_app(locations)
    async with app.run_test(size=(120, 30)) as pilot:
        from textual.widgets import Header

        await app.screen.mount(Header())
        app.screen.sub_title = f"{RED}\n\u202eabc"
        await pilot.pause()
        assert f"{RED}\\n<U+202E>abc" in screen_text(app).splitlines()[0]


class Breaks(AppBase):
    BINDINGS = [*shared_bindings(), Binding("x", "break", "Break", id="test.break")]

    def action_break(self) -> None:
        raise RuntimeError("a bug")


async def test_the_error_message_shows_a_folder_named_like_markup(tmp_path: Path) -> None:
    locations = resolve(tmp_path / "data [/b] [@click=app.quit]").ensure()
    app = Breaks(AppContext(locations=locations, config=Config()))
    printed = io.StringIO()
    app.error_console = Console(file=printed, width=400)
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test() as pilot:
            await pilot.press("x")
            await pilot.pause()
    assert app.return_code == 1
    assert str(locations.logs_dir) in printed.getvalue()
