"""Two instances on one database: no lost update, no 'database is locked'."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from store.db import Database
from store.errors import DatabaseBusy, StaleEdit
from store.models import Change, Task
from store.write.tasks import update_task

from .killing import needs_fork, run_to_end, start

UPDATES_EACH = 500
TASK_ID = 1


def _count_up(path: Path, who: str, results) -> None:  # noqa: ANN001
    # Child: 500 times read the counter (in `detail`), then write counter + 1 with
    # the stamp it read; a StaleEdit means the other one wrote first: read again.
    db = Database(path)
    stale = 0
    for _ in range(UPDATES_EACH):
        while True:
            with db.read() as session:
                task = session.get(Task, TASK_ID)
                counter, seen = int(task.detail or 0), task.updated_at

            def write(session, counter=counter, seen=seen):  # noqa: ANN001, ANN202
                return update_task(session, TASK_ID, {"detail": str(counter + 1)}, by=who,
                                   expected_updated_at=seen)
            try:
                db.write_retrying(write)
                break
            except StaleEdit:
                stale += 1
    db.dispose()
    results.put((who, stale))


@needs_fork
def test_two_processes_update_the_same_task_500_times_each(live_db: Path) -> None:
    import multiprocessing

    with sqlite3.connect(live_db) as connection:
        connection.execute("UPDATE task SET detail = '0' WHERE id = ?", (TASK_ID,))
    results = multiprocessing.get_context("fork").SimpleQueue()
    children = [start(_count_up, live_db, who, results) for who in ("window-1", "window-2")]
    assert [run_to_end(child, timeout=120) for child in children] == [0, 0]
    stale = dict(results.get() for _ in children)
    db = Database(live_db)
    try:
        with db.read() as session:
            assert session.get(Task, TASK_ID).detail == str(2 * UPDATES_EACH)
            history = len(session.execute(select(Change.id).where(
                Change.task_id == TASK_ID, Change.field == "detail")).all())
    finally:
        db.dispose()
    assert history == 2 * UPDATES_EACH
    print(f"stale edits told and retried: {stale}")


def test_a_stale_edit_is_refused_and_nothing_written(live_db: Path) -> None:
    db = Database(live_db)
    try:
        with db.read() as session:
            seen = session.get(Task, TASK_ID).updated_at
        with db.write() as session:
            update_task(session, TASK_ID, {"detail": "first window"}, by="a",
                        expected_updated_at=seen)
        with pytest.raises(StaleEdit), db.write() as session:
            update_task(session, TASK_ID, {"detail": "second window"}, by="b",
                        expected_updated_at=seen)
        with db.read() as session:
            assert session.get(Task, TASK_ID).detail == "first window"
    finally:
        db.dispose()


def test_a_lock_held_too_long_is_retried_then_reported(live_db: Path) -> None:
    db = Database(live_db, busy_timeout_ms=50)
    holder = sqlite3.connect(live_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    attempts = 0

    def write(session) -> None:  # noqa: ANN001
        nonlocal attempts
        attempts += 1
        update_task(session, TASK_ID, {"detail": "blocked"}, by="a")
    try:
        with pytest.raises(DatabaseBusy):
            db.write_retrying(write, attempts=3, backoff_s=0.01)
        assert attempts == 3  # the whole unit of work was tried three times
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # a lock released while we back off: the retry goes through
    holder = sqlite3.connect(live_db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.15, lambda: holder.execute("ROLLBACK"))
    releaser.start()
    try:
        started = time.monotonic()
        db.write_retrying(write, attempts=5, backoff_s=0.05)
        assert time.monotonic() - started >= 0.1
    finally:
        releaser.join()
        holder.close()
        db.dispose()
    with sqlite3.connect(live_db) as connection:
        assert connection.execute("SELECT detail FROM task WHERE id = ?",
                                  (TASK_ID,)).fetchone() == ("blocked",)
