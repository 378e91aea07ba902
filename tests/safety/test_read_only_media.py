"""A healthy database on read-only media (a write-protected stick, a read-only mount,
a folder with mode 555) opens for viewing and can be backed up elsewhere; it is
never called damaged.

Tests may run as root, whom chmod does not stop: the media is then played through
store.connect.folder_is_writable (the seam every write decision asks); a real
chmod test runs where it bites.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from store.paths import resolve
from tests.tui.test_app_start import Args
from tui.cli import main

from .test_read_only_session import tree_state


def _wal_database(data_dir: Path) -> Path:
    """The demo's database as a used one is: in WAL mode, closed (no -wal, -shm)."""
    from store.demo import seed_demo
    from store.migrations import open_database

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    open_database(locations.db_path).dispose()
    assert locations.db_path.read_bytes()[18] == 2  # WAL mode
    assert not Path(f"{locations.db_path}-wal").exists()
    return locations.db_path


@pytest.fixture
def read_only_media(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Path:
    """Everything under the data folder is on media that cannot be written."""
    import store.connect

    db_path = _wal_database(data_dir)
    main(["--demo", "key", "show"])  # the key made, the settings written
    media = data_dir.resolve()
    writable = store.connect.folder_is_writable
    monkeypatch.setattr(store.connect, "folder_is_writable", lambda folder: not (
        Path(folder).resolve() == media or media in Path(folder).resolve().parents)
        and writable(folder))
    return db_path


def test_a_healthy_database_on_read_only_media_is_healthy(read_only_media: Path) -> None:
    from store.migrations import open_database
    from store.models import Task
    from store.safety import check_database

    before = tree_state(read_only_media.parent)
    health = check_database(read_only_media, thorough=True)
    assert health.ok and not health.damaged
    db = open_database(read_only_media, read_only=True)
    try:
        with db.read() as session:
            assert session.get(Task, 1) is not None
    finally:
        db.dispose()
    assert tree_state(read_only_media.parent) == before  # no -wal, no -shm


def test_backup_elsewhere_from_read_only_media(read_only_media: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from store.backup import check_backup

    before = tree_state(read_only_media.parent)
    out = tmp_path / "other-drive"
    out.mkdir()
    assert main(["--demo", "backup", "--out", str(out)]) == 0
    copies = list(out.glob("cchc-*.db"))
    assert len(copies) == 1 and check_backup(copies[0]).ok
    assert (copies[0].with_suffix(".key")).exists()  # its key goes with it
    # Into the backups folder on the media: refused in words, nothing written.
    assert main(["--demo", "backup"]) == 1
    assert "chỉ xem" in capsys.readouterr().err.lower()
    assert tree_state(read_only_media.parent) == before


async def test_the_app_opens_read_only_media_for_viewing(read_only_media: Path) -> None:
    from textual.widgets import Static

    from tui.app import CchcApp
    from tui.cli import make_context
    from tui.screens.workspace import WorkspaceScreen

    before = tree_state(read_only_media.parent)
    context = make_context(Args(demo=True))
    assert context.read_only
    notices: list[str] = []
    app = CchcApp(context)
    original_notify = app.notify

    def remember(message: str, **kwargs: object) -> None:
        notices.append(message)
        original_notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = remember  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.workspace is not None and app.screen.workspace.db.read_only
        assert str(app.screen.query_one("#read-only-marker", Static).render()) == "CHỈ XEM"
        assert app.screen.query_one("#task-table").row_count > 0
    assert any("không ghi được vào thư mục dữ liệu" in n.lower() for n in notices), notices
    assert tree_state(read_only_media.parent) == before


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="chmod does not stop root (the seam tests above stand in)")
def test_a_folder_with_mode_555_and_a_file_with_mode_444(data_dir: Path, tmp_path: Path) -> None:
    from store.safety import check_database

    db_path = _wal_database(data_dir)
    folder = db_path.parent
    db_path.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = tree_state(folder)
        assert check_database(db_path).ok
        out = tmp_path / "copy"
        out.mkdir()
        assert main(["--demo", "backup", "--out", str(out)]) == 0
        assert tree_state(folder) == before
    finally:
        folder.chmod(0o755)
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)
