"""Evidence files on screen: k keeps a copy in the evidence store, o opens the file
(its copy once the original is gone), the task list marks a task whose file is
missing or changed, the start says how many; `cchc backup --out` carries the copies."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from tests.tui.pane_host import settle
from tests.tui.test_panes import demo_app
from tests.tui.test_workspace import until
from tui.widgets.task_rows import FILE_PROBLEM_MARK


def _record_scan(db, task_id: int, path: Path, size: int, sha256: str) -> None:  # noqa: ANN001
    """A large scan recorded as the task's evidence, with the size and digest given."""
    from store.write.evidence import FileFacts, add_evidence

    with db.write() as session:
        add_evidence(session, task_id, {"title": "Bản quét", "file": FileFacts(
            name="scan.pdf", size=size, path=str(path), sha256=sha256)}, by="Lan")


def _attach(db, tmp_path: Path, content: bytes = b"%PDF-1.4 bien ban") -> tuple[int, Path]:  # noqa: ANN001
    from store.models import Task
    from store.write.evidence import add_evidence, describe_file

    path = tmp_path / "bien-ban.pdf"
    path.write_bytes(content)
    with db.write() as session:
        task_id = session.execute(select(Task.id).where(Task.status == "todo")
                                  .order_by(Task.id)).scalars().first()
        add_evidence(session, task_id, {"title": "Biên bản kiểm tra",
                                        "file": describe_file(path)}, by="Lan")
    return task_id, path


def _notices(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]


async def _evidence_table(app, pilot, task_id: int):  # noqa: ANN001, ANN202
    app.screen.open_task(task_id)
    await until(pilot, lambda: type(app.screen).__name__ == "TaskScreen")
    await settle(app, pilot)
    table = app.screen.query_one("#evidence-table")
    table.focus()
    await pilot.pause()
    return table


async def test_k_keeps_a_copy_and_o_opens_it_once_the_file_is_gone(tmp_path: Path,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    opened: list[Path] = []
    monkeypatch.setattr("tui.documents.opener.open_with_system",
                        lambda path: opened.append(Path(path)))
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        task_id, path = _attach(app.workspace.db, tmp_path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        table = await _evidence_table(app, pilot, task_id)
        await pilot.press("o")
        assert opened == [path]
        await pilot.press("k")
        await settle(app, pilot)
        copy = app.workspace.evidence_dir / f"{sha}.pdf"
        assert copy.read_bytes() == path.read_bytes()
        assert any(n.startswith("Đã lưu bản sao của bien-ban.pdf") for n in _notices(app))
        assert "đã lưu bản sao" in str(table.row_at(0).cells[-1])
        path.unlink()
        app.screen.load()
        await pilot.pause()
        assert str(table.row_at(0).cells[-1]).startswith(f"{FILE_PROBLEM_MARK} bị mất: ")
        await pilot.press("o")
        assert opened == [path, copy]
        assert "Tệp bị mất hoặc đã thay đổi: mở bản sao đã lưu." in _notices(app)


async def test_a_changed_file_is_not_copied(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        task_id, path = _attach(app.workspace.db, tmp_path)
        path.write_bytes(b"another content")
        await _evidence_table(app, pilot, task_id)
        await pilot.press("k")
        await settle(app, pilot)
        assert any("không còn là tệp đã ghi nhận" in n for n in _notices(app))
        assert not app.workspace.evidence_dir.exists() or not any(
            app.workspace.evidence_dir.iterdir())


async def test_the_task_screen_is_usable_while_a_large_file_is_hashed(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A sparse 200 MB file recorded with another content's digest (same size: only
    its hash can tell it changed). Its hashing is held until the screen was used
    (o on it waits for the hash, o on the small file opens it at once); then the
    mark appears, the small file beside it stays unmarked, and o on the large one
    says it changed."""
    import threading

    import store.evidence_files as evidence_files
    from tui.screens.task_detail import file_state_words
    from tui.words.format import file_size

    size = 200 * 1024 * 1024
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.truncate(size)
    hashing, release = threading.Event(), threading.Event()
    real_digest = evidence_files.digest_file

    def held_digest(path: Path) -> tuple[str, int]:
        if path == big:
            hashing.set()
            assert release.wait(60)
        return real_digest(path)

    monkeypatch.setattr(evidence_files, "digest_file", held_digest)
    opened: list[Path] = []
    monkeypatch.setattr("tui.documents.opener.open_with_system",
                        lambda path: opened.append(Path(path)))
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        try:
            await settle(app, pilot)
            task_id, small = _attach(app.workspace.db, tmp_path)
            _record_scan(app.workspace.db, task_id, big, size,
                         hashlib.sha256(b"what was recorded").hexdigest())
            app.screen.open_task(task_id)
            await until(pilot, lambda: type(app.screen).__name__ == "TaskScreen")
            await until(pilot, hashing.is_set)
            screen = app.screen
            table = screen.query_one("#evidence-table")
            small_row = f"bien-ban.pdf ({file_size(17)})"
            assert [str(table.row_at(i).cells[-1]) for i in range(2)] == [
                small_row, f"scan.pdf ({file_size(size)})"]  # no mark yet
            table.focus()
            await pilot.press("down", "o")  # the large file: waits for its hash
            await pilot.press("up", "o")  # the small one: hashed already, opened
            assert opened == [small]
            await pilot.press("e")  # the screen answers keys meanwhile
            await until(pilot, lambda: type(app.screen).__name__ == "TaskForm")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen)
            assert FILE_PROBLEM_MARK not in str(table.row_at(1).cells[-1])
        finally:
            release.set()  # a failed check does not leave a worker waiting
        changed = f"{FILE_PROBLEM_MARK} {file_state_words(evidence_files.FILE_CHANGED)}: "
        await until(pilot, lambda: str(table.row_at(1).cells[-1]).startswith(changed))
        assert str(table.row_at(0).cells[-1]) == small_row
        assert FILE_PROBLEM_MARK in str(screen.query_one("#evidence-title").render())
        no_copy = f"Tệp {big} bị mất hoặc đã thay đổi"
        await until(pilot, lambda: any(n.startswith(no_copy) for n in _notices(app)))
        assert opened == [small]


async def test_k_copies_a_large_file_in_a_worker_and_the_screen_stays_usable(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A sparse 64 MiB file (unchanged since recorded). Its copy's reader is held
    after the first block until the screen was used: the copy is announced, the
    task's form opens and closes, a second k starts no second copy, nothing is
    under the copy's name yet; once released the copy is there and notified."""
    import threading

    import store.evidence_files as evidence_files

    size = 64 * 1024 * 1024
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.truncate(size)
    digest = hashlib.sha256()
    for _block in range(64):
        digest.update(bytes(1024 * 1024))
    sha = digest.hexdigest()
    reading, release = threading.Event(), threading.Event()
    opens: list[Path] = []
    real_open = evidence_files.open_regular

    class Held:
        def __init__(self, handle) -> None:  # noqa: ANN001
            self.handle, self.blocks = handle, 0

        def __enter__(self) -> Held:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def read(self, n: int = -1) -> bytes:
            assert 0 < n <= evidence_files.HASH_BLOCK_BYTES  # one block at a time
            self.blocks += 1
            if self.blocks == 2:
                reading.set()
                assert release.wait(60)
            return self.handle.read(n)

    def held_open(path, max_size=None):  # noqa: ANN001, ANN202
        opens.append(Path(path))
        return Held(real_open(path, max_size))

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        try:
            await settle(app, pilot)
            task_id, _small = _attach(app.workspace.db, tmp_path)
            _record_scan(app.workspace.db, task_id, big, size, sha)
            table = await _evidence_table(app, pilot, task_id)
            await until(pilot, lambda: app.workspace.evidence_files.known_state(
                str(big), sha, size) == evidence_files.FILE_OK)  # the screen's check done
            monkeypatch.setattr(evidence_files, "open_regular", held_open)  # k's reads only
            screen = app.screen
            await pilot.press("down", "k")
            await until(pilot, reading.is_set)
            assert "Đang lưu bản sao của scan.pdf…" in _notices(app)
            await pilot.press("e")  # the screen answers keys meanwhile
            await until(pilot, lambda: type(app.screen).__name__ == "TaskForm")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen)
            await pilot.press("k")  # already being copied
            await pilot.pause()
            assert opens == [big]
            assert evidence_files.kept_copy(app.workspace.evidence_dir, sha, "scan.pdf") is None
        finally:
            release.set()  # a failed check does not leave a worker waiting
        await until(pilot, lambda: any(n.startswith("Đã lưu bản sao của scan.pdf")
                                       for n in _notices(app)))
        copy = app.workspace.evidence_dir / f"{sha}.pdf"
        assert copy.stat().st_size == size
        assert [p.name for p in app.workspace.evidence_dir.iterdir()] == [copy.name]
        await until(pilot, lambda: "đã lưu bản sao" in str(table.row_at(1).cells[-1]))
        assert opens == [big]


async def test_the_list_marks_a_task_whose_file_is_missing_and_the_start_says_so(
        tmp_path: Path, data_dir: Path) -> None:
    from store.migrations import open_database
    from store.paths import resolve

    first = demo_app()  # writes the demo's database and settings
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(first, pilot)
    db = open_database(resolve(data_dir, demo=True).db_path)
    task_id, path = _attach(db, tmp_path)
    db.dispose()
    path.unlink()
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#task-table")

        def marked() -> list[object]:
            return [table.row_at(i).key for i in range(table.row_count)
                    if str(table.row_at(i).cells[1]).startswith(FILE_PROBLEM_MARK)]

        await until(pilot, lambda: marked() == [task_id])
        assert any(n.startswith("1 nhiệm vụ có tệp kiểm chứng bị mất hoặc đã thay đổi")
                   for n in _notices(app))


def test_backup_out_carries_the_evidence_copies(tmp_path: Path, data_dir: Path) -> None:
    from store.evidence_files import keep_copy
    from store.paths import resolve
    from tui.cli import main

    assert main(["--demo", "backup"]) == 0  # the demo's data folder exists
    source = tmp_path / "bb.pdf"
    source.write_bytes(b"bien ban")
    sha = hashlib.sha256(b"bien ban").hexdigest()
    keep_copy(source, resolve(data_dir, demo=True).evidence_dir, sha, "bb.pdf")
    stick = tmp_path / "stick"
    assert main(["--demo", "backup", "--out", str(stick)]) == 0
    assert (stick / "evidence" / f"{sha}.pdf").read_bytes() == b"bien ban"
    assert len(list(stick.glob("*.db"))) == 1
