"""store.files.open_regular(): regular files only, never blocking, size judged on the
open handle (issue 10, item 5). The POSIX flags and the Windows branch live in
store.platform_files; the Windows branch runs here by simulation."""

from __future__ import annotations

import os
import socket
import stat
import sys
import types
from pathlib import Path

import pytest

from store import platform_files
from store.files import FileRefused, file_kind, open_regular, read_regular

posix_only = pytest.mark.skipif(os.name == "nt", reason="FIFOs and /dev are POSIX")


def _refusal(path: Path, max_size: int | None = None) -> FileRefused:
    with pytest.raises(FileRefused) as refused:
        open_regular(path, max_size)
    return refused.value


def test_a_regular_file_opens_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"{}")
    with open_regular(path, 10) as handle:
        assert handle.read() == b"{}"
    assert read_regular(path, 2) == b"{}"


@posix_only
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    refused = _refusal(pipe)
    assert (refused.problem, refused.kind) == ("not_regular", "fifo")


@posix_only
def test_devices_folders_and_sockets_are_refused_by_name(tmp_path: Path) -> None:
    assert _refusal(Path("/dev/zero")).kind == "character_device"
    assert _refusal(Path("/dev/null")).kind == "character_device"
    assert _refusal(tmp_path).kind == "directory"
    if os.path.exists("/dev/tty"):  # without a terminal, opening it fails (ENXIO)
        assert _refusal(Path("/dev/tty")).problem in ("not_regular", "unreadable")
    listener = socket.socket(socket.AF_UNIX)
    where = tmp_path / "s.json"
    try:
        listener.bind(str(where))
        refused = _refusal(where)
        assert refused.problem in ("not_regular", "unreadable")  # ENXIO on open for sockets
    finally:
        listener.close()


def test_size_is_judged_on_the_open_handle_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 101)
    refused = _refusal(path, 100)
    assert (refused.problem, refused.size, refused.limit) == ("too_large", 101, 100)
    with pytest.raises(FileRefused):
        read_regular(path, 100)


def test_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _refusal(tmp_path / "nowhere.json").problem == "missing"
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    refused = _refusal(loop)
    assert refused.problem == "unreadable" and refused.reason

    def denied(path, flags):  # noqa: ANN001, ANN202 - as a user without the right sees it
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(os, "open", denied)
    refused = _refusal(tmp_path / "nowhere.json")
    assert (refused.problem, refused.errno) == ("unreadable", 13)


def test_posix_flags_never_block_and_never_take_a_terminal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_files, "WINDOWS", False)
    flags = platform_files.read_only_flags()
    if hasattr(os, "O_NONBLOCK"):
        assert flags & os.O_NONBLOCK and flags & os.O_NOCTTY


def test_the_windows_branch_needs_no_posix_flag_and_looks_before_opening(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_files, "WINDOWS", True)
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"):
        monkeypatch.delattr(os, name, raising=False)
    assert platform_files.read_only_flags() & os.O_RDONLY == os.O_RDONLY
    path = tmp_path / "a.json"
    path.write_bytes(b"{}")
    assert read_regular(path, 2) == b"{}"
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, f: opened.append(str(p)) or real_open(p, f))
    # CON, NUL or \\.\pipe\x on Windows: a device or pipe is never opened (it would wait)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p: os.stat_result(
        (stat.S_IFCHR | 0o666, *real_stat(p)[1:])) if str(p).endswith("CON") else real_stat(p))
    con = tmp_path / "CON"
    con.write_bytes(b"")
    refused = _refusal(con)
    assert (refused.problem, refused.kind) == ("not_regular", "character_device")
    assert str(con) not in opened
    assert _refusal(tmp_path).kind == "directory"


def test_the_windows_lock_branch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    held: set[int] = set()

    def locking(descriptor: int, mode: int, length: int) -> None:
        assert length == 1
        if mode == 1:  # LK_NBLCK
            if descriptor in held:
                raise OSError(36, "Resource deadlock avoided")
            held.add(descriptor)
        else:
            held.discard(descriptor)
    monkeypatch.setitem(sys.modules, "msvcrt", types.SimpleNamespace(
        locking=locking, LK_NBLCK=1, LK_UNLCK=0))
    monkeypatch.setattr(platform_files, "WINDOWS", True)
    descriptor = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT)
    try:
        assert platform_files.try_lock(descriptor)
        assert not platform_files.try_lock(descriptor)
        platform_files.unlock(descriptor)
        assert platform_files.try_lock(descriptor)
    finally:
        os.close(descriptor)


def test_file_kinds() -> None:
    assert file_kind(stat.S_IFDIR) == "directory"
    assert file_kind(stat.S_IFIFO) == "fifo"
    assert file_kind(stat.S_IFBLK) == "block_device"
    assert file_kind(stat.S_IFSOCK) == "socket"
