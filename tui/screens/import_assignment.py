"""Import an assignment from the supervisor (issue 14, item 5): choose the file (the
export folder first, removable drives, a typed path), see what it would change (the
dry run: the lines of `cchc import --dry-run`), then apply it on confirmation: a
backup first, one transaction (store.assign.importing), the verdict in words.

The supervisor's key card (key-<code>.json) is chosen the same way: its fingerprint
is shown to compare with the signed letter, then enrolled on confirmation (`cchc key
enrol`), so that the first assignment is already checked against it.

Two steps on one screen, so that each has the whole height at 80x24: the picker
(places, the files of a folder, a path), then the check (the dry run, Import). The
folder is listed and the file checked in workers: a USB stick may be slow.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.app import commune_app
from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.words import parse
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.assign.importing import ImportResult
    from store.bundle.keycard import KeyCard, KeyCardRead
    from store.review.senders import KeyOutcome

log = logging.getLogger(__name__)

# The name the supervisor's files bear (bundle-v2): listed first in a folder.
ASSIGNMENT_PREFIX = "cchc-assign-"
# A folder of more entries shows this many (a USB stick's root may hold thousands).
MAX_LISTED = 500


@dataclass(frozen=True)
class Entry:
    """One line of the file list: a folder to open or a file to check."""

    path: Path
    is_folder: bool
    label: str


def folder_entries(folder: Path) -> list[Entry]:
    """The parent, the sub-folders and the .json files of a folder: assignment files
    first, newest name first (their names hold the date), then other .json files,
    then folders; hidden ones left out. Raises OSError when it cannot be listed."""
    assignments: list[Entry] = []
    others: list[Entry] = []
    folders: list[Entry] = []
    with os.scandir(folder) as scan:
        for entry in scan:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    folders.append(Entry(Path(entry.path), True, entry.name + os.sep))
                elif entry.name.lower().endswith(".json"):
                    target = (assignments if entry.name.startswith(ASSIGNMENT_PREFIX)
                              else others)
                    target.append(Entry(Path(entry.path), False, entry.name))
            except OSError:
                continue
    assignments.sort(key=lambda e: e.label, reverse=True)
    others.sort(key=lambda e: e.label.casefold())
    folders.sort(key=lambda e: e.label.casefold())
    listed = [*assignments, *others, *folders][:MAX_LISTED]
    parent = folder.parent
    if parent != folder:
        listed.insert(0, Entry(parent, True, _(".. (the folder above)")))
    return listed


def _key_card_named(path: Path) -> KeyCardRead | None:
    """The key card at path when its name says it is one (key-<code>.json, as the
    spec names them) and it reads as one or fails as one; else None (an assignment)."""
    from store.bundle.keycard import read_key_card_file

    if not path.name.lower().startswith("key-"):
        return None
    read = read_key_card_file(path)
    if read.refusal is not None and read.refusal.code in ("not_a_key_card", "too_large"):
        return None  # named like a card, but something else: the assignment reader says what
    return read


class ImportScreen(Screen["ImportResult | None"]):
    """Dismisses with the ImportResult of an assignment applied (the workspace reads
    again and shows its assessment), else None."""

    DEFAULT_CSS: ClassVar[str] = """
    ImportScreen #import-picker, ImportScreen #import-check { padding: 0 1; height: 1fr; }
    ImportScreen .import-heading { text-style: bold; color: $text-accent; }
    ImportScreen #import-places { height: auto; max-height: 6; }
    ImportScreen #import-files { height: 1fr; min-height: 3; }
    ImportScreen #import-row, ImportScreen #import-buttons { height: auto; }
    ImportScreen #import-path { width: 1fr; }
    ImportScreen #import-report { height: 1fr; }
    ImportScreen #import-verdict { margin-top: 1; text-style: bold; }
    ImportScreen #import-verdict.-refused { color: $error; }
    ImportScreen #import-verdict.-done { color: $success; }
    ImportScreen #import-buttons Button { margin-right: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="import.back"),
        Binding("ctrl+s", "apply", _("Import"), id="import.apply"),
        Binding("f5", "refresh_places", _("Find drives"), id="import.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._places: list[Path | None] = []  # by option index; None: a note
        self._entries: list[Entry] = []  # by option index of the file list
        self.folder: Path | None = None  # the folder listed
        self.checked: Path | None = None  # the file of the dry run shown
        self.preview: ImportResult | None = None  # its dry run
        self.result: ImportResult | None = None  # once applied (or refused on applying)
        # A key card chosen instead (key-<code>.json: the supervisor's key, to enrol
        # before its first assignment) and what enrolling it did.
        self.card: KeyCard | None = None
        self.card_outcome: KeyOutcome | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-picker"):
            yield Label(_("Where from"), classes="import-heading")
            yield OptionList(id="import-places")
            yield Static("", id="import-folder", classes="import-heading")
            yield OptionList(id="import-files")
            with Horizontal(id="import-row"):
                yield Input(id="import-path", placeholder=_(
                    "Assignment file (.json) or folder"))
                yield Button(_("Check"), variant="primary", id="import-check-file")
        with Vertical(id="import-check"):
            with VerticalScroll(id="import-report"):
                yield Static("", id="import-lines")
                yield Static("", id="import-verdict")
            with Horizontal(id="import-buttons"):
                yield Button(_("Import"), variant="primary", id="import-apply")
                yield Button(_("Choose another file"), id="import-other")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Import an assignment from the supervisor")
        self.query_one("#import-check").display = False
        self.load_places(first=True)

    # -- the picker ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="import-places")
    def load_places(self, first: bool = False) -> None:
        from store.drives import removable_drives
        from tui.services.exporting import chosen_folder, default_folder

        context = commune_app(self).context
        start, _create = chosen_folder(context, None)
        places: list[tuple[str, Path | None]] = []
        places.append((_("Exports folder: {path}").format(path=default_folder(context)),
                       default_folder(context)))
        if context.config.last_export_dir and Path(context.config.last_export_dir) != \
                default_folder(context):
            places.insert(0, (_("Last folder: {path}").format(
                path=context.config.last_export_dir), Path(context.config.last_export_dir)))
        drives = removable_drives()
        places.extend((_("Removable drive: {name} ({path})").format(
            name=drive.label, path=drive.path), drive.path) for drive in drives)
        if not drives:
            places.append((_("No USB stick found (plug one in, then press F5)"), None))
        downloads = Path.home() / "Downloads"
        if downloads.is_dir():
            places.append((_("Downloads: {path}").format(path=downloads), downloads))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_places, places, start if first else None)

    def _show_places(self, places: list[tuple[str, Path | None]], start: Path | None) -> None:
        self._places = [path for _label, path in places]
        options = self.query_one("#import-places", OptionList)
        options.clear_options()
        options.add_options([Option(plain(label), disabled=path is None)
                             for label, path in places])
        if start is not None:  # the file is most likely there: the list has the focus
            self.open_folder(start)
            self.query_one("#import-files", OptionList).focus()

    @on(OptionList.OptionSelected, "#import-places")
    def _place_chosen(self, event: OptionList.OptionSelected) -> None:
        place = self._places[event.option_index]
        if place is not None:
            self.open_folder(place)
            self.query_one("#import-files", OptionList).focus()

    def open_folder(self, folder: Path) -> None:
        self.folder = folder
        self.query_one("#import-folder", Static).update(
            plain(_("Files in {folder}").format(folder=folder)))
        self.list_folder(folder)

    @work(thread=True, exclusive=True, group="import-folder")
    def list_folder(self, folder: Path) -> None:
        try:
            entries, problem = folder_entries(folder), None
        except OSError as error:
            entries, problem = [], _("This folder cannot be opened: {reason}").format(
                reason=error.strerror or error)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_entries, folder, entries, problem)

    def _show_entries(self, folder: Path, entries: list[Entry], problem: str | None) -> None:
        if folder != self.folder:
            return  # another folder was chosen meanwhile
        self._entries = entries
        files = self.query_one("#import-files", OptionList)
        files.clear_options()
        files.add_options([Option(plain(entry.label)) for entry in entries])
        if problem is not None:
            files.add_option(Option(plain(problem), disabled=True))
        elif not any(not entry.is_folder for entry in entries):
            files.add_option(Option(_("No .json file in this folder."), disabled=True))
        if entries:
            files.highlighted = next((n for n, e in enumerate(entries) if not e.is_folder), 0)

    @on(OptionList.OptionSelected, "#import-files")
    def _entry_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_index >= len(self._entries):
            return  # the note below the entries
        entry = self._entries[event.option_index]
        if entry.is_folder:
            self.open_folder(entry.path)
        else:
            self.query_one("#import-path", Input).value = str(entry.path)
            self.check(entry.path)

    @on(Button.Pressed, "#import-check-file")
    @on(Input.Submitted, "#import-path")
    def _path_given(self) -> None:
        typed = parse.path(self.query_one("#import-path", Input).value)
        if not typed:
            self.notify(_("Choose a file, or type its path."), severity="warning")
            return
        path = Path(typed).expanduser()
        if path.is_dir():
            self.open_folder(path)
            return
        self.check(path)

    # -- the check -------------------------------------------------------------------

    def check(self, path: Path) -> None:
        """Show the check step and run the dry run of the file."""
        self.checked, self.preview, self.result = path, None, None
        self.card, self.card_outcome = None, None
        self.query_one("#import-apply", Button).label = _("Import")
        self.query_one("#import-picker").display = False
        self.query_one("#import-check").display = True
        self.query_one("#import-lines", Static).update(
            plain(_("Checking {file}…").format(file=path.name)))
        self._show_verdict("", "")
        self.query_one("#import-apply", Button).display = False
        self.query_one("#import-other", Button).focus()
        self._busy = True
        self.refresh_bindings()
        self.run_import(path, dry_run=True)

    @work(thread=True, exclusive=True, group="import-run")
    def run_import(self, path: Path, dry_run: bool) -> None:
        from store.assign.importing import import_assignment_file
        from tui.screens.export import unit_database

        app = commune_app(self)
        context = app.context
        if dry_run:
            card = _key_card_named(path)
            if card is not None:
                self.app.call_from_thread(self._card_read, path, card)
                return
        try:
            with unit_database(app) as db:
                if dry_run:
                    result = import_assignment_file(db, path, unit_code=context.config.unit.code,
                                                    dry_run=True)
                else:
                    result = import_assignment_file(
                        db, path, unit_code=context.config.unit.code,
                        backups_dir=context.locations.backups_dir,
                        keep_backups=context.config.backup.keep_events)
        except Exception as error:  # said in words, the details in the log
            log.exception("importing an assignment failed")
            from tui.words.errors import error_sentence

            message = error_sentence(error) or _(
                "The assignment could not be imported: {reason}").format(reason=error)
            self.app.call_from_thread(self._failed, path, message)
            return
        self.app.call_from_thread(self._checked if dry_run else self._applied, path, result)

    def _checked(self, path: Path, preview: ImportResult) -> None:
        from tui.words.assign import import_detail_lines, import_preview_lines, import_verdict

        if path != self.checked:
            return
        self._busy = False
        self.preview = preview
        # The lines of `cchc import --dry-run`: what it changes, the verdict (of a file
        # not accepted: in bold below, where Import would be), the rest.
        verdict = [import_verdict(preview)] if preview.accepted else []
        lines = [*import_preview_lines(preview), *verdict, *import_detail_lines(preview)]
        self.query_one("#import-lines", Static).update(plain("\n".join(lines), lines=True))
        apply = self.query_one("#import-apply", Button)
        if preview.accepted:
            self._show_verdict(_("Nothing is changed yet. Import (ctrl+s) takes a backup, "
                                 "then applies it in one step; your tasks' status, progress, "
                                 "owners, results and evidence are kept."), "")
            apply.display = True
            apply.focus()
        else:
            self._show_verdict(import_verdict(preview),
                               "" if preview.verdict == "already_imported" else "refused")
        self.refresh_bindings()

    def _card_read(self, path: Path, read: KeyCardRead) -> None:
        from tui.words.assign import issuer_key_card
        from tui.words.keys import card_refused

        if path != self.checked:
            return
        self._busy = False
        if read.card is None:
            self.query_one("#import-lines", Static).update("")
            self._show_verdict(card_refused(path.name, read.refusal), "refused")
            self.refresh_bindings()
            return
        self.card = read.card
        self.query_one("#import-lines", Static).update(plain(issuer_key_card(read.card)))
        self._show_verdict(_("Compare it with the fingerprint printed on the supervisor's "
                             "signed letter, then enrol it (ctrl+s): assignments from {code} "
                             "signed with another key are refused then.").format(
            code=read.card.code), "")
        apply = self.query_one("#import-apply", Button)
        apply.label = _("Enrol the key")
        apply.display = True
        apply.focus()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="import-run")
    def enrol_card(self, path: Path, card: KeyCard) -> None:
        from store.review.senders import enrol_card
        from tui.screens.export import unit_database

        app = commune_app(self)
        try:
            with unit_database(app) as db:
                outcome = enrol_card(db, card, app.context.config.officer.name or None)
        except Exception as error:  # said in words, the details in the log
            log.exception("enrolling a key card failed")
            from tui.words.errors import error_sentence

            self.app.call_from_thread(self._failed, path, error_sentence(error) or _(
                "The key card could not be enrolled: {reason}").format(reason=error))
            return
        self.app.call_from_thread(self._card_enrolled, path, outcome)

    def _card_enrolled(self, path: Path, outcome: KeyOutcome) -> None:
        from store.review.senders import ALREADY_HELD
        from tui.words.assign import issuer_key_outcome

        self._busy = False
        self.card_outcome = outcome
        words = issuer_key_outcome(outcome, path.name)
        done = outcome.changed or outcome.outcome == ALREADY_HELD
        self._show_verdict(words, "done" if done else "refused")
        self.notify(words, severity="information" if done else "error", timeout=10)
        self.query_one("#import-other", Button).focus()
        self.refresh_bindings()

    def _applied(self, path: Path, result: ImportResult) -> None:
        from tui.words.assign import (import_changed_meanwhile_lines, import_detail_lines,
                                      import_preview_lines, import_verdict)

        self._busy = False
        self.result = result
        preview = self.preview or result
        lines = (import_preview_lines(preview) + import_changed_meanwhile_lines(preview, result)
                 + import_detail_lines(result))
        self.query_one("#import-lines", Static).update(plain("\n".join(lines), lines=True))
        verdict = import_verdict(result)
        self._show_verdict(verdict, "done" if result.applied else "refused")
        self.query_one("#import-apply", Button).display = False
        other = self.query_one("#import-other", Button)
        if result.applied:
            other.label = _("Close")
        other.focus()
        self.notify(verdict, severity="information" if result.applied else "error",
                    timeout=10)
        self.refresh_bindings()

    def _failed(self, path: Path, message: str) -> None:
        if path != self.checked:
            return
        self._busy = False
        self._show_verdict(message, "refused")
        self.query_one("#import-apply", Button).display = False
        self.refresh_bindings()

    def _show_verdict(self, text: str, state: str) -> None:
        verdict = self.query_one("#import-verdict", Static)
        verdict.update(plain(text, lines=True))
        verdict.set_class(state == "refused", "-refused")
        verdict.set_class(state == "done", "-done")

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            if self._busy:
                return False
            if self.card is not None:
                return self.card_outcome is None
            return self.preview is not None and self.preview.accepted and self.result is None
        if action == "refresh_places":
            return not self.query_one("#import-check").display
        return True

    @on(Button.Pressed, "#import-apply")
    def action_apply(self) -> None:
        if not self.check_action("apply", ()) or self.checked is None:
            return
        self._busy = True
        self.query_one("#import-apply", Button).display = False
        self.refresh_bindings()
        if self.card is not None:
            self.enrol_card(self.checked, self.card)
            return
        self._show_verdict(_("Taking a backup, then importing…"), "")
        self.run_import(self.checked, dry_run=False)

    @on(Button.Pressed, "#import-other")
    def _other_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        if self.result is not None and self.result.applied:
            self.dismiss(self.result)
            return
        if self.query_one("#import-check").display and not self._busy:
            self.query_one("#import-check").display = False
            self.query_one("#import-picker").display = True
            self.checked, self.preview, self.card = None, None, None
            self.query_one("#import-files", OptionList).focus()
            self.refresh_bindings()
            return
        if not self._busy:
            self.dismiss(None)

    def action_refresh_places(self) -> None:
        self.load_places()
