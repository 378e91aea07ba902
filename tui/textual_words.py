"""Textual's own words in the user's language: the descriptions of its widgets'
keys (the Keys panel, the footer, the palette), the palette's "no matches" line and
the theme names. Textual writes them in English at class definition; the app base
rewords them each time an app starts (translate_textual_bindings)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from tui.i18n import _


def textual_key_words() -> dict[str, str]:
    """Every description (and tooltip) of a key that Textual's widgets define, in
    the user's language (tests/tui/test_textual_words.py fails when Textual adds one)."""
    return {
        "Quit the app and return to the command prompt.": _(
            "Quit the app and return to the command prompt."),
        "Bottom": _("Bottom"),
        "Copy": _("Copy"),
        "Copy selected text": _("Copy selected text"),
        "Cursor Down": _("Cursor Down"),
        "Cursor Up": _("Cursor Up"),
        "Cursor down": _("Cursor down"),
        "Cursor down select": _("Cursor down select"),
        "Cursor left": _("Cursor left"),
        "Cursor left select": _("Cursor left select"),
        "Cursor left word select": _("Cursor left word select"),
        "Cursor line end": _("Cursor line end"),
        "Cursor line end select": _("Cursor line end select"),
        "Cursor line start": _("Cursor line start"),
        "Cursor line start select": _("Cursor line start select"),
        "Cursor page down": _("Cursor page down"),
        "Cursor page up": _("Cursor page up"),
        "Cursor right": _("Cursor right"),
        "Cursor right select": _("Cursor right select"),
        "Cursor right word select": _("Cursor right word select"),
        "Cursor to next ancestor": _("Cursor to next ancestor"),
        "Cursor to next sibling": _("Cursor to next sibling"),
        "Cursor to parent": _("Cursor to parent"),
        "Cursor to previous sibling": _("Cursor to previous sibling"),
        "Cursor up": _("Cursor up"),
        "Cursor up select": _("Cursor up select"),
        "Cursor word left": _("Cursor word left"),
        "Cursor word right": _("Cursor word right"),
        "Cut": _("Cut"),
        "Cut selected text": _("Cut selected text"),
        "Delete all to the left": _("Delete all to the left"),
        "Delete all to the right": _("Delete all to the right"),
        "Delete character left": _("Delete character left"),
        "Delete character right": _("Delete character right"),
        "Delete left to start of word": _("Delete left to start of word"),
        "Delete line": _("Delete line"),
        "Delete right to start of word": _("Delete right to start of word"),
        "Delete to line end": _("Delete to line end"),
        "Delete to line start": _("Delete to line start"),
        "Dismiss menu": _("Dismiss menu"),
        "Down": _("Down"),
        "End": _("End"),
        "Exit the command palette": _("Exit the command palette"),
        "Expand or collapse all": _("Expand or collapse all"),
        "First": _("First"),
        "Focus Next": _("Focus Next"),
        "Focus Previous": _("Focus Previous"),
        "Go to bottom": _("Go to bottom"),
        "Go to end": _("Go to end"),
        "Go to start": _("Go to start"),
        "Go to top": _("Go to top"),
        "Home": _("Home"),
        "Last": _("Last"),
        "Move cursor left": _("Move cursor left"),
        "Move cursor left a word": _("Move cursor left a word"),
        "Move cursor left a word and select": _("Move cursor left a word and select"),
        "Move cursor left and select": _("Move cursor left and select"),
        "Move cursor right a word": _("Move cursor right a word"),
        "Move cursor right a word and select": _("Move cursor right a word and select"),
        "Move cursor right and select": _("Move cursor right and select"),
        "Move cursor right or accept the completion suggestion": _(
            "Move cursor right or accept the completion suggestion"),
        "Next command": _("Next command"),
        "Next option": _("Next option"),
        "Next page": _("Next page"),
        "Next tab": _("Next tab"),
        "Open link": _("Open link"),
        "Page Down": _("Page Down"),
        "Page Left": _("Page Left"),
        "Page Right": _("Page Right"),
        "Page Up": _("Page Up"),
        "Page down": _("Page down"),
        "Page up": _("Page up"),
        "Paste": _("Paste"),
        "Paste text from the clipboard": _("Paste text from the clipboard"),
        "Press button": _("Press button"),
        "Previous command": _("Previous command"),
        "Previous option": _("Previous option"),
        "Previous page": _("Previous page"),
        "Previous tab": _("Previous tab"),
        "Quit": _("Quit"),
        "Redo": _("Redo"),
        "Scroll Down": _("Scroll Down"),
        "Scroll End": _("Scroll End"),
        "Scroll Home": _("Scroll Home"),
        "Scroll Left": _("Scroll Left"),
        "Scroll Right": _("Scroll Right"),
        "Scroll Up": _("Scroll Up"),
        "Select": _("Select"),
        "Select all": _("Select all"),
        "Select line": _("Select line"),
        "Select line end": _("Select line end"),
        "Select line start": _("Select line start"),
        "Show menu": _("Show menu"),
        "Spans": _("Spans"),
        "Submit": _("Submit"),
        "Toggle": _("Toggle"),
        "Toggle collapsible": _("Toggle collapsible"),
        "Toggle option": _("Toggle option"),
        "Top": _("Top"),
        "Undo": _("Undo"),
        "Up": _("Up"),
        "Variables": _("Variables"),
    }


# Each Textual class's BINDINGS as Textual wrote them, kept at the first rewording so
# that a later language (tests switch) starts from the English again.
_ENGLISH: dict[type, list[Any]] = {}


def _classes(base: type) -> list[type]:
    found: list[type] = []
    pending = [base]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in found:
                found.append(subclass)
                pending.append(subclass)
    return found


def _reworded(binding: Any, words: dict[str, str]) -> Any:
    if isinstance(binding, Binding):
        return replace(binding,
                       description=words.get(binding.description, binding.description),
                       tooltip=words.get(binding.tooltip, binding.tooltip))
    if isinstance(binding, tuple) and len(binding) >= 3:
        return Binding(binding[0], binding[1], words.get(binding[2], binding[2]),
                       *binding[3:])
    return binding


def _reword_class(cls: type, words: dict[str, str]) -> None:
    english = _ENGLISH.setdefault(cls, list(cls.__dict__["BINDINGS"]))
    cls.BINDINGS = [_reworded(binding, words) for binding in english]  # type: ignore[attr-defined]


def _rewords(cls: type) -> bool:
    return cls.__module__.startswith("textual.") and "BINDINGS" in cls.__dict__


# The words of the last rewording, for Textual's classes made after it: its widgets
# load lazily (DataTable when a screen first shows one), and a class merges its keys
# when it is made, so DOMNode.__init_subclass__ rewords it first. Loading every keyed
# widget up front instead cost the start of both apps some 30 ms.
_words_now: dict[str, str] | None = None


def _hook_class_creation() -> None:
    made = DOMNode.__dict__["__init_subclass__"]
    if getattr(made.__func__, "rewords_textual_keys", False):
        return

    def init_subclass(cls: type, **kwargs: Any) -> None:
        if _words_now is not None and _rewords(cls):
            _reword_class(cls, _words_now)
        made.__func__(cls, **kwargs)

    init_subclass.rewords_textual_keys = True  # type: ignore[attr-defined]
    DOMNode.__init_subclass__ = classmethod(init_subclass)  # type: ignore[assignment]


def translate_textual_bindings() -> None:
    """Reword the keys of every Textual class in the current language, then let
    every class (ours too, which inherit them) merge its bindings again; a Textual
    class made later is reworded as it is made. Call it before the app is made."""
    global _words_now
    import textual.command  # noqa: F401 - the palette's keys, shown by every app

    _hook_class_creation()
    words = _words_now = textual_key_words()
    classes = [DOMNode, *_classes(DOMNode)]
    for cls in classes:
        if _rewords(cls):
            _reword_class(cls, words)
    for cls in classes:
        cls._merged_bindings = cls._merge_bindings()


def no_matches() -> str:
    return _("No matches found")


# Textual's names for its dark and light themes, and the terminal's own colours.
def _named_themes() -> dict[str, str]:
    return {
        "textual-dark": _("Dark (default)"),
        "textual-light": _("Light"),
        "ansi-dark": _("Terminal colours, dark"),
        "ansi-light": _("Terminal colours, light"),
    }


def theme_name(name: str) -> str:
    """A theme's name for people: Textual's own two and the terminal's in words;
    the others are names of colour schemes (Nord, Dracula), kept, with their dark
    and light said in the user's language: "solarized-light" -> "Solarized sáng"."""
    named = _named_themes()
    if name in named:
        return named[name]
    shade = {"dark": _("dark"), "light": _("light")}
    words = [shade.get(word, word.capitalize()) for word in name.split("-")]
    return " ".join(words)
