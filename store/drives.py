"""The removable drives (USB sticks, memory cards) a file may be taken from or
written to: a file picker offers them beside the export folder (an assignment to
import, a bundle to export, a backup to keep elsewhere).

    for drive in removable_drives():
        drive.path   # where its files are: /media/lan/KINGSTON, E:\\
        drive.label  # what a person recognises: KINGSTON, E:

Where each system puts them:
- Linux: udisks mounts a stick under /media/$USER/<label> (Debian, Ubuntu, Mint)
  or /run/media/$USER/<label> (Fedora, Arch); a drive mounted by hand usually sits
  in /mnt/<name> (WSL shows the Windows drives there too: /mnt/c, /mnt/d);
- macOS: /Volumes/<label>, the start-up disk excepted (a link to /);
- Windows: the drive letters the system calls removable (GetDriveTypeW, in
  store.platform_files), floppy drives A: and B: left out.

Only folders that can be listed are returned, each once, in a stable order; none
is an error (no drive plugged in). Nothing here blocks on a drive that is slow to
answer beyond listing its mount folder. Standard library only.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from . import platform_files


# Where the mount folders are looked for (tests point it at an empty folder, so that
# no test sees the drives of the machine it runs on).
MACHINE_ROOT = Path("/")


@dataclass(frozen=True)
class Drive:
    path: Path  # the folder a file picker opens
    label: str  # the drive's name (its folder's name, or its letter on Windows)


def removable_drives(*, root: Path | None = None, user: str | None = None,
                     system: str | None = None) -> list[Drive]:
    """The removable drives mounted now. root (default MACHINE_ROOT), user and system
    ("linux", "darwin", "windows"; default: this machine's) let a test describe
    another machine."""
    root = MACHINE_ROOT if root is None else root
    system = system or current_system()
    if system == "windows":
        return [Drive(Path(f"{letter}:\\"), f"{letter}:")
                for letter in platform_files.removable_drive_letters()]
    if system == "darwin":
        return _folders_in([root / "Volumes"], skip_links_to=root)
    user = user if user is not None else _user_name()
    bases = [root / "mnt"]
    if user:
        bases[:0] = [root / "media" / user, root / "run" / "media" / user]
    return _folders_in(bases)


def current_system() -> str:
    """"windows", "darwin" or "linux" (any other POSIX system is treated as Linux)."""
    if platform_files.WINDOWS:
        return "windows"
    return "darwin" if sys.platform == "darwin" else "linux"


def _user_name() -> str:
    for variable in ("USER", "LOGNAME"):
        if os.environ.get(variable):
            return os.environ[variable]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):
        return ""


def _folders_in(bases: list[Path], *, skip_links_to: Path | None = None) -> list[Drive]:
    found: list[Drive] = []
    seen: set[Path] = set()
    for base in bases:
        try:
            entries = sorted(os.scandir(base), key=lambda entry: entry.name.casefold())
        except OSError:  # no such folder, or not ours to list
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if not entry.is_dir():
                    continue
                resolved = path.resolve()
            except OSError:
                continue
            if resolved in seen or (skip_links_to is not None
                                    and resolved == skip_links_to.resolve()):
                continue
            if not os.access(path, os.R_OK | os.X_OK):
                continue
            seen.add(resolved)
            found.append(Drive(path, entry.name))
    return found
