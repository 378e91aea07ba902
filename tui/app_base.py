"""What both apps share: the commune's CchcApp (tui/app.py) and the supervisor's
ReviewApp (tui/review/app.py) extend AppBase.

- theme and keymap from the user's settings (every binding has an id to remap);
- F1: help (the keys panel here; the commune's app shows its guide);
- one command palette: the app's own commands (AppCommand; those that change data
  are absent in read-only mode), then every key of the screen, then Textual's own
  commands in the user's language;
- the last guard: an unexpected error ends the app with a sentence, not a
  traceback, and the details go to the log;
- what Textual would read as markup is plain here, whatever a screen passes:
  notifications, the header's title and the palette's entries (a unit's name in
  them is data: tui/words/plain.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from store.text import fold
from tui import garbage
from tui.context import AppContext
from tui.i18n import _
from tui.textual_words import no_matches, theme_name, translate_textual_bindings
from tui.words.plain import plain
from tui.words.visible import visible

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

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
        # Esc closes the keys panel wherever it is open (see check_action).
        Binding("escape", "close_keys", _("Close the keys"), show=False, priority=True,
                id="app.close-keys"),
    ]


def palette_entry(title: str, help_text: str, callback: Callable[[], object]) -> SystemCommand:
    """A command of the palette, on one line, nothing invisible (FoldingCommands
    shows it as plain text: a key's name may be "[", a keymap is the user's own)."""
    return SystemCommand(visible(title), visible(help_text), callback)


class FoldingMatcher(Matcher):
    """Textual's fuzzy matcher on folded text, as the task search: "nhap ket qua"
    finds "Nhập kết quả". The highlight marks the letters of the text as written."""

    def __init__(self, query: str, **kwargs: object) -> None:
        super().__init__(fold(query), **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def _folded(candidate: str) -> tuple[str, list[int]]:
        """The folded candidate and, for each of its letters, where it was written."""
        letters: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(candidate):
            for letter in (" " if char.isspace() else fold(char)):
                letters.append(letter)
                origin.append(index)
        return "".join(letters), origin

    def match(self, candidate: str) -> float:
        return self.fuzzy_search.match(self.query, self._folded(candidate)[0])[0]

    def highlight(self, candidate: str) -> Content:
        content = Content(visible(candidate))  # as it is: Textual would read markup
        folded, origin = self._folded(candidate)
        score, offsets = self.fuzzy_search.match(self.query, folded)
        if not score:
            return content
        for offset in offsets:
            written = origin[offset]
            if not candidate[written].isspace():
                content = content.stylize(self.match_style, written, written + 1)
        return content


class FoldingCommands(SystemCommandsProvider):
    """The palette's one source of commands (get_system_commands), matched folded
    and shown as plain text: Textual would read a str name or help as markup (a
    Content is shown as it is)."""

    def matcher(self, user_input: str, case_sensitive: bool = False) -> Matcher:
        return FoldingMatcher(user_input, match_style=self.match_style,
                              case_sensitive=case_sensitive)

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen),
                          key=lambda command: command[0])
        for name, help_text, callback, discover in commands:
            if discover:
                yield DiscoveryHit(Content(visible(name)), callback, text=name,
                                   help=Content(visible(help_text)))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, *_rest in self.app.get_system_commands(self.screen):
            if (match := matcher.match(name)) > 0:
                yield Hit(match, matcher.highlight(name), callback, text=name,
                          help=Content(visible(help_text)))  # type: ignore[arg-type]


class ThemeNames(Provider):
    """The theme picker: Textual's themes under names for people (theme_name),
    matched folded; choosing one applies it at once."""

    def matcher(self, user_input: str, case_sensitive: bool = False) -> Matcher:
        return FoldingMatcher(user_input, match_style=self.match_style,
                              case_sensitive=case_sensitive)

    def _themes(self) -> list[tuple[str, Callable[[], None]]]:
        def apply(name: str) -> None:
            self.app.theme = name

        return sorted(((theme_name(name), partial(apply, name))
                       for name in self.app.available_themes), key=lambda pair: pair[0])

    async def discover(self) -> Hits:
        for name, callback in self._themes():
            yield DiscoveryHit(Content(visible(name)), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback in self._themes():
            if (match := matcher.match(name)) > 0:
                yield Hit(match, matcher.highlight(name), callback, text=name)


class Palette(CommandPalette):
    """Textual's command palette, its "No matches found" in the user's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Overrides Textual's private CommandPalette._start_no_matches_countdown,
        # whose line is written in English; tests/tui/test_textual_words.py fails if
        # Textual changes what this relies on (_NO_MATCHES, the timers, CommandList).
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                line = plain(no_matches())
                line.justify = "center"
                line.stylize("not bold")
                self.query_one(CommandList).add_option(Option(
                    line, disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


class AppBase(App[None]):
    """The base of both apps; subclasses start their BINDINGS with shared_bindings()."""

    TITLE = "CCHC Tracker"
    COMMANDS = {FoldingCommands}

    def __init__(self, context: AppContext) -> None:
        translate_textual_bindings()  # before any widget copies its keys
        super().__init__()
        self.context = context
        if context.config.theme in self.available_themes:
            self.theme = context.config.theme
        if context.config.keymap:
            self.set_keymap(context.config.keymap)

    @property
    def read_only(self) -> bool:
        """The read-only switch decided at start (store.mode), which the store's
        write paths ask too."""
        from store.mode import is_read_only

        return is_read_only()

    def app_commands(self) -> list[AppCommand]:
        """The app's own palette commands, shown first (none by default)."""
        return []

    def open_databases(self) -> list[Database]:
        """The databases to close when the app ends."""
        return []

    # -- the palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        offered: set[str] = {"command_palette", "close_keys"}  # the palette has "Keys"
        for command in self.app_commands():
            if command.edits and self.read_only:
                continue
            offered.add(command.action)
            yield palette_entry(command.title, command.help,
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
            yield palette_entry(binding.description, _("Key: {key}").format(
                key=self.get_key_display(binding)),
                partial(self.run_action, binding.action, active.node))
        # Textual's own commands, in the user's language.
        yield palette_entry(_("Theme"), _("Change the colours of the app"),
                            self.action_change_theme)
        if screen.query("HelpPanel"):
            yield palette_entry(_("Keys"), _("Hide the keys of the focused part of the screen"),
                                self.action_hide_help_panel)
        else:
            yield palette_entry(_("Keys"), _("Show the keys of the focused part of the screen"),
                                self.action_show_help_panel)
        yield palette_entry(_("Quit"), _("Close CCHC Tracker"), self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(placeholder=_("Search for commands…"),
                                     id="--command-palette"))

    def search_themes(self) -> None:
        """The theme picker (the palette's "Theme"), its names in the user's words."""
        self.push_screen(Palette(providers=[ThemeNames], placeholder=_("Search for themes…")))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_keys":
            # Only while the panel is open: otherwise Esc is the screen's (back,
            # cancel), in its footer too.
            return bool(self.screen.query("HelpPanel"))
        if self.read_only and action in {c.action for c in self.app_commands() if c.edits}:
            return False  # absent from keys and footer in read-only mode
        return True

    def action_help(self) -> None:
        """F1: closes the keys panel if it is open, else shows the app's help."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.show_help()

    def show_help(self) -> None:
        """The help F1 opens: the keys panel here; an app may have its own guide."""
        self.action_show_help_panel()

    # -- plain text wherever Textual reads markup ----------------------------------

    def notify(self, message: str, *, title: str = "",
               severity: SeverityLevel = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """A notification, always plain text: its sentences carry data (a file's
        name, a unit's name), so markup is never read, whatever the caller asks
        (widgets' notify() comes here too). Line breaks stay; other control, bidi
        and zero-width characters are shown as tui.words.visible shows them."""
        super().notify(visible(message, lines=True), title=visible(title), severity=severity,
                       timeout=timeout, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        # The header shows a unit's or a task's name: one line, nothing invisible.
        return super().format_title(visible(title), visible(sub_title))

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's hint that ctrl+q quits, in the user's language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(_("Press {key} to quit the app.").format(key=key),
                            title=_("Do you want to quit?"))
                return

    def action_close_keys(self) -> None:
        self.action_hide_help_panel()

    def action_show_help_panel(self) -> None:
        super().action_show_help_panel()
        self.call_after_refresh(self.refresh_bindings)  # Esc now closes the panel

    def action_hide_help_panel(self) -> None:
        super().action_hide_help_panel()
        self.call_after_refresh(self.refresh_bindings)

    # -- the end -------------------------------------------------------------------

    def _fatal_error(self) -> None:
        # Overrides Textual's private App._fatal_error (called by _handle_exception
        # for an error without __rich__), which prints a traceback with local
        # variables. Our users get a sentence; the details go to the log file.
        # tests/tui/test_app_base.py fails if Textual changes what this relies on.
        log.exception("unexpected error in the app")
        self.bell()
        # Printed by a rich Console, which reads a str as markup: the folder's name
        # may hold brackets.
        self._exit_renderables.append(plain(_(
            "CCHC Tracker stopped because of an unexpected error. Nothing you saved was "
            "lost. The details were written to the log in {path}.").format(
            path=self.context.log_dir or self.context.locations.logs_dir)))
        self._close_messages_no_wait()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Textual's push_screen, with the screen's breakpoint classes (-narrow,
        -short...) given before its first styling: Textual adds them on the first
        Resize, after every widget was styled once, and styles them all again."""
        if isinstance(screen, Screen) and not screen.is_mounted:
            screen.add_class(*self._breakpoint_classes(screen), update=False)
        return super().push_screen(screen, *args, **kwargs)

    def _breakpoint_classes(self, screen: Screen) -> set[str]:
        width, height = self.size
        found: set[str] = set()
        for dimension, breakpoints in (
                (width, screen.HORIZONTAL_BREAKPOINTS
                 if screen.HORIZONTAL_BREAKPOINTS is not None else self.HORIZONTAL_BREAKPOINTS),
                (height, screen.VERTICAL_BREAKPOINTS
                 if screen.VERTICAL_BREAKPOINTS is not None else self.VERTICAL_BREAKPOINTS)):
            found |= screen._get_breakpoint_classes(dimension, breakpoints or [])
        return found

    def keep_loaded_objects_out_of_collections(self) -> None:
        """Once the code and the database are loaded (from any thread): tui.garbage."""
        garbage.loaded()

    def on_unmount(self) -> None:
        for database in self.open_databases():
            database.dispose()
        garbage.unloaded()

    def run_to_exit_code(self) -> int:
        """Run until the user quits; the process's exit code (1 after an error)."""
        self.run()
        return self.return_code or 0
