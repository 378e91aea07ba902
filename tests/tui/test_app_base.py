"""What both apps share (tui/app_base.py): the crash guard, the keymap, the palette,
F1 and typed access to the app from its screens."""

from __future__ import annotations

import inspect
import io
import logging
import os
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from store.config import Config
from store.paths import resolve
from tests.tui.test_app_start import Args, _wait_for_workers
from tui.app import CchcApp, commune_app
from tui.app_base import AppBase, AppCommand, shared_bindings
from tui.cli import make_context
from tui.context import AppContext

# -- the crash guard overrides a private method of Textual's App -------------------


def test_textual_still_has_what_the_crash_guard_overrides_and_calls() -> None:
    """AppBase._fatal_error replaces Textual's traceback screen. It relies on
    App._fatal_error(self) being what _handle_exception calls for an ordinary
    error, on the list _exit_renderables printed after the app closes, and on
    _close_messages_no_wait(self). A Textual upgrade that changes any of them
    fails here, not on a user's screen."""
    assert list(inspect.signature(App._fatal_error).parameters) == ["self"]
    assert list(inspect.signature(AppBase._fatal_error).parameters) == ["self"]
    assert "self._fatal_error()" in inspect.getsource(App._handle_exception)
    assert list(inspect.signature(App._close_messages_no_wait).parameters) == ["self"]
    assert "self._exit_renderables" in inspect.getsource(App._print_error_renderables)
    assert isinstance(App()._exit_renderables, list)


class Breaks(AppBase):
    BINDINGS = [*shared_bindings(), Binding("x", "break", "Break", id="test.break")]

    def action_break(self) -> None:
        raise RuntimeError("a bug")


async def test_an_unexpected_error_ends_the_app_with_a_sentence_and_logs_it(
        data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    locations = resolve(data_dir).ensure()
    app = Breaks(AppContext(locations=locations, config=Config()))
    printed = io.StringIO()
    app.error_console = Console(file=printed, width=300)  # what the terminal would show
    with pytest.raises(RuntimeError, match="a bug"):  # run_test re-raises it for tests
        async with app.run_test() as pilot:
            with caplog.at_level(logging.ERROR):
                await pilot.press("x")
                await pilot.pause()
    assert app.return_code == 1
    shown = printed.getvalue()
    assert shown.startswith("CCHC Tracker đã dừng do một lỗi không mong muốn")
    assert str(locations.logs_dir) in shown
    assert "Traceback" not in shown and "a bug" not in shown
    logged = [r for r in caplog.records if r.name == "tui.app_base"]
    assert logged and logged[0].exc_info is not None and "a bug" in str(logged[0].exc_info[1])


# -- keymap, palette, help ----------------------------------------------------------


async def test_the_user_s_keymap_applies_to_the_commune_app(data_dir: Path) -> None:
    context = make_context(Args(demo=True))
    context.config.keymap = {"app.help": "f12"}
    app = CchcApp(context)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"


def small_app(**context: bool) -> AppBase:
    """A small app on the base, its class made now (its keys are worded in the
    language of the test, as an app's are in the language set before its import)."""

    class Small(AppBase):
        BINDINGS = [*shared_bindings(), Binding("b", "bell", "Bell key", id="small.bell"),
                    Binding("r", "ring", "Ring", id="small.ring")]

        def app_commands(self) -> list[AppCommand]:
            return [AppCommand("Bell", "Ring", "bell"),
                    AppCommand("Change", "Changes data", "change", edits=True)]

        def action_ring(self) -> None:
            self.bell()

        def action_change(self) -> None:
            self.bell()

    locations = resolve(Path(os.environ["CCHC_DATA_DIR"])).ensure()
    return Small(AppContext(locations=locations, config=Config(), **context))


async def test_one_palette_for_both_apps_own_commands_then_keys_then_textual_s(
        data_dir: Path) -> None:
    app = small_app()
    async with app.run_test():
        titles = [command.title for command in app.get_system_commands(app.screen)]
        # The app's own commands first; then the screen's keys that are not one of
        # them (b is the Bell command, so only F1 and r), not Textual's own keys
        # (tab: "Focus Next"), then Textual's commands in the user's language.
        assert titles == ["Bell", "Change", "Trợ giúp", "Ring",
                          "Giao diện màu", "Phím", "Thoát"]
        assert app.check_action("change", ()) is True
    read_only = small_app(read_only=True)
    async with read_only.run_test():
        titles = [command.title for command in read_only.get_system_commands(read_only.screen)]
        assert "Change" not in titles and "Bell" in titles
        assert read_only.check_action("change", ()) is False


async def test_f1_shows_the_keys_unless_the_app_has_its_own_help(data_dir: Path) -> None:
    app = small_app()
    async with app.run_test() as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query("HelpPanel")


async def test_screens_get_the_commune_app_typed(data_dir: Path) -> None:
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert commune_app(app.screen) is app
        assert commune_app(app.screen).workspace is app.workspace is not None


async def test_what_an_app_loaded_is_kept_out_of_collections_until_it_ends(
        data_dir: Path) -> None:
    """Full garbage collections walked every module, class and ORM table: a 40 ms
    pause while typing a search (issue 16). Once the database is open they are frozen;
    when the app ends they are thawed (the next app, or test, starts as if first)."""
    import gc

    from tests.review.test_review_ui import make_app, ready

    gc.unfreeze()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _wait_for_workers(app, pilot)
        assert app.workspace is not None
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0

    from tests.review.conftest import build_review_db, review_bundles

    review = make_app(build_review_db(data_dir / "review.db", review_bundles()))
    async with review.run_test(size=(100, 30)) as pilot:
        await ready(review, pilot)
        assert review.review_db is not None
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


class SeesItsClasses(Screen):
    """Records its classes when it is first styled (compose runs just before)."""

    def compose(self):  # noqa: ANN201
        self.classes_at_compose = set(self.classes)
        yield from ()


class Breakpoints(AppBase):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]


@pytest.mark.parametrize(("size", "expected"), [((80, 24), {"-narrow", "-short"}),
                                                ((120, 35), {"-wide", "-tall"})])
async def test_a_pushed_screen_has_its_breakpoint_classes_before_its_first_styling(
        data_dir: Path, size: tuple[int, int], expected: set[str]) -> None:
    """Textual adds -narrow/-short on the first Resize, after every widget was styled
    once, then styles them all again (a quarter of the demo's first-frame styling)."""
    app = Breakpoints(AppContext(locations=resolve(data_dir).ensure(), config=Config()))
    async with app.run_test(size=size) as pilot:
        screen = SeesItsClasses()
        await app.push_screen(screen)
        await pilot.pause()
        assert expected <= screen.classes_at_compose
        assert expected <= set(screen.classes)
