"""A process killed in the middle of a write leaves a rollback journal; the next
start lets SQLite roll it back and opens the data: it is never called damaged.

Two writes that use a rollback journal: a small receive into the review database
(journal_mode=DELETE, as every receive from the app and every batch under
POOL_THRESHOLD files), and the first creation of a database.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import shutil
import time
from pathlib import Path

import pytest

from store.errors import DatabaseNeedsRecovery
from tests.conftest import FIXED_TODAY
from tests.review import factory

from .killing import kill_after, needs_fork, run_to_end, start

KILLS = 30
# A fast machine finishes a commit before many kills land: the receive loop goes on
# (up to MAX_KILLS) until this many kills fell inside a write.
HOT_JOURNALS_WANTED = 8
MAX_KILLS = 120
BATCH = 6  # under POOL_THRESHOLD: written in journal_mode=DELETE


def _inbox(folder: Path, first: int, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(first, first + count):
        bundle = factory.signed(factory.bundle_of(index, FIXED_TODAY))
        path = folder / factory.file_name(bundle)
        path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def _receive(path: Path, files: list[Path], backups: Path, done) -> None:  # noqa: ANN001
    from store.review.receiving import receive_into

    def counted(_index: int, _path: Path, _result) -> None:  # noqa: ANN001
        done.value += 1

    receive_into(path, files, backups_dir=backups, processes=1, on_result=counted)


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _journal_armed(journal: Path) -> bool:
    try:
        with open(journal, "rb") as handle:
            return handle.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def _is_hot(path: Path) -> bool:
    """Whether a read-only reader finds a write it must roll back and cannot (what
    the start-up check used to call corrupt)."""
    import sqlite3

    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError as error:
        return getattr(error, "sqlite_errorcode", None) == 776  # SQLITE_READONLY_ROLLBACK
    finally:
        connection.close()
    return False


def _restart_review(path: Path, backups: Path) -> int:
    """What `cchc review` does on its next start: make the file ready for viewers,
    open it read-only and read its overview. Returns the units it shows."""
    from contextlib import closing

    from store.review import ensure_review_database, open_overview_connection, \
        open_review_read_only
    from store.review.overview import unit_overview

    ensure_review_database(path, backups)
    db = open_review_read_only(path)
    db.dispose()
    with closing(open_overview_connection(path)) as connection:
        return len(unit_overview(connection, FIXED_TODAY))


@needs_fork
def test_a_kill_during_a_small_receive_never_makes_the_review_damaged(tmp_path: Path) -> None:
    from store.review.receiving import POOL_THRESHOLD, receive_into
    from sqlalchemy.orm import configure_mappers

    assert BATCH < POOL_THRESHOLD
    base = tmp_path / "base.db"
    receive_into(base, _inbox(tmp_path / "first", 1, 3), processes=1)
    files = _inbox(tmp_path / "inbox", 10, BATCH)
    path, backups = tmp_path / "review.db", tmp_path / "backups"
    configure_mappers()
    chooser = random.Random(11)
    hot_journals, shown, kills = 0, set(), 0
    while kills < KILLS or (hot_journals < HOT_JOURNALS_WANTED and kills < MAX_KILLS):
        kills += 1
        for leftover in (path, Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(base, path)
        done = multiprocessing.get_context("fork").Value("i", 0, lock=False)
        child = start(_receive, path, files, backups, done)
        # A kill point in bundles received, then (most runs) the moment that bundle's
        # commit has made its journal hot (SQLite writes the journal's magic number
        # only once its pages are synced, just before it changes the file), and a
        # little later: a slow machine moves the point, not what the test sees.
        kill_at = chooser.randrange(0, BATCH)
        in_the_commit = chooser.random() < 0.8
        journal = Path(f"{path}-journal")
        deadline = time.monotonic() + 30
        while child.is_alive() and time.monotonic() < deadline and (
                done.value < kill_at or (in_the_commit and not _journal_armed(journal))):
            time.sleep(0.0001)
        kill_after(child, chooser.uniform(0.0, 0.002))
        hot_journals += _is_hot(path)
        units = _restart_review(path, backups)  # raises if called damaged
        assert 3 <= units <= 3 + BATCH
        shown.add(units)
    print(f"kills that left a hot journal: {hot_journals}/{kills}; "
          f"units seen after the restart: {sorted(shown)}")
    assert hot_journals >= HOT_JOURNALS_WANTED  # the kills did fall inside writes


def _create(path: Path) -> None:
    from store.migrations import open_database

    open_database(path).dispose()


def _time_to_create(folder: Path) -> float:
    """How long a forked child takes to create a database, start to end."""
    _create(folder / "warm.db")  # imports and mappers, which the forked children inherit
    started = time.monotonic()
    assert run_to_end(start(_create, folder / "timed.db")) == 0
    return time.monotonic() - started


@needs_fork
def test_a_kill_during_the_first_creation_never_leaves_a_damaged_database(
        tmp_path: Path) -> None:
    from store.migrations import open_database
    from store.safe_write import is_temp_name
    from store.safety import check_database, clean_leftover_temp_files
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    folder = tmp_path / "data"
    folder.mkdir()
    duration = _time_to_create(tmp_path)
    chooser = random.Random(5)
    outcomes = {"absent": 0, "made": 0}
    temp_files = 0
    for _run in range(KILLS):
        for leftover in folder.iterdir():
            leftover.unlink()
        path = folder / "cchc.db"
        child = start(_create, path)
        kill_after(child, chooser.uniform(0.0, duration * 1.2))
        outcomes["made" if path.exists() else "absent"] += 1
        # Only the whole file or nothing under the real name; a half-made one is the
        # app's own temp file, which the next start removes.
        assert all(p.name in ("cchc.db", "cchc.db-wal", "cchc.db-shm", "cchc.db-journal")
                   or is_temp_name(p.name) for p in folder.iterdir())
        temp_files += any(is_temp_name(p.name) for p in folder.iterdir())
        if path.exists():
            assert check_database(path).ok
        open_database(path).dispose()  # the restart: opens, creating it if need be
        assert check_database(path, thorough=True).ok
        clean_leftover_temp_files([folder], min_age_seconds=0)
        assert [p.name for p in folder.iterdir() if not p.name.startswith("cchc.db")] == []
    print(f"creation took {duration * 1000:.0f} ms; after the kill: {outcomes}, "
          f"a temp file left {temp_files} times")
    assert temp_files >= 5 and outcomes["absent"] >= 5 and outcomes["made"] >= 3


def _hot_journal(path: Path) -> None:
    """Leave path with a hot journal: a write killed after the journal was written."""
    import os
    import signal

    from store.connect import connect

    connection = connect(path)
    connection.execute("PRAGMA cache_size=1")  # the change spills into the file
    connection.execute("BEGIN")
    connection.execute("UPDATE task SET detail = 'half-done ' || hex(randomblob(400))")
    os.kill(os.getpid(), signal.SIGKILL)


@needs_fork
def test_a_cut_off_write_is_rolled_back_before_the_check(live_db: Path) -> None:
    from store.migrations import open_database
    from store.safety import check_database

    _make_delete_mode(live_db)
    before = _details(live_db)
    child = start(_hot_journal, live_db)
    child.join(30)
    assert Path(f"{live_db}-journal").stat().st_size > 0
    assert check_database(live_db).ok
    assert not Path(f"{live_db}-journal").exists()
    assert _details(live_db) == before
    open_database(live_db).dispose()


@needs_fork
def test_read_only_mode_says_a_cut_off_write_needs_one_writable_open(live_db: Path) -> None:
    from store import mode
    from store.migrations import open_database
    from store.safety import check_database

    from .conftest import file_state

    _make_delete_mode(live_db)
    child = start(_hot_journal, live_db)
    child.join(30)
    journal = Path(f"{live_db}-journal")
    journal_bytes, before = journal.read_bytes(), file_state(live_db)
    mode.set_read_only(True, [live_db.parent])
    assert check_database(live_db).problem == "needs_recovery"
    with pytest.raises(DatabaseNeedsRecovery):
        open_database(live_db, read_only=True)
    assert journal.read_bytes() == journal_bytes and file_state(live_db)[:2] == before[:2]
    mode.set_read_only(False)
    assert check_database(live_db).ok and not journal.exists()


def _make_delete_mode(path: Path) -> None:
    from store.connect import connect

    connection = connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()


def _details(path: Path) -> list[str]:
    from store.connect import connect

    connection = connect(path, read_only=True)
    try:
        return [row[0] for row in connection.execute("SELECT detail FROM task ORDER BY id")]
    finally:
        connection.close()

