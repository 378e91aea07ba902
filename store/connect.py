"""The one place a sqlite3 connection to a database file is opened.

Standard library only (no SQLAlchemy), so the review's first frame, the startup
check and the backups use it as cheaply as the engine does (store.db adds its
pragmas on top).

Every connection is in autocommit mode (isolation_level=None): a caller that
writes says BEGIN itself, so pysqlite never opens a transaction behind its back.
read_only opens the file with mode=ro: nothing can be written, not even by
mistake, and a missing file is an error instead of a new empty database.

A mode=ro reader of a WAL-mode file still creates its -wal and -shm files, and
cannot open it at all where it cannot create them (read-only media). Such a file
is opened immutable=1 instead (SQLite then neither locks nor creates anything):
when its folder cannot be written, and in read-only mode (store.mode) when its
-shm is absent. (immutable=1 also skips the -wal: a committed change that only a
killed writer's -wal holds, without its -shm, is not seen then.) In read-only mode a
connection for writing in the data or config folder is refused
(store.errors.ReadOnlyMode): the one door every database write goes through.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from . import mode, vocab
from .vocab import DatabaseFailure, WriteKind

# The file header says 2 at offset 18 (read format) for a WAL-mode database.
_WAL_FORMAT_OFFSET = 18
_WAL_FORMAT = 2


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    # Path.as_uri() quotes spaces and handles Windows drive letters.
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def folder_is_writable(folder: Path) -> bool:
    """Whether files can be created in folder (False on read-only media). A seam
    for the tests: chmod does not stop root, whom tests may run as."""
    return os.access(folder, os.W_OK)


def is_wal_file(path: Path) -> bool:
    """Whether the file's header says WAL mode (False for anything unreadable or
    not a regular file: never blocks on a FIFO)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        header = os.pread(descriptor, _WAL_FORMAT_OFFSET + 1, 0) if hasattr(
            os, "pread") else os.read(descriptor, _WAL_FORMAT_OFFSET + 1)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return len(header) > _WAL_FORMAT_OFFSET and header[_WAL_FORMAT_OFFSET] == _WAL_FORMAT


def has_rollback_journal(path: Path) -> bool:
    """A non-empty -journal beside the file: a write in progress or cut off (hot)."""
    try:
        return Path(f"{path}-journal").stat().st_size > 0
    except OSError:
        return False


def opens_immutable(path: Path) -> bool:
    """Whether a read-only connection to path is opened immutable=1 (see above).
    Never beside a rollback journal: immutable would read a half-done write."""
    path = Path(path)
    if has_rollback_journal(path):
        return False
    if not folder_is_writable(path.absolute().parent):
        return True
    return mode.keeps(path) and is_wal_file(path) and not Path(f"{path}-shm").exists()


def connect(path: Path, *, read_only: bool = False,
            timeout_s: float | None = None) -> sqlite3.Connection:
    """A connection to the database file at path; it waits timeout_s (default
    vocab.BUSY_TIMEOUT_S, read at each call) for a lock held by another program.
    Usable from any thread (one thread at a time). In read-only mode (store.mode)
    only read_only connections are made in the data and config folders; raises
    ReadOnlyMode otherwise."""
    if timeout_s is None:
        timeout_s = vocab.BUSY_TIMEOUT_S
    if not read_only:
        mode.refuse_in_read_only(WriteKind.DATABASE, Path(path))
    if read_only:
        target, uri = read_only_uri(path, immutable=opens_immutable(path)), True
    else:
        target, uri = str(path), False
    return sqlite3.connect(target, uri=uri, timeout=timeout_s, isolation_level=None,
                           check_same_thread=False)


def is_busy_error(error: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED ("database is locked"), raw or wrapped by
    SQLAlchemy (.orig), extended codes included."""
    original = getattr(error, "orig", error)
    code = getattr(original, "sqlite_errorcode", None)
    return isinstance(original, sqlite3.OperationalError) and code is not None and (
        code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


_FAILURE_CODES = {
    sqlite3.SQLITE_BUSY: DatabaseFailure.BUSY, sqlite3.SQLITE_LOCKED: DatabaseFailure.BUSY,
    sqlite3.SQLITE_READONLY: DatabaseFailure.READ_ONLY, sqlite3.SQLITE_FULL: DatabaseFailure.FULL,
    sqlite3.SQLITE_CORRUPT: DatabaseFailure.DAMAGED, sqlite3.SQLITE_NOTADB: DatabaseFailure.DAMAGED,
    sqlite3.SQLITE_IOERR: DatabaseFailure.IO, sqlite3.SQLITE_CANTOPEN: DatabaseFailure.IO}
# pysqlite's own message (no SQLite result code) for a TEXT cell that is not UTF-8.
_NOT_UTF8 = "Could not decode to UTF-8"


def database_failure(error: BaseException) -> DatabaseFailure | None:
    """What a raw or SQLAlchemy-wrapped (.orig) sqlite3 error means, by SQLite's
    primary result code; None if error is not a sqlite3 error."""
    original = getattr(error, "orig", error)
    if isinstance(original, UnicodeDecodeError):
        return DatabaseFailure.NOT_TEXT
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    if code is None:
        return DatabaseFailure.NOT_TEXT if _NOT_UTF8 in str(original) else DatabaseFailure.OTHER
    return _FAILURE_CODES.get(code & 0xFF, DatabaseFailure.OTHER)


def read_user_version(path: Path) -> int:
    """PRAGMA user_version of the file (its schema version), read with mode=ro."""
    connection = connect(path, read_only=True)
    try:
        return connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
