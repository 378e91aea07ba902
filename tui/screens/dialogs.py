"""Small typed dialogs: a question to confirm, and the base of dialogs that ask for a
value (InputDialog: fields, an error line, OK and Cancel), such as a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar, Literal, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.i18n import _
from tui.screens.form import FIRST_FIELD
from tui.words import format as fmt, parse
from tui.words.plain import plain


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
            yield Static(plain(self.question), id="confirm-question")
            with Horizontal(classes="buttons"):
                yield Button(plain(self.yes), variant=self.tone, id="confirm-yes")
                yield Button(plain(self.no), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


ResultT = TypeVar("ResultT")


class InputDialog(ModalScreen[ResultT]):
    """A dialog box that asks for a value: the fields of compose_fields(), an error
    line (#<ID_PREFIX>-error) and the buttons OK (#<ID_PREFIX>-ok, labelled ok_label)
    and Cancel (#<ID_PREFIX>-cancel). The first field has the focus; Enter in a field
    or OK calls accept(), which dismisses or says why not (show_line); Cancel and
    action_cancel dismiss with None. Each subclass binds escape to "cancel" in its own
    BINDINGS, under its own binding id (the keymap names it)."""

    AUTO_FOCUS = FIRST_FIELD
    ID_PREFIX: ClassVar[str]

    @property
    def ok_label(self) -> str:
        return _("OK")

    # Each subclass defines both: the widgets above the error line, and what Enter or
    # OK does (dismiss with the value asked for, or show_line() why it cannot be taken).
    compose_fields: Callable[[], ComposeResult]
    accept: Callable[[], None]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield from self.compose_fields()
            yield Static("", id=f"{self.ID_PREFIX}-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(plain(self.ok_label), variant="primary", id=f"{self.ID_PREFIX}-ok")
                yield Button(_("Cancel"), id=f"{self.ID_PREFIX}-cancel")

    def show_line(self, sentence: str) -> None:
        """Shows a sentence (as plain text) on the error line."""
        self.query_one(f"#{self.ID_PREFIX}-error", Static).update(plain(sentence))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.ID_PREFIX}-ok":
            self.accept()
        else:
            self.dismiss(None)

    def on_input_submitted(self) -> None:
        self.accept()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DateDialog(InputDialog[dt.date | None]):
    """Asks for a date (dd/mm/yyyy); None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="date.cancel"),
    ]
    ID_PREFIX = "date"

    def __init__(self, question: str, default: dt.date | None = None,
                 latest: dt.date | None = None) -> None:
        super().__init__()
        self.question = question
        self.default = default
        self.latest = latest

    def compose_fields(self) -> ComposeResult:
        yield Label(plain(self.question))
        yield Input(fmt.date(self.default, ""), placeholder=fmt.date_placeholder(),
                    id="date-value")

    def accept(self) -> None:
        try:
            value = parse.date(self.query_one("#date-value", Input).value)
        except parse.InputProblem as problem:
            self.show_line(str(problem))
            return
        if value is None:
            self.show_line(_("This cannot be empty."))
            return
        if self.latest is not None and value > self.latest:
            self.show_line(_("This date is after today ({today}).").format(
                today=fmt.date(self.latest)))
            return
        self.dismiss(value)
