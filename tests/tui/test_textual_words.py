"""Issue 15 item 5: Textual's own words in the user's language: its widgets' key
descriptions (the Keys panel: "Scroll Left", "Focus Next", "Copy selected text"),
the palette's "No matches found" and the theme names ("textual-dark")."""

from __future__ import annotations

import importlib
from pathlib import Path

import textual.widgets
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES
from textual.widgets import Input

from tui.app import CchcApp
from tui.cli import make_context
from tui.i18n import set_language
from tui.textual_words import textual_key_words, theme_name, translate_textual_bindings


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


def _textual_descriptions() -> dict[str, str]:
    for name in textual.widgets.__all__:  # the widgets load lazily: load them all
        getattr(textual.widgets, name)
    importlib.import_module("textual.command")
    found: dict[str, str] = {}
    pending = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("textual.") and "BINDINGS" in cls.__dict__:
            for binding in cls.__dict__["BINDINGS"]:
                texts = (binding.description, binding.tooltip) if isinstance(
                    binding, Binding) else binding[2:3]
                for text in texts:
                    if text:
                        found[text] = cls.__name__
    return found


def test_every_key_textual_describes_has_words() -> None:
    set_language("en")
    translate_textual_bindings()  # back to Textual's English
    described = _textual_descriptions()
    assert "Scroll Left" in described and "Focus Next" in described
    missing = {text: where for text, where in described.items()
               if text not in textual_key_words()}
    assert not missing, f"Textual describes keys the app does not word: {missing}"


def _descriptions(cls: type) -> set[str]:
    return {binding.description for bindings in cls._merged_bindings.key_to_bindings.values()
            for binding in bindings}


def test_the_keys_are_reworded_in_the_language_and_back() -> None:
    set_language("vi")
    translate_textual_bindings()
    try:
        assert {"Sang ô kế tiếp", "Sao chép phần đã chọn"} <= _descriptions(Screen)
        assert "Focus Next" not in _descriptions(Screen)
        assert "Chọn tất cả" in _descriptions(Input)
        from tui.screens.form import FormScreen  # ours inherit Textual's keys, reworded

        assert "Sang ô kế tiếp" in _descriptions(FormScreen)
        set_language("en")
        translate_textual_bindings()
        assert {"Focus Next", "Copy selected text"} <= _descriptions(Screen)
    finally:
        set_language("vi")
        translate_textual_bindings()


def test_theme_names_are_for_people() -> None:
    set_language("vi")
    names = {theme_name(name) for name in BUILTIN_THEMES}
    assert len(names) == len(BUILTIN_THEMES)
    assert theme_name("textual-dark") == "Tối (mặc định)"
    assert theme_name("solarized-light") == "Solarized sáng"
    assert not any("-" in name or "textual" in name.lower() for name in names)
    set_language("en")
    assert theme_name("textual-light") == "Light"
    assert theme_name("rose-pine-moon") == "Rose Pine Moon"
    set_language("vi")


def test_textual_still_has_what_the_palette_relies_on() -> None:
    # tui.app_base.Palette replaces the private _start_no_matches_countdown.
    for name in ("_start_no_matches_countdown", "_stop_no_matches_countdown",
                 "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN"):
        assert hasattr(CommandPalette, name), name
    assert "_list_visible" in CommandPalette._reactives  # type: ignore[attr-defined]


async def _palette_lines(app: CchcApp, pilot, wanted: str) -> list[str]:  # noqa: ANN001
    commands = app.screen.query_one(CommandList)
    for _ in range(200):  # the search runs in the palette's worker
        lines = [str(commands.get_option_at_index(i).prompt)
                 for i in range(commands.option_count)]
        if any(wanted in line for line in lines):
            return lines
        await pilot.pause(0.02)
    return lines


async def test_the_palette_and_the_theme_picker_speak_vietnamese(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"qqxzw")
        lines = await _palette_lines(app, pilot, "Không tìm thấy")
        assert any("Không tìm thấy" in line for line in lines), lines
        await pilot.press("escape")
        await pilot.pause()
        app.action_change_theme()
        await pilot.pause()
        await pilot.press(*"toi")
        lines = await _palette_lines(app, pilot, "Tối (mặc định)")
        assert any("Tối (mặc định)" in line for line in lines), lines
        assert not any("textual" in line for line in lines)
        await pilot.press("escape")


def test_a_textual_class_made_after_the_rewording_is_reworded() -> None:
    """Textual's widgets load when first used (DataTable with the first table), after
    the app's start reworded what was loaded: they are reworded as they are made."""
    from textual.widget import Widget

    set_language("vi")
    translate_textual_bindings()
    late = type("LateWidget", (Widget,), {
        "__module__": "textual.widgets._late_widget",
        "BINDINGS": [Binding("ctrl+c", "copy", "Copy selected text"), ("x", "cut", "Cut")]})
    ours = type("OursOfLate", (late,), {"__module__": "tui.widgets.ours_of_late"})
    assert {"Sao chép phần đã chọn", "Cắt"} <= _descriptions(late)
    assert {"Sao chép phần đã chọn", "Cắt"} <= _descriptions(ours)
    set_language("en")
    translate_textual_bindings()
    assert {"Copy selected text", "Cut"} <= _descriptions(ours)
    set_language("vi")
    translate_textual_bindings()


def test_a_widget_loaded_first_after_the_start_speaks_the_language() -> None:
    """In a fresh process: TextArea and Tree are not loaded when the rewording runs."""
    import subprocess
    import sys

    code = ("import sys\nfrom tui.i18n import set_language\nset_language('vi')\n"
            "from tui.textual_words import translate_textual_bindings\n"
            "translate_textual_bindings()\n"
            "assert 'textual.widgets._text_area' not in sys.modules\n"
            "from textual.widgets import TextArea, Tree\n"
            "for cls in (TextArea, Tree):\n"
            "    print(sorted(b.description for bs in cls._merged_bindings.key_to_bindings"
            ".values() for b in bs))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2],
                          capture_output=True, text=True, check=True)
    assert "Chọn tất cả" in done.stdout and "Select all" not in done.stdout
    assert "Cursor up" not in done.stdout and "Lên một dòng" in done.stdout
