"""Checks that keep a year of work safe: leftover temp files, the health of a
database file, and where the data folder lives.

Everything here returns data (codes, paths) and never sentences; tui/words/backup.py
words it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from . import vocab
from . import connect as opener, mode
from .connect import connect, has_rollback_journal, is_busy_error
from .safe_write import is_temp_name
from .vocab import DAMAGE_PROBLEMS, HealthProblem

# Another running instance may be writing a temp file right now; leave young ones.
TEMP_MIN_AGE_SECONDS = 120.0


def clean_leftover_temp_files(folders: Iterable[Path], *,
                              min_age_seconds: float = TEMP_MIN_AGE_SECONDS,
                              now: float | None = None) -> list[Path]:
    """Remove the app's own temp files (store.safe_write.is_temp_name: never a
    user's `draft.tmp`, never a database's -wal or -journal) left directly inside
    each folder by a killed process. Returns what was removed; folders that are
    missing or unreadable are skipped. The caller does not call it in read-only
    mode (store.mode)."""
    if mode.is_read_only():
        return []
    now = time.time() if now is None else now
    removed: list[Path] = []
    seen: set[Path] = set()
    for folder in folders:
        folder = Path(folder)
        if folder in seen:
            continue
        seen.add(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not is_temp_name(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if now - entry.stat(follow_symlinks=False).st_mtime < min_age_seconds:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed


# ---------------------------------------------------------------------------
# The health of a database file

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every CCHC schema has had and will keep; a SQLite file without them
# belongs to another program.
CCHC_TABLES = frozenset({"unit", "assessment", "criterion", "task", "change"})


@dataclass(frozen=True)
class DatabaseHealth:
    """What check_database() found. problem is None when the file can be used,
    else a HealthProblem (store.vocab says what each means); too_new means
    user_version > vocab.SCHEMA_VERSION."""

    path: Path
    problem: HealthProblem | None = None
    detail: str = ""
    user_version: int | None = None
    fresh: bool = False  # a SQLite file with no tables yet (a new database)
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def damaged(self) -> bool:
        return self.problem in DAMAGE_PROBLEMS


def _header_says_longer(header: bytes, size: int) -> bool:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96]
    return header_count_valid and page_count > 0 and size < page_size * page_count


def check_database(path: Path, *, thorough: bool = False,
                   allow_fresh: bool = True) -> DatabaseHealth:
    """Check a database file without writing to it (it is opened with mode=ro).

    thorough runs integrity_check (backups, restores) instead of the faster
    quick_check (every start). allow_fresh accepts a SQLite file with no tables
    (a database just created); a backup must hold a CCHC schema.
    """
    from .files import MISSING, NOT_REGULAR, FileRefused, open_regular

    path = Path(path)
    try:
        # Never handed to SQLite unchecked: it would wait forever on a FIFO.
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            header = handle.read(100)
    except FileRefused as refused:
        if refused.problem == MISSING:
            return DatabaseHealth(path, HealthProblem.MISSING)
        if refused.problem == NOT_REGULAR:
            return DatabaseHealth(path, HealthProblem.NOT_REGULAR, refused.kind)
        return DatabaseHealth(path, HealthProblem.UNREADABLE, refused.reason)
    except OSError as error:
        return DatabaseHealth(path, HealthProblem.UNREADABLE, error.strerror or str(error))
    if size == 0:
        return DatabaseHealth(path, HealthProblem.EMPTY)
    if not header.startswith(SQLITE_MAGIC):
        return DatabaseHealth(path, HealthProblem.NOT_SQLITE)
    if len(header) < 100:
        return DatabaseHealth(path, HealthProblem.TRUNCATED, f"{size} bytes")
    pragma = "integrity_check" if thorough else "quick_check"
    if has_rollback_journal(path):
        roll_back_cut_off_write(path)
    try:
        connection = connect(path, read_only=True)
    except sqlite3.Error as error:
        return DatabaseHealth(path, HealthProblem.UNREADABLE, str(error))
    try:
        findings = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
        user_version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.OperationalError as error:
        if is_busy_error(error):
            return DatabaseHealth(path, HealthProblem.BUSY, str(error))
        if getattr(error, "sqlite_errorcode", None) == _SQLITE_READONLY_ROLLBACK:
            return DatabaseHealth(path, HealthProblem.NEEDS_RECOVERY, str(error))
        return _damage(path, header, size, str(error))
    except sqlite3.DatabaseError as error:
        return _damage(path, header, size, str(error))
    finally:
        connection.close()
    if findings != ["ok"]:
        return _damage(path, header, size, "; ".join(findings[:3]), findings)
    fresh = user_version == 0 and not tables
    if fresh and allow_fresh:
        return DatabaseHealth(path, None, user_version=0, fresh=True)
    # Read now, not bound at import: a test plays a newer program by patching it.
    if user_version > vocab.SCHEMA_VERSION:  # a newer one may have other tables: too new
        return DatabaseHealth(path, HealthProblem.TOO_NEW, str(user_version), user_version)
    if fresh or not CCHC_TABLES <= tables or user_version < 1:
        return DatabaseHealth(path, HealthProblem.NOT_CCHC, ", ".join(sorted(tables)[:5]),
                              user_version)
    return DatabaseHealth(path, None, user_version=user_version)


# A mode=ro reader found a hot journal it may not roll back (sqlite3 names it from 3.11
# on; the number is SQLite's own, stable).
_SQLITE_READONLY_ROLLBACK = getattr(sqlite3, "SQLITE_READONLY_ROLLBACK", 776)


def roll_back_cut_off_write(path: Path) -> bool:
    """Let SQLite finish what a killed writer left: a hot rollback journal beside
    the file is rolled back by the first read of a read-write connection. Done only
    where writing is allowed (not in read-only mode, file and folder writable);
    True if a read-write connection read the file. Errors are left to the check."""
    path = Path(path)
    if mode.is_read_only() or not opener.folder_is_writable(path.absolute().parent) \
            or not os.access(path, os.W_OK):
        return False
    try:
        connection = connect(path)
    except sqlite3.Error:
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return True


def _damage(path: Path, header: bytes, size: int, detail: str,
            findings: list[str] | None = None) -> DatabaseHealth:
    problem = (HealthProblem.TRUNCATED if _header_says_longer(header, size)
               else HealthProblem.CORRUPT)
    if "not a database" in detail:
        problem = HealthProblem.NOT_SQLITE
    return DatabaseHealth(path, problem, detail, findings=findings or [])


# ---------------------------------------------------------------------------
# Where the data folder lives

# SQLite's locking does not work over these, and WAL needs shared memory that a
# network share cannot provide (howtocorrupt.html, wal.html). Any other FUSE
# file system (fuse.<name>) is treated the same: it is usually a remote mount.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p",
    "afs", "ceph", "glusterfs", "davfs", "fuse.rclone", "fuse.s3fs", "lustre", "gpfs"})
# File systems a USB stick or card usually carries (no journal; sync is a promise).
REMOVABLE_FILESYSTEMS = frozenset({"vfat", "msdos", "exfat", "fuseblk", "ntfs", "ntfs3"})
REMOVABLE_MOUNT_ROOTS = ("/media/", "/run/media/")
# GetDriveTypeW
_DRIVE_REMOVABLE, _DRIVE_REMOTE = 2, 4


@dataclass(frozen=True)
class StorageRisk:
    """The data folder is on storage where SQLite cannot keep its promises.

    kind: "network" (a share: locking and WAL unreliable, two computers can
    corrupt it) or "removable" (a stick or card: pulled out mid-write, lying about
    sync). mount and filesystem say what was found, when known.
    """

    path: Path
    kind: str
    mount: str = ""
    filesystem: str = ""


def _unescape_mount(field_text: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes.
    for octal, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field_text = field_text.replace(octal, char)
    return field_text


def _mount_of(path: Path, mounts_text: str) -> tuple[str, str, str] | None:
    """(device, mount point, fs type) of the longest mount point holding path."""
    best: tuple[str, str, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, mount, fstype = _unescape_mount(parts[0]), _unescape_mount(parts[1]), parts[2]
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and (best is None or len(mount) >= len(best[1])):
            best = (device, mount, fstype)
    return best


def _sys_block_removable(device: str, sys_root: Path) -> bool:
    """Linux's own 'removable' flag for /dev/sdb1 (looked up on the whole disk)."""
    if not device.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(device)).name if sys_root == Path("/sys") else Path(device).name
    block = sys_root / "class" / "block" / name
    for candidate in (block / "removable", block.parent / "removable",
                      Path(os.path.realpath(block)).parent / "removable"):
        try:
            return candidate.read_text().strip() == "1"
        except OSError:
            continue
    return False


def linux_storage_risk(path: Path, mounts_text: str,
                       sys_root: Path = Path("/sys")) -> StorageRisk | None:
    found = _mount_of(path, mounts_text)
    if found is None:
        return None
    device, mount, fstype = found
    if fstype in NETWORK_FILESYSTEMS or (fstype.startswith("fuse.") and fstype != "fuseblk") \
            or device.startswith("//"):
        return StorageRisk(path, "network", mount, fstype)
    under_media = any((mount + "/").startswith(root) for root in REMOVABLE_MOUNT_ROOTS)
    if (fstype in REMOVABLE_FILESYSTEMS and under_media) or _sys_block_removable(device,
                                                                                sys_root):
        return StorageRisk(path, "removable", mount, fstype)
    return None


def windows_storage_risk(path: PureWindowsPath, drive_type) -> StorageRisk | None:  # noqa: ANN001
    """drive_type(root) -> GetDriveTypeW's answer for a root like 'E:\\'."""
    if str(path).startswith("\\\\") and not str(path).startswith("\\\\?\\"):
        return StorageRisk(Path(str(path)), "network", path.anchor)
    root = path.anchor
    if not root:
        return None
    kind = {_DRIVE_REMOTE: "network", _DRIVE_REMOVABLE: "removable"}.get(drive_type(root))
    return StorageRisk(Path(str(path)), kind, root) if kind else None


def storage_risk(path: Path) -> StorageRisk | None:
    """Whether the data folder at path is on a network share or removable drive.
    Unknown platforms and unreadable mount tables give None (no warning)."""
    path = Path(path)
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path.absolute()
    if os.name == "nt":
        import ctypes

        get_drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
        return windows_storage_risk(PureWindowsPath(str(resolved)),
                                    lambda root: get_drive_type(ctypes.c_wchar_p(root)))
    try:
        mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return linux_storage_risk(resolved, mounts_text)
