"""Writing a file so that a crash, a full disk or a pulled stick leaves either the
previous file or the complete new one at the target, never half of it.

The steps (reliability.md, section 2): write a temp file beside the target (same
folder, so the same file system), flush and fsync it, os.replace() it over the
target and fsync the folder (POSIX; Windows cannot open a folder). The temp file
is read back and its digest compared before the rename, because cheap sticks lie
about what they stored: a bad write never replaces a good file.

Every temp file of the app (these, the backups being written, the settings being
saved) is named by temp_name_for(): `.cchc-<16 random hex digits>.cchc-tmp`, a
name no user file has, so that is_temp_name() can tell a temp file left by a
killed process from a user's own `draft.tmp` in the same folder (an export folder
is often a Desktop or a stick) and the next start removes only the app's own.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import WriteNotVerified
from .platform_files import rename_no_replace
from .mode import refuse_in_read_only
from .vocab import WriteKind

TEMP_PREFIX = ".cchc-"
TEMP_SUFFIX = ".cchc-tmp"
_TEMP_RANDOM_BYTES = 8
# A temp database (a backup being written) may have SQLite's rollback journal beside it.
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + f"[0-9a-f]{{{2 * _TEMP_RANDOM_BYTES}}}"
                        + re.escape(TEMP_SUFFIX) + "(-journal)?")


def temp_name_for(target: Path) -> Path:
    """Where the new content of target is written before it is renamed: beside it
    (same file system), under a name only the app gives."""
    return target.with_name(f"{TEMP_PREFIX}{secrets.token_hex(_TEMP_RANDOM_BYTES)}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Whether a file name is one temp_name_for() gives (or its SQLite journal)."""
    return _TEMP_NAME.fullmatch(name) is not None


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
                     sync_folder: bool = True, replace: bool = True,
                     kind: WriteKind = WriteKind.EXPORT) -> str:
    """Replace path with data, crash-safely. Returns the SHA-256 (hex) of data.

    mode: the permissions the new file is created with (less the umask), so that
    a private file (0o600) is never readable by others, not even while written.
    Raises OSError (ENOSPC, EROFS, EIO, a vanished folder...) or WriteNotVerified
    (the read-back differs), in both cases with the target as it was. No temp
    file is left behind unless the process itself dies. sync_folder=False leaves the
    folder's fsync to the caller, who writes many files into it and syncs it once.
    replace=False never puts the file over an existing one: FileExistsError then
    (a file there is left as it is, even one that appears while this one is written).
    In read-only mode a target in the data or config folder raises ReadOnlyMode(kind).
    """
    return write_blocks_atomically(path, (data,), mode=mode, sync_folder=sync_folder,
                                   replace=replace, kind=kind)


def write_blocks_atomically(path: Path, blocks: Iterable[bytes], *,
                            accept: Callable[[str], None] | None = None, mode: int = 0o666,
                            sync_folder: bool = True, replace: bool = True,
                            kind: WriteKind = WriteKind.EXPORT) -> str:
    """Replace path with the concatenated blocks, crash-safely, holding one block in
    memory at a time (a file of hundreds of MiB). Returns the SHA-256 (hex) of what
    was written. accept(digest), when given, is called once every block is written
    and before anything is synced or renamed: it raises to refuse the content (a
    source that changed while it was copied), and the temp file goes with it.

    The steps and the guarantees are write_atomically()'s: the temp file beside
    path, fsync, read back block by block and its digest compared (WriteNotVerified),
    os.replace(), the folder synced; no temp file is left behind unless the process
    itself dies (start-up cleanup removes it then). sync_folder=False leaves the
    folder's fsync to the caller (many files into one folder); replace=False as
    write_atomically(). Raises what blocks, accept or the writes raise, with the
    target as it was."""
    path = Path(path)
    refuse_in_read_only(kind, path)
    digest = hashlib.sha256()
    temp = temp_name_for(path)
    try:
        with open(temp, "xb", opener=lambda name, flags: os.open(name, flags, mode)) as handle:
            for block in blocks:
                digest.update(block)
                handle.write(block)
            written = digest.hexdigest()
            if accept is not None:
                accept(written)
            handle.flush()
            os.fsync(handle.fileno())
        found = _digest_of(temp)
        if found != written:
            raise WriteNotVerified(path, written, found)
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
    return written


def _digest_of(path: Path, block_bytes: int = 1 << 20) -> str:
    """The SHA-256 (hex) of a file the app just wrote, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(block_bytes):
            digest.update(block)
    return digest.hexdigest()
