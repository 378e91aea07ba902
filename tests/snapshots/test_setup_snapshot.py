"""SVG snapshot of the first-run setup at 100x40 (issue 15, item 10): its unit code label
names no unit's code, and the demo's code is refused in words under the field."""

from __future__ import annotations

from textual.widgets import Input

from tests.snapshots.test_workspace_snapshots import _reword


class Args:
    data_dir = None
    demo = False
    lang = None
    read_only = False


def test_setup_refuses_the_demo_code(snap_compare) -> None:  # noqa: ANN001
    _reword("vi")
    from tui.app import CchcApp
    from tui.cli import make_context

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#unit-code", Input).value = "DEMO-30316"
        screen.query_one("#unit-name", Input).value = "Phường 1"
        screen.query_one("#officer-name", Input).value = "Nguyễn Thị Lan"
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(CchcApp(make_context(Args())), terminal_size=(100, 40),
                        run_before=run_before)
