"""Evidence files kept safe: a copy named by SHA-256 in the store, refused when the
file is no longer the one recorded; the state of a recorded file; the store carried
into a backup on another folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from store.errors import EditRefused
from store.evidence_files import (FILE_CHANGED, FILE_MISSING, FILE_OK, FileChecker, copy_name,
                                  copy_store, keep_copy, kept_copy, tasks_with_file_problems)


def _file(folder: Path, name: str, content: bytes) -> tuple[Path, str]:
    path = folder / name
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


def test_a_copy_is_named_by_its_digest_and_keeps_a_plain_extension(tmp_path: Path) -> None:
    source, sha = _file(tmp_path, "Biên bản.PDF", b"%PDF-1.4 bb")
    store = tmp_path / "evidence"
    kept = keep_copy(source, store, sha, source.name)
    assert kept == store / f"{sha}.pdf" and kept.read_bytes() == source.read_bytes()
    source.unlink()
    assert kept_copy(store, sha, "Biên bản.PDF") == kept
    assert keep_copy(source, store, sha, source.name) == kept  # already kept: no read
    assert copy_name(sha, "x.tar;rm -rf") == sha and copy_name(sha, None) == sha


def test_a_changed_or_missing_file_is_not_copied(tmp_path: Path) -> None:
    source, sha = _file(tmp_path, "bb.pdf", b"first")
    source.write_bytes(b"second")
    store = tmp_path / "evidence"
    with pytest.raises(EditRefused) as refused:
        keep_copy(source, store, sha, "bb.pdf")
    assert refused.value.code == "file_changed"
    with pytest.raises(EditRefused) as refused:
        keep_copy(tmp_path / "gone.pdf", store, sha, "gone.pdf")
    assert refused.value.code == "file_missing"
    assert not store.exists() or not any(store.iterdir())


class _Reads:
    """An open file that records each read's size; fail_after: raise OSError at
    that read (a stick pulled out midway), kill_after: end the process there."""

    def __init__(self, handle, reads: list[int], fail_after: int | None = None,  # noqa: ANN001
                 kill_after: int | None = None) -> None:
        self.handle, self.reads = handle, reads
        self.fail_after, self.kill_after = fail_after, kill_after

    def __enter__(self) -> _Reads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def read(self, n: int = -1) -> bytes:
        self.reads.append(n)
        if len(self.reads) == self.kill_after:
            import os

            os._exit(9)
        if len(self.reads) == self.fail_after:
            raise OSError(5, "Input/output error")
        return self.handle.read(n)


def _counting(monkeypatch, reads: list[int], **failing: int) -> None:  # noqa: ANN001
    import store.evidence_files as evidence_files

    real_open = evidence_files.open_regular
    monkeypatch.setattr(evidence_files, "open_regular", lambda path, max_size=None: _Reads(
        real_open(path, max_size), reads, **failing))
    monkeypatch.setattr(evidence_files, "HASH_BLOCK_BYTES", 4096)


def test_a_copy_streams_the_file_one_block_at_a_time(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    content = bytes(range(256)) * 200  # 51,200 bytes: 13 blocks of 4096
    source, sha = _file(tmp_path, "scan.pdf", content)
    reads: list[int] = []
    _counting(monkeypatch, reads)
    store = tmp_path / "evidence"
    kept = keep_copy(source, store, sha, source.name)
    assert kept.read_bytes() == content
    assert len(reads) == 14 and set(reads) == {4096}  # never the whole file at once
    assert [p.name for p in store.iterdir()] == [kept.name]  # no temp file left


def test_a_file_changed_meanwhile_is_refused_after_the_copy_and_nothing_is_kept(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    source, _sha = _file(tmp_path, "scan.pdf", b"x" * 20000)
    recorded = hashlib.sha256(b"y" * 20000).hexdigest()  # same size, other content
    reads: list[int] = []
    _counting(monkeypatch, reads)
    store = tmp_path / "evidence"
    with pytest.raises(EditRefused) as refused:
        keep_copy(source, store, recorded, source.name)
    assert refused.value.code == "file_changed"
    assert len(reads) == 6  # read to the end: only the whole digest can tell
    assert list(store.iterdir()) == []  # the temp file went with the refusal


def test_a_file_growing_past_the_limit_while_copied_is_refused(tmp_path: Path,
                                                                monkeypatch) -> None:  # noqa: ANN001
    import store.evidence_files as evidence_files

    source, sha = _file(tmp_path, "scan.pdf", b"x" * 8000)
    reads: list[int] = []
    _counting(monkeypatch, reads)
    monkeypatch.setattr(evidence_files, "COPY_LIMIT_BYTES", 10000)
    real_open = evidence_files.open_regular

    def grows(path, max_size=None):  # noqa: ANN001, ANN202
        handle = real_open(path, max_size)  # opened within the limit, then it grows
        with open(source, "ab") as more:
            more.write(b"x" * 8000)
        return handle

    monkeypatch.setattr(evidence_files, "open_regular", grows)
    store = tmp_path / "evidence"
    with pytest.raises(EditRefused) as refused:
        keep_copy(source, store, sha, source.name)
    assert refused.value.code == "file_changed"
    assert list(store.iterdir()) == []


def test_a_read_failing_midway_leaves_nothing_in_the_store(tmp_path: Path,
                                                           monkeypatch) -> None:  # noqa: ANN001
    source, sha = _file(tmp_path, "scan.pdf", b"z" * 20000)
    reads: list[int] = []
    _counting(monkeypatch, reads, fail_after=3)
    store = tmp_path / "evidence"
    with pytest.raises(EditRefused) as refused:
        keep_copy(source, store, sha, source.name)
    assert refused.value.code == "file_unreadable" and len(reads) == 3
    assert list(store.iterdir()) == []
    assert kept_copy(store, sha, source.name) is None


def test_a_kill_midway_leaves_no_file_under_the_copy_s_name(tmp_path: Path) -> None:
    """The process ends (os._exit, as a kill) at the third read: under the copy's
    name there is nothing, only the app's temp file, which the next start removes."""
    import subprocess
    import sys
    import textwrap

    from store.safe_write import is_temp_name

    source, sha = _file(tmp_path, "scan.pdf", b"k" * 20000)
    store = tmp_path / "evidence"
    script = textwrap.dedent(f"""
        import pytest
        from pathlib import Path
        from store.evidence_files import keep_copy
        from tests.store.test_evidence_files import _counting
        with pytest.MonkeyPatch.context() as monkeypatch:
            _counting(monkeypatch, [], kill_after=3)
            keep_copy(Path({str(source)!r}), Path({str(store)!r}), {sha!r}, "scan.pdf")
    """)
    root = Path(__file__).resolve().parents[2]
    ended = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                           timeout=60)
    assert ended.returncode == 9, ended.stderr
    assert kept_copy(store, sha, "scan.pdf") is None
    left = [p.name for p in store.iterdir()]
    assert len(left) == 1 and is_temp_name(left[0])
    assert (store / left[0]).stat().st_size < 20000  # it was cut off midway


def test_the_checker_tells_ok_missing_and_changed(tmp_path: Path) -> None:
    source, sha = _file(tmp_path, "bb.pdf", b"content")
    checker = FileChecker()
    size = source.stat().st_size
    assert checker.state(str(source), sha, size) == FILE_OK
    source.write_bytes(b"CONTENT")  # same size, other content
    assert checker.state(str(source), sha, size) == FILE_CHANGED
    source.write_bytes(b"longer content")
    assert checker.state(str(source), sha, size) == FILE_CHANGED
    source.unlink()
    assert checker.state(str(source), sha, size) == FILE_MISSING
    assert checker.state(None, None, None) == FILE_OK


def test_the_checker_streams_a_file_of_any_size_and_knows_what_it_hashed(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import store.evidence_files as evidence_files

    content = b"scanned report " * 1000
    source, sha = _file(tmp_path, "big.pdf", content)
    reads: list[int] = []
    real_open = evidence_files.open_regular

    class Counting:
        def __init__(self, handle) -> None:  # noqa: ANN001
            self.handle = handle

        def __enter__(self) -> Counting:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def read(self, n: int = -1) -> bytes:
            reads.append(n)
            return self.handle.read(n)

    monkeypatch.setattr(evidence_files, "open_regular",
                        lambda path, max_size=None: Counting(real_open(path, max_size)))
    monkeypatch.setattr(evidence_files, "HASH_BLOCK_BYTES", 4096)
    monkeypatch.setattr(evidence_files, "COPY_LIMIT_BYTES", 1000)  # bounds copies only
    checker = FileChecker()
    size = len(content)
    assert checker.known_state(str(source), sha, size) is None  # only a hash can tell
    assert checker.state(str(source), sha, size) == FILE_OK
    assert reads and set(reads) == {4096}  # block by block, never the whole file at once
    assert checker.known_state(str(source), sha, size) == FILE_OK
    reads.clear()
    assert checker.state(str(source), sha, size) == FILE_OK and reads == []  # cached
    assert checker.known_state(str(source), sha, size + 1) == FILE_CHANGED
    assert checker.known_state(str(tmp_path / "gone.pdf"), sha, size) == FILE_MISSING
    assert checker.known_state(None, None, None) == FILE_OK


def test_tasks_with_a_missing_or_changed_file_are_found(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    from store.models import Assessment, Task
    from store.write.evidence import add_evidence, describe_file

    kept, _sha = _file(tmp_path, "kept.pdf", b"kept")
    gone, _sha = _file(tmp_path, "gone.pdf", b"gone")
    changed, _sha = _file(tmp_path, "changed.pdf", b"changed")
    with demo_db.write() as session:
        tasks = session.execute(select(Task.id).order_by(Task.id)).scalars().all()[:3]
        for task_id, path in zip(tasks, (kept, gone, changed), strict=True):
            add_evidence(session, task_id, {"title": path.name, "file": describe_file(path)},
                         by="Lan")
        assessment_id = session.execute(select(Assessment.id)).scalar_one()
    gone.unlink()
    changed.write_bytes(b"other")
    with demo_db.read() as session:
        found = tasks_with_file_problems(session, assessment_id, FileChecker())
    assert found == {tasks[1]: FILE_MISSING, tasks[2]: FILE_CHANGED}


def test_the_store_is_copied_into_a_backup_folder_once(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    store = tmp_path / "evidence"
    for name in ("a.pdf", "b.docx"):
        source, sha = _file(tmp_path, name, name.encode() * 5000)
        keep_copy(source, store, sha, name)
    stick = tmp_path / "stick"
    reads: list[int] = []
    _counting(monkeypatch, reads)
    assert copy_store(store, stick) == 2
    assert set(reads) == {4096} and len(reads) > 4  # streamed, one block at a time
    assert [p.name for p in (stick / "evidence").iterdir() if p.name.startswith(".")] == []
    assert sorted(p.name for p in (stick / "evidence").iterdir()) == sorted(
        p.name for p in store.iterdir())
    assert copy_store(store, stick) == 0
    damaged = next(store.iterdir())
    (stick / "evidence" / damaged.name).unlink()
    damaged.write_bytes(b"rot")
    assert copy_store(store, stick) == 0  # a damaged copy is not spread
