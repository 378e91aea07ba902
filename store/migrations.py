"""Schema versions in PRAGMA user_version.

A fresh file gets the whole schema and LATEST. An older file is backed up (backup
API) and then stepped forward, each step in one transaction. A file newer than this
code is refused, and a read-only open never migrates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from . import models  # noqa: F401 - registers the tables on SQLModel.metadata
from .db import Database

LATEST = 1

# version N -> the step that takes a database from N to N+1
STEPS: dict[int, Callable[[Connection], None]] = {}


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
    path: Path


def read_user_version(path: Path) -> int:
    connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()


def _has_tables(connection: Connection) -> bool:
    count = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type='table'").scalar_one()
    return count > 0


def migrate(db: Database, backups_dir: Path | None = None) -> int:
    """Bring the database to LATEST. Returns the version it was found at."""
    assert db.writer is not None, "migrate() needs a writable database"
    with db.writer.connect() as connection:
        found = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
        if found > LATEST:
            raise DatabaseTooNew(db.path, found, LATEST)
        if found == LATEST:
            return found
        fresh = found == 0 and not _has_tables(connection)
        connection.rollback()  # end the autobegun read before our own transaction
        if fresh:
            with connection.begin():
                SQLModel.metadata.create_all(connection)
                connection.exec_driver_sql(f"PRAGMA user_version={LATEST}")
            return found
    if backups_dir is not None:
        from .backup import backup_database
        from .clock import now_local

        stamp = now_local().strftime("%Y%m%d-%H%M%S")
        backup_database(db.path, backups_dir / f"cchc-{stamp}-before-v{found}-to-v{LATEST}.db")
    with db.writer.connect() as connection:
        for version in range(found, LATEST):
            with connection.begin():
                STEPS[version](connection)
                connection.exec_driver_sql(f"PRAGMA user_version={version + 1}")
    return found


def open_database(path: Path, *, read_only: bool = False,
                  backups_dir: Path | None = None) -> Database:
    """Open (and, when writable, create or migrate) a database file."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise DatabaseMissing(path)
        found = read_user_version(path)
        if found > LATEST:
            raise DatabaseTooNew(path, found, LATEST)
        if found < LATEST:
            raise DatabaseNeedsUpgrade(path, found, LATEST)
        return Database(path, read_only=True)
    if path.exists() and path.stat().st_size > 0:
        # Checked before a writable connection switches the file to WAL mode:
        # a newer database must stay byte-for-byte as it was.
        found = read_user_version(path)
        if found > LATEST:
            raise DatabaseTooNew(path, found, LATEST)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    try:
        migrate(db, backups_dir)
    except BaseException:
        db.dispose()
        raise
    return db


def table_names(db: Database) -> list[str]:
    with db.reader.connect() as connection:
        rows = connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"))
        return [row[0] for row in rows]
