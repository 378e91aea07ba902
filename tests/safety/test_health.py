"""The startup check: a damaged database is found before anything writes to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.errors import DatabaseDamaged, DatabaseTooNew
from store.migrations import open_database
from store.safety import check_database
from store.vocab import SCHEMA_VERSION

from .conftest import file_state


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flipped_page_type":
        # The b-tree page type byte of page 3: SQLite has no page checksums, so a
        # changed letter inside a text is undetectable; a structural byte is not.
        data[2 * 4096] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "not_sqlite":
        path.write_bytes(b"PK\x03\x04 this is a zip renamed .db" * 100)
    elif how == "header_only":
        path.write_bytes(bytes(data[:60]))


def _checkpointed(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()


@pytest.mark.parametrize(("how", "problem"), [
    ("flipped_page_type", "corrupt"), ("truncated", "truncated"), ("empty", "empty"),
    ("not_sqlite", "not_sqlite"), ("header_only", "truncated")])
def test_damage_is_found_and_nothing_is_written(live_db: Path, how: str, problem: str) -> None:
    _checkpointed(live_db)
    _damage(live_db, how)
    before = file_state(live_db)
    health = check_database(live_db)
    assert health.problem == problem and health.damaged
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(live_db, backups_dir=live_db.parent / "backups")
    assert caught.value.problem == problem
    with pytest.raises(DatabaseDamaged):
        open_database(live_db, read_only=True)
    assert file_state(live_db) == before


def test_a_healthy_database_passes(live_db: Path) -> None:
    health = check_database(live_db, thorough=True)
    assert health.ok and health.user_version == SCHEMA_VERSION and not health.fresh


def test_another_programs_database_is_not_ours(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY)")
    connection.close()
    assert check_database(other).problem == "not_cchc"
    with pytest.raises(DatabaseDamaged):
        open_database(other)


def test_a_newer_schema_is_refused_untouched(live_db: Path) -> None:
    connection = sqlite3.connect(live_db)
    connection.execute("PRAGMA user_version=99")
    connection.close()
    before = file_state(live_db)
    with pytest.raises(DatabaseTooNew):
        open_database(live_db)
    assert file_state(live_db) == before


def test_a_new_empty_file_from_sqlite_counts_as_fresh(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    sqlite3.connect(fresh).execute("PRAGMA user_version=0").close()
    # sqlite3 creates the file lazily: a 0-byte file is 'empty', not fresh
    assert check_database(fresh).problem in ("empty", None)
    connection = sqlite3.connect(fresh)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    assert check_database(fresh).ok and check_database(fresh).fresh
    open_database(fresh).dispose()
    assert check_database(fresh).user_version == SCHEMA_VERSION
