"""Checks that keep a year of work safe: leftover temp files, the health of a
database file, and where the data folder lives.

Everything here returns data (codes, paths) and never sentences; tui/safety.py
words it.
"""

from __future__ import annotations

import fnmatch
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

# Names of files that only exist while something is being written. A process that
# was killed leaves them behind; clean_leftover_temp_files() removes them at the
# next start. A database's own -wal / -shm / -journal files are never among them:
# they hold committed data until SQLite checkpoints them.
TEMP_PATTERNS: tuple[str, ...] = (
    ".*.tmp-*",           # store.safe_write.write_atomically (exports, bundles)
    "*.tmp",              # store.config.save_config
    "*.partial",          # store.backup: a backup being written
    "*.partial-journal",  # ... and that unfinished backup's own rollback journal
)
# Another running instance may be writing a temp file right now; leave young ones.
TEMP_MIN_AGE_SECONDS = 120.0
_LIVE_DATABASE_SUFFIXES = ("-wal", "-shm", "-journal")


def is_temp_name(name: str) -> bool:
    if name.endswith(_LIVE_DATABASE_SUFFIXES) and not name.endswith(".partial-journal"):
        return False
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in TEMP_PATTERNS)


def clean_leftover_temp_files(folders: Iterable[Path], *,
                              min_age_seconds: float = TEMP_MIN_AGE_SECONDS,
                              now: float | None = None) -> list[Path]:
    """Remove leftover temp files (TEMP_PATTERNS) directly inside each folder.
    Returns what was removed; folders that are missing or unreadable are skipped."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    seen: set[Path] = set()
    for folder in folders:
        folder = Path(folder)
        if folder in seen:
            continue
        seen.add(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not is_temp_name(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if now - entry.stat(follow_symlinks=False).st_mtime < min_age_seconds:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed
