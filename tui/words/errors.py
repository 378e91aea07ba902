"""Sentences for the errors the store raises on purpose, and for the settings file.

error_sentence() is the one entry for an exception: the screens, the workers and
the command line all ask it, so one error reads the same everywhere. The store
types are imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

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


# store.vocab.WriteKind -> what read-only mode (cchc --read-only) did not do.
READ_ONLY_REFUSAL = {
    "database": lambda: _("Read-only mode (--read-only): nothing can be saved to the "
                          "database; nothing was changed."),
    "config": lambda: _("Read-only mode (--read-only): the settings are not saved; nothing "
                        "was changed."),
    "backup": lambda: _("Read-only mode (--read-only): no backup is written or restored in "
                        "the data folder; nothing was changed."),
    "cleanup": lambda: _("Read-only mode (--read-only): leftover temp files are not removed."),
    "export": lambda: _("Read-only mode (--read-only): no progress bundle is exported, since "
                        "its number is recorded in the database; nothing was changed."),
    "document": lambda: _("Read-only mode (--read-only): no document is written into the "
                          "data folder; give another folder with --out."),
    "key": lambda: _("Read-only mode (--read-only): no signing key is made, replaced or "
                     "written; nothing was changed."),
    "demo": lambda: _("Read-only mode (--read-only): the demo commune's database is not "
                      "created. Open the demo once without --read-only."),
    "receive": lambda: _("Read-only mode (--read-only): no bundle is received; nothing was "
                         "changed."),
    "folders": lambda: _("Read-only mode (--read-only): the app's folders are not created, "
                         "so there is nothing to show yet."),
    "log": lambda: _("Read-only mode (--read-only): the log file in the data folder is not "
                     "written."),
}


def refused_in_read_only(kind: str) -> str:
    """What read-only mode refused (store.errors.ReadOnlyMode.kind)."""
    return READ_ONLY_REFUSAL[kind]()


# store.vocab.DatabaseFailure -> why SQLite did not save (or read) it.
DATABASE_FAILURE = {
    "busy": busy,
    "read_only": lambda: _("The database file cannot be written: the file, its folder or its "
                           "drive is read-only (write-protected). Nothing was saved."),
    "full": lambda: _("The disk is full: nothing was saved. Free some space on the drive, "
                      "then try again."),
    "not_text": lambda: _("A value in the database is not readable text (it holds bytes that "
                          "are not UTF-8): the file was changed by another program. Nothing "
                          "was saved."),
    "damaged": lambda: _("The database file is damaged: SQLite found errors in it. Nothing "
                         "was saved; restore a backup (Ctrl+B)."),
    "io": lambda: _("The drive holding the database failed to read or write (was it "
                    "removed?). Nothing was saved."),
    "other": lambda: _("The database refused the change (an unexpected SQLite error). "
                       "Nothing was saved."),
}


def database_failure_sentence(failure: str) -> str:
    """Words for a store.vocab.DatabaseFailure."""
    return DATABASE_FAILURE[failure]()


def read_only_media(folder: object) -> str:
    return _("The data folder {folder} cannot be written (a read-only drive or folder): the "
             "app opens it for viewing only, as with --read-only. `cchc backup --out DIR` "
             "copies the database to another drive.").format(folder=folder)


def demo_code_in_settings(code: str) -> str:
    return _("The unit code {code} in the settings is the demo's, not a real unit's: the "
             "files exported here would be marked as sample data. Enter your unit's own "
             "code in Settings.").format(code=code)


def real_code_in_demo(code: str, demo_code: str, folder: object) -> str:
    return _("The demo's settings hold the unit code {code}, not the demo's own {demo}: what "
             "the demo exports looks like that unit's real report. To start the demo afresh, "
             "remove the folder {folder}.").format(code=code, demo=demo_code, folder=folder)


def needs_recovery(path: object) -> str:
    return _("A change to the database {path} was cut off when the app or the computer "
             "stopped, and read-only mode (or a read-only drive) cannot finish it. It is not "
             "damaged: open it once without --read-only, from a drive that can be written, "
             "and SQLite completes it; nothing was changed.").format(path=path)


def error_sentence(error: BaseException) -> str | None:
    """Words for an error the store raises on purpose; None for any other error
    (the caller then says what it was doing, and logs the details)."""
    from store.errors import (BackupNotVerified, BackupRefused, DatabaseBusy, DatabaseDamaged,
                              DatabaseMissing, DatabaseNeedsRecovery, DatabaseNeedsUpgrade,
                              DatabaseTooNew, ReadOnlyDatabase, ReadOnlyMode, StaleEdit)

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
    if isinstance(error, ReadOnlyMode):
        return refused_in_read_only(error.kind)
    if isinstance(error, DatabaseNeedsRecovery):
        return needs_recovery(error.path)
    return None


def save_failure(error: BaseException) -> str:
    """Words for a save that failed: a known error, else what SQLite's result code
    says (busy, read-only file, disk full, not text, damaged, drive failed), else
    the reason of an OSError; never a raw SQLAlchemy message."""
    from store.connect import database_failure

    known = error_sentence(error)
    if known:
        return known
    failure = database_failure(error)
    if failure is None and type(error).__module__.startswith("sqlalchemy"):
        failure = "other"  # its message is SQL and parameters: never shown
    if failure is not None:
        return database_failure_sentence(failure)
    if isinstance(error, OSError):
        return _("Nothing was saved: {reason}").format(reason=error.strerror or error)
    return _("Nothing was saved: {reason}").format(reason=error)
