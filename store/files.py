"""The one way the app opens a file it did not write: bundles, backups to restore,
evidence files, key cards, workbooks.

Such a path may name anything: a FIFO (reading it waits forever for a writer), a
device (/dev/zero never ends, /dev/tty waits for a key), a folder, a symlink loop,
a file that grows while it is read. open_regular() opens without blocking, then
judges the open handle itself (fstat), so what is checked is what is read:
regular files only, and a size limit checked before a byte is read. Anything else
raises FileRefused, which names what was found; tui/ words it.
"""

from __future__ import annotations

import errno as errno_codes
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import platform_files

# FileRefused.problem
MISSING = "missing"
NOT_REGULAR = "not_regular"
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"


@dataclass
class FileRefused(Exception):
    """A path that open_regular() did not open, or stopped reading.

    problem: missing | not_regular | too_large | unreadable
    kind (not_regular): directory | fifo | character_device | block_device | socket | other
    size, limit (too_large): bytes found, bytes allowed
    reason, errno (unreadable): the system's words and code (permissions, symlink loop...)
    """

    path: Path
    problem: str
    kind: str = ""
    size: int | None = None
    limit: int | None = None
    reason: str = ""
    errno: int | None = None


def file_kind(mode: int) -> str:
    """What a stat mode says a path is, for one that is not a regular file."""
    for test, kind in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "fifo"),
                       (stat.S_ISCHR, "character_device"), (stat.S_ISBLK, "block_device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind
    return "other"


def _refused_by_error(path: Path, error: OSError) -> FileRefused:
    if error.errno == errno_codes.ENOENT:
        return FileRefused(path, MISSING, reason=error.strerror or "", errno=error.errno)
    if error.errno == errno_codes.EISDIR:
        return FileRefused(path, NOT_REGULAR, kind="directory")
    return FileRefused(path, UNREADABLE, reason=error.strerror or type(error).__name__,
                       errno=error.errno)


def open_regular(path: str | os.PathLike[str], max_size: int | None = None) -> BinaryIO:
    """The file at path, open for reading in binary, if it is a regular file of at
    most max_size bytes (None: any size). Raises FileRefused otherwise; never blocks
    on a FIFO or a device."""
    path = Path(path)
    try:
        descriptor = platform_files.open_for_reading(path)
    except platform_files.NotRegularYet as found:
        raise FileRefused(path, NOT_REGULAR, kind=file_kind(found.mode)) from None
    except OSError as error:
        raise _refused_by_error(path, error) from None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise FileRefused(path, NOT_REGULAR, kind=file_kind(found.st_mode))
        if max_size is not None and found.st_size > max_size:
            raise FileRefused(path, TOO_LARGE, size=found.st_size, limit=max_size)
        return os.fdopen(descriptor, "rb")
    except OSError as error:
        os.close(descriptor)
        raise _refused_by_error(path, error) from None
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: str | os.PathLike[str], max_size: int) -> bytes:
    """All bytes of a regular file of at most max_size bytes: the size is checked on
    the open handle before reading, and again by what was read (a file that grows
    meanwhile is refused, not read without end)."""
    with open_regular(path, max_size) as handle:
        try:
            data = handle.read(max_size + 1)
        except OSError as error:
            raise _refused_by_error(Path(path), error) from None
    if len(data) > max_size:
        raise FileRefused(Path(path), TOO_LARGE, size=len(data), limit=max_size)
    return data
