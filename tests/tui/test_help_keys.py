"""Issue 15: F1's key tables are read from the bindings (one source): the keys the
help once forgot (Ctrl+E, Ctrl+B, F2) are there, remapped keys show as remapped,
and the packaged guides hold no key table of their own."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from tui.app import CchcApp
from tui.cli import make_context


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


def test_key_names_read_as_on_a_keyboard() -> None:
    from tui.screens.help import key_name

    assert [key_name(k) for k in ("ctrl+e", "f2", "escape", "n", "question_mark")] == [
        "Ctrl+E", "F2", "Esc", "n", "?"]


def test_every_described_key_of_the_app_is_in_the_tables() -> None:
    from tui.i18n import _
    from tui.screens.help import key_name, key_tables
    from tui.screens.task_detail import TaskScreen
    from tui.screens.workspace import WorkspaceScreen

    tables = key_tables({})
    for node_class in (CchcApp, WorkspaceScreen, TaskScreen):
        for binding in node_class.BINDINGS:
            if binding.description:
                assert f"| {key_name(binding.key)} " in tables or (
                    f" / {key_name(binding.key)} " in tables), binding
                assert f" {_(binding.description)} |" in tables, binding
    assert "| Ctrl+E | Xuất tệp |" in tables
    assert "| Ctrl+B | Sao lưu |" in tables
    assert "| F2 | Cài đặt |" in tables
    assert "| Ctrl+X | Xuất tệp |" in key_tables({"app.export": "ctrl+x"})


def test_the_guides_keep_no_key_table_by_hand() -> None:
    from tui.screens.help import HELP_DIR

    for guide in sorted(HELP_DIR.glob("*.md")):
        assert "|---|" not in guide.read_text(encoding="utf-8"), guide


async def test_f1_shows_the_guide_then_the_keys(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        shown = app.screen.query_one("#help-text", Markdown).source
        assert shown.index("Công việc hằng ngày") < shown.index("| Ctrl+E | Xuất tệp |")
