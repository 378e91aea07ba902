"""Sentences for the data-safety results of store/ (damaged databases, busy
databases, backups, unsafe storage), for the screens and the command line alike."""

from __future__ import annotations

from pathlib import Path

from tui import fmt
from tui.i18n import _


def damage(problem: str, path: Path, detail: str = "") -> str:
    """What is wrong with a database file (DatabaseHealth / DatabaseDamaged codes)."""
    sentences = {
        "empty": _("The database file {path} is empty (0 bytes); a copy may have been "
                   "interrupted or the disk was full."),
        "not_sqlite": _("The file {path} is not a CCHC Tracker database (it is not a SQLite "
                        "database at all)."),
        "truncated": _("The database file {path} is cut off: part of it is missing (a copy "
                       "that did not finish, or a full disk)."),
        "corrupt": _("The database file {path} is damaged: SQLite's check found errors in "
                     "it."),
        "not_cchc": _("The file {path} is a database of another program, not of CCHC "
                      "Tracker."),
        "unreadable": _("The database file {path} cannot be read ({detail})."),
        "missing": _("There is no file at {path}."),
        "busy": _("The file {path} is locked by another program."),
        "too_new": _("The file {path} was written by a newer version of CCHC Tracker."),
    }
    sentence = sentences.get(problem, sentences["corrupt"])
    return sentence.format(path=path, detail=detail)


def damaged_database(error, newest_backup=None, backups_dir: Path | None = None) -> str:  # noqa: ANN001
    """The startup message for a DatabaseDamaged, with the backup on offer."""
    parts = [damage(error.problem, error.path, error.detail),
             _("Nothing was written to it.")]
    if newest_backup is not None:
        parts.append(_("The newest good backup is from {date} ({size}). You can restore it; "
                       "the damaged file is kept aside.").format(
            date=fmt.instant(newest_backup.taken_at), size=file_size(newest_backup.size)))
    elif backups_dir is not None:
        parts.append(_("No good backup was found in {folder}. Keep the damaged file and ask "
                       "for technical help.").format(folder=backups_dir))
    return " ".join(parts)


def busy() -> str:
    return _("The database is being used by another CCHC Tracker window or program and "
             "stayed locked. Nothing was saved; try again in a moment, or close the other "
             "window.")


def stale_edit() -> str:
    return _("This task was changed in another window after you opened it. Your change was "
             "not saved; open the task again to see the other change, then edit it.")


def backup_refused(error) -> str:  # noqa: ANN001 - store.errors.BackupRefused
    if error.problem == "too_new":
        from store.vocab import SCHEMA_VERSION

        reason = _("it was made by a newer version of CCHC Tracker (schema {found}; this "
                   "version knows {supported}).").format(found=error.detail,
                                                         supported=SCHEMA_VERSION)
    else:
        reasons = {
            "missing": _("the file does not exist."),
            "empty": _("the file is empty."),
            "not_sqlite": _("it is not a database backup."),
            "truncated": _("the file is cut off (incomplete)."),
            "corrupt": _("the backup is damaged."),
            "not_cchc": _("it is a database of another program."),
            "unreadable": _("the file cannot be read ({detail}).").format(detail=error.detail),
            "busy": _("the file is in use by another program."),
        }
        reason = reasons.get(error.problem, reasons["corrupt"])
    return _("{path} cannot be restored: {reason} Nothing was changed.").format(
        path=error.path, reason=reason)


def backup_failed(error: BaseException, target: Path | None = None) -> str:
    from store.errors import BackupNotVerified

    if isinstance(error, BackupNotVerified):
        return _("The backup {path} did not pass its check after writing; the disk or stick "
                 "may be failing. Try another place.").format(path=error.path)
    reason = getattr(error, "strerror", None) or str(error)
    return _("The backup could not be written to {path}: {reason}").format(
        path=target or "", reason=reason)


def storage_risk_sentence(risk) -> str:  # noqa: ANN001 - store.safety.StorageRisk
    where = (_("{filesystem} at {mount}").format(filesystem=risk.filesystem, mount=risk.mount)
             if risk.filesystem else risk.mount)
    if risk.kind == "network":
        return _("Your data folder {path} is on a network share ({where}). SQLite cannot lock "
                 "or save reliably there: two computers, or a dropped connection, can damage "
                 "the database. Keep the data on this computer's own disk (--data-dir) and "
                 "send progress bundles instead.").format(path=risk.path, where=where)
    return _("Your data folder {path} is on a removable drive ({where}). If it is pulled out "
             "or loses power while saving, the database can be damaged. Keep the data on "
             "this computer's own disk (--data-dir); use the stick only for progress bundles "
             "and backups.").format(path=risk.path, where=where)


def backup_kind(info) -> str:  # noqa: ANN001 - store.backup.BackupInfo
    """What a backup is, in a word or two, for the list."""
    if info.kind == "event":
        reason = info.reason or ""
        if reason.startswith("migration"):
            return _("before upgrade")
        if reason.startswith("receive"):
            return _("before receiving")
        if reason == "before-restore":
            return _("before restore")
        return _("before a change")
    return {
        "daily": _("daily"),
        "manual": _("by hand"),
        "damaged": _("damaged file set aside"),
    }.get(info.kind, _("other file"))


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{n} MB").format(n=fmt.number(size / (1024 * 1024), 1))
    return _("{n} KB").format(n=fmt.number(max(1, round(size / 1024)) if size else 0))


def error_sentence(error: BaseException) -> str | None:
    """Words for the data-safety errors; None if the error is not one of them."""
    from store.errors import (BackupNotVerified, BackupRefused, DatabaseBusy, DatabaseDamaged,
                              StaleEdit)

    if isinstance(error, DatabaseDamaged):
        return damage(error.problem, error.path, error.detail) + " " + _(
            "Nothing was written to it.")
    if isinstance(error, DatabaseBusy):
        return busy()
    if isinstance(error, BackupRefused):
        return backup_refused(error)
    if isinstance(error, BackupNotVerified):
        return backup_failed(error)
    if isinstance(error, StaleEdit):
        return stale_edit()
    return None


def before_open_checks(context) -> list[str]:  # noqa: ANN001 - AppContext
    """At start, before the database is opened: remove temp files a killed export
    or backup left behind, and warn about a data folder on unsafe storage."""
    from store.safety import clean_leftover_temp_files, storage_risk

    locations = context.locations
    folders = [locations.data_dir, locations.backups_dir]
    if context.config.last_export_dir:
        folders.append(Path(context.config.last_export_dir))
    removed = clean_leftover_temp_files(folders)
    if removed:
        import logging

        logging.getLogger(__name__).info("removed leftover temp files: %s", removed)
    risk = storage_risk(locations.data_dir)
    return [storage_risk_sentence(risk)] if risk is not None else []


def after_open_checks(context) -> list[str]:  # noqa: ANN001 - AppContext
    """Once the database passed its check and opened: the day's first backup,
    and rotation. A failed backup is a warning, not a reason to stop."""
    import sqlite3

    from store.backup import take_daily_backup
    from store.errors import BackupNotVerified

    if context.read_only:
        return []
    locations, keep = context.locations, context.config.backup
    try:
        take_daily_backup(locations.db_path, locations.backups_dir,
                          keep_daily=keep.keep_daily, keep_events=keep.keep_events)
    except (OSError, sqlite3.Error, BackupNotVerified) as error:
        import logging

        logging.getLogger(__name__).exception("daily backup failed")
        return [backup_failed(error, locations.backups_dir)]
    return []
