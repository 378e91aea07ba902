"""Issue 15: the keys panel closes with Esc, with F1 and by running "Phím" again."""

from __future__ import annotations

from pathlib import Path

from tui.app import CchcApp
from tui.cli import make_context


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


def panel_shown(app: CchcApp) -> bool:
    return bool(app.screen.query("HelpPanel"))


async def _run_from_palette(app: CchcApp, pilot, typed: str) -> None:  # noqa: ANN001
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    commands = app.screen.query_one(CommandList)
    for _ in range(200):  # the search runs in the palette's worker
        if commands.option_count and typed in str(commands.get_option_at_index(0).prompt):
            break
        await pilot.pause(0.02)
    await pilot.press("enter")
    for _ in range(20):
        await pilot.pause()


async def test_the_keys_panel_closes_every_way(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        for close in ("escape", "f1", "palette"):
            await _run_from_palette(app, pilot, "Phím")
            assert app.screen is screen and panel_shown(app), close
            if close == "palette":
                await _run_from_palette(app, pilot, "Phím")
            else:
                await pilot.press(close)
                await pilot.pause()
            assert app.screen is screen, close  # F1 closed the panel, not opened the guide
            assert not panel_shown(app), close
        # Without the panel, Esc and F1 mean what they meant.
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_ctrl_c_says_how_to_quit_in_vietnamese(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [(str(n.title), str(n.message)) for n in app._notifications]
        assert ("Bạn muốn thoát?", "Bấm [b]ctrl+q[/b] để thoát ứng dụng.") in said, said
        assert app.is_running
