"""What a user sees: a damaged database, the backups screen, the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable, Static

from store.backup import list_backups, take_backup
from store.demo import seed_demo
from store.paths import resolve
from store.safe_write import temp_name_for
from tui.app import CchcApp
from tui.cli import make_context, main
from tui.screens.backups import BackupsScreen, DamagedDatabaseScreen, offer_recovery

from tests.tui.test_app_start import Args

from .conftest import file_state, task_table

ROOT = Path(__file__).resolve().parents[2]


def _demo_with_a_backup(data_dir: Path) -> tuple[Path, Path]:
    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    backup = take_backup(locations.db_path, locations.backups_dir, "manual")
    return locations.db_path, backup


def _flip_page_type_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[2 * 4096] ^= 0xFF
    path.write_bytes(bytes(data))


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_a_damaged_database_is_explained_and_the_backup_restored(data_dir: Path) -> None:
    db_path, backup = _demo_with_a_backup(data_dir)
    saved = task_table(db_path)
    _flip_page_type_byte(db_path)
    damaged = file_state(db_path)
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, DamagedDatabaseScreen)
        message = str(app.screen.query_one("#damage-message", Static).render())
        assert "bị hỏng" in message and "Ứng dụng không ghi gì vào tệp này." in message
        assert "Bản sao lưu tốt gần nhất" in message
        table = app.screen.query_one("#backups-table", DataTable)
        assert str(table.get_row_at(table.cursor_row)[3]) == backup.name
        assert str(table.get_row_at(table.cursor_row)[0]).startswith("✓")
        assert file_state(db_path) == damaged  # looked at, never written
        await pilot.press("r")
        await pilot.pause()
        assert file_state(db_path) == damaged  # the question comes first
        await pilot.click("#confirm-yes")
        await _settle(app, pilot)
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        assert app.screen.query_one("#task-table").row_count == 20
    assert task_table(db_path) == saved
    kept = [b for b in list_backups(db_path.parent / "backups", "cchc") if b.kind == "damaged"]
    assert len(kept) == 1 and file_state(kept[0].path)[0] == damaged[0]


async def test_a_file_that_is_not_a_database_without_backups(data_dir: Path) -> None:
    locations = resolve(data_dir, demo=True).ensure()
    locations.db_path.write_bytes(b"%PDF-1.7 a letter saved under the wrong name")
    before = file_state(locations.db_path)
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, DamagedDatabaseScreen)
        message = str(app.screen.query_one("#damage-message", Static).render())
        assert "không phải là cơ sở dữ liệu" in message
        assert "Không tìm thấy bản sao lưu nào" in message
        await pilot.press("b")  # no 'back up now' for a damaged database
        await pilot.press("r")
        await _settle(app, pilot)
        assert isinstance(app.screen, DamagedDatabaseScreen)
    assert file_state(locations.db_path) == before
    assert list_backups(locations.backups_dir) == []


async def test_start_cleans_leftovers_takes_the_daily_backup_and_lists_it(data_dir: Path) -> None:
    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    leftover = temp_name_for(locations.data_dir / "cchc-30316-20261121-0003.json")
    leftover.write_bytes(b"{ half a bund")
    an_hour_ago = time.time() - 3600
    os.utime(leftover, (an_hour_ago, an_hour_ago))
    users_files = _users_lookalikes(locations.data_dir, an_hour_ago)
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        assert not leftover.exists()
        assert all(path.read_bytes() == b"mine" for path in users_files)
        assert [b.kind for b in list_backups(locations.backups_dir, "cchc")] == ["daily"]
        await pilot.press("ctrl+b")
        await _settle(app, pilot)
        assert isinstance(app.screen, BackupsScreen)
        table = app.screen.query_one("#backups-table", DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[1]) == "hằng ngày"
        await pilot.press("b")
        await _settle(app, pilot)
        assert table.row_count == 2
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
    kinds = sorted(b.kind for b in list_backups(locations.backups_dir, "cchc"))
    assert kinds == ["daily", "manual"]


def _users_lookalikes(folder: Path, when: float) -> list[Path]:
    """A user's own files whose names the start-up cleanup once took for its own."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name in ("draft.tmp", "video.mp4.partial", ".notes.txt.tmp-keep"):
        path = folder / name
        path.write_bytes(b"mine")
        os.utime(path, (when, when))
        made.append(path)
    return made


async def test_a_read_only_start_removes_nothing_in_either_folder(data_dir: Path,
                                                                 tmp_path: Path) -> None:
    from store.config import load_config, save_config

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    an_hour_ago = time.time() - 3600
    stick = tmp_path / "stick"
    config, _problem = load_config(locations.config_file)
    config.last_export_dir = str(stick)
    save_config(config, locations.config_file)
    ours = [temp_name_for(folder / "bundle.json") for folder in (locations.data_dir, stick)]
    kept = _users_lookalikes(locations.data_dir, an_hour_ago) + _users_lookalikes(
        stick, an_hour_ago)
    for path in ours:
        path.write_bytes(b"{ half")
        os.utime(path, (an_hour_ago, an_hour_ago))
    app = CchcApp(make_context(Args(demo=True, read_only=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
    # Not even the app's own: a read-only start deletes nothing.
    assert all(path.exists() for path in ours + kept)


def test_offer_recovery_ignores_other_errors() -> None:
    assert offer_recovery(object(), ValueError("not a damaged database")) is False


def _cchc(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CCHC_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_cli_backup_to_a_folder_and_restore(data_dir: Path, tmp_path: Path) -> None:
    stick = tmp_path / "USB"
    made = _cchc("--demo", "backup", "--out", str(stick), data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    assert "Đã sao lưu:" in made.stdout
    [backup] = stick.glob("cchc-*-manual.db")
    db_path = resolve(data_dir, demo=True).db_path
    saved = task_table(db_path)
    db_path.write_bytes(b"")  # emptied by a failed copy
    refused = _cchc("--demo", "backup", data_dir=data_dir)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "bị rỗng" in refused.stderr
    restored = _cchc("--demo", "restore", str(backup), data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert task_table(db_path) == saved
    bad = _cchc("--demo", "restore", str(ROOT / "pyproject.toml"), data_dir=data_dir)
    assert bad.returncode == 1 and "Không thể khôi phục" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_cli_in_process_says_no_database_yet(data_dir: Path, capsys) -> None:  # noqa: ANN001
    assert main(["backup"]) == 1
    assert "Chưa có cơ sở dữ liệu" in capsys.readouterr().err


def test_unsafe_storage_is_named_at_start(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    from store import safety as store_safety
    from store.safety import StorageRisk
    from tui.services.startup_checks import before_open_checks

    context = make_context(Args())
    share = StorageRisk(context.locations.data_dir, "network", "/mnt/office", "cifs")
    monkeypatch.setattr(store_safety, "storage_risk", lambda path: share)
    [warning] = before_open_checks(context)
    assert "ổ mạng dùng chung (cifs tại /mnt/office)" in warning
    monkeypatch.setattr(store_safety, "storage_risk", lambda path: None)
    assert before_open_checks(context) == []


def test_a_copy_cut_off_in_the_evidence_store_is_removed_at_start(
        data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    """A kill while k streamed a large file leaves its temp file in evidence/: the
    next start removes it (an old one: another instance's young one is left)."""
    from store import safety as store_safety
    from tui.services.startup_checks import before_open_checks

    context = make_context(Args())
    old = time.time() - 3600
    stores = [context.locations.evidence_dir, context.locations.backups_dir / "evidence"]
    left = []
    for evidence in stores:  # k's store, and the one beside the daily backups
        evidence.mkdir(parents=True)
        cut_off = temp_name_for(evidence / ("a" * 64 + ".pdf"))
        cut_off.write_bytes(b"half a scan")
        os.utime(cut_off, (old, old))
        (evidence / ("b" * 64 + ".pdf")).write_bytes(b"a kept copy")
        left.append(cut_off)
    monkeypatch.setattr(store_safety, "storage_risk", lambda path: None)
    assert before_open_checks(context) == []
    assert not any(cut_off.exists() for cut_off in left)
    assert [(e / ("b" * 64 + ".pdf")).read_bytes() for e in stores] == [b"a kept copy"] * 2
