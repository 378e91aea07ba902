"""Backups: taken with the backup API, rotated, checked, restored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import vocab
from store.backup import (backup_before_event, check_backup, list_backups, newest_good_backup,
                          restore_backup, rotate_backups, take_backup, take_daily_backup)
from store.connect import connect
from store.errors import BackupRefused, DatabaseBusy
from store.migrations import open_database
from store.safety import check_database

from .conftest import file_state, task_table


def _edit_every_task(db_path: Path, detail: str) -> None:
    from sqlalchemy import select

    from store.models import Task
    from store.write.tasks import update_task

    db = open_database(db_path)
    try:
        with db.write() as session:
            for task_id in session.execute(select(Task.id)).scalars().all():
                update_task(session, task_id, {"detail": detail}, by="test")
    finally:
        db.dispose()


def test_restore_brings_back_the_content_and_keeps_the_current(live_db: Path,
                                                                locations) -> None:  # noqa: ANN001
    saved = task_table(live_db)
    backup = take_backup(live_db, locations.backups_dir, "manual")
    _edit_every_task(live_db, "changed after the backup")
    changed = task_table(live_db)
    assert changed != saved
    result = restore_backup(backup, live_db, locations.backups_dir)
    assert task_table(live_db) == saved
    assert check_database(live_db, thorough=True).ok
    assert result.previous_kept_at is not None and "before-restore" in result.previous_kept_at.name
    assert task_table(result.previous_kept_at) == changed
    # the restored database opens and migrates like any other
    open_database(live_db).dispose()


def test_a_backup_is_one_self_contained_file(live_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb-stick"
    backup = take_backup(live_db, out, "manual")
    assert sorted(p.name for p in out.iterdir()) == [backup.name]
    connection = connect(backup, read_only=True)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    assert task_table(backup) == task_table(live_db)


@pytest.mark.parametrize("damage", ["corrupt", "not_sqlite", "not_cchc", "too_new", "empty"])
def test_a_bad_backup_is_refused_and_nothing_changes(live_db: Path, locations,  # noqa: ANN001
                                                     tmp_path: Path, damage: str) -> None:
    bad = take_backup(live_db, tmp_path / "offered", "manual")
    connection = sqlite3.connect(bad)
    if damage == "not_cchc":
        connection.execute("DROP TABLE change")
    elif damage == "too_new":
        connection.execute("PRAGMA user_version=99")
    connection.close()
    if damage == "corrupt":
        data = bytearray(bad.read_bytes())
        data[3 * 4096] ^= 0xFF
        bad.write_bytes(bytes(data))
    elif damage == "not_sqlite":
        bad.write_bytes(b"\xff" * 8192)
    elif damage == "empty":
        bad.write_bytes(b"")
    before_db, before_backups = file_state(live_db), sorted(locations.backups_dir.iterdir())
    with pytest.raises(BackupRefused) as caught:
        restore_backup(bad, live_db, locations.backups_dir)
    assert caught.value.problem == damage
    assert file_state(live_db) == before_db
    assert sorted(locations.backups_dir.iterdir()) == before_backups


def test_restore_over_a_damaged_database_sets_it_aside_whole(live_db: Path,
                                                             locations) -> None:  # noqa: ANN001
    saved = task_table(live_db)
    backup = take_backup(live_db, locations.backups_dir, "manual")
    damaged_bytes = b"not a database any more" * 50
    live_db.write_bytes(damaged_bytes)
    wal = live_db.with_name("cchc.db-wal")
    wal.write_bytes(b"wal content that belongs to the damaged file")
    result = restore_backup(backup, live_db, locations.backups_dir)
    assert task_table(live_db) == saved
    kept = result.previous_kept_at
    assert kept is not None and kept.name.endswith("-damaged.db")
    assert kept.read_bytes() == damaged_bytes
    assert kept.with_name(kept.name + "-wal").read_bytes().startswith(b"wal content")
    assert newest_good_backup(locations.backups_dir, "cchc").path == backup


def test_restore_waits_then_reports_a_busy_database(live_db: Path, locations,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    backup = take_backup(live_db, locations.backups_dir, "manual")
    monkeypatch.setattr(vocab, "BUSY_TIMEOUT_S", 0.1)
    holder = sqlite3.connect(live_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy):
            restore_backup(backup, live_db, locations.backups_dir)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_daily_backup_once_a_day_and_rotation_keeps_the_last_n(
        live_db: Path, locations, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    folder = locations.backups_dir
    manual = take_backup(live_db, folder, "manual")
    for day in range(1, 13):
        monkeypatch.setenv("CCHC_TODAY", f"2026-11-{day:02d}")
        assert take_daily_backup(live_db, folder, keep_daily=7, keep_events=5) is not None
        assert take_daily_backup(live_db, folder, keep_daily=7, keep_events=5) is None
        backup_before_event(live_db, folder, "receive", keep_events=5)
    daily = [b for b in list_backups(folder, "cchc") if b.kind == "daily"]
    events = [b for b in list_backups(folder, "cchc") if b.kind == "event"]
    assert [b.taken_at.day for b in daily] == [12, 11, 10, 9, 8, 7, 6]
    assert [b.taken_at.day for b in events] == [12, 11, 10, 9, 8]
    assert manual.exists()
    assert rotate_backups(folder, "cchc", keep_daily=2, keep_events=0) != []
    kinds = [b.kind for b in list_backups(folder, "cchc")]
    assert kinds.count("daily") == 2 and kinds.count("event") == 1 and kinds.count("manual") == 1


def test_same_second_backups_get_distinct_names_in_order(live_db: Path,
                                                         locations) -> None:  # noqa: ANN001
    made = [backup_before_event(live_db, locations.backups_dir, "receive") for _ in range(3)]
    assert len(set(made)) == 3
    assert [b.path for b in list_backups(locations.backups_dir, "cchc")] == made[::-1]


def test_a_migration_takes_an_event_backup_first(live_db: Path, locations,  # noqa: ANN001
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from store import migrations

    saved = task_table(live_db)
    latest = vocab.SCHEMA_VERSION
    monkeypatch.setattr(vocab, "SCHEMA_VERSION", latest + 1)
    monkeypatch.setitem(migrations.STEPS, latest, lambda connection: None)
    open_database(live_db, backups_dir=locations.backups_dir).dispose()
    [made] = list_backups(locations.backups_dir, "cchc")
    assert (made.kind, made.reason) == ("event", f"migration-v{latest}-v{latest + 1}")
    assert check_backup(made.path).user_version == latest
    assert task_table(made.path) == saved


def test_the_backups_of_other_databases_are_not_listed(live_db: Path, locations) -> None:  # noqa: ANN001
    take_backup(live_db, locations.backups_dir, "manual")
    (locations.backups_dir / "review-20261120-090000-daily.db").write_bytes(b"x")
    (locations.backups_dir / "from-my-stick.db").write_bytes(b"x")
    listed = {b.path.name: b.kind for b in list_backups(locations.backups_dir, "cchc")}
    assert "review-20261120-090000-daily.db" not in listed
    assert listed["from-my-stick.db"] == "other"
