"""A restore while windows are open (issue 11 item 1): the backup's content goes INTO
the live database, so every open window reads the restored data and its edits land
in the database everyone sees, never in a file moved away."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from store import vocab
from store.backup import restore_backup, take_backup
from store.db import Database
from store.demo import seed_demo
from store.migrations import open_database, upgrade_file
from store.models import Task
from store.paths import resolve
from store.vocab import DatabaseKind
from store.write.tasks import update_task
from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.backups import BackupsScreen

from tests.tui.test_workspace import Args, settle, until

from .conftest import task_table

ROOT = Path(__file__).resolve().parents[2]
RESTORED = "as in the backup"
LATER = "changed after the backup"


def _owners(path: Path) -> dict[int, str]:
    """What a third, plain sqlite3 connection reads."""
    connection = sqlite3.connect(path)
    try:
        return dict(connection.execute("SELECT id, owner FROM task"))
    finally:
        connection.close()


def _set_every_owner(path: Path, owner: str) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("UPDATE task SET owner = ?, updated_at = ?",
                               (owner, f"2026-11-2{1 if owner == RESTORED else 0} 01:00:00"))
    finally:
        connection.close()


def _demo_with_a_backup(data_dir: Path) -> tuple[Path, Path]:
    """The demo database, a backup where every owner is RESTORED, then every owner
    changed to LATER."""
    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    _set_every_owner(locations.db_path, RESTORED)
    backup = take_backup(locations.db_path, locations.backups_dir, "manual")
    _set_every_owner(locations.db_path, LATER)
    return locations.db_path, backup


def _open_deleted_database_files(db_path: Path) -> list[str]:
    """Files of this process that are the database (or its -wal/-shm) but were
    unlinked or replaced: what an edit after a file-replacing restore writes into."""
    found = []
    for descriptor in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{descriptor}")
        except OSError:
            continue
        if target.startswith(str(db_path)) and target.endswith("(deleted)"):
            found.append(target)
    return found


def _cchc(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CCHC_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


async def _edit_owner(app: CchcApp, pilot, owner: str) -> None:  # noqa: ANN001
    await pilot.press("e")
    await until(pilot, lambda: app.screen.__class__.__name__ == "TaskForm")
    app.screen.query_one("#f-owner", Input).value = owner
    await pilot.press("ctrl+s")
    await settle(app, pilot)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
async def test_cchc_restore_while_the_app_is_open_then_edit_in_the_app(data_dir: Path) -> None:
    db_path, backup = _demo_with_a_backup(data_dir)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#task-table")
        table.focus()
        task_id = table.cursor_key
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "TaskScreen")
        await pilot.press("e")
        await until(pilot, lambda: app.screen.__class__.__name__ == "TaskForm")
        app.screen.query_one("#f-owner", Input).value = "typed before the restore"

        restored = _cchc("--demo", "restore", str(backup), data_dir=data_dir)
        assert restored.returncode == 0, restored.stderr
        assert set(_owners(db_path).values()) == {RESTORED}

        # The form read the task before the restore: saving it now would undo the
        # restore for that task, so it is refused as changed elsewhere.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "TaskForm"
        assert _owners(db_path)[task_id] == RESTORED
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.__class__.__name__ == "TaskScreen")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.__class__.__name__ == "WorkspaceScreen")

        # Opened again, the task is read from the restored database, and saved into it.
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "TaskScreen")
        await _edit_owner(app, pilot, "Edited after the restore")
        assert app.screen.__class__.__name__ == "TaskScreen"
        assert _open_deleted_database_files(db_path) == []
    owners = _owners(db_path)
    assert owners.pop(task_id) == "Edited after the restore"
    assert set(owners.values()) == {RESTORED}


async def test_a_restore_in_the_app_reloads_it_and_another_window_edits_the_restored_data(
        data_dir: Path) -> None:
    db_path, backup = _demo_with_a_backup(data_dir)
    other_window = Database(db_path)  # another instance, its connections open
    with other_window.read() as session:
        assert session.get(Task, 2).owner == LATER
    app = CchcApp(make_context(Args()))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+b")
            await until(pilot, lambda: isinstance(app.screen, BackupsScreen))
            await settle(app, pilot)
            table = app.screen.query_one("#backups-table", DataTable)
            keys = [row.value for row in table.rows]
            table.move_cursor(row=keys.index(str(backup)))
            await pilot.press("r")
            await pilot.pause()
            await pilot.click("#confirm-yes")
            await until(pilot, lambda: app.screen.__class__.__name__ == "WorkspaceScreen")
            await settle(app, pilot)
            # This window shows the restored data: its panes read the database again.
            await until(pilot, lambda: app.workspace is not None)
            tasks = app.screen.query_one("#task-table")
            cells = {str(cell) for i in range(tasks.row_count) for cell in tasks.row_at(i).cells}
            assert RESTORED in cells and LATER not in cells

            # The other window reads the restored data, and its edit goes into it.
            with other_window.read() as session:
                task = session.get(Task, 2)
                assert task.owner == RESTORED
                seen = task.updated_at
            with other_window.write() as session:
                update_task(session, 2, {"owner": "other window, after"}, by="b",
                            expected_updated_at=seen)
            # ...and this window's next read sees that edit.
            with app.workspace.db.read() as session:
                assert session.get(Task, 2).owner == "other window, after"
    finally:
        other_window.dispose()
    owners = _owners(db_path)
    assert owners.pop(2) == "other window, after"
    assert set(owners.values()) == {RESTORED}


def test_an_older_backup_is_upgraded_on_a_copy_before_it_goes_live(
        live_db: Path, locations, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from store import migrations

    backup = take_backup(live_db, locations.backups_dir, "manual")
    backup_bytes = backup.read_bytes()
    saved = task_table(live_db)
    latest = vocab.SCHEMA_VERSION
    # This program is one schema newer than the backup and the live file.
    monkeypatch.setattr(vocab, "SCHEMA_VERSION", latest + 1)
    monkeypatch.setitem(migrations.STEPS, latest, lambda connection: connection.exec_driver_sql(
        "CREATE TABLE added_by_the_upgrade (x INTEGER)"))
    window = Database(live_db)  # open while the restore runs
    try:
        restore_backup(backup, live_db, locations.backups_dir, kind=DatabaseKind.UNIT,
                       upgrade=upgrade_file)
        with window.reader.connect() as connection:
            found = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
            tables = {row[0] for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        window.dispose()
    assert found == latest + 1 and "added_by_the_upgrade" in tables
    assert task_table(live_db) == saved
    assert backup.read_bytes() == backup_bytes  # the backup itself is left as it was
    assert not [p for p in locations.backups_dir.iterdir() if "restoring" in p.name]


def test_the_review_database_is_restored_into_the_open_file(locations) -> None:  # noqa: ANN001
    from store.review import open_review_read_only

    from tests.review.conftest import build_review_db, review_bundles

    review = build_review_db(locations.review_db_path, review_bundles()[:4])
    backup = take_backup(review, locations.backups_dir, "manual")
    build_review_db(review, review_bundles()[4:])  # more received after the backup
    viewer = open_review_read_only(review)  # the review screens, open
    try:
        with viewer.read() as session:
            assert session.execute(sqlite_count("receivedbundle")).scalar_one() == 9
        restore_backup(backup, review, locations.backups_dir, kind=DatabaseKind.REVIEW)
        with viewer.read() as session:
            assert session.execute(sqlite_count("receivedbundle")).scalar_one() == 4
    finally:
        viewer.dispose()
    # Still one self-contained file for the read-only viewers (no -wal beside it).
    assert not review.with_name(review.name + "-wal").exists()
    assert open_database(review, read_only=True) is not None


def sqlite_count(table: str):  # noqa: ANN201
    from sqlalchemy import text

    return text(f"SELECT COUNT(*) FROM {table}")


def test_an_upgrade_that_fails_changes_nothing(live_db: Path, locations,  # noqa: ANN001
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import file_state

    backup = take_backup(live_db, locations.backups_dir, "manual")
    before = file_state(live_db), sorted(p.name for p in locations.backups_dir.iterdir())
    monkeypatch.setattr(vocab, "SCHEMA_VERSION", vocab.SCHEMA_VERSION + 1)

    def disk_full(path: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        restore_backup(backup, live_db, locations.backups_dir, upgrade=disk_full)
    assert (file_state(live_db), sorted(p.name for p in locations.backups_dir.iterdir())) == before
