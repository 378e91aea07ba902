"""Evidence files kept safe: a copy of each file in the data folder's evidence store,
named by its SHA-256 (so a stick or a desktop file can vanish), and whether the file
an evidence record names is still there and still the same.

The store is `evidence/` in the data folder: `<sha256><.ext>`, the extension kept so
that the system's program opens a copy as it would the original. A copy is written
crash-safely, streamed block by block, and only if its content is the one recorded:
a file that changed since it was recorded is refused (record it again first). Every
backup folder keeps an evidence store beside its backups (copy_store): the data
folder's `backups/evidence` (the daily and manual backups) and a stick's
`cchc-backups/evidence`. Copies are named by their content, so the one store serves
all the folder's backups and an unchanged file is copied once; a restore brings
back, from the store beside the backup, the copies its database records
(bring_back_copies).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from .errors import EditRefused
from .files import MISSING, NOT_REGULAR, FileRefused, open_regular
from .paths import EVIDENCE_DIR_NAME
from .mode import refuse_in_read_only
from .safe_write import fsync_directory, write_blocks_atomically
from .vocab import EditRefusal, WriteKind

# The largest evidence file the app copies (a scanned report is a few MB).
COPY_LIMIT_BYTES = 512 * 1024 * 1024

# How much of a file is read at a time to hash it.
HASH_BLOCK_BYTES = 1 << 20

# What the file an evidence record names is now.
FILE_OK = "ok"
FILE_MISSING = "missing"  # not there (a stick taken out, a file moved or deleted)
FILE_CHANGED = "changed"  # there, but its content is not the one recorded

_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def copy_name(sha256: str, file_name: str | None) -> str:
    suffix = Path(file_name or "").suffix
    return sha256 + (suffix.lower() if _SUFFIX.match(suffix) else "")


def kept_copy(store_dir: Path, sha256: str | None, file_name: str | None) -> Path | None:
    """The store's copy of a recorded file, if there is one."""
    if not sha256:
        return None
    path = store_dir / copy_name(sha256, file_name)
    return path if path.is_file() else None


def digest_file(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read through the safe opener in 1 MiB
    blocks (any size: memory stays flat). Raises EditRefused: missing, not a file,
    unreadable."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open_regular(path) as handle:
            while block := handle.read(HASH_BLOCK_BYTES):
                digest.update(block)
                size += len(block)
    except FileRefused as refused:
        raise file_refusal(refused, path) from None
    except OSError as error:
        raise EditRefused(EditRefusal.FILE_UNREADABLE, "file", str(path)) from error
    return digest.hexdigest(), size


def file_refusal(refused: FileRefused, path: Path) -> EditRefused:
    """The evidence form's refusal of a file the safe opener would not read: gone,
    not a regular file (a folder, a FIFO, a device), or unreadable."""
    if refused.problem == MISSING:
        return EditRefused(EditRefusal.FILE_MISSING, "file", str(path))
    if refused.problem == NOT_REGULAR:
        return EditRefused(EditRefusal.NOT_A_FILE, "file", str(path))
    return EditRefused(EditRefusal.FILE_UNREADABLE, "file", str(path))


def keep_copy(source: Path, store_dir: Path, sha256: str, file_name: str | None) -> Path:
    """Copy the recorded file into the store (nothing to do when a copy is there).
    The file is streamed in HASH_BLOCK_BYTES blocks through the safe opener into a
    temp file in the store, hashed while copied, and placed under its name only if
    its digest is the recorded one (safe_write.write_blocks_atomically): memory stays
    flat, and a kill or a failure midway leaves nothing under that name. It may take
    seconds on a large file: a screen calls it in a worker.
    Raises EditRefused: the file is missing or unreadable, or FILE_CHANGED when its
    content is no longer the one recorded (nothing is kept then); OSError from the
    store's disk."""
    kept = kept_copy(store_dir, sha256, file_name)
    if kept is not None:
        return kept
    source = Path(source)
    target = store_dir / copy_name(sha256, file_name)
    refuse_in_read_only(WriteKind.EXPORT, target)

    def accept(digest: str) -> None:
        if digest != sha256:
            raise EditRefused(EditRefusal.FILE_CHANGED, "file", str(source))

    with _open_copy(source) as handle:
        store_dir.mkdir(parents=True, exist_ok=True)
        write_blocks_atomically(target, _blocks(handle, source), accept=accept)
    return target


def _open_copy(source: Path) -> BinaryIO:
    """A file to copy, open through the safe opener (at most COPY_LIMIT_BYTES).
    Raises EditRefused: missing, not a file, too large or unreadable."""
    try:
        return open_regular(source, max_size=COPY_LIMIT_BYTES)
    except FileRefused as refused:
        raise file_refusal(refused, source) from None
    except OSError as error:
        raise EditRefused(EditRefusal.FILE_UNREADABLE, "file", str(source)) from error


class _Damaged(Exception):
    """A copy in the store whose content is not the one its name says."""


def _named_by(name: str, digest: str) -> None:
    if digest != name.split(".")[0]:
        raise _Damaged(name)


def _blocks(handle: BinaryIO, source: Path) -> Iterator[bytes]:
    """The blocks of an open evidence file, one at a time. One that grows past
    COPY_LIMIT_BYTES while read is refused as changed (it is no longer the file
    recorded, which the opener found within the limit)."""
    read = 0
    while True:
        try:
            block = handle.read(HASH_BLOCK_BYTES)
        except OSError as error:
            raise EditRefused(EditRefusal.FILE_UNREADABLE, "file", str(source)) from error
        if not block:
            return
        read += len(block)
        if read > COPY_LIMIT_BYTES:
            raise EditRefused(EditRefusal.FILE_CHANGED, "file", str(source))
        yield block


@dataclass
class FileChecker:
    """The state of recorded files, with the digests it computed by (path, size,
    mtime): a list checked again in the same session reads only files that changed.
    Hashing streams the file (digest_file); state() may take seconds on a large
    file, so a screen asks known_state() at once and state() in a worker."""

    _digests: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def state(self, path: str | None, sha256: str | None, size: int | None) -> str:
        """FILE_OK, FILE_MISSING or FILE_CHANGED for a recorded file (hashes it
        unless its digest is known)."""
        known, key = self._look(path, sha256, size)
        if known is not None:
            return known
        assert path is not None and key is not None  # _look answers for no file
        try:
            digest, _size = digest_file(Path(path))
        except EditRefused as refused:
            return FILE_MISSING if refused.code == EditRefusal.FILE_MISSING else (
                FILE_CHANGED)
        self._digests[key] = digest
        return FILE_OK if digest == sha256 else FILE_CHANGED

    def known_state(self, path: str | None, sha256: str | None,
                    size: int | None) -> str | None:
        """The state when it is known without reading the file (no file recorded,
        nothing there, another size, a digest computed before for this size and
        mtime); None when only state() (hashing the file) can tell."""
        return self._look(path, sha256, size)[0]

    def _look(self, path: str | None, sha256: str | None, size: int | None,
              ) -> tuple[str | None, tuple[str, int, int] | None]:
        """(the state, None) when it is known without reading, else (None, the
        digest's key)."""
        if not path:
            return FILE_OK, None
        try:
            found = os.stat(path)
        except OSError:
            return FILE_MISSING, None
        if size is not None and found.st_size != size:
            return FILE_CHANGED, None
        key = (path, found.st_size, found.st_mtime_ns)
        digest = self._digests.get(key)
        if digest is None:
            return None, key
        return (FILE_OK if digest == sha256 else FILE_CHANGED), None


def copy_store(store_dir: Path, target_dir: Path, *, skip_unreadable: bool = False) -> int:
    """Copy the evidence store into target_dir/evidence (a backup's folder: a stick,
    the data folder's backups): only the copies it does not hold yet, each checked
    against its name. Returns how many were copied."""
    return copy_copies(store_dir, target_dir / EVIDENCE_DIR_NAME,
                       skip_unreadable=skip_unreadable)


def copy_copies(store_dir: Path, target: Path, names: set[str] | None = None, *,
                skip_unreadable: bool = False) -> int:
    """Copy the copies of store_dir (those of `names` only, when given) that target
    does not hold yet, each checked against its name: a copy damaged in one store is
    not spread to the other. Copies are named by their content, so a copy already
    there is the same file and is never written again. A copy that cannot be read
    raises EditRefused, or (skip_unreadable) is passed over. Returns how many were
    copied."""
    if not store_dir.is_dir():
        return 0
    copied = 0
    for source in sorted(store_dir.iterdir()):
        if source.name.startswith(".") or not source.is_file():
            continue
        if names is not None and source.name not in names:
            continue
        destination = target / source.name
        if destination.is_file():
            continue
        try:
            with _open_copy(source) as handle:
                target.mkdir(parents=True, exist_ok=True)
                write_blocks_atomically(destination, _blocks(handle, source),
                                        accept=partial(_named_by, source.name),
                                        sync_folder=False)
        except _Damaged:
            continue  # a copy damaged in one store is not spread to the other
        except EditRefused:
            if skip_unreadable:
                continue
            raise
        copied += 1
    if copied:
        fsync_directory(target)
    return copied


def copies_named_in(db_path: Path) -> set[str]:
    """The store's names of the copies a unit's database file records (its
    evidence with a file), read-only. Raises sqlite3.Error."""
    from .connect import connect

    connection = connect(db_path, read_only=True)
    try:
        rows = connection.execute(
            "SELECT file_sha256, file_name FROM evidence WHERE file_sha256 IS NOT NULL"
        ).fetchall()
    finally:
        connection.close()
    return {copy_name(sha256, file_name) for sha256, file_name in rows}


def bring_back_copies(backup: Path, db_path: Path, store_dir: Path) -> int:
    """After a restore: the copies the restored database records that the data
    folder's store lacks, taken from the evidence store beside the backup (every
    backup folder keeps one: the daily backups', a stick's). Returns how many."""
    names = copies_named_in(db_path)
    if not names:
        return 0
    return copy_copies(Path(backup).parent / EVIDENCE_DIR_NAME, store_dir, names,
                       skip_unreadable=True)


def tasks_with_file_problems(session, assessment_id: int,  # noqa: ANN001 - a Session
                             checker: FileChecker) -> dict[int, str]:
    """task id -> FILE_MISSING or FILE_CHANGED for the assessment's tasks with an
    evidence file that is not there or not the one recorded (missing first)."""
    from sqlalchemy import select

    from .models import Evidence, Task

    found: dict[int, str] = {}
    for task_id, path, sha256, size in session.execute(
            select(Evidence.task_id, Evidence.file_path, Evidence.file_sha256,
                   Evidence.file_size)
            .join(Task, Task.id == Evidence.task_id)
            .where(Task.assessment_id == assessment_id, Evidence.file_path.is_not(None))
            .order_by(Evidence.task_id, Evidence.position)):
        state = checker.state(path, sha256, size)
        if state != FILE_OK and found.get(task_id) != FILE_MISSING:
            found[task_id] = state
    return found
