"""Small typed dialogs: a question to confirm and a date."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.i18n import _
from tui.screens.form import FIRST_FIELD
from tui.words import format as fmt, parse


class ConfirmDialog(ModalScreen[bool]):
    """A question; dismisses with True for yes. `yes` and `no` name the buttons;
    `tone` colours the yes button and the frame: "error" for what removes,
    "warning" for what replaces (a restore). No has the focus, so Enter is safe."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", _("No"), id="confirm.no"),
        Binding("y", "answer(True)", _("Yes"), show=False, id="confirm.yes"),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None,
                 tone: Literal["error", "warning"] = "error") -> None:
        super().__init__()
        self.question = question
        self.yes = yes or _("Yes")
        self.no = no or _("No")
        self.tone = tone

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog-box -{self.tone}"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant=self.tone, id="confirm-yes")
                yield Button(self.no, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class DateDialog(ModalScreen[dt.date | None]):
    """Asks for a date (dd/mm/yyyy); None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="date.cancel"),
    ]
    AUTO_FOCUS = FIRST_FIELD

    def __init__(self, question: str, default: dt.date | None = None,
                 latest: dt.date | None = None) -> None:
        super().__init__()
        self.question = question
        self.default = default
        self.latest = latest

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question)
            yield Input(fmt.date(self.default, ""), placeholder=fmt.date_placeholder(),
                        id="date-value")
            yield Static("", id="date-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), variant="primary", id="date-ok")
                yield Button(_("Cancel"), id="date-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "date-ok":
            self._accept()
        else:
            self.dismiss(None)

    def on_input_submitted(self) -> None:
        self._accept()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _accept(self) -> None:
        error = self.query_one("#date-error", Static)
        try:
            value = parse.date(self.query_one("#date-value", Input).value)
        except parse.InputProblem as problem:
            error.update(str(problem))
            return
        if value is None:
            error.update(_("This cannot be empty."))
            return
        if self.latest is not None and value > self.latest:
            error.update(_("This date is after today ({today}).").format(
                today=fmt.date(self.latest)))
            return
        self.dismiss(value)
