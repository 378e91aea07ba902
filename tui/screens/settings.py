"""Settings: language, theme, the unit and the officer (config.toml).

The theme applies at once; language and unit apply when the app is opened again,
because screens and the database are set up for them at start."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.textual_words import theme_name
from tui.screens.form import FIRST_FIELD
from tui.widgets.unit_officer_fields import UnitOfficerFields
from tui.words.keys import fingerprint_line
from tui.words.plain import plain, plain_options

if TYPE_CHECKING:
    from tui.context import AppContext

LANGUAGE_NAMES = (("Tiếng Việt", "vi"), ("English", "en"))


class SettingsScreen(ModalScreen[bool]):
    """Dismisses with True when the settings were saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="settings.save"),
        Binding("escape", "cancel", _("Cancel"), id="settings.cancel"),
    ]

    AUTO_FOCUS = FIRST_FIELD

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        config = self.context.config
        themes = sorted(self.app.available_themes)
        with Vertical(classes="form-box"):
            yield Static(_("Settings"), classes="form-title")
            yield Static("", id="form-error", classes="field-error")
            with VerticalScroll(classes="form-body"):
                yield Label(_("Language"), classes="field-label")
                yield Select(LANGUAGE_NAMES, value=config.language, allow_blank=False,
                             id="s-language")
                yield Label(_("Theme"), classes="field-label")
                yield Select(plain_options((theme_name(name), name) for name in themes),
                             allow_blank=False,
                             value=self.app.theme if self.app.theme in themes else themes[0],
                             id="s-theme")
                yield UnitOfficerFields(config.unit, config.officer,
                                        code_locked=self.context.read_only,
                                        demo=self.context.demo)
                documents = config.documents
                yield Label(_("Name of the signer of the documents (the chairman)"),
                            classes="field-label")
                yield Input(documents.signer, max_length=500, id="s-documents-signer")
                yield Label(_("Signer's title, lines separated by / (empty: TM. ỦY BAN NHÂN "
                              "DÂN / CHỦ TỊCH)"), classes="field-label")
                yield Input(documents.signer_title, max_length=500,
                            id="s-documents-signer-title")
                yield Label(_("Place on the date line (empty: the unit's name)"),
                            classes="field-label")
                yield Input(documents.place, max_length=500, id="s-documents-place")
                yield Label(_("Issuer in document symbols (empty: UBND)"), classes="field-label")
                yield Input(documents.issuer_short, max_length=20, id="s-documents-issuer")
                yield Static(plain(fingerprint_line(getattr(self.app.workspace, "key", None))),
                             id="s-key", classes="field-label")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="form-save")
                yield Button(_("Cancel"), id="form-cancel")
        yield KeysFooter()

    def _show_error(self, text: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(plain(text))
        error.add_class("-shown")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "s-theme" and event.value in self.app.available_themes:
            self.app.theme = str(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.app.theme = self.context.config.theme if (
            self.context.config.theme in self.app.available_themes) else self.app.theme
        self.dismiss(False)

    def action_save(self) -> None:
        from store.config import save_config
        from store.errors import BrokenConfigFile
        from store.mode import is_read_only

        if is_read_only():  # refused before the settings in memory change
            from tui.words.errors import refused_in_read_only

            self._show_error(refused_in_read_only("config"))
            return
        fields = self.query_one(UnitOfficerFields)
        if not fields.check():
            return
        unit, officer = fields.values()
        config = self.context.config
        old_language, old_unit = config.language, (config.unit.code, config.unit.name)
        config.language = str(self.query_one("#s-language", Select).value)
        config.theme = str(self.query_one("#s-theme", Select).value)
        config.unit, config.officer = unit, officer
        documents = config.documents
        documents.signer, documents.signer_title, documents.place, documents.issuer_short = (
            self.query_one(f"#s-documents-{name}", Input).value.strip()
            for name in ("signer", "signer-title", "place", "issuer"))
        try:
            save_config(config, self.context.locations.config_file)
        except BrokenConfigFile as error:
            self._show_error(_("Your settings were not saved because {path} has an error; "
                               "fix or remove it first.").format(path=error.path))
            return
        except OSError as error:
            self._show_error(_("Your settings could not be saved: {reason}").format(
                reason=error.strerror or error))
            return
        message = _("Settings saved.")
        if config.language != old_language or (unit.code, unit.name) != old_unit:
            message += " " + _("The new language and unit apply when you open the app again.")
        self.notify(message, timeout=8)
        self.dismiss(True)
