"""Every exception the store raises, in one leaf module (standard library only).

They carry data (paths, codes, versions), never sentences: tui words them. Keeping
them here, below the modules that raise them, is what lets db, safety, backup and
migrations import each other's errors without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .vocab import EditRefusal, HealthProblem, RestoreMismatch

# -- opening a database ------------------------------------------------------------


@dataclass
class DatabaseBusy(Exception):
    """Another program (a second window, `cchc` in a terminal) kept the database
    locked for longer than we waited, after retries. Nothing was written."""

    path: Path | None = None


@dataclass
class DatabaseDamaged(Exception):
    """The database file failed its startup check; nothing was written to it.
    problem is one of vocab.DAMAGE_PROBLEMS (or 'unreadable')."""

    path: Path
    problem: HealthProblem | str
    detail: str = ""


@dataclass
class DatabaseTooNew(Exception):
    """Written by a newer CCHC Tracker; this one must not touch it."""

    path: Path
    found: int
    supported: int


@dataclass
class DatabaseNeedsUpgrade(Exception):
    """An older database opened read-only: it cannot be migrated."""

    path: Path
    found: int
    supported: int


@dataclass
class DatabaseMissing(Exception):
    """A database opened read-only does not exist (it is never created then)."""

    path: Path


class ReadOnlyDatabase(Exception):
    """A write was asked of a database opened read-only."""


# -- edits -------------------------------------------------------------------------


@dataclass
class EditRefused(Exception):
    """An edit that breaks a rule. code names the rule; field the input at fault."""

    code: EditRefusal | str
    field: str | None = None
    value: Any = None


@dataclass
class StaleEdit(Exception):
    """The task changed (another window, another process) since it was read."""

    task_id: int


# -- backups and files -------------------------------------------------------------


@dataclass
class BackupRefused(Exception):
    """A file offered for restore failed its check; nothing was replaced.
    problem is a HealthProblem code (not_sqlite, corrupt, too_new, not_cchc...) or a
    RestoreMismatch: then found and expected say what the backup holds and what the
    database is (store.backup.DatabaseIdentity, for the words to name both)."""

    path: Path
    problem: HealthProblem | RestoreMismatch | str
    detail: str = ""
    found: Any = None
    expected: Any = None


@dataclass
class BackupNotVerified(Exception):
    """The copy just written did not pass its check (failing disk or stick)."""

    path: Path
    detail: str = ""


@dataclass
class WriteNotVerified(Exception):
    """Reading the written bytes back gave other bytes (a failing or
    fake-capacity stick). The target was left as it was."""

    path: Path
    expected_sha256: str
    found_sha256: str


class BrokenConfigFile(Exception):
    """save_config() would overwrite a file the user may still want to fix."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path
