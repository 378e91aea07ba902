"""First run: who is this workstation for. Shown instead of an empty screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from store.config import UNIT_CODE_PATTERN, OfficerConfig, UnitConfig
from tui.i18n import _
from tui.words import labels


class SetupScreen(Screen[tuple[UnitConfig, OfficerConfig]]):
    """Unit code, name, level, supervisor, officer. Dismisses with the two sections."""

    BINDINGS = [Binding("ctrl+s", "save", _("Save"), id="setup.save")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-form"):
            yield Static(_("Welcome to CCHC Tracker"), classes="title")
            yield Static(_("Tell the app which unit this workstation belongs to. "
                           "You can change this later in Settings."), classes="hint")
            yield Label(_("Unit code (e.g. 30316)"))
            yield Input(id="unit-code", max_length=16)
            yield Static("", id="unit-code-error", classes="field-error")
            yield Label(_("Unit name (e.g. Phường 1)"))
            yield Input(id="unit-name", max_length=500)
            yield Static("", id="unit-name-error", classes="field-error")
            yield Label(_("Level"))
            yield Select(labels.unit_levels(), value="xa", allow_blank=False, id="unit-level")
            yield Label(_("Supervising body (e.g. UBND thành phố Sa Đéc)"))
            yield Input(id="unit-supervisor", max_length=500)
            yield Label(_("Your name (sender of the reports)"))
            yield Input(id="officer-name", max_length=500)
            yield Static("", id="officer-name-error", classes="field-error")
            yield Label(_("Your position"))
            yield Input(id="officer-position", max_length=500)
            yield Label(_("Phone"))
            yield Input(id="officer-phone", max_length=50)
            with Horizontal(classes="buttons"):
                yield Button(_("Save and start"), variant="primary", id="setup-save")
        yield Footer()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _errors(self) -> dict[str, str]:
        errors = {}
        code = self._value("unit-code")
        if not code:
            errors["unit-code"] = _("Enter the unit code.")
        elif not UNIT_CODE_PATTERN.match(code):
            errors["unit-code"] = _("Use only letters, digits, '.', '_' or '-' (at most 16).")
        if not self._value("unit-name"):
            errors["unit-name"] = _("Enter the unit name.")
        if not self._value("officer-name"):
            errors["officer-name"] = _("Enter your name.")
        return errors

    def action_save(self) -> None:
        errors = self._errors()
        for field_id in ("unit-code", "unit-name", "officer-name"):
            self.query_one(f"#{field_id}-error", Static).update(errors.get(field_id, ""))
        if errors:
            self.query_one(f"#{next(iter(errors))}", Input).focus()
            return
        level = self.query_one("#unit-level", Select).value
        unit = UnitConfig(code=self._value("unit-code"), name=self._value("unit-name"),
                          level=str(level), supervisor=self._value("unit-supervisor"))
        officer = OfficerConfig(name=self._value("officer-name"),
                                position=self._value("officer-position"),
                                phone=self._value("officer-phone"))
        self.dismiss((unit, officer))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-save":
            self.action_save()

    def on_input_submitted(self) -> None:
        self.focus_next()
