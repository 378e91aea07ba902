"""Who a workstation is for: the unit (code, name, level, supervising body) and
the officer who sends its reports. The first-run setup and the settings ask the
same questions with these fields, and check them the same way."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from store.config import UNIT_CODE_PATTERN, OfficerConfig, UnitConfig
from store.derive import DEMO_CODE_PREFIX, is_demo_code
from tui.words import labels
from tui.i18n import _
from tui.words.plain import plain, plain_options


class UnitOfficerFields(Vertical):
    """The fields, filled from `unit` and `officer`. code_locked: the unit code
    cannot change (read-only mode); officer_required: the officer's name must be
    given (first run); demo: the demo's settings (cchc --demo), which may keep the
    demo's unit code that a real unit may not take (store.derive.is_demo_code)."""

    DEFAULT_CSS: ClassVar[str] = """
    UnitOfficerFields {
        height: auto;
    }
    """

    # Fields that can be refused, each with its problem line below it.
    CHECKED = ("unit-code", "unit-name", "officer-name")

    def __init__(self, unit: UnitConfig, officer: OfficerConfig, *, code_locked: bool = False,
                 officer_required: bool = False, demo: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.unit = unit
        self.officer = officer
        self.code_locked = code_locked
        self.officer_required = officer_required
        self.demo = demo
        self._touched: set[str] = set()

    def compose(self) -> ComposeResult:
        unit, officer = self.unit, self.officer
        yield Label(_("Unit code (5 digits, from the national list of administrative "
                      "units)"), classes="field-label")
        yield Input(unit.code, max_length=16, id="unit-code", disabled=self.code_locked)
        yield Static("", id="unit-code-error", classes="field-error")
        yield Label(_("Unit name (e.g. Phường 1)"), classes="field-label")
        yield Input(unit.name, max_length=500, id="unit-name")
        yield Static("", id="unit-name-error", classes="field-error")
        yield Label(_("Level"), classes="field-label")
        yield Select(plain_options(labels.unit_levels()), value=unit.level, allow_blank=False,
                     id="unit-level")
        yield Label(_("Supervising body (e.g. UBND thành phố Sa Đéc)"), classes="field-label")
        yield Input(unit.supervisor, max_length=500, id="unit-supervisor")
        yield Label(_("Your name (sender of the reports)"), classes="field-label")
        yield Input(officer.name, max_length=500, id="officer-name")
        yield Static("", id="officer-name-error", classes="field-error")
        yield Label(_("Your position"), classes="field-label")
        yield Input(officer.position, max_length=500, id="officer-position")
        yield Label(_("Phone"), classes="field-label")
        yield Input(officer.phone, max_length=50, id="officer-phone")

    def _text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def problems(self) -> dict[str, str]:
        """Field id -> what is wrong with it, in the user's language."""
        found = {}
        code = self._text("unit-code")
        if not code:
            found["unit-code"] = _("Enter the unit code.")
        elif not UNIT_CODE_PATTERN.match(code):
            found["unit-code"] = _("Use only letters, digits, '.', '_' or '-' (at most 16).")
        elif is_demo_code(code) and not self.demo:
            found["unit-code"] = _("Codes starting with {prefix} belong to the demo's sample "
                                   "data: enter your unit's own code.").format(
                prefix=DEMO_CODE_PREFIX)
        if not self._text("unit-name"):
            found["unit-name"] = _("Enter the unit name.")
        if self.officer_required and not self._text("officer-name"):
            found["officer-name"] = _("Enter your name.")
        return found

    def on_input_changed(self, event: Input.Changed) -> None:
        """A field's problem shows as it is typed, once that field was changed."""
        if event.input.id not in self.CHECKED or not self.is_mounted:
            return
        if event.input.has_focus:
            self._touched.add(event.input.id)
        found = self.problems()
        for field_id in self._touched:
            line = self.query_one(f"#{field_id}-error", Static)
            line.update(plain(found.get(field_id, "")))
            line.set_class(field_id in found, "-shown")

    def check(self) -> bool:
        """Show each field's problem under it and focus the first; True if none."""
        found = self.problems()
        self._touched |= set(self.CHECKED)
        for field_id in self.CHECKED:
            line = self.query_one(f"#{field_id}-error", Static)
            line.update(plain(found.get(field_id, "")))
            line.set_class(field_id in found, "-shown")
        if found:
            from tui.screens.form import show_below_field

            first = next(iter(found))
            field = self.query_one(f"#{first}", Input)
            field.focus()
            show_below_field(field, self.query_one(f"#{first}-error"))
        return not found

    def values(self) -> tuple[UnitConfig, OfficerConfig]:
        """The unit and the officer as entered (what the fields do not ask, such as
        the officer's e-mail, is kept)."""
        unit = replace(self.unit, code=self._text("unit-code"), name=self._text("unit-name"),
                       level=str(self.query_one("#unit-level", Select).value),
                       supervisor=self._text("unit-supervisor"))
        officer = replace(self.officer, name=self._text("officer-name"),
                          position=self._text("officer-position"),
                          phone=self._text("officer-phone"))
        return unit, officer
