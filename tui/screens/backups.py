"""Backups ("Sao lưu"): the list with date, kind and size; take one; restore one.

BackupsPanel is the reusable part (the Settings screen can hold it in its "Sao
lưu" section); BackupsScreen shows it on its own (key ctrl+b, or the palette);
DamagedDatabaseScreen is what the app shows instead of the tasks when the
startup check finds the database damaged: it says so and offers the newest
good backup. Database and file work runs in thread workers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static

from tui.app import commune_app
from tui.i18n import _, ngettext
from tui.widgets.keys_footer import KeysFooter
from tui.screens.dialogs import ConfirmDialog
from tui.words import backup as backup_words, format as fmt
from tui.words.errors import error_sentence
from tui.words.plain import plain, plain_lines

if TYPE_CHECKING:
    from store.backup import BackupInfo, RestoreResult
    from store.errors import DatabaseDamaged
    from store.paths import Locations
    from tui.app import CchcApp


def reload_workspace(app: CchcApp) -> None:
    """After a restore: close the old engines and open the database again."""
    workspace = app.workspace
    if workspace is not None:
        app.workspace = None
        workspace.db.dispose()
    app.load_workspace()


class BackupsPanel(Widget):
    """The backups of the unit's database, newest first, with restore and
    'back up now'. Posts BackupsPanel.Restored after a successful restore."""

    DEFAULT_CSS = """
    BackupsPanel { height: 1fr; }
    BackupsPanel #backups-intro { height: auto; padding: 0 1; }
    BackupsPanel #backups-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("r", "restore", _("Restore"), id="backups.restore"),
        Binding("b", "back_up_now", _("Back up now"), id="backups.back_up_now"),
        Binding("u", "back_up_to_drive", _("To a USB stick"), id="backups.to-drive"),
    ]

    class Restored(Message):
        def __init__(self, result: RestoreResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self, *, allow_backup: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.allow_backup = allow_backup
        self.backups: list[BackupInfo] = []  # in table order
        self.recommended: BackupInfo | None = None  # the newest good backup, once checked

    def compose(self) -> ComposeResult:
        yield Static("", id="backups-intro")
        yield DataTable(id="backups-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Date"), key="date")
        table.add_column(_("Kind"), key="kind")
        table.add_column(_("Size"), key="size")
        table.add_column(_("File"), key="file")
        self.load()

    @property
    def locations(self) -> Locations:
        return commune_app(self).context.locations

    @work(thread=True, exclusive=True, group="backups-list")
    def load(self) -> None:
        from store.backup import list_backups

        backups = list_backups(self.locations.backups_dir, self.locations.db_path.stem)
        self.app.call_from_thread(self._show, backups)

    def _show(self, backups: list[BackupInfo]) -> None:
        self.backups = backups
        table = self.query_one(DataTable)
        table.clear()
        for info in backups:
            marker = "✓ " if self.recommended is not None and info.path == self.recommended.path \
                else ""
            table.add_row(plain(marker + fmt.instant(info.taken_at)),
                          plain(backup_words.backup_kind(info)), plain(fmt.file_size(info.size)),
                          plain(info.path.name), key=str(info.path))
        if self.recommended is not None:
            keys = [str(info.path) for info in backups]
            if str(self.recommended.path) in keys:
                table.move_cursor(row=keys.index(str(self.recommended.path)))
        self.query_one("#backups-intro", Static).update(plain(
            ngettext("{n} backup in {folder}", "{n} backups in {folder}", len(backups)).format(
                n=len(backups), folder=self.locations.backups_dir)
            if backups else _("No backups yet in {folder}.").format(
                folder=self.locations.backups_dir)))

    def recommend(self, info: BackupInfo) -> None:
        """Mark and select the backup to restore (the newest good one)."""
        self.recommended = info
        self._show(self.backups)

    def selected(self) -> BackupInfo | None:
        table = self.query_one(DataTable)
        if not self.backups or table.cursor_row is None or table.cursor_row >= len(self.backups):
            return None
        return self.backups[table.cursor_row]

    def action_restore(self) -> None:
        if commune_app(self).context.read_only:
            self.notify(_("Nothing can be restored in read-only mode."), severity="warning")
            return
        info = self.selected()
        if info is None:
            self.notify(_("There is no backup to restore."), severity="warning")
            return
        keeping = (_("the current database is kept as a backup first.") if self.allow_backup
                   else _("the damaged file is kept aside, unchanged."))
        question = _("Restore the backup of {date} ({file})? The database is replaced by its "
                     "content; {keeping}").format(date=fmt.instant(info.taken_at),
                                                  file=info.path.name, keeping=keeping)

        def answered(yes: bool | None) -> None:
            if yes:
                self.restore(info.path, info.taken_at)

        self.app.push_screen(ConfirmDialog(question, yes=_("Restore"), no=_("Cancel"),
                                           tone="warning"), answered)

    @work(thread=True, exclusive=True, group="backups-restore")
    def restore(self, backup: Path, taken_at: dt.datetime) -> None:
        import logging
        import sqlite3

        from store.backup import restore_backup
        from store.migrations import upgrade_file
        from store.vocab import DatabaseKind

        locations = self.locations
        config = commune_app(self).context.config
        try:
            result = restore_backup(backup, locations.db_path, locations.backups_dir,
                                    keep_events=config.backup.keep_events,
                                    kind=DatabaseKind.UNIT, unit_code=config.unit.code or None,
                                    upgrade=upgrade_file, evidence_dir=locations.evidence_dir)
        except (OSError, sqlite3.Error) as error:
            logging.getLogger(__name__).exception("restore failed")
            self.app.call_from_thread(self.notify, _(
                "The restore failed: {reason}. The database was not replaced.").format(
                reason=getattr(error, "strerror", None) or error), severity="error", timeout=20)
            return
        except Exception as error:
            sentence = error_sentence(error)
            if sentence is None:
                raise
            self.app.call_from_thread(self.notify, sentence, severity="error", timeout=20)
            return
        message = _("The backup of {date} was restored.").format(date=fmt.instant(taken_at))
        if result.previous_kept_at is not None:
            message += " " + _("The previous database was kept as {path}.").format(
                path=result.previous_kept_at.name)
        if result.evidence_restored:
            message += " " + backup_words.evidence_restored(result.evidence_restored)
        self.app.call_from_thread(self.notify, message, timeout=15)
        self.app.call_from_thread(self.post_message, self.Restored(result))
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A damaged database is never backed up (it would push good backups out).
        if action in ("back_up_now", "back_up_to_drive") and not self.allow_backup:
            return None
        return True

    def action_back_up_to_drive(self) -> None:
        from tui.screens.drive_backup import DriveBackupDialog

        self.app.push_screen(DriveBackupDialog(self.locations.db_path,
                                               self.locations.evidence_dir))

    def action_back_up_now(self) -> None:
        self.back_up_now()

    @work(thread=True, exclusive=True, group="backups-take")
    def back_up_now(self) -> None:
        import sqlite3

        from store.backup import take_backup
        from store.errors import BackupNotVerified

        locations = self.locations
        try:
            target = take_backup(locations.db_path, locations.backups_dir, "manual",
                                 evidence_dir=locations.evidence_dir)
        except (OSError, sqlite3.Error, BackupNotVerified) as error:
            self.app.call_from_thread(self.notify, backup_words.backup_failed(
                error, locations.backups_dir), severity="error", timeout=20)
            return
        self.app.call_from_thread(self.notify, _("Backup written: {path} ({size}).").format(
            path=target.name, size=fmt.file_size(target.stat().st_size)))
        self.load()


class BackupsScreen(Screen[None]):
    """The backups list on its own screen."""

    BINDINGS = [Binding("escape", "close", _("Close"), id="backups.close")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield BackupsPanel(id="backups")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Backups")

    def on_backups_panel_restored(self, _message: BackupsPanel.Restored) -> None:
        self.dismiss()
        reload_workspace(commune_app(self))

    def action_close(self) -> None:
        self.dismiss()


class DamagedDatabaseScreen(Screen[None]):
    """Instead of the tasks: the database failed its startup check. Says what is
    wrong, that nothing was written, and offers the newest good backup."""

    DEFAULT_CSS = """
    DamagedDatabaseScreen #damage-message {
        height: auto; padding: 1 2; background: $error 20%; color: $text;
    }
    """
    BINDINGS = [Binding("q", "quit_app", _("Quit"), id="damaged.quit")]

    def __init__(self, error: DatabaseDamaged) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(backup_words.damage(self.error.problem, self.error.path,
                                               self.error.detail)
                           + " " + _("Nothing was written to it.") + " "
                           + _("Looking for a good backup…")), id="damage-message")
        yield BackupsPanel(allow_backup=False, id="backups")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("The database needs attention")
        self.find_good_backup()

    @work(thread=True, exclusive=True, group="backups-check")
    def find_good_backup(self) -> None:
        from store.backup import newest_good_backup

        locations = commune_app(self).context.locations
        newest = newest_good_backup(locations.backups_dir, locations.db_path.stem)
        self.app.call_from_thread(self._offer, newest)

    def _offer(self, newest: BackupInfo | None) -> None:
        locations = commune_app(self).context.locations
        self.query_one("#damage-message", Static).update(plain_lines([
            backup_words.damaged_database(self.error, newest, locations.backups_dir),
            *([_("Press r to restore the marked backup, q to quit.")] if newest is not None
              else [])]))
        if newest is not None:
            self.query_one(BackupsPanel).recommend(newest)

    def on_backups_panel_restored(self, _message: BackupsPanel.Restored) -> None:
        self.dismiss()
        reload_workspace(commune_app(self))

    def action_quit_app(self) -> None:
        self.app.exit()


def offer_recovery(app: CchcApp, error: BaseException) -> bool:
    """Called from the app's database worker when opening failed: shows
    DamagedDatabaseScreen for a damaged database. Returns whether it did."""
    from store.errors import DatabaseDamaged

    if not isinstance(error, DatabaseDamaged):
        return False
    app.call_from_thread(app.push_screen, DamagedDatabaseScreen(error))
    return True
