from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


@pytest.fixture
def live_db(locations) -> Path:  # noqa: ANN001
    """The unit's database (the demo commune) at its real place, closed."""
    from store.demo import seed_demo

    seed_demo(locations.db_path)
    return locations.db_path


def file_state(path: Path) -> tuple[str, int, bool]:
    """Content digest, mtime, and whether a rollback journal appeared: what 'not
    written' means. (A read-only connection to a WAL-mode file may create empty
    -wal/-shm files: SQLite needs them to read, and they hold nothing.)"""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    journal = path.with_name(path.name + "-journal").exists()
    return digest, path.stat().st_mtime_ns, journal


def task_table(path: Path) -> list[tuple]:
    from store.connect import connect

    connection = connect(path, read_only=True)
    try:
        return connection.execute(
            "SELECT uid, title, detail, owner, due, status, progress, result, done_on "
            "FROM task ORDER BY uid").fetchall()
    finally:
        connection.close()
