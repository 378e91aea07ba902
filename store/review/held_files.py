"""The files a receive has read, so that receiving a folder again skips what is held.

Receiving a stick's folder a second time used to read, validate and digest every
file again only to find each one "already imported". A file's bytes decide what the
reader makes of them, so the receive notes, for every file it read without a
refusal, the SHA-256 of its raw bytes beside what the reader found (bundle id,
digest, unit, sequence, created_at, signer). Next time, a file with the same raw
bytes whose bundle the database still holds with that digest is "already imported"
without being read again, exactly as the full path would say; any other file (a
changed byte, a bundle no longer held, set aside or not) goes the full way, so a
changed file is still refused.

The notes live beside the database in `<database>.read-files` (JSON lines), never in
it: a re-receive leaves the database's bytes as they were. They are only a cache:
written after a batch, ignored when missing, damaged, or made by another reader (a
fingerprint of the reader's source heads the file), and checked against the database
each time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.bundle.receive import PreparedBundle, ReceiveResult

log = logging.getLogger(__name__)

SUFFIX = ".read-files"
# The reader's modules: what they make of a file's bytes is what the notes record.
_READER_MODULES = ("reader", "models", "rules", "digest", "signing", "assignment", "results",
                   "receive")
_BUNDLE_IDS_PER_QUERY = 30_000


@dataclass(frozen=True)
class ReadFile:
    """What the reader found in a file's bytes (a PreparedBundle without refusal)."""

    bundle_id: str
    sha256: str
    unit_code: str
    sequence: int
    created_at: str
    fingerprint: str | None

    @classmethod
    def of(cls, prepared: "PreparedBundle") -> "ReadFile":
        assert prepared.unit is not None
        return cls(prepared.bundle_id, prepared.sha256, prepared.unit["code"],
                   prepared.sequence, prepared.created_at, prepared.fingerprint)


def notes_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def _reader_mark() -> str | None:
    """A fingerprint of the reader's source; None when it cannot be read (the notes
    are then not used)."""
    folder = Path(__file__).resolve().parent.parent / "bundle"
    digest = hashlib.sha256()
    try:
        for name in _READER_MODULES:
            digest.update((folder / f"{name}.py").read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def load_notes(database: Path) -> dict[str, ReadFile]:
    """raw digest -> what was read; empty when there are no usable notes."""
    mark = _reader_mark()
    path = notes_path(database)
    if mark is None or not path.is_file():
        return {}
    notes: dict[str, ReadFile] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.readline().strip() != mark:
                return {}
            for line in handle:
                raw, *found = json.loads(line)
                notes[raw] = ReadFile(*found)
    except (OSError, ValueError, TypeError) as error:
        log.warning("the receive's notes %s are not usable: %s", path, error)
        return {}
    return notes


def add_notes(database: Path, read: Iterable[tuple[str, ReadFile]],
              known: dict[str, ReadFile]) -> None:
    """Add what was read to the notes (those already known are not written again);
    a failure to write them only costs the next receive its shortcut."""
    mark = _reader_mark()
    new = [(raw, found) for raw, found in read if known.get(raw) != found]
    if mark is None or not new:
        return
    path = notes_path(database)
    try:
        fresh = not known
        if not fresh:  # the file may have been made by another reader meanwhile
            with open(path, encoding="utf-8") as handle:
                fresh = handle.readline().strip() != mark
        with open(path, "w" if fresh else "a", encoding="utf-8") as handle:
            if fresh:
                handle.write(mark + "\n")
                new = list(known.items()) + new
            handle.writelines(json.dumps([raw, *_fields(found)], ensure_ascii=False) + "\n"
                              for raw, found in new)
    except OSError as error:
        log.warning("could not write the receive's notes %s: %s", path, error)


def _fields(found: ReadFile) -> list[object]:
    return [found.bundle_id, found.sha256, found.unit_code, found.sequence, found.created_at,
            found.fingerprint]


def held_results(connection: sqlite3.Connection, files: Sequence[Path],
                 notes: dict[str, ReadFile],
                 read: Callable[[Path], bytes | None]) -> dict[Path, "ReceiveResult"]:
    """The verdicts of the files whose raw bytes were read before and whose bundle the
    database holds with the same digest: "already imported", as the full path says."""
    from store.bundle.digest import sha256_hex
    from store.bundle.receive import ReceiveResult
    from store.vocab import Verdict

    candidates: dict[Path, ReadFile] = {}
    if notes:
        for path in files:
            data = read(path)
            found = None if data is None else notes.get(sha256_hex(data))
            if found is not None:
                candidates[path] = found
    bundle_ids = list({found.bundle_id for found in candidates.values()})
    held: dict[str, tuple[int, str, object]] = {}
    for start in range(0, len(bundle_ids), _BUNDLE_IDS_PER_QUERY):
        part = bundle_ids[start:start + _BUNDLE_IDS_PER_QUERY]
        held.update((bundle_id, (received_id, sha256, set_aside_at))
                    for bundle_id, received_id, sha256, set_aside_at in connection.execute(
                        "SELECT bundle_id, id, sha256, set_aside_at FROM receivedbundle "
                        f"WHERE bundle_id IN ({', '.join('?' * len(part))})", part))
    results: dict[Path, ReceiveResult] = {}
    for path, found in candidates.items():
        row = held.get(found.bundle_id)
        if row is None or row[1] != found.sha256:
            continue
        results[path] = ReceiveResult(
            Verdict.ALREADY_IMPORTED, path.name, unit_code=found.unit_code,
            sequence=found.sequence, bundle_id=found.bundle_id, sha256=found.sha256,
            created_at=found.created_at, received_id=row[0], fingerprint=found.fingerprint,
            set_aside=row[2] is not None)
    return results


def _read_for_digest(path: Path) -> bytes | None:
    """A file's bytes for its raw digest (None: not a regular readable file within the
    format's size limit, which was never noted; the full path says why)."""
    from store.files import FileRefused, read_regular
    from store.vocab import MAX_BUNDLE_BYTES

    try:
        return read_regular(path, MAX_BUNDLE_BYTES)
    except (FileRefused, OSError):
        return None


def held_in(database: Path, files: Sequence[Path],
            notes: dict[str, ReadFile]) -> dict[Path, "ReceiveResult"]:
    """held_results() read through a plain mode=ro sqlite3 connection, before the
    database is opened for writing (so a folder that is all held costs no SQLAlchemy,
    no startup check, no write); {} unless the database is in the current schema."""
    from store import vocab
    from store.connect import connect, read_user_version

    if not notes or not database.is_file():
        return {}
    try:
        if read_user_version(database) != vocab.SCHEMA_VERSION:
            return {}
        connection = connect(database, read_only=True)
        try:
            return held_results(connection, files, notes, _read_for_digest)
        finally:
            connection.close()
    except sqlite3.Error:
        log.info("the held files could not be looked up in %s", database, exc_info=True)
        return {}
