"""Sentences for the typed results and errors that store/ returns.

The store speaks data (codes, paths, numbers); this is the one place that turns it
into words, for the screens and the command line alike.
"""

from __future__ import annotations

from store.config import ConfigProblem
from tui.i18n import _


def config_problem(problem: ConfigProblem) -> str:
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


def database_error(error: BaseException) -> str | None:
    """Words for the known ways a database cannot be opened; None if unknown."""
    from store.errors import DatabaseMissing, DatabaseNeedsUpgrade, DatabaseTooNew

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
    from tui.safety import error_sentence

    return error_sentence(error)
