"""store.drives: the removable drives of Linux, macOS and Windows machines, each
described in a temporary folder (Windows by a simulated kernel32)."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest

from store import drives, platform_files
from store.drives import Drive, removable_drives


def _folders(root: Path, *paths: str) -> None:
    for path in paths:
        (root / path).mkdir(parents=True)


def test_linux_lists_the_users_sticks_then_mnt(tmp_path: Path) -> None:
    _folders(tmp_path, "media/lan/KINGSTON", "media/lan/SD 32GB", "run/media/lan/SANDISK",
             "mnt/usb", "media/other/THEIRS")
    (tmp_path / "media/lan/not-a-drive.txt").write_text("x")
    found = removable_drives(root=tmp_path, user="lan", system="linux")
    assert found == [
        Drive(tmp_path / "media/lan/KINGSTON", "KINGSTON"),
        Drive(tmp_path / "media/lan/SD 32GB", "SD 32GB"),
        Drive(tmp_path / "run/media/lan/SANDISK", "SANDISK"),
        Drive(tmp_path / "mnt/usb", "usb"),
    ]


def test_no_drive_is_an_empty_list(tmp_path: Path) -> None:
    assert removable_drives(root=tmp_path, user="lan", system="linux") == []
    assert removable_drives(root=tmp_path, system="darwin") == []


def test_a_drive_seen_twice_is_listed_once(tmp_path: Path) -> None:
    _folders(tmp_path, "media/lan/KINGSTON", "mnt")
    (tmp_path / "mnt/stick").symlink_to(tmp_path / "media/lan/KINGSTON")
    assert [d.label for d in removable_drives(root=tmp_path, user="lan",
                                              system="linux")] == ["KINGSTON"]


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="permissions are not enforced for root")
def test_a_folder_that_cannot_be_opened_is_left_out(tmp_path: Path) -> None:
    _folders(tmp_path, "media/lan/LOCKED", "media/lan/OPEN")
    (tmp_path / "media/lan/LOCKED").chmod(0)
    try:
        found = removable_drives(root=tmp_path, user="lan", system="linux")
    finally:
        (tmp_path / "media/lan/LOCKED").chmod(0o700)
    assert [d.label for d in found] == ["OPEN"]


def test_the_user_comes_from_the_environment(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _folders(tmp_path, "media/hoa/USB")
    monkeypatch.setenv("USER", "hoa")
    assert [d.label for d in removable_drives(root=tmp_path, system="linux")] == ["USB"]


def test_macos_skips_the_start_up_disk(tmp_path: Path) -> None:
    _folders(tmp_path, "Volumes/KINGSTON")
    (tmp_path / "Volumes/Macintosh HD").symlink_to(tmp_path)
    assert removable_drives(root=tmp_path, system="darwin") == [
        Drive(tmp_path / "Volumes/KINGSTON", "KINGSTON")]


class _Kernel32:  # its methods bear the Windows names
    """C: fixed, D: cd-rom, E: and F: removable, A: a floppy (removable too)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def GetLogicalDrives(self) -> int:
        return sum(1 << "ABCDEF".index(letter) for letter in "ACDEF")

    def GetDriveTypeW(self, root: str) -> int:
        self.asked.append(root)
        return {"A:\\": 2, "C:\\": 3, "D:\\": 5, "E:\\": 2, "F:\\": 2}[root]


def test_windows_lists_the_removable_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    kernel = _Kernel32()
    monkeypatch.setattr(platform_files, "WINDOWS", True)
    monkeypatch.setattr(ctypes, "windll", type("WinDLL", (), {"kernel32": kernel})(),
                        raising=False)
    assert drives.current_system() == "windows"
    found = removable_drives()
    assert [d.label for d in found] == ["E:", "F:"]
    assert str(found[0].path) == "E:\\"
    assert kernel.asked == ["C:\\", "D:\\", "E:\\", "F:\\"]  # a floppy is never asked


def test_windows_without_the_calls_has_no_drives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_files, "WINDOWS", True)
    monkeypatch.delattr(ctypes, "windll", raising=False)
    assert removable_drives() == []


def test_elsewhere_no_letters_are_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_files, "WINDOWS", False)
    assert platform_files.removable_drive_letters() == []
