"""F1: the keys and a short guide to the workflow (packaged Markdown per language)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from tui.i18n import _, language

HELP_DIR = Path(__file__).resolve().parent.parent / "help"


def help_text(lang: str) -> str:
    path = HELP_DIR / f"{lang}.md"
    if not path.exists():
        path = HELP_DIR / "en.md"
    return path.read_text(encoding="utf-8")


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Close"), id="help.close"),
        Binding("f1", "close", _("Close"), show=False, id="help.f1"),
        Binding("q", "close", _("Close"), show=False, id="help.q"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(help_text(language()), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss()
