"""write_atomically: a killed writer leaves the old or the new complete file."""

from __future__ import annotations

import hashlib
import os
import random
import time
from pathlib import Path

import pytest

from store import safe_write
from store.errors import WriteNotVerified
from store.safe_write import is_temp_name, temp_name_for, write_atomically
from store.safety import clean_leftover_temp_files

from .killing import die_now, kill_after, needs_fork, run_to_end, start

OLD = b"old complete content\n" * 1000
NEW = b"new complete content\n" * 1000


def test_writes_and_returns_the_digest(tmp_path: Path) -> None:
    target = tmp_path / "bundle.json"
    digest = write_atomically(target, NEW)
    assert target.read_bytes() == NEW
    assert digest == hashlib.sha256(NEW).hexdigest()
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def test_a_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bundle.json"
    target.write_bytes(OLD)

    def disk_full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomically(target, NEW)
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def _in_blocks(data: bytes, size: int = 1000):  # noqa: ANN202 - an iterator of bytes
    return (data[i:i + size] for i in range(0, len(data), size))


def test_blocks_are_written_and_a_refusal_or_a_lying_stick_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """write_blocks_atomically: what the blocks add up to, its digest returned and
    given to accept first; accept refusing or a read-back that differs leaves the
    old file and no temp file."""
    from store.safe_write import write_blocks_atomically

    target = tmp_path / "copy.pdf"
    target.write_bytes(OLD)
    seen: list[str] = []
    digest = write_blocks_atomically(target, _in_blocks(NEW), accept=seen.append)
    assert target.read_bytes() == NEW and seen == [digest] == [hashlib.sha256(NEW).hexdigest()]
    target.write_bytes(OLD)

    def refuse(_digest: str) -> None:
        raise ValueError("not the one recorded")

    with pytest.raises(ValueError):
        write_blocks_atomically(target, _in_blocks(NEW), accept=refuse)
    assert target.read_bytes() == OLD and [p.name for p in tmp_path.iterdir()] == ["copy.pdf"]
    real_fsync = os.fsync

    def lying_stick(descriptor: int) -> None:
        real_fsync(descriptor)
        os.pwrite(descriptor, b"X", 10)

    monkeypatch.setattr(safe_write.os, "fsync", lying_stick)
    with pytest.raises(WriteNotVerified):
        write_blocks_atomically(target, _in_blocks(NEW))
    assert target.read_bytes() == OLD and [p.name for p in tmp_path.iterdir()] == ["copy.pdf"]


def test_a_read_back_that_differs_keeps_the_old_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bundle.json"
    target.write_bytes(OLD)
    real_fsync = os.fsync

    def lying_stick(descriptor: int) -> None:
        real_fsync(descriptor)
        os.pwrite(descriptor, b"X", 10)  # the stick stored something else

    monkeypatch.setattr(safe_write.os, "fsync", lying_stick)
    with pytest.raises(WriteNotVerified) as caught:
        write_atomically(target, NEW)
    assert caught.value.expected_sha256 == hashlib.sha256(NEW).hexdigest()
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def _write_and_die_at(stage: str, target: Path) -> None:
    # Runs in the child: the step named by `stage` becomes a SIGKILL.
    if stage == "after_write":
        safe_write.os.fsync = lambda _fd: die_now()
    elif stage == "after_fsync":
        safe_write.os.replace = lambda _a, _b: die_now()
    elif stage == "after_rename":
        safe_write.fsync_directory = lambda _folder: die_now()
    write_atomically(target, NEW)


@needs_fork
@pytest.mark.parametrize(("stage", "expected"), [
    ("after_write", OLD), ("after_fsync", OLD), ("after_rename", NEW)])
def test_killed_between_write_fsync_and_rename(tmp_path: Path, stage: str,
                                               expected: bytes) -> None:
    target = tmp_path / "bundle.json"
    target.write_bytes(OLD)
    child = start(_write_and_die_at, stage, target)
    assert run_to_end(child) == -9
    assert target.read_bytes() == expected
    leftovers = [p for p in tmp_path.iterdir() if p != target]
    if stage != "after_rename":
        assert len(leftovers) == 1 and is_temp_name(leftovers[0].name)
    removed = clean_leftover_temp_files([tmp_path], min_age_seconds=0)
    assert sorted(removed) == sorted(leftovers)
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def _write_forever(target: Path) -> None:
    contents = (OLD * 20, NEW * 20)
    turn = 0
    while True:
        write_atomically(target, contents[turn % 2])
        turn += 1


@needs_fork
def test_killed_at_random_moments_the_target_is_always_complete(tmp_path: Path) -> None:
    target = tmp_path / "bundle.json"
    target.write_bytes(OLD * 20)
    chooser = random.Random(6)
    for _run in range(40):
        child = start(_write_forever, target)
        kill_after(child, chooser.uniform(0.0, 0.03))
        assert target.read_bytes() in (OLD * 20, NEW * 20)
        clean_leftover_temp_files([tmp_path], min_age_seconds=0)
        assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def test_the_cleaner_leaves_databases_and_their_journals_alone(tmp_path: Path) -> None:
    keep = ["cchc.db", "cchc.db-wal", "cchc.db-shm", "cchc.db-journal", "review.db",
            "notes.txt", "cchc-20261121-090000-daily.db"]
    junk = [temp_name_for(tmp_path / "bundle.json").name,
            temp_name_for(tmp_path / "config.toml").name,
            temp_name_for(tmp_path / "backup.db").name + "-journal"]
    for name in keep + junk:
        (tmp_path / name).write_bytes(b"x")
    removed = clean_leftover_temp_files([tmp_path, tmp_path / "missing"], min_age_seconds=0)
    assert sorted(p.name for p in removed) == sorted(junk)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep)


# Users' own files that look like temp files: the cleaner used to remove them all.
USERS_LOOKALIKES = ("draft.tmp", "video.mp4.partial", ".notes.txt.tmp-keep", "config.toml.tmp",
                    "cchc-20261121-090000-daily.db.partial", ".cchc-1234.cchc-tmp",
                    ".cchc-0123456789abcdef.cchc-tmp.bak", ".cchc-0123456789ABCDEF.cchc-tmp")


def test_the_cleaner_leaves_users_files_that_look_like_temp_files(tmp_path: Path) -> None:
    for name in USERS_LOOKALIKES:
        (tmp_path / name).write_bytes(b"the user's own")
        old = time.time() - 3600
        os.utime(tmp_path / name, (old, old))
    assert clean_leftover_temp_files([tmp_path]) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(USERS_LOOKALIKES)
    assert not any(is_temp_name(name) for name in USERS_LOOKALIKES)


def test_every_temp_name_is_the_apps_own(tmp_path: Path) -> None:
    names = {temp_name_for(tmp_path / "draft.tmp").name for _ in range(50)}
    assert len(names) == 50 and all(is_temp_name(name) for name in names)
    assert all("draft" not in name for name in names)


def test_the_cleaner_leaves_young_temp_files(tmp_path: Path) -> None:
    young = temp_name_for(tmp_path / "bundle.json")
    young.write_bytes(b"x")
    # "Now" is a second after the file's own mtime: file times are not the process clock
    # (a test run under a moved system clock must not see the file as old).
    assert clean_leftover_temp_files([tmp_path], now=young.stat().st_mtime + 1) == []
    assert young.exists()
