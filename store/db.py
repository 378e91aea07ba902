"""Engine factory, connection pragmas, transactions.

One engine per database file, made here, never at import time. Transactions are
explicit: pysqlite's own transaction handling is switched off (isolation_level=None)
and every transaction starts with our BEGIN, so DDL is transactional and the writer
takes the lock up front with BEGIN IMMEDIATE (no deadlock-prone lock upgrade when
two instances write the same file).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from .connect import connect, is_busy_error
from .errors import DatabaseBusy, ReadOnlyDatabase
from .mode import refuse_in_read_only
from .vocab import BUSY_TIMEOUT_MS, WriteKind

__all__ = ["Database", "make_engine", "session_scope"]

# A write that still finds the database locked after the busy timeout is tried
# again this many times in all, waiting WRITE_RETRY_BACKOFF_S, then twice that...
WRITE_ATTEMPTS = 3
WRITE_RETRY_BACKOFF_S = 0.2

T = TypeVar("T")


def _connect(path: Path, read_only: bool, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
             journal_mode: str = "WAL") -> sqlite3.Connection:
    connection = connect(path, read_only=read_only, timeout_s=busy_timeout_ms / 1000)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    if not read_only:
        connection.execute(f"PRAGMA journal_mode={journal_mode}")
        # FULL: a commit survives a power cut, not only a crash.
        connection.execute("PRAGMA synchronous=FULL")
    return connection


def make_engine(path: Path, *, read_only: bool = False, for_writing: bool | None = None,
                busy_timeout_ms: int = BUSY_TIMEOUT_MS, journal_mode: str = "WAL") -> Engine:
    """An engine for one SQLite file.

    read_only opens it with mode=ro (nothing can be written, not even by mistake).
    for_writing (default: not read_only) starts transactions with BEGIN IMMEDIATE;
    a reading engine on a writable file uses a deferred BEGIN so that reads never
    hold the write lock. journal_mode is set by writable connections: WAL for a
    unit's database; DELETE for one that mode=ro readers open beside a writer
    (a mode=ro reader of a WAL file creates -wal and -shm files).
    """
    path = Path(path)
    if for_writing is None:
        for_writing = not read_only
    engine = create_engine("sqlite://",
                           creator=lambda: _connect(path, read_only, busy_timeout_ms,
                                                    journal_mode),
                           poolclass=QueuePool, pool_size=2, max_overflow=4)
    begin = "BEGIN IMMEDIATE" if for_writing and not read_only else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # noqa: ANN001
        connection.exec_driver_sql(begin)

    return engine


class Database:
    """One database file: a reading engine and, unless read-only, a writing one.

    Use `with db.read() as session` for queries and `with db.write() as session`
    for edits; each is one short transaction. A lock held by another program
    longer than the busy timeout comes out as DatabaseBusy, never as a raw
    "database is locked". db.write_retrying(work) also retries the whole unit.
    """

    def __init__(self, path: Path, *, read_only: bool = False,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS, journal_mode: str = "WAL") -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            refuse_in_read_only(WriteKind.DATABASE, self.path)
        self.reader = make_engine(self.path, read_only=read_only, for_writing=False,
                                  busy_timeout_ms=busy_timeout_ms, journal_mode=journal_mode)
        self.writer = None if read_only else make_engine(
            self.path, for_writing=True, busy_timeout_ms=busy_timeout_ms,
            journal_mode=journal_mode)

    def read(self):  # noqa: ANN201 - a context manager of Session
        return self._scope(self.reader)

    def write(self):  # noqa: ANN201
        if self.writer is None:
            raise ReadOnlyDatabase(str(self.path))
        return self._scope(self.writer)

    @contextmanager
    def _scope(self, engine: Engine) -> Iterator[Session]:
        try:
            with session_scope(engine) as session:
                yield session
        except OperationalError as error:
            if is_busy_error(error):
                raise DatabaseBusy(self.path) from error
            raise

    def write_retrying(self, work: Callable[[Session], T], *,
                       attempts: int = WRITE_ATTEMPTS,
                       backoff_s: float = WRITE_RETRY_BACKOFF_S) -> T:
        """Run work(session) in one write transaction and return its result. If the
        database stays locked (another window is saving), the whole unit is tried
        again, up to `attempts` times with a growing pause, then DatabaseBusy.
        work must only touch the database (it may run more than once)."""
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as session:
                    return work(session)
            except DatabaseBusy:
                if attempt == attempts:
                    raise
                time.sleep(backoff_s * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

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
