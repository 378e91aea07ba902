"""Truly read-only: a scripted session presses every key on every review screen;
afterwards the review database file has the same SHA-256 and mtime, and no
-wal, -shm or -journal file ever appeared beside it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from textual.widgets import Input

from tests.review.test_review_ui import make_app, ready
from tui.widgets.virtual_table import VirtualTable

KEYS = (list("abcdefghijklmnopqrstuvwxyz0123456789")
        + ["A", "S", "T", "Z"]
        + ["slash", "question_mark", "minus", "plus", "space", "full_stop", "comma",
           "less_than_sign", "greater_than_sign", "left_square_bracket",
           "right_square_bracket", "tab", "shift+tab", "up", "down", "left", "right",
           "pageup", "pagedown", "home", "end", "backspace", "delete", "enter", "escape",
           "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f12",
           "ctrl+s", "ctrl+d", "ctrl+e", "ctrl+n", "ctrl+r", "ctrl+z", "ctrl+x", "ctrl+v",
           "ctrl+b", "ctrl+o", "ctrl+t", "ctrl+p", "escape"])


async def press_quickly(app, pilot, keys) -> None:  # noqa: ANN001
    """Send the keys as a fast typist would, then wait once (Pilot.press waits for
    idle after every key: ~60 ms each)."""
    import unicodedata

    from textual import events
    from textual.keys import _get_unicode_name_from_key

    for key in keys:
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(key))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _state(path: Path) -> tuple[str, int, list[str]]:
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


# Keys that leave the screen, open another or put the focus in a text field: each is
# pressed on a freshly opened screen; the others go all in one burst (focus moves last).
MOVING = {"enter", "escape", "t", "i", "slash", "ctrl+p"}
FOCUS = ["tab", "shift+tab"]


async def test_every_key_on_every_review_screen_changes_nothing(review_db_path: Path) -> None:
    from tui.review.receive import ReceiveDialog
    from tui.review.tasks import AllTasksScreen
    from tui.review.unit import UnitScreen

    before = _state(review_db_path)
    app = make_app(review_db_path)
    visited: set[str] = set()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        assert app.review_db.read_only
        overview = app.overview
        unit = overview.all_rows[1]  # the unit with a gap: bundles 1 and 4

        async def open_target(target: str):  # noqa: ANN202 - the screen opened
            while len(app.screen_stack) > 2:
                app.pop_screen()
            await pilot.pause()
            overview.query_one("#review-search", Input).value = ""
            overview.query_one("#review-units", VirtualTable).focus()
            await pilot.pause()
            if target.startswith("unit:") or target == "task-detail":
                app.push_screen(UnitScreen(unit, overview.today, app.review_db))
                await ready(app, pilot)
                app.screen.action_section(target.split(":")[-1] if ":" in target else "tasks")
                await ready(app, pilot)
                if target == "task-detail":
                    app.screen.query_one("#task-table").focus()
                    await pilot.press("enter")
                    await ready(app, pilot)
                    assert type(app.screen).__name__ == "ReviewTaskScreen"
            elif target == "all-tasks":
                app.push_screen(AllTasksScreen(overview.today))
            elif target == "unit-all-tasks":
                app.push_screen(AllTasksScreen(overview.today, unit.unit_id, unit.name))
            elif target == "receive-dialog":
                await pilot.press("i")
                assert isinstance(app.screen, ReceiveDialog)
            await pilot.pause()
            visited.add(type(app.screen).__name__)
            return app.screen

        for target in ("overview", "unit:tasks", "unit:criteria", "unit:deadlines",
                       "unit:bundles", "unit:changes", "task-detail", "all-tasks",
                       "unit-all-tasks", "receive-dialog"):
            await open_target(target)
            await press_quickly(app, pilot, [key for key in KEYS
                                             if key not in MOVING and key not in FOCUS] + FOCUS)
            assert app.screen is not app.overview or target == "overview"
            screen = await open_target(target)
            for key in sorted(MOVING):
                if target == "receive-dialog" and key == "enter":
                    continue  # Enter there receives: the one write, and on purpose
                # Open the target afresh only if the last key left it or its table.
                if app.screen is not screen or isinstance(app.focused, Input):
                    screen = await open_target(target)
                await press_quickly(app, pilot, [key, "down", "x"])
                visited.add(type(app.screen).__name__)
            await ready(app, pilot)
    assert {"OverviewScreen", "UnitScreen", "ReviewTaskScreen", "AllTasksScreen",
            "ReceiveDialog"} <= visited
    assert _state(review_db_path) == before
