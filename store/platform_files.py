"""What differs between POSIX and Windows when the app opens, locks, appends to or
renames a file.

The only module that names POSIX-only flags (O_NONBLOCK, O_NOCTTY) or the platform
lock calls (fcntl.flock, msvcrt.locking). WINDOWS is read at each call, so a test
can take the Windows branch on Linux.
"""

from __future__ import annotations

import errno
import os
import stat

WINDOWS = os.name == "nt"


def read_only_flags() -> int:
    """Flags to open a file that came from elsewhere, for reading.

    POSIX: O_NONBLOCK, so that opening a FIFO returns at once instead of waiting for
    a writer (and a serial device does not wait for a carrier); O_NOCTTY, so that a
    terminal device never becomes the process's controlling terminal.
    Windows: binary mode; there is no non-blocking open, so open_for_reading()
    looks before it opens."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    if WINDOWS:
        return flags
    return flags | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def open_for_reading(path: str | os.PathLike[str]) -> int:
    """A file descriptor open for reading, without blocking on a special file.

    On Windows, opening a named pipe or a device such as CON would wait for input,
    so anything but a regular file is returned unopened: the caller's fstat() check
    then sees what it is (raises OSError like os.open)."""
    if WINDOWS:
        found = os.stat(path)
        if not stat.S_ISREG(found.st_mode):
            raise NotRegularYet(found.st_mode)
    return os.open(path, read_only_flags())


class NotRegularYet(Exception):
    """On Windows, the path is not a regular file, found before opening it."""

    def __init__(self, mode: int) -> None:
        super().__init__(mode)
        self.mode = mode


def try_lock(descriptor: int) -> bool:
    """Take an exclusive lock on an open file without waiting: True if taken.
    Released by unlock() or when the descriptor is closed (the process ends)."""
    if WINDOWS:
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(descriptor: int) -> None:
    if WINDOWS:
        import msvcrt

        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(descriptor, fcntl.LOCK_UN)


def append_durably(path: str | os.PathLike[str], data: bytes, mode: int = 0o600) -> bool:
    """Append data to the file at path (created with mode if missing) in one write,
    and fsync it before returning. Returns whether the file was created (the caller
    then syncs its folder). O_APPEND on both platforms: two writers never overwrite
    each other's lines. Raises OSError."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    if not WINDOWS:
        flags |= getattr(os, "O_CLOEXEC", 0)
    created = not os.path.lexists(path)
    descriptor = os.open(path, flags, mode)
    try:
        written = os.write(descriptor, data)
        if written != len(data):
            raise OSError(errno.EIO, "short write", str(path))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return created


# link() is refused by file systems without hard links (FAT and exFAT sticks).
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                            errno.EMLINK, errno.ENOSYS})


def rename_no_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Move source to target, never over an existing target (FileExistsError then,
    source left in place).

    Windows: os.rename() never replaces. POSIX: a hard link is made at target (which
    fails if it exists, atomically) and source removed; where the file system has no
    hard links, target is looked for first, then renamed (only a program racing for
    the very same name could slip in between)."""
    if WINDOWS:
        os.rename(source, target)
        return
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.rename(source, target)
        return
    os.unlink(source)
