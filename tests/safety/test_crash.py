"""A killed process leaves the database as before or as after an edit, never half."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers

from store.connect import connect
from store.db import Database
from store.models import Task
from store.write.tasks import update_task

from .conftest import file_state
from .killing import die_now, kill_after, needs_fork, start

EXTRA_TASKS = 40
TASKS = 20 + EXTRA_TASKS  # the demo's 20 and the extra: one edit touches them all
PADDING = "x" * 500  # so that one transaction spans many WAL pages


@pytest.fixture
def prepared_db(live_db: Path) -> Path:
    """The demo commune grown to 300 tasks, each edit recording a Change row."""
    connection = sqlite3.connect(live_db, isolation_level=None)
    connection.execute("BEGIN")
    columns = [row[1] for row in connection.execute("PRAGMA table_info(task)")
               if row[1] not in ("id", "uid")]
    listed = ", ".join(columns)
    for number in range(EXTRA_TASKS):
        connection.execute(f"INSERT INTO task (uid, {listed}) SELECT ?, {listed} FROM task "
                           "ORDER BY id LIMIT 1", (f"extra-{number:04d}",))
    connection.execute("UPDATE task SET detail = 'gen-0', status = 'todo', progress = 0, "
                       "done_on = NULL")
    connection.execute("COMMIT")
    connection.close()
    return live_db


def _copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = connect(source, read_only=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def _edit_all_tasks_forever(path: Path, edits_done) -> None:  # noqa: ANN001
    # Child: generation after generation, one transaction sets every task's
    # detail to gen-N through the real edit path (update_task + history).
    # edits_done (shared memory) tells the parent how far it got.
    db = Database(path)
    generation = 0
    while True:
        generation += 1
        with db.write() as session:
            for task_id in session.execute(select(Task.id)).scalars().all():
                update_task(session, task_id, {"detail": f"gen-{generation} {PADDING}"},
                            by="child")
                edits_done.value += 1


@needs_fork
def test_sigkill_during_a_large_edit_leaves_all_or_none(prepared_db: Path,
                                                        tmp_path: Path) -> None:
    run_path = tmp_path / "run.db"
    chooser = random.Random(2026)
    generations_seen: list[int] = []
    started = time.monotonic()
    mid_transaction_kills = 0
    configure_mappers()  # once here, not in each child
    for _run in range(100):
        _copy(prepared_db, run_path)
        edits_done = multiprocessing.get_context("fork").Value("i", 0, lock=False)
        child = start(_edit_all_tasks_forever, run_path, edits_done)
        # Kill at a random point of the child's progress (counted in edits, not in
        # seconds, so a slow or loaded machine moves the kill point, not the outcome):
        # inside the first transaction or inside a later one.
        kill_at = chooser.randrange(1, 3 * TASKS)
        deadline = time.monotonic() + 30
        while edits_done.value < kill_at and time.monotonic() < deadline:
            time.sleep(0.0005)
        kill_after(child, chooser.uniform(0.0, 0.002))
        mid_transaction_kills += edits_done.value % TASKS != 0
        connection = sqlite3.connect(run_path)  # read-write: recovers the WAL
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            details = {row[0] for row in connection.execute("SELECT detail FROM task")}
            history = connection.execute(
                "SELECT count(*) FROM change WHERE field = 'detail'").fetchone()[0]
        finally:
            connection.close()
        assert len(details) == 1, details  # every task at the same generation
        generation = int(details.pop().split()[0].removeprefix("gen-"))
        assert history == generation * TASKS
        generations_seen.append(generation)
    print(f"kills inside a transaction: {mid_transaction_kills}/100; generations reached: "
          f"{sorted(set(generations_seen))}, took {time.monotonic() - started:.1f} s")
    # The kills fell inside transactions, in the first one and in later ones.
    assert mid_transaction_kills >= 50
    assert 0 in generations_seen and max(generations_seen) >= 1


def _edit_one_task_and_die(path: Path) -> None:
    db = Database(path)
    with db.write() as session:
        update_task(session, 1, {"detail": "committed, still in the WAL"}, by="child")
    die_now()  # the connection stays open: no checkpoint, the -wal stays


@needs_fork
def test_read_only_open_of_a_database_with_a_pending_wal(live_db: Path) -> None:
    from store.migrations import open_database
    from store.models import Task

    child = start(_edit_one_task_and_die, live_db)
    child.join(30)
    wal = live_db.with_name(live_db.name + "-wal")
    assert wal.stat().st_size > 0
    before, wal_bytes = file_state(live_db), wal.read_bytes()
    db = open_database(live_db, read_only=True)
    try:
        with db.read() as session:
            assert session.get(Task, 1).detail == "committed, still in the WAL"
    finally:
        db.dispose()
    assert file_state(live_db) == before
    assert wal.read_bytes() == wal_bytes  # never deleted, never checkpointed
