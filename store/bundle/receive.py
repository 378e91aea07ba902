"""Taking bundles into a review database, following the verdict tables of bundle-v1
and of bundle-v2 (Signatures and keys: per sender code, a key held or not).

One call per bundle:

    result = receive_bundle(db, data, file_name)     # or receive_file(db, path)
    result.verdict  # a store.vocab.Verdict: accepted, already_imported,
                    # conflicting_id, older_than_held or refused

Many bundles (a province's units): parsing and checking is the costly part and
needs no database, so it can run in a process pool while one writer stores:

    with ProcessPoolExecutor() as pool:
        for path, prepared in zip(paths, pool.map(parse_file_for_receive, paths,
                                                  chunksize=16)):
            result = store_received(db, prepared, path.name)

PreparedBundle is a plain picklable value. store_received() decides the verdict
and writes in one transaction (BEGIN IMMEDIATE): an accepted bundle replaces the
unit's snapshot and is kept on record in ReceivedBundle (and, signed while no key
was held for the unit, its key is kept: trust on first use); every other verdict
writes nothing, so the database file stays byte-for-byte the same. It raises only
when the database itself fails (locked past the busy timeout, disk full), after
rolling back.

The order of the checks: the same bundle already held is "already imported"
whatever else (it changes nothing, so receiving a folder again stays quiet); then
the key rules; then the version 1 verdicts against the unit's current bundle (the
newest accepted one that was not set aside).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..clock import now_utc
from ..snapshot import (AssessmentRows, assessment_rows, raw_connection, replace_unit_in,
                        sql_instant)
from ..vocab import KeySource, Verdict
from .digest import sha256_hex
from .reader import read_bundle, read_file_limited
from .results import BundleWarning, Refusal
from .signing import b64, fingerprint

if TYPE_CHECKING:
    from ..db import Database

# A sequence this far above the unit's current one is accepted only with a warning
# that names the jump (a file claiming sequence 2^53 - 1 would otherwise make every
# later genuine file "older than held").
MAX_SEQUENCE_STEP = 100


@dataclass(frozen=True)
class PreparedBundle:
    """A bundle read and checked, ready to store (picklable: plain values only).

    refusal is set when the bundle was refused; the other fields are then empty.
    unit is the bundle's unit (NFC); rows are its assessments as table rows, derived
    columns computed (store.snapshot.assessment_rows), so the writer only inserts;
    content is the zlib-compressed RFC 8785 form of the bundle as sent, without
    integrity and signature (its SHA-256 is sha256); public_key is the base64 of
    the key whose signature verified (None: unsigned, a version 1 file).
    """

    refusal: Refusal | None = None
    bundle_id: str = ""
    sha256: str = ""
    unit: dict[str, Any] | None = None
    sequence: int = 0
    previous_sha256: str | None = None
    created_at: str = ""
    rows: list[AssessmentRows] | None = None
    content: bytes = b""
    warnings: tuple[BundleWarning, ...] = ()
    version: int = 0
    public_key: str | None = None
    fingerprint: str | None = None
    assignments_held: tuple[dict[str, Any], ...] = ()
    file_sha256: str = ""  # of the file's raw bytes (store.review.held_files)


@dataclass(frozen=True)
class ReceiveResult:
    """What happened to one bundle.

    warnings: points_sum_mismatch (from the reader), gap (details first, last: the
    sequence numbers never received), jump (details held, received, jump: more than
    MAX_SEQUENCE_STEP above the current sequence), fork (details previous_sha256,
    held_sha256), key_taken_on_first_use (details fingerprint), unsigned.
    For older_than_held, held_sequence and held_created_at (RFC 3339 as sent) name
    what the database already holds. received_id is the ReceivedBundle row of an
    accepted or already imported bundle; set_aside tells that the bundle already
    imported was set aside since. fingerprint: of the key that signed the file.
    The key refusals (verdict "refused"): other_key (details code, held, found),
    unsigned_with_key_held (details code, held), key_of_another_sender (details
    code, other, found).
    """

    verdict: Verdict
    file_name: str
    unit_code: str | None = None
    sequence: int | None = None
    bundle_id: str | None = None
    sha256: str | None = None
    created_at: str | None = None
    warnings: tuple[BundleWarning, ...] = ()
    refusal: Refusal | None = None
    held_sequence: int | None = None
    held_created_at: str | None = None
    received_id: int | None = None
    fingerprint: str | None = None
    set_aside: bool = False

    @property
    def accepted(self) -> bool:
        return self.verdict == Verdict.ACCEPTED

    @property
    def changed_nothing(self) -> bool:
        return self.verdict != Verdict.ACCEPTED


def parse_for_receive(data: bytes) -> PreparedBundle:
    """Read and check untrusted bytes (no database). Never raises."""
    read = read_bundle(data)
    if not read.ok:
        return PreparedBundle(refusal=read.refusal)
    bundle = read.bundle
    assert bundle is not None and read.canonical is not None and read.sha256 is not None
    dumped = bundle.model_dump(include={"unit", "assessments", "assignments_held"})
    return PreparedBundle(
        bundle_id=bundle.bundle_id, sha256=read.sha256, unit=dumped["unit"],
        sequence=bundle.sequence, previous_sha256=bundle.previous_sha256,
        created_at=bundle.created_at,
        rows=[assessment_rows(assessment) for assessment in dumped["assessments"]],
        content=zlib.compress(read.canonical), warnings=read.warnings,
        version=bundle.version,
        public_key=None if read.public_key is None else b64(read.public_key),
        fingerprint=None if read.public_key is None else fingerprint(read.public_key),
        assignments_held=tuple(dumped.get("assignments_held", ())))


def parse_file_for_receive(path: str | os.PathLike[str]) -> PreparedBundle:
    """parse_for_receive() of a file, its size checked before it is read."""
    refusal, data = read_file_limited(Path(path))
    if refusal is not None:
        return PreparedBundle(refusal=refusal)
    prepared = parse_for_receive(data)
    if prepared.refusal is not None:
        return prepared
    return replace(prepared, file_sha256=sha256_hex(data))


def parse_files_for_receive(paths: list[str | os.PathLike[str]]) -> list[PreparedBundle]:
    """parse_file_for_receive() of each file (one task of a receiver's worker)."""
    return [parse_file_for_receive(path) for path in paths]


def receive_bundle(db: Database, data: bytes, file_name: str) -> ReceiveResult:
    return store_received(db, parse_for_receive(data), file_name)


def receive_file(db: Database, path: str | os.PathLike[str]) -> ReceiveResult:
    return store_received(db, parse_file_for_receive(path), Path(path).name)


def store_received(db: Database, prepared: PreparedBundle, file_name: str,
                   task_owners: "TaskOwners | None" = None) -> ReceiveResult:
    """Apply the verdict table to a prepared bundle, in one write transaction.

    task_owners: who holds the task ids of the bundles being stored together (one
    query for a whole group, see receive_files); without it, one query here."""
    if prepared.refusal is not None:
        return ReceiveResult(Verdict.REFUSED, file_name, refusal=prepared.refusal)
    with db.write() as session:
        return _store(raw_connection(session), prepared, file_name, task_owners)


_INSERT_RECEIVED = ("INSERT INTO receivedbundle (unit_code, bundle_id, sequence, sha256, "
                    "previous_sha256, created_at, file_name, imported_at, warnings, content, "
                    "version, public_key, key_fingerprint, assignments_held, set_aside_at, "
                    "set_aside_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)")


def _store(connection: sqlite3.Connection, prepared: PreparedBundle, file_name: str,
           task_owners: "TaskOwners | None") -> ReceiveResult:
    """store_received() inside its transaction, in plain sqlite3 (the hot path of a
    receive: the ORM cost more than everything else the writer does)."""
    assert prepared.unit is not None and prepared.rows is not None
    unit_code = prepared.unit["code"]
    known = {"file_name": file_name, "unit_code": unit_code, "sequence": prepared.sequence,
             "bundle_id": prepared.bundle_id, "sha256": prepared.sha256,
             "created_at": prepared.created_at, "fingerprint": prepared.fingerprint}
    same_id = connection.execute(
        "SELECT id, sha256, set_aside_at FROM receivedbundle WHERE bundle_id = ?",
        (prepared.bundle_id,)).fetchone()
    if same_id is not None and same_id[1] == prepared.sha256:
        return ReceiveResult(Verdict.ALREADY_IMPORTED, received_id=same_id[0],
                             set_aside=same_id[2] is not None, **known)
    held_key, holder_of_key = keys_held_in(connection, unit_code, prepared.public_key)
    refusal = key_refusal(unit_code, held_key, holder_of_key, prepared.public_key,
                          prepared.fingerprint)
    if refusal is not None:
        return ReceiveResult(Verdict.REFUSED, refusal=refusal, **known)
    if same_id is not None:
        return ReceiveResult(Verdict.CONFLICTING_ID, **known)
    held = current_bundle_in(connection, unit_code)
    if held is not None and prepared.sequence <= held.sequence:
        return ReceiveResult(Verdict.OLDER_THAN_HELD, held_sequence=held.sequence,
                             held_created_at=held.created_at, **known)
    if task_owners is None:
        task_owners = TaskOwners(connection, [prepared.rows])
    taken = task_owners.first_taken(unit_code, prepared.rows)
    if taken is not None:
        return ReceiveResult(Verdict.REFUSED, **known, refusal=Refusal(
            "task_id_taken", taken[0], {"value": taken[1]}))
    warnings = list(prepared.warnings)
    if prepared.public_key is None:
        warnings.append(BundleWarning("unsigned", "$"))
    elif held_key is None:
        warnings.append(BundleWarning("key_taken_on_first_use", "$.signature.public_key",
                                      {"fingerprint": prepared.fingerprint}))
    warnings.extend(sequence_warnings(held, prepared.sequence, prepared.previous_sha256))
    replace_unit_in(connection, prepared.unit, prepared.rows)
    task_owners.replaced(unit_code, prepared.rows)
    now = now_utc()
    record_id = connection.execute(_INSERT_RECEIVED, (
        unit_code, prepared.bundle_id, prepared.sequence, prepared.sha256,
        prepared.previous_sha256, prepared.created_at, file_name, sql_instant(now),
        json.dumps([asdict(w) for w in warnings], ensure_ascii=False), prepared.content,
        prepared.version, prepared.public_key, prepared.fingerprint,
        json.dumps(list(prepared.assignments_held), ensure_ascii=False))).lastrowid
    if held_key is None and prepared.public_key is not None:
        keep_first_key_in(connection, unit_code, prepared.public_key, prepared.fingerprint,
                          now, record_id)
    return ReceiveResult(Verdict.ACCEPTED, warnings=tuple(warnings), received_id=record_id,
                         **known)


class HeldBundle(NamedTuple):
    id: int
    sequence: int
    sha256: str
    created_at: str


class HeldKey(NamedTuple):
    sender_code: str
    public_key: str
    fingerprint: str


def current_bundle(session, unit_code: str) -> HeldBundle | None:  # noqa: ANN001 - Session
    """The unit's current bundle (id, sequence, sha256, created_at): the newest
    accepted one that was not set aside; None if there is none."""
    return current_bundle_in(raw_connection(session), unit_code)


def current_bundle_in(connection: sqlite3.Connection, unit_code: str) -> HeldBundle | None:
    found = connection.execute(
        "SELECT id, sequence, sha256, created_at FROM receivedbundle "
        "WHERE unit_code = ? AND set_aside_at IS NULL ORDER BY sequence DESC LIMIT 1",
        (unit_code,)).fetchone()
    return None if found is None else HeldBundle(*found)


def keys_involved(session, sender_code: str,  # noqa: ANN001 - Session
                  public_key: str | None) -> tuple[HeldKey | None, str | None]:
    """(the key held for sender_code, the code another sender holds public_key for),
    in one query; each None when there is none. A sender is a unit (its progress) or
    an issuer (its assignments, in a unit's database)."""
    return keys_held_in(raw_connection(session), sender_code, public_key)


def keys_held_in(connection: sqlite3.Connection, sender_code: str,
                 public_key: str | None) -> tuple[HeldKey | None, str | None]:
    if public_key is None:
        rows = connection.execute("SELECT sender_code, public_key, fingerprint FROM senderkey "
                                  "WHERE sender_code = ?", (sender_code,))
    else:
        rows = connection.execute("SELECT sender_code, public_key, fingerprint FROM senderkey "
                                  "WHERE sender_code = ? OR public_key = ?",
                                  (sender_code, public_key))
    held = other = None
    for row in rows:
        if row[0] == sender_code:
            held = HeldKey(*row)
        else:
            other = row[0]
    return held, other


def key_refusal(sender_code: str, held_key, holder_of_key: str | None,  # noqa: ANN001
                public_key: str | None, found_fingerprint: str | None) -> Refusal | None:
    """The key rules of bundle-v2 (the signature itself was verified by the reader).
    held_key: the key held for the sender (a row); holder_of_key: the code the file's
    key is held for, when another sender's; public_key: the file's (base64), None
    when unsigned."""
    if held_key is not None:
        if public_key is None:
            return Refusal("unsigned_with_key_held", "$",
                           {"code": sender_code, "held": held_key.fingerprint})
        if public_key != held_key.public_key:
            return Refusal("other_key", "$.signature.public_key",
                           {"code": sender_code, "held": held_key.fingerprint,
                            "found": found_fingerprint})
        return None
    # Trust on first use must not let one sender's key speak for another code.
    if holder_of_key is not None:
        return Refusal("key_of_another_sender", "$.signature.public_key",
                       {"code": sender_code, "other": holder_of_key,
                        "found": found_fingerprint})
    return None


def keep_first_key(session, sender_code: str, public_key: str,  # noqa: ANN001 - Session
                   found_fingerprint: str | None, at: dt.datetime,
                   from_bundle_id: int | None) -> None:
    """Hold the key of a sender's first signed file (trust on first use), unconfirmed,
    and record it in the sender's key history."""
    keep_first_key_in(raw_connection(session), sender_code, public_key, found_fingerprint,
                      at, from_bundle_id)


def keep_first_key_in(connection: sqlite3.Connection, sender_code: str, public_key: str,
                      found_fingerprint: str | None, at: dt.datetime,
                      from_bundle_id: int | None) -> None:
    pinned_at = sql_instant(at)
    connection.execute(
        "INSERT INTO senderkey (sender_code, public_key, fingerprint, pinned_at, source, "
        "confirmed, confirmed_at, by, from_bundle_id) VALUES (?,?,?,?,?,0,NULL,NULL,?)",
        (sender_code, public_key, found_fingerprint, pinned_at, KeySource.FIRST_USE.value,
         from_bundle_id))
    connection.execute(
        "INSERT INTO keyevent (sender_code, at, by, action, fingerprint, "
        "previous_fingerprint) VALUES (?,?,NULL,?,?,NULL)",
        (sender_code, pinned_at, KeySource.FIRST_USE.value, found_fingerprint))


def sequence_warnings(held, sequence: int,  # noqa: ANN001 - a row with sequence, sha256
                      previous_sha256: str | None) -> list[BundleWarning]:
    """A jump, a gap or a fork in a sender's sequence, against the held file `held`."""
    held_sequence = 0 if held is None else held.sequence
    if sequence - held_sequence > MAX_SEQUENCE_STEP:
        return [BundleWarning("jump", "$.sequence", {
            "held": held_sequence, "received": sequence, "jump": sequence - held_sequence})]
    if held is None:
        return []
    if sequence > held.sequence + 1:
        return [BundleWarning("gap", "$.sequence", {
            "first": held.sequence + 1, "last": sequence - 1})]
    if previous_sha256 is not None and previous_sha256 != held.sha256:
        return [BundleWarning("fork", "$.previous_sha256", {
            "previous_sha256": previous_sha256, "held_sha256": held.sha256})]
    return []


# SQLite allows 32,766 parameters; a bundle holds at most 50 x 5,000 tasks.
_IDS_PER_QUERY = 30_000


class TaskOwners:
    """The unit code holding each task id that some bundles bring, read in one query
    for all of them (a group of bundles stored in one transaction) and kept up to date
    as they are stored: task ids are unique in a database, and one unit's bundle must
    never take over another's tasks."""

    def __init__(self, connection: sqlite3.Connection,
                 assessments_of_bundles: Iterable[list[AssessmentRows]]) -> None:
        uids = list({uid: None for assessments in assessments_of_bundles
                     for rows in assessments for uid in rows.task_uids})
        self._owner: dict[str, str] = {}
        for start in range(0, len(uids), _IDS_PER_QUERY):
            part = uids[start:start + _IDS_PER_QUERY]
            self._owner.update(connection.execute(
                "SELECT task.uid, unit.code FROM task "
                "JOIN assessment ON task.assessment_id = assessment.id "
                "JOIN unit ON assessment.unit_id = unit.id "
                f"WHERE task.uid IN ({', '.join('?' * len(part))})", part))

    def first_taken(self, unit_code: str,
                    assessments: list[AssessmentRows]) -> tuple[str, str] | None:
        """(path, id) of the first task id of the bundle that another unit holds."""
        paths = {uid: f"$.assessments[{a}].tasks[{t}].id"
                 for a, rows in enumerate(assessments)
                 for t, uid in enumerate(rows.task_uids)}
        first = next((uid for uid in paths
                      if self._owner.get(uid, unit_code) != unit_code), None)
        return None if first is None else (paths[first], first)

    def replaced(self, unit_code: str, assessments: list[AssessmentRows]) -> None:
        """The unit's tasks are now exactly those of `assessments`."""
        self._owner = {uid: owner for uid, owner in self._owner.items() if owner != unit_code}
        self._owner.update((uid, unit_code) for rows in assessments for uid in rows.task_uids)


def received_content(content: bytes) -> dict[str, Any]:
    """A ReceivedBundle's content as the bundle object sent (without integrity and
    signature; strings as sent, not normalised)."""
    return json.loads(zlib.decompress(content))
