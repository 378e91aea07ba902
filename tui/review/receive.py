"""Receiving bundles from inside the review: a dialog asks where, a worker receives
(the only writer, on its own writable connection, beside the read-only view) and
shows its progress; the overview is then read again."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.i18n import _
from tui.screens.form import FIRST_FIELD
from tui.words import parse
from tui.words.plain import plain


def suggested_folder() -> Path:
    """The first removable drive found (bundles come on USB sticks), else home."""
    from store.drives import removable_drives

    drives = removable_drives()
    return drives[0].path if drives else Path.home()


class ReceiveDialog(ModalScreen[Path | None]):
    """Where to receive from: a folder (searched for *.json) or one file."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="review.receive.cancel"),
    ]
    AUTO_FOCUS = FIRST_FIELD

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="receive-dialog", classes="dialog"):
            yield Static(_("Receive bundles"), classes="title")
            yield Label(_("Folder (searched for *.json, subfolders too) or bundle file:"))
            yield Input(str(self.suggestion), id="receive-path")
            yield Static("", id="receive-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Receive"), variant="primary", id="receive-start")
                yield Button(_("Cancel"), id="receive-cancel")

    def on_input_submitted(self) -> None:
        self.action_receive()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "receive-start":
            self.action_receive()
        else:
            self.action_cancel()

    def action_receive(self) -> None:
        typed = parse.path(self.query_one("#receive-path", Input).value)
        path = Path(typed).expanduser() if typed else None
        if path is None or not path.exists():
            self.query_one("#receive-error", Static).update(plain(
                _("There is no file or folder {path}.").format(path=typed or "…")))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
