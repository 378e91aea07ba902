"""Evidence copies in the daily backups (issue 15, left-over 4): the backups folder
keeps an evidence store beside its backups, named by content, so a copy is written
once whatever the number of backups; a restore brings back the copies its database
records and the data folder's store lacks."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from store.backup import restore_backup, rotate_backups, take_backup, take_daily_backup
from store.evidence_files import copy_name, keep_copy
from store.migrations import open_database
from store.paths import EVIDENCE_DIR_NAME


def _attach_and_keep(db_path: Path, store: Path, folder: Path, name: str,
                     content: bytes) -> str:
    """Record a file as evidence of the first task and keep its copy; returns the
    copy's name in the store."""
    from store.models import Task
    from store.write.evidence import add_evidence, describe_file

    source = folder / name
    source.write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    db = open_database(db_path)
    try:
        with db.write() as session:
            task_id = session.execute(select(Task.id).order_by(Task.id)).scalars().first()
            add_evidence(session, task_id, {"title": name, "file": describe_file(source)},
                         by="Lan")
    finally:
        db.dispose()
    keep_copy(source, store, sha, name)
    return copy_name(sha, name)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_the_daily_backup_keeps_the_copies_once(live_db: Path, locations, tmp_path: Path,  # noqa: ANN001
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store, backups = locations.evidence_dir, locations.backups_dir
    first = _attach_and_keep(live_db, store, tmp_path, "bien-ban.pdf", b"%PDF bien ban")
    monkeypatch.setenv("CCHC_TODAY", "2026-11-20")
    assert take_daily_backup(live_db, backups, keep_daily=2, keep_events=2,
                             evidence_dir=store) is not None
    kept = backups / EVIDENCE_DIR_NAME
    assert _names(kept) == [first]
    assert (kept / first).read_bytes() == (store / first).read_bytes()
    written_at = (kept / first).stat().st_mtime_ns
    second = _attach_and_keep(live_db, store, tmp_path, "anh.jpg", b"\xff\xd8 anh")
    for day in ("2026-11-21", "2026-11-22", "2026-11-23"):
        monkeypatch.setenv("CCHC_TODAY", day)
        take_daily_backup(live_db, backups, keep_daily=2, keep_events=2, evidence_dir=store)
    # Three more backups: the new copy once, the unchanged one not written again, and
    # the rotation (two daily kept) leaves the store whole.
    assert _names(kept) == sorted([first, second])
    assert (kept / first).stat().st_mtime_ns == written_at
    assert rotate_backups(backups, "cchc", keep_daily=1, keep_events=1) != []
    assert _names(kept) == sorted([first, second])


def test_a_restore_brings_the_copies_back(live_db: Path, locations, tmp_path: Path) -> None:  # noqa: ANN001
    store, backups = locations.evidence_dir, locations.backups_dir
    name = _attach_and_keep(live_db, store, tmp_path, "bao-cao.docx", b"PK bao cao")
    backup = take_backup(live_db, backups, "manual", evidence_dir=store)
    content = (store / name).read_bytes()
    (store / name).unlink()  # lost with the data folder's store (a new disk)
    (store / "unrelated.pdf").write_bytes(b"not named by the database")
    result = restore_backup(backup, live_db, backups, evidence_dir=store)
    assert result.evidence_restored == 1
    assert (store / name).read_bytes() == content
    # Again: nothing lacks, nothing written; a restore without a store brings none.
    assert restore_backup(backup, live_db, backups, evidence_dir=store).evidence_restored == 0
    assert restore_backup(backup, live_db, backups).evidence_restored == 0


def test_a_damaged_copy_beside_the_backup_is_not_brought_back(live_db: Path, locations,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    store, backups = locations.evidence_dir, locations.backups_dir
    name = _attach_and_keep(live_db, store, tmp_path, "bb.pdf", b"%PDF bb")
    backup = take_backup(live_db, backups, "manual", evidence_dir=store)
    (store / name).unlink()
    (backups / EVIDENCE_DIR_NAME / name).write_bytes(b"rot")
    result = restore_backup(backup, live_db, backups, evidence_dir=store)
    assert result.evidence_restored == 0 and not (store / name).exists()
    assert result.previous_kept_at is not None  # the database's restore stands


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_copy_does_not_stop_the_daily_backup(live_db: Path, locations,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    store, backups = locations.evidence_dir, locations.backups_dir
    name = _attach_and_keep(live_db, store, tmp_path, "bb.pdf", b"%PDF bb")
    (store / name).chmod(0)
    try:
        assert take_daily_backup(live_db, backups, keep_daily=2, keep_events=2,
                                 evidence_dir=store) is not None
    finally:
        (store / name).chmod(0o600)
    assert _names(backups / EVIDENCE_DIR_NAME) == []


def test_the_app_start_backs_the_copies_up(live_db: Path, locations, tmp_path: Path) -> None:  # noqa: ANN001
    from tui.cli import make_context
    from tui.services.startup_checks import after_open_checks

    class Args:
        data_dir = None
        demo = False
        lang = None
        read_only = False

    context = make_context(Args())
    assert context.locations.db_path == live_db
    name = _attach_and_keep(live_db, context.locations.evidence_dir, tmp_path, "bb.pdf",
                            b"%PDF bb")
    assert after_open_checks(context) == []
    assert _names(context.locations.backups_dir / EVIDENCE_DIR_NAME) == [name]


def test_cchc_restore_says_the_copies_it_brought_back(data_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from store.demo import seed_demo
    from store.paths import resolve

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    name = _attach_and_keep(locations.db_path, locations.evidence_dir, tmp_path, "bb.pdf",
                            b"%PDF bien ban")
    stick = tmp_path / "USB"

    def cchc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tui", "--demo", *args],
                              cwd=Path(__file__).resolve().parents[2], capture_output=True,
                              text=True, timeout=60, env={**os.environ})

    assert cchc("backup", "--out", str(stick)).returncode == 0
    [backup] = stick.glob("cchc-*-manual.db")
    (locations.evidence_dir / name).unlink()
    restored = cchc("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Đã lấy lại 1 bản sao tài liệu kiểm chứng" in restored.stdout
    assert (locations.evidence_dir / name).read_bytes() == b"%PDF bien ban"
