"""Unsafe places for the data folder: network shares and removable drives."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from store.safety import linux_storage_risk, storage_risk, windows_storage_risk

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sda1 /boot/efi vfat rw 0 0
server:/export/home /home/shared nfs4 rw 0 0
//nas/office /mnt/office cifs rw 0 0
user@host:/data /home/lan/remote fuse.sshfs rw 0 0
/dev/sdb1 /media/lan/USB\\040STICK vfat rw 0 0
/dev/sdc1 /run/media/lan/EXT exfat rw 0 0
/dev/sdd1 /srv/backup ext4 rw 0 0
"""


@pytest.mark.parametrize(("folder", "kind", "fstype"), [
    ("/home/lan/.local/share/cchc", None, None),
    ("/boot/efi/cchc", None, None),  # vfat, but a fixed disk's partition
    ("/home/shared/cchc", "network", "nfs4"),
    ("/mnt/office/CCHC", "network", "cifs"),
    ("/home/lan/remote/cchc", "network", "fuse.sshfs"),
    ("/media/lan/USB STICK/cchc", "removable", "vfat"),
    ("/run/media/lan/EXT", "removable", "exfat"),
])
def test_linux_mounts(folder: str, kind: str | None, fstype: str | None,
                      tmp_path: Path) -> None:
    risk = linux_storage_risk(Path(folder), MOUNTS, sys_root=tmp_path)
    assert (risk.kind, risk.filesystem) == (kind, fstype) if kind else risk is None


def test_linux_removable_flag_from_sys(tmp_path: Path) -> None:
    flag = tmp_path / "class" / "block" / "sdd1"
    flag.mkdir(parents=True)
    (flag / "removable").write_text("1\n")
    risk = linux_storage_risk(Path("/srv/backup/cchc"), MOUNTS, sys_root=tmp_path)
    assert risk is not None and risk.kind == "removable" and risk.mount == "/srv/backup"


@pytest.mark.parametrize(("folder", "drive_type", "kind"), [
    ("C:\\Users\\lan\\AppData\\Local\\cchc", 3, None),
    ("E:\\cchc", 2, "removable"),
    ("Z:\\cchc", 4, "network"),
    ("\\\\server\\share\\cchc", 3, "network"),
])
def test_windows_drives(folder: str, drive_type: int, kind: str | None) -> None:
    risk = windows_storage_risk(PureWindowsPath(folder), lambda root: drive_type)
    assert (risk.kind if risk else None) == kind


def test_this_machines_temp_folder_is_not_flagged(tmp_path: Path) -> None:
    assert storage_risk(tmp_path) is None
