"""Back up to a USB stick (the backups screen's u): the removable drives plugged in
are listed, a folder on the chosen one is suggested and may be changed; the backup
is `cchc backup --out` (store.backup_out), evidence copies included."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.i18n import _, ngettext
from tui.screens.dialogs import InputDialog
from tui.words import parse
from tui.words.plain import plain

log = logging.getLogger(__name__)

# The folder a backup goes into on a stick (beside whatever else the stick holds).
STICK_FOLDER = "cchc-backups"


class DriveBackupDialog(InputDialog[Path | None]):
    """Dismisses with the backup written, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="drive-backup.cancel"),
    ]
    ID_PREFIX = "drive"

    def __init__(self, db_path: Path, evidence_dir: Path | None) -> None:
        super().__init__()
        self.db_path = db_path
        self.evidence_dir = evidence_dir
        self._writing = False

    @property
    def ok_label(self) -> str:
        return _("Back up")

    def compose_fields(self) -> ComposeResult:
        from store.drives import removable_drives

        drives = removable_drives()
        self.drives = drives
        yield Label(plain(_("Back up to a USB stick")), classes="form-title")
        if drives:
            yield Static(plain(_("Removable drives plugged in:")))
            yield OptionList(*[Option(plain(f"{drive.label}  ({drive.path})"), id=str(i))
                               for i, drive in enumerate(drives)], id="drive-list")
        else:
            yield Static(plain(_("No USB stick was found: plug one in and open this "
                                 "again, or type a folder.")), id="no-drive")
        yield Label(plain(_("Folder for the backup")))
        yield Input(str(drives[0].path / STICK_FOLDER) if drives else "", id="drive-folder")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        drive = self.drives[int(event.option.id or 0)]
        self.query_one("#drive-folder", Input).value = str(drive.path / STICK_FOLDER)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.on_option_list_option_highlighted(event)  # type: ignore[arg-type]
        self.query_one("#drive-folder", Input).focus()

    def accept(self) -> None:
        folder = parse.path(self.query_one("#drive-folder", Input).value)
        if not folder:
            self.show_line(_("Choose a drive or type a folder."))
            return
        if not self._writing:
            self._writing = True
            self.show_line(_("Writing the backup…"))
            self._write(Path(folder).expanduser())

    @work(thread=True, exclusive=True, group="drive-backup")
    def _write(self, folder: Path) -> None:
        import sqlite3

        from store.backup_out import backup_to_folder
        from store.errors import BackupNotVerified, EditRefused, WriteNotVerified
        from tui.words.backup import backup_failed
        from tui.words.edits import edit_refusal
        from tui.words.format import file_size

        try:
            written = backup_to_folder(self.db_path, folder, self.evidence_dir)
        except (OSError, sqlite3.Error, BackupNotVerified, WriteNotVerified) as error:
            log.exception("backup to a stick failed")
            self.app.call_from_thread(self._failed, backup_failed(error, folder))
            return
        except EditRefused as refused:
            self.app.call_from_thread(self._failed, edit_refusal(refused))
            return
        message = _("Backup written: {path} ({size}).").format(
            path=written.path, size=file_size(written.path.stat().st_size))
        if written.evidence_copied:
            message += " " + ngettext(
                "{n} evidence copy written to {folder}.",
                "{n} evidence copies written to {folder}.", written.evidence_copied).format(
                n=written.evidence_copied, folder=folder / "evidence")
        self.app.call_from_thread(self.notify, message, timeout=15)
        self.app.call_from_thread(self.dismiss, written.path)

    def _failed(self, sentence: str) -> None:
        self._writing = False
        self.show_line(sentence)
