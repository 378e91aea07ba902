"""What both apps share: the commune's CchcApp (tui/app.py) and the supervisor's
ReviewApp (tui/review/app.py) extend AppBase.

- theme and keymap from the user's settings (every binding has an id to remap);
- F1: help (the keys panel here; the commune's app shows its guide);
- one command palette: the app's own commands (AppCommand; those that change data
  are absent in read-only mode), then every key of the screen, then Textual's own
  commands in the user's language;
- the last guard: an unexpected error ends the app with a sentence, not a
  traceback, and the details go to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from tui.context import AppContext
from tui.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen

    from store.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppCommand:
    """One entry of the command palette, running App.action_<action>."""

    title: str
    help: str
    action: str
    edits: bool = False  # changes data: absent in read-only mode


def shared_bindings() -> list[BindingType]:
    """The keys of both apps: F1 help and the palette. Each app's BINDINGS start
    with these; a function rather than AppBase.BINDINGS, so that they are worded
    in the language set when that app's module is imported, as its own keys are."""
    return [
        Binding("f1", "help", _("Help"), id="app.help"),
        Binding("ctrl+p", "command_palette", _("Commands"), show=False, priority=True,
                id="app.palette"),
    ]


class AppBase(App[None]):
    """The base of both apps; subclasses start their BINDINGS with shared_bindings()."""

    TITLE = "CCHC Tracker"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        if context.config.theme in self.available_themes:
            self.theme = context.config.theme
        if context.config.keymap:
            self.set_keymap(context.config.keymap)

    @property
    def read_only(self) -> bool:
        return self.context.read_only

    def app_commands(self) -> list[AppCommand]:
        """The app's own palette commands, shown first (none by default)."""
        return []

    def open_databases(self) -> list[Database]:
        """The databases to close when the app ends."""
        return []

    # -- the palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        offered: set[str] = {"command_palette"}
        for command in self.app_commands():
            if command.edits and self.read_only:
                continue
            offered.add(command.action)
            yield SystemCommand(command.title, command.help,
                                partial(self.run_action, command.action))
        # Every key of the screen that this project defines (each has an id, for the
        # keymap), also those not in the footer; Textual's own keys speak English.
        for active in screen.active_bindings.values():
            binding = active.binding
            action = binding.action.removeprefix("app.")
            if (binding.id is None or not binding.description or action in offered
                    or not active.enabled):
                continue
            offered.add(action)
            yield SystemCommand(binding.description, _("Key: {key}").format(
                key=self.get_key_display(binding)),
                partial(self.run_action, binding.action, active.node))
        # Textual's own commands, in the user's language.
        yield SystemCommand(_("Theme"), _("Change the colours of the app"),
                            self.action_change_theme)
        if screen.query("HelpPanel"):
            yield SystemCommand(_("Keys"), _("Hide the keys of the focused part of the screen"),
                                self.action_hide_help_panel)
        else:
            yield SystemCommand(_("Keys"), _("Show the keys of the focused part of the screen"),
                                self.action_show_help_panel)
        yield SystemCommand(_("Quit"), _("Close CCHC Tracker"), self.action_quit)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"),
                                            id="--command-palette"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in {c.action for c in self.app_commands() if c.edits}:
            return False  # absent from keys and footer in read-only mode
        return True

    def action_help(self) -> None:
        self.action_show_help_panel()

    # -- the end -------------------------------------------------------------------

    def _fatal_error(self) -> None:
        # Overrides Textual's private App._fatal_error (called by _handle_exception
        # for an error without __rich__), which prints a traceback with local
        # variables. Our users get a sentence; the details go to the log file.
        # tests/tui/test_app_base.py fails if Textual changes what this relies on.
        log.exception("unexpected error in the app")
        self.bell()
        self._exit_renderables.append(_(
            "CCHC Tracker stopped because of an unexpected error. Nothing you saved was "
            "lost. The details were written to the log in {path}.").format(
            path=self.context.locations.logs_dir))
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        for database in self.open_databases():
            database.dispose()

    def run_to_exit_code(self) -> int:
        """Run until the user quits; the process's exit code (1 after an error)."""
        self.run()
        return self.return_code or 0
