"""Undo of the last edit within a session: the whole database as it was before the
edit, put back only if nothing has changed it since.

A commune's database is small (a few hundred kB to a few MB), so the simplest undo
that covers every kind of edit alike, cascades and derived columns included, is
the file's content itself: sqlite3's serialize() before the edit, and a SHA-256 of
the content after it. Undo puts the old content back (the backup API, one
transaction) only while the content still has that digest: an export, an import or
another window writing in between makes the undo refused instead of losing their
work. A database larger than UNDO_LIMIT_BYTES keeps no undo point (its copy would
cost more time and memory than an edit should).
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .connect import connect

UNDO_LIMIT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class UndoPoint:
    """An edit that can be undone: its label (for the user), the content before
    it, and the digest of the content it left."""

    label: str
    before: bytes
    after_digest: str


def _content(path: Path) -> bytes:
    connection = connect(path, read_only=True)
    try:
        return connection.serialize()
    finally:
        connection.close()


def content_size(path: Path) -> int:
    connection = connect(path, read_only=True)
    try:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        return pages * size
    finally:
        connection.close()


def capture(path: Path) -> bytes | None:
    """The database's content before an edit; None when it is too large to keep."""
    if content_size(path) > UNDO_LIMIT_BYTES:
        return None
    return _content(path)


def digest(path: Path) -> str:
    return hashlib.sha256(_content(path)).hexdigest()


def undo_point(path: Path, label: str, before: bytes | None) -> UndoPoint | None:
    """Called after the edit committed."""
    if before is None:
        return None
    return UndoPoint(label, before, digest(path))


def _without_wal(content: bytes) -> bytes:
    """The content with its header's read/write versions (bytes 18, 19) set to the
    rollback journal's: an image marked WAL cannot be opened in memory. The backup
    keeps the target file's own journal mode."""
    if content[18:20] != b"\x02\x02":
        return content
    return content[:18] + b"\x01\x01" + content[20:]


def undo(path: Path, point: UndoPoint) -> bool:
    """Put the content before the edit back. False (nothing done) when the
    database has changed since the edit."""
    if digest(path) != point.after_digest:
        return False
    image = sqlite3.connect(":memory:")
    target = connect(path)
    try:
        image.deserialize(_without_wal(point.before))
        image.backup(target)
    finally:
        target.close()
        image.close()
    return True
