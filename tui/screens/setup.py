"""First run: who is this workstation for. Shown instead of an empty screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from store.config import OfficerConfig, UnitConfig
from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.screens.form import FIRST_FIELD
from tui.widgets.unit_officer_fields import UnitOfficerFields


class SetupScreen(Screen[tuple[UnitConfig, OfficerConfig]]):
    """Unit code, name, level, supervisor, officer. Dismisses with the two sections."""

    BINDINGS = [Binding("ctrl+s", "save", _("Save"), id="setup.save")]
    AUTO_FOCUS = FIRST_FIELD

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-form"):
            yield Static(_("Welcome to CCHC Tracker"), classes="title")
            yield Static(_("Tell the app which unit this workstation belongs to. "
                           "You can change this later in Settings."), classes="hint")
            yield UnitOfficerFields(UnitConfig(), OfficerConfig(), officer_required=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Save and start"), variant="primary", id="setup-save")
        yield KeysFooter()

    def on_mount(self) -> None:
        # Focusing the first field scrolled the form past its welcome and the field's
        # label (at 80x24 the user saw an unnamed box): the top of the form is shown.
        self.call_after_refresh(self.query_one("#setup-form").scroll_home, animate=False)

    def action_save(self) -> None:
        fields = self.query_one(UnitOfficerFields)
        if fields.check():
            self.dismiss(fields.values())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-save":
            self.action_save()

    def on_input_submitted(self) -> None:
        self.focus_next()
