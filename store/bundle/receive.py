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
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from ..clock import now_utc
from ..db import Database
from ..models import Assessment, KeyEvent, ReceivedBundle, SenderKey, Task, Unit
from ..snapshot import AssessmentRows, assessment_rows, replace_unit_rows
from ..vocab import KeySource, Verdict
from .reader import read_bundle, read_file_limited
from .results import BundleWarning, Refusal
from .signing import b64, fingerprint

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
    return parse_for_receive(data)


def receive_bundle(db: Database, data: bytes, file_name: str) -> ReceiveResult:
    return store_received(db, parse_for_receive(data), file_name)


def receive_file(db: Database, path: str | os.PathLike[str]) -> ReceiveResult:
    return store_received(db, parse_file_for_receive(path), Path(path).name)


def store_received(db: Database, prepared: PreparedBundle, file_name: str) -> ReceiveResult:
    """Apply the verdict table to a prepared bundle, in one write transaction."""
    if prepared.refusal is not None:
        return ReceiveResult(Verdict.REFUSED, file_name, refusal=prepared.refusal)
    assert prepared.unit is not None and prepared.rows is not None
    unit_code = prepared.unit["code"]
    known = {"file_name": file_name, "unit_code": unit_code, "sequence": prepared.sequence,
             "bundle_id": prepared.bundle_id, "sha256": prepared.sha256,
             "created_at": prepared.created_at, "fingerprint": prepared.fingerprint}
    with db.write() as session:
        same_id = session.execute(
            select(ReceivedBundle.id, ReceivedBundle.sha256, ReceivedBundle.set_aside_at)
            .where(ReceivedBundle.bundle_id == prepared.bundle_id)).first()
        if same_id is not None and same_id.sha256 == prepared.sha256:
            return ReceiveResult(Verdict.ALREADY_IMPORTED, received_id=same_id.id,
                                 set_aside=same_id.set_aside_at is not None, **known)
        held_key, holder_of_key = keys_involved(session, unit_code, prepared.public_key)
        refusal = key_refusal(unit_code, held_key, holder_of_key, prepared.public_key,
                              prepared.fingerprint)
        if refusal is not None:
            return ReceiveResult(Verdict.REFUSED, refusal=refusal, **known)
        if same_id is not None:
            return ReceiveResult(Verdict.CONFLICTING_ID, **known)
        held = current_bundle(session, unit_code)
        if held is not None and prepared.sequence <= held.sequence:
            return ReceiveResult(Verdict.OLDER_THAN_HELD, held_sequence=held.sequence,
                                 held_created_at=held.created_at, **known)
        taken = _task_id_of_another_unit(session, unit_code, prepared.rows)
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
        replace_unit_rows(session, prepared.unit, prepared.rows)
        now = now_utc()
        record = ReceivedBundle(
            unit_code=unit_code, bundle_id=prepared.bundle_id, sequence=prepared.sequence,
            sha256=prepared.sha256, previous_sha256=prepared.previous_sha256,
            created_at=prepared.created_at, file_name=file_name, imported_at=now,
            warnings=json.dumps([asdict(w) for w in warnings], ensure_ascii=False),
            content=prepared.content, version=prepared.version,
            public_key=prepared.public_key, key_fingerprint=prepared.fingerprint,
            assignments_held=json.dumps(list(prepared.assignments_held), ensure_ascii=False))
        session.add(record)
        session.flush()
        if held_key is None and prepared.public_key is not None:
            keep_first_key(session, unit_code, prepared.public_key, prepared.fingerprint,
                           now, record.id)
        return ReceiveResult(Verdict.ACCEPTED, warnings=tuple(warnings), received_id=record.id,
                             **known)


def current_bundle(session, unit_code: str):  # noqa: ANN001, ANN201 - Session, a Row
    """The unit's current bundle (sequence, sha256, created_at, id): the newest
    accepted one that was not set aside; None if there is none."""
    return session.execute(
        select(ReceivedBundle.id, ReceivedBundle.sequence, ReceivedBundle.sha256,
               ReceivedBundle.created_at)
        .where(ReceivedBundle.unit_code == unit_code, ReceivedBundle.set_aside_at.is_(None))
        .order_by(ReceivedBundle.sequence.desc()).limit(1)).first()


def keys_involved(session, sender_code: str, public_key: str | None):  # noqa: ANN001, ANN201
    """(the key held for sender_code, the code another sender holds public_key for),
    in one query; each None when there is none. A sender is a unit (its progress) or
    an issuer (its assignments, in a unit's database)."""
    condition = SenderKey.sender_code == sender_code
    if public_key is not None:
        condition = condition | (SenderKey.public_key == public_key)
    held = other = None
    for row in session.execute(select(SenderKey.sender_code, SenderKey.public_key,
                                      SenderKey.fingerprint).where(condition)):
        if row.sender_code == sender_code:
            held = row
        else:
            other = row.sender_code
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
    # Core inserts, as for the snapshot rows: thousands of first files in a batch
    session.execute(insert(SenderKey.__table__), {  # type: ignore[attr-defined]
        "sender_code": sender_code, "public_key": public_key,
        "fingerprint": found_fingerprint, "pinned_at": at,
        "source": KeySource.FIRST_USE, "confirmed": False, "from_bundle_id": from_bundle_id})
    session.execute(insert(KeyEvent.__table__), {  # type: ignore[attr-defined]
        "sender_code": sender_code, "at": at, "action": KeySource.FIRST_USE,
        "fingerprint": found_fingerprint})


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


def _task_id_of_another_unit(session, unit_code: str,  # noqa: ANN001 - Session
                             assessments: list[AssessmentRows]) -> tuple[str, str] | None:
    """(path, id) of the first task id that another unit already uses: task ids are
    unique in a database, and one unit's bundle must never take over another's tasks."""
    paths = {task["uid"]: f"$.assessments[{a}].tasks[{t}].id"
             for a, assessment in enumerate(assessments)
             for t, task in enumerate(assessment.tasks)}
    if not paths:
        return None
    ids = list(paths)
    taken: set[str] = set()
    # SQLite allows 32,766 parameters; a bundle holds at most 50 x 5,000 tasks.
    for start in range(0, len(ids), 30_000):
        taken.update(session.execute(
            select(Task.uid).join(Assessment, Task.assessment_id == Assessment.id)
            .join(Unit, Assessment.unit_id == Unit.id)
            .where(Task.uid.in_(ids[start:start + 30_000]), Unit.code != unit_code)
        ).scalars())
    first = next((uid for uid in ids if uid in taken), None)
    return None if first is None else (paths[first], first)


def received_content(content: bytes) -> dict[str, Any]:
    """A ReceivedBundle's content as the bundle object sent (without integrity and
    signature; strings as sent, not normalised)."""
    return json.loads(zlib.decompress(content))
