"""Engine factory, connection pragmas, transactions.

One engine per database file, made here, never at import time. Transactions are
explicit: pysqlite's own transaction handling is switched off (isolation_level=None)
and every transaction starts with our BEGIN, so DDL is transactional and the writer
takes the lock up front with BEGIN IMMEDIATE (no deadlock-prone lock upgrade when
two instances write the same file).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

BUSY_TIMEOUT_MS = 5000


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        # Path.as_uri() quotes spaces and handles Windows drive letters.
        target, uri = f"{path.absolute().as_uri()}?mode=ro", True
    else:
        target, uri = str(path), False
    connection = sqlite3.connect(target, uri=uri, check_same_thread=False,
                                 timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if not read_only:
        connection.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives a power cut, not only a crash.
        connection.execute("PRAGMA synchronous=FULL")
    return connection


def make_engine(path: Path, *, read_only: bool = False, for_writing: bool | None = None) -> Engine:
    """An engine for one SQLite file.

    read_only opens it with mode=ro (nothing can be written, not even by mistake).
    for_writing (default: not read_only) starts transactions with BEGIN IMMEDIATE;
    a reading engine on a writable file uses a deferred BEGIN so that reads never
    hold the write lock.
    """
    path = Path(path)
    if for_writing is None:
        for_writing = not read_only
    engine = create_engine("sqlite://", creator=lambda: _connect(path, read_only),
                           poolclass=QueuePool, pool_size=2, max_overflow=4)
    begin = "BEGIN IMMEDIATE" if for_writing and not read_only else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # noqa: ANN001
        connection.exec_driver_sql(begin)

    return engine


class ReadOnlyDatabase(Exception):
    """A write was asked of a database opened read-only."""


class Database:
    """One database file: a reading engine and, unless read-only, a writing one.

    Use `with db.read() as session` for queries and `with db.write() as session`
    for edits; each is one short transaction.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.reader = make_engine(self.path, read_only=read_only, for_writing=False)
        self.writer = None if read_only else make_engine(self.path, for_writing=True)

    def read(self):  # noqa: ANN201 - a context manager of Session
        return session_scope(self.reader)

    def write(self):  # noqa: ANN201
        if self.writer is None:
            raise ReadOnlyDatabase(str(self.path))
        return session_scope(self.writer)

    def dispose(self) -> None:
        self.reader.dispose()
        if self.writer is not None:
            self.writer.dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One short unit of work: commit on success, roll back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
