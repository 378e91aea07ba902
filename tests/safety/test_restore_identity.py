"""A restore puts back a copy of the same database: never a review database over a
unit's (or the other way round), never another unit's data (issue 11 item 7)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store.backup import DatabaseIdentity, database_identity, restore_backup, take_backup
from store.demo import DEMO_UNIT, seed_demo
from store.errors import BackupRefused
from store.paths import resolve
from store.vocab import DatabaseKind, RestoreMismatch
from tui.i18n import set_language
from tui.words.backup import DATABASE_KIND, RESTORE_REFUSAL, backup_refused

from tests.review.conftest import build_review_db, review_bundles
from tests.tui.test_words import _assert_worded, _literal_values

from .conftest import file_state

ROOT = Path(__file__).resolve().parents[2]
DEMO = (DEMO_UNIT["code"], DEMO_UNIT["name"])


def _other_unit_db(path: Path) -> Path:
    seed_demo(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE unit SET code = '29999', name = 'Xã Khác'")
    return path


def _folder_state(folder: Path) -> list[str]:
    """The files in folder, but the -shm and empty -wal files SQLite makes to read a WAL
    database (conftest.file_state says why)."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith("-shm")
                  and not (p.name.endswith("-wal") and p.stat().st_size == 0))


def _refused(backup: Path, live_db: Path, backups_dir: Path, **kwargs: object) -> BackupRefused:
    before = file_state(live_db), _folder_state(backups_dir), _folder_state(live_db.parent)
    with pytest.raises(BackupRefused) as refused:
        restore_backup(backup, live_db, backups_dir, **kwargs)
    assert (file_state(live_db), _folder_state(backups_dir),
            _folder_state(live_db.parent)) == before
    return refused.value


def test_the_identity_tells_a_unit_from_a_review(live_db: Path, tmp_path: Path) -> None:
    review = build_review_db(tmp_path / "review.db", review_bundles())
    assert database_identity(live_db) == DatabaseIdentity(DatabaseKind.UNIT, (DEMO,))
    found = database_identity(review)
    assert found.kind == DatabaseKind.REVIEW and len(found.units) == 6
    empty = tmp_path / "empty.db"
    from store.migrations import open_database

    open_database(empty).dispose()
    assert database_identity(empty) == DatabaseIdentity(None, ())


def test_a_review_copy_is_not_restored_over_a_units_database(live_db: Path, locations,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    review = build_review_db(tmp_path / "review-copy.db", review_bundles())
    for kwargs in ({"kind": DatabaseKind.UNIT, "unit_code": DEMO[0]}, {}):
        error = _refused(review, live_db, locations.backups_dir, **kwargs)
        assert error.problem == RestoreMismatch.OTHER_KIND
        assert error.found.kind == DatabaseKind.REVIEW and error.expected.kind == DatabaseKind.UNIT
    sentence = backup_refused(error)
    assert "cơ sở dữ liệu xem xét của cấp trên" in sentence
    assert "cơ sở dữ liệu riêng của một đơn vị" in sentence
    assert "Không có gì bị thay đổi." in sentence
    set_language("en")
    sentence = backup_refused(error)
    assert "a supervisor's review database" in sentence and "a unit's own database" in sentence


def test_a_units_backup_is_not_restored_over_a_review(locations, tmp_path: Path) -> None:  # noqa: ANN001
    review = build_review_db(locations.review_db_path, review_bundles())
    unit_copy = tmp_path / "unit.db"
    seed_demo(unit_copy)
    for kwargs in ({"kind": DatabaseKind.REVIEW}, {}):
        error = _refused(unit_copy, review, locations.backups_dir, **kwargs)
        assert error.problem == RestoreMismatch.OTHER_KIND
        assert error.found.kind == DatabaseKind.UNIT


def test_another_units_database_is_refused_naming_both(live_db: Path, locations,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    other = _other_unit_db(tmp_path / "other.db")
    for kwargs in ({"kind": DatabaseKind.UNIT, "unit_code": DEMO[0]}, {}):
        error = _refused(other, live_db, locations.backups_dir, **kwargs)
        assert error.problem == RestoreMismatch.OTHER_UNIT
    sentence = backup_refused(error)
    assert "Xã Khác (29999)" in sentence and "Phường 1 (DEMO-30316)" in sentence
    # The configured unit decides when the current database cannot tell (damaged).
    live_db.write_bytes(b"")
    error = _refused(other, live_db, locations.backups_dir, kind=DatabaseKind.UNIT,
                     unit_code=DEMO[0])
    assert error.problem == RestoreMismatch.OTHER_UNIT
    assert "DEMO-30316" in backup_refused(error)


def test_the_units_own_backup_and_an_empty_one_are_restored(live_db: Path, locations,  # noqa: ANN001
                                                            tmp_path: Path) -> None:
    backup = take_backup(live_db, locations.backups_dir, "manual")
    restore_backup(backup, live_db, locations.backups_dir, kind=DatabaseKind.UNIT,
                   unit_code=DEMO[0])
    from store.migrations import open_database

    empty = tmp_path / "empty.db"
    open_database(empty).dispose()
    with sqlite3.connect(empty) as connection:  # a CCHC database holding nothing yet
        assert connection.execute("SELECT COUNT(*) FROM unit").fetchone() == (0,)
    restore_backup(empty, live_db, locations.backups_dir, kind=DatabaseKind.UNIT,
                   unit_code=DEMO[0])
    assert database_identity(live_db).kind is None


def test_every_mismatch_and_kind_has_words() -> None:
    _assert_worded(RESTORE_REFUSAL, _literal_values(RestoreMismatch), lambda code: backup_refused(
        BackupRefused(Path("/b.db"), code, "X", DatabaseIdentity(DatabaseKind.REVIEW,
                                                                  (("1", "A"),)),
                      DatabaseIdentity(DatabaseKind.UNIT, (("2", "B"),)))))
    _assert_worded(DATABASE_KIND, _literal_values(DatabaseKind),
                   lambda kind: DATABASE_KIND[kind]())


def test_cchc_restore_of_a_review_copy_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    review = build_review_db(tmp_path / "review.db", review_bundles())
    copy = tmp_path / "review-copy.db"
    shutil.copyfile(review, copy)
    before = file_state(locations.db_path), _folder_state(locations.backups_dir)
    env = {**os.environ, "CCHC_DATA_DIR": str(data_dir)}
    done = subprocess.run([sys.executable, "-m", "tui", "--demo", "restore", str(copy)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert "cơ sở dữ liệu xem xét của cấp trên" in done.stderr
    assert (file_state(locations.db_path), _folder_state(locations.backups_dir)) == before
