"""The one place a sqlite3 connection to a database file is opened.

Standard library only (no SQLAlchemy), so the review's first frame, the startup
check and the backups use it as cheaply as the engine does (store.db adds its
pragmas on top).

Every connection is in autocommit mode (isolation_level=None): a caller that
writes says BEGIN itself, so pysqlite never opens a transaction behind its back.
read_only opens the file with mode=ro: nothing can be written, not even by
mistake, and a missing file is an error instead of a new empty database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import vocab


def read_only_uri(path: Path) -> str:
    # Path.as_uri() quotes spaces and handles Windows drive letters.
    return f"{Path(path).absolute().as_uri()}?mode=ro"


def connect(path: Path, *, read_only: bool = False,
            timeout_s: float | None = None) -> sqlite3.Connection:
    """A connection to the database file at path; it waits timeout_s (default
    vocab.BUSY_TIMEOUT_S, read at each call) for a lock held by another program.
    Usable from any thread (one thread at a time)."""
    if timeout_s is None:
        timeout_s = vocab.BUSY_TIMEOUT_S
    if read_only:
        target, uri = read_only_uri(path), True
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


def read_user_version(path: Path) -> int:
    """PRAGMA user_version of the file (its schema version), read with mode=ro."""
    connection = connect(path, read_only=True)
    try:
        return connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
