"""Data on a screen: always plain text, never markup.

Textual reads a str given to Static, Label, Button, an Option or a Select, a
DataTable or a rich Table cell as content markup: a title "[/]" from a unit's file
stops the app, "Xã [bold red]ĐỎ[/]" is shown red and "[@click=app.quit]" becomes
a link that quits. A rich Text is never read as markup. So every text a screen
shows reaches its widget as plain(...): a Text of the text as it is, its control,
bidi and zero-width characters made visible by the rules of tui.words.visible
(on a screen they would move or reverse what follows, and ESC would reach the
terminal).

The rest is plain by construction: notifications, titles and the command palette
(tui/app_base.py), table cells and chart labels (tui/widgets/virtual_table.py).
tests/tui/test_plain_text.py reads tui/ and fails where a str reaches a widget
that reads markup any other way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.text import Text

from tui.words.visible import visible

V = TypeVar("V")


def plain(text: object = "", *, lines: bool = False, style: str = "") -> Text:
    """text to show as it is. lines: its line feeds and tabs stay (a task's detail,
    a finding, a message of several lines); otherwise they are shown as \\n, \\t.
    A Text is taken as it is (made by plain(), or by a screen from plain parts)."""
    if isinstance(text, Text):
        return text
    return Text(visible(text, lines=lines), style=style)


def plain_lines(lines: Iterable[object]) -> Text:
    """Each line as plain(), one below the other."""
    return Text("\n").join(plain(line) for line in lines)


def plain_options(options: Iterable[tuple[object, V]]) -> list[tuple[Text, V]]:
    """(prompt, value) pairs for a Select or a SelectionList, prompts as plain()."""
    return [(plain(prompt), value) for prompt, value in options]
