"""The read-only switch, decided once when the program starts (`cchc --read-only`,
or a data folder on read-only media) and asked by every write path: the
connection opener (store.connect), the settings, backups, temp-file cleanup,
exports, keys, the demo seeding and the review's receiving. The app base asks it
too (tui/app_base.py).

In read-only mode nothing in the data and config folders is created, changed or
deleted: every database there is opened read-only without -wal/-shm files
(store.connect), and a writer asked to write there raises
store.errors.ReadOnlyMode, which the interface words. A file written elsewhere
on purpose (a backup copy onto a stick, `cchc backup --out`) is not refused. A
leaf: standard library and store.errors only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import ReadOnlyMode
from .vocab import WriteKind

_read_only = False
_kept_folders: tuple[Path, ...] = ()


def set_read_only(read_only: bool, kept_folders: Iterable[Path] = ()) -> None:
    """Decide the mode, once at start, before anything is opened. kept_folders:
    the data and config folders (none known yet: every write is refused)."""
    global _read_only, _kept_folders
    _read_only = bool(read_only)
    _kept_folders = tuple(_real(folder) for folder in kept_folders)


def is_read_only() -> bool:
    return _read_only


def _real(path: Path) -> Path:
    return Path(os.path.realpath(Path(path).expanduser()))


def keeps(path: Path) -> bool:
    """Whether read-only mode forbids writing at path (inside the data or config
    folder, or anywhere while those are not known yet)."""
    if not _read_only:
        return False
    if not _kept_folders:
        return True
    real = _real(path)
    return any(real == folder or folder in real.parents for folder in _kept_folders)


def refuse_in_read_only(kind: WriteKind, path: Path | None = None) -> None:
    """Raise ReadOnlyMode(kind) in read-only mode: for any write when path is None,
    else for a write at path inside the data or config folder."""
    if _read_only and (path is None or keeps(path)):
        raise ReadOnlyMode(kind)
