"""What a Pilot-driven app has drawn, as text: to check that data is shown as it is."""

from __future__ import annotations

import io
import unicodedata

from rich.console import Console
from textual.app import App

# What the screen must never draw: a control character other than the line feed
# that ends each row, a bidi control, a zero-width or other format character.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def screen_text(app: App) -> str:
    """The current screen's rows as drawn (the private compositor is what
    App.export_screenshot() prints too)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      record=True, legacy_windows=False, color_system=None)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def hidden_characters(text: str) -> list[str]:
    """The characters of text that a screen should have shown as escapes."""
    return [repr(char) for char in text
            if char != "\n" and unicodedata.category(char) in HIDDEN_CATEGORIES]
