"""Sentences for the errors the store raises on purpose, and for the settings file.

error_sentence() is the one entry for an exception: the screens, the workers and
the command line all ask it, so one error reads the same everywhere. The store
types are imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

import sqlite3

from store.config import ConfigProblem
from tui.i18n import _
from tui.words.backup import backup_failed, backup_refused, damage


def config_problem(problem: ConfigProblem) -> str:
    """A settings file that could not be used in full (ConfigProblem.code)."""
    if problem.code == "syntax":
        where = _("line {line}, column {column}").format(line=problem.line,
                                                          column=problem.column)
        return _("The settings file {path} has an error at {where} ({detail}). "
                 "The app uses the default settings until it is fixed.").format(
            path=problem.path, where=where, detail=problem.detail)
    if problem.code == "value":
        return _("Some values in the settings file {path} are not valid and were ignored: "
                 "{names}.").format(path=problem.path, names=problem.detail)
    return _("The settings file {path} cannot be read ({detail}). "
             "The app uses the default settings.").format(path=problem.path,
                                                          detail=problem.detail)


def busy() -> str:
    """The database stayed locked by another window or program (the one sentence)."""
    return _("The database is being used by another CCHC Tracker window or program and "
             "stayed locked. Nothing was saved; try again in a moment, or close the other "
             "window.")


def stale_edit() -> str:
    """The task changed elsewhere since it was read (the one sentence)."""
    return _("This task was changed in another window after you opened it. Your change was "
             "not saved; open the task again to see the other change, then edit it.")


def read_only() -> str:
    return _("This database is open read only; nothing can be saved.")


def error_sentence(error: BaseException) -> str | None:
    """Words for an error the store raises on purpose; None for any other error
    (the caller then says what it was doing, and logs the details)."""
    from store.errors import (BackupNotVerified, BackupRefused, DatabaseBusy, DatabaseDamaged,
                              DatabaseMissing, DatabaseNeedsUpgrade, DatabaseTooNew,
                              ReadOnlyDatabase, StaleEdit)

    if isinstance(error, DatabaseTooNew):
        return _("The database {path} was written by a newer version of CCHC Tracker "
                 "(schema {found}; this version knows {supported}). Please update the app; "
                 "nothing was changed.").format(path=error.path, found=error.found,
                                                supported=error.supported)
    if isinstance(error, DatabaseNeedsUpgrade):
        return _("The database {path} is from an older version and must be upgraded, which "
                 "cannot be done in read-only mode. Open it once without --read-only.").format(
            path=error.path)
    if isinstance(error, DatabaseMissing):
        return _("There is no database at {path} yet.").format(path=error.path)
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
    if isinstance(error, ReadOnlyDatabase):
        return read_only()
    return None


def _sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of a raw or SQLAlchemy-wrapped sqlite3 error."""
    original = getattr(error, "orig", error)
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(original, sqlite3.Error) and code is not None else None


def save_failure(error: BaseException) -> str:
    """Words for a save that failed: a known error, SQLite's own busy or read-only
    code (a connection outside store.db.Database), else the reason as it came."""
    known = error_sentence(error)
    if known:
        return known
    code = _sqlite_code(error)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return busy()
    if code == sqlite3.SQLITE_READONLY:
        return read_only()
    return _("Nothing was saved: {reason}").format(reason=error)
