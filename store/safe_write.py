"""Writing a file so that a crash, a full disk or a pulled stick leaves either the
previous file or the complete new one at the target, never half of it.

The steps (reliability.md, section 2): write a temp file beside the target (same
folder, so the same file system), flush and fsync it, os.replace() it over the
target and fsync the folder (POSIX; Windows cannot open a folder). The temp file
is read back and its digest compared before the rename, because cheap sticks lie
about what they stored: a bad write never replaces a good file.

Temp files are named `.<target name>.tmp-<random>`; store.safety.TEMP_PATTERNS
matches that name so that a temp file left by a killed process is removed at the
next start.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from .errors import WriteNotVerified
from .platform_files import rename_no_replace

TEMP_INFIX = ".tmp-"


def temp_name_for(target: Path) -> Path:
    """Where the new content of target is written before it is renamed."""
    return target.with_name(f".{target.name}{TEMP_INFIX}{secrets.token_hex(4)}")


def fsync_directory(folder: Path) -> None:
    """Make a rename in folder durable (POSIX only; a no-op on Windows). Some file
    systems (FAT on Linux) refuse a folder fsync; the file itself is synced then."""
    if os.name == "nt":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes, *, mode: int = 0o666,
                     sync_folder: bool = True, replace: bool = True) -> str:
    """Replace path with data, crash-safely. Returns the SHA-256 (hex) of data.

    mode: the permissions the new file is created with (less the umask), so that
    a private file (0o600) is never readable by others, not even while written.
    Raises OSError (ENOSPC, EROFS, EIO, a vanished folder...) or WriteNotVerified
    (the read-back differs), in both cases with the target as it was. No temp
    file is left behind unless the process itself dies. sync_folder=False leaves the
    folder's fsync to the caller, who writes many files into it and syncs it once.
    replace=False never puts the file over an existing one: FileExistsError then
    (a file there is left as it is, even one that appears while this one is written).
    """
    path = Path(path)
    digest = hashlib.sha256(data).hexdigest()
    temp = temp_name_for(path)
    try:
        with open(temp, "xb", opener=lambda name, flags: os.open(name, flags, mode)) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        found = hashlib.sha256(temp.read_bytes()).hexdigest()
        if found != digest:
            raise WriteNotVerified(path, digest, found)
        if replace:
            os.replace(temp, path)
        else:
            rename_no_replace(temp, path)
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise
    if sync_folder:
        fsync_directory(path.parent)
    return digest
