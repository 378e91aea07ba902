"""Sentences for the data-safety results of store/: a database that failed its
check, backups (their kinds, a refused restore, a failed write) and a data folder
on unsafe storage, for the screens and the command line alike.

Each table has one entry per code the store gives (DatabaseHealth.problem,
BackupInfo.kind, StorageRisk.kind); tests/tui/test_words.py holds them to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.i18n import _, ngettext
from tui.words import format as fmt, labels

# DatabaseHealth.problem -> what is wrong with the file, given path and detail.
DAMAGE: dict[str, Callable[[], str]] = {
    "empty": lambda: _("The database file {path} is empty (0 bytes); a copy may have been "
                       "interrupted or the disk was full."),
    "not_sqlite": lambda: _("The file {path} is not a CCHC Tracker database (it is not a "
                            "SQLite database at all)."),
    "truncated": lambda: _("The database file {path} is cut off: part of it is missing (a "
                           "copy that did not finish, or a full disk)."),
    "corrupt": lambda: _("The database file {path} is damaged: SQLite's check found errors "
                         "in it."),
    "not_cchc": lambda: _("The file {path} is a database of another program, not of CCHC "
                          "Tracker."),
    "unreadable": lambda: _("The database file {path} cannot be read ({detail})."),
    "missing": lambda: _("There is no file at {path}."),
    "busy": lambda: _("The file {path} is locked by another program."),
    "too_new": lambda: _("The file {path} was written by a newer version of CCHC Tracker."),
    "not_regular": lambda: _("{path} is {kind}, not a database file."),
    "needs_recovery": lambda: _("A change to the database file {path} was cut off and must "
                                "be completed by a writable open first."),
}


def damage(problem: str, path: Path, detail: str = "") -> str:
    """What is wrong with a database file (a DatabaseHealth or DatabaseDamaged problem)."""
    sentence = DAMAGE.get(problem, DAMAGE["corrupt"])
    return sentence().format(path=path, detail=detail, kind=labels.file_kind(detail))


def damaged_database(error: Any, newest_backup: Any = None,
                     backups_dir: Path | None = None) -> str:
    """The startup message for a DatabaseDamaged, with the backup on offer
    (newest_backup: a store.backup.BackupInfo or None)."""
    parts = [damage(error.problem, error.path, error.detail),
             _("Nothing was written to it.")]
    if newest_backup is not None:
        parts.append(_("The newest good backup is from {date} ({size}). You can restore it; "
                       "the damaged file is kept aside.").format(
            date=fmt.instant(newest_backup.taken_at), size=fmt.file_size(newest_backup.size)))
    elif backups_dir is not None:
        parts.append(_("No good backup was found in {folder}. Keep the damaged file and ask "
                       "for technical help.").format(folder=backups_dir))
    return " ".join(parts)


# BackupRefused.problem (a DatabaseHealth.problem of the file offered for restore, or a
# store.vocab.RestoreMismatch) -> why it cannot be restored, given the BackupRefused
# (too_new names both schema versions, the mismatches both databases).
RESTORE_REFUSAL: dict[str, Callable[[Any], str]] = {
    "missing": lambda error: _("the file does not exist."),
    "empty": lambda error: _("the file is empty."),
    "not_sqlite": lambda error: _("it is not a database backup."),
    "truncated": lambda error: _("the file is cut off (incomplete)."),
    "corrupt": lambda error: _("the backup is damaged."),
    "not_cchc": lambda error: _("it is a database of another program."),
    "unreadable": lambda error: _("the file cannot be read ({detail}).").format(
        detail=error.detail),
    "busy": lambda error: _("the file is in use by another program."),
    "too_new": lambda error: _too_new_backup(error.detail),
    "not_regular": lambda error: _("it is {kind}, not a file.").format(
        kind=labels.file_kind(error.detail)),
    "other_kind": lambda error: _("it is a copy of {found}, and this is {expected}.").format(
        found=_database_kind(getattr(error.found, "kind", None) or error.detail),
        expected=_database_kind(getattr(error.expected, "kind", None))),
    "other_unit": lambda error: _("it holds the data of {found}, and this is the database "
                                  "of {expected}.").format(
        found=_units(getattr(error.found, "units", ())) or error.detail,
        expected=_units(getattr(error.expected, "units", ())) or _("another unit")),
    "needs_recovery": lambda error: _("a change to it was cut off; open it once with CCHC "
                                      "Tracker from a drive that can be written, then "
                                      "restore it."),
}

# store.vocab.DatabaseKind -> whose database it is, as the restore refusal names it.
DATABASE_KIND: dict[str, Callable[[], str]] = {
    "unit": lambda: _("a unit's own database"),
    "review": lambda: _("a supervisor's review database (the bundles received from units)"),
}


def _database_kind(kind: str | None) -> str:
    sentence = DATABASE_KIND.get(str(kind or ""))
    return sentence() if sentence is not None else _("a database of another kind")


def _units(units: Any) -> str:
    """(code, name) pairs as "Name (CODE)", joined: the units a database holds."""
    return ", ".join(f"{name} ({code})" if name else code for code, name in units or ())


def _too_new_backup(found: str) -> str:
    from store.vocab import SCHEMA_VERSION

    return _("it was made by a newer version of CCHC Tracker (schema {found}; this version "
             "knows {supported}).").format(found=found, supported=SCHEMA_VERSION)


def backup_refused(error: Any) -> str:
    """A store.backup.BackupRefused: the file offered for restore failed its check."""
    reason = RESTORE_REFUSAL.get(error.problem, RESTORE_REFUSAL["corrupt"])(error)
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


# StorageRisk.kind -> the warning, given path and where (file system and mount point).
STORAGE_RISK: dict[str, Callable[[], str]] = {
    "network": lambda: _(
        "Your data folder {path} is on a network share ({where}). SQLite cannot lock or "
        "save reliably there: two computers, or a dropped connection, can damage the "
        "database. Keep the data on this computer's own disk (--data-dir) and send progress "
        "bundles instead."),
    "removable": lambda: _(
        "Your data folder {path} is on a removable drive ({where}). If it is pulled out or "
        "loses power while saving, the database can be damaged. Keep the data on this "
        "computer's own disk (--data-dir); use the stick only for progress bundles and "
        "backups."),
}


def storage_risk_sentence(risk: Any) -> str:
    """A store.safety.StorageRisk: why the data folder's drive is unsafe."""
    where = (_("{filesystem} at {mount}").format(filesystem=risk.filesystem, mount=risk.mount)
             if risk.filesystem else risk.mount)
    sentence = STORAGE_RISK.get(risk.kind, STORAGE_RISK["removable"])
    return sentence().format(path=risk.path, where=where)


# BackupInfo.kind -> what the backup is, in a word or two (events are told by reason).
BACKUP_KIND: dict[str, Callable[[], str]] = {
    "daily": lambda: _("daily"),
    "manual": lambda: _("by hand"),
    "damaged": lambda: _("damaged file set aside"),
    "event": lambda: _("before a change"),
    "other": lambda: _("other file"),
}


def backup_kind(info: Any) -> str:
    """What a store.backup.BackupInfo is, in a word or two, for the list."""
    if info.kind == "event":
        reason = info.reason or ""
        if reason.startswith("migration"):
            return _("before upgrade")
        if reason.startswith("receive"):
            return _("before receiving")
        if reason == "before-restore":
            return _("before restore")
    return BACKUP_KIND.get(info.kind, BACKUP_KIND["other"])()


def evidence_restored(count: int) -> str:
    """A restore brought back the evidence copies its database records."""
    return ngettext("{n} evidence copy was brought back from the backup's folder.",
                    "{n} evidence copies were brought back from the backup's folder.",
                    count).format(n=count)
