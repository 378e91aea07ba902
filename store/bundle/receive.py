"""Taking bundles into a review database, following the verdict table of bundle-v1.

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
unit's snapshot and is kept on record in ReceivedBundle; every other verdict
writes nothing, so the database file stays byte-for-byte the same. It raises only
when the database itself fails (locked past the busy timeout, disk full), after
rolling back.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..clock import now_utc
from ..db import Database
from ..models import Assessment, ReceivedBundle, Task, Unit
from ..snapshot import AssessmentRows, assessment_rows, replace_unit_rows
from ..vocab import Verdict
from .reader import read_bundle, read_file_limited
from .results import BundleWarning, Refusal


@dataclass(frozen=True)
class PreparedBundle:
    """A bundle read and checked, ready to store (picklable: plain values only).

    refusal is set when the bundle was refused; the other fields are then empty.
    unit is the bundle's unit (NFC); rows are its assessments as table rows, derived
    columns computed (store.snapshot.assessment_rows), so the writer only inserts;
    content is the zlib-compressed RFC 8785 form of the bundle as sent, without
    integrity and signature (its SHA-256 is sha256).
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


@dataclass(frozen=True)
class ReceiveResult:
    """What happened to one bundle.

    warnings: points_sum_mismatch (from the reader), gap (details first, last: the
    sequence numbers never received), fork (details previous_sha256, held_sha256).
    For older_than_held, held_sequence and held_created_at (RFC 3339 as sent) name
    what the database already holds. received_id is the ReceivedBundle row of an
    accepted or already imported bundle.
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
    dumped = bundle.model_dump(include={"unit", "assessments"})
    return PreparedBundle(
        bundle_id=bundle.bundle_id, sha256=read.sha256, unit=dumped["unit"],
        sequence=bundle.sequence, previous_sha256=bundle.previous_sha256,
        created_at=bundle.created_at,
        rows=[assessment_rows(assessment) for assessment in dumped["assessments"]],
        content=zlib.compress(read.canonical), warnings=read.warnings)


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
             "created_at": prepared.created_at}
    with db.write() as session:
        same_id = session.execute(select(ReceivedBundle.id, ReceivedBundle.sha256).where(
            ReceivedBundle.bundle_id == prepared.bundle_id)).first()
        if same_id is not None:
            if same_id.sha256 == prepared.sha256:
                return ReceiveResult(Verdict.ALREADY_IMPORTED, received_id=same_id.id, **known)
            return ReceiveResult(Verdict.CONFLICTING_ID, **known)
        held = session.execute(
            select(ReceivedBundle.sequence, ReceivedBundle.sha256, ReceivedBundle.created_at)
            .where(ReceivedBundle.unit_code == unit_code)
            .order_by(ReceivedBundle.sequence.desc()).limit(1)).first()
        if held is not None and prepared.sequence <= held.sequence:
            return ReceiveResult(Verdict.OLDER_THAN_HELD, held_sequence=held.sequence,
                                 held_created_at=held.created_at, **known)
        taken = _task_id_of_another_unit(session, unit_code, prepared.rows)
        if taken is not None:
            return ReceiveResult(Verdict.REFUSED, **known, refusal=Refusal(
                "task_id_taken", taken[0], {"value": taken[1]}))
        warnings = list(prepared.warnings)
        if held is not None:
            if prepared.sequence > held.sequence + 1:
                warnings.append(BundleWarning("gap", "$.sequence", {
                    "first": held.sequence + 1, "last": prepared.sequence - 1}))
            elif (prepared.previous_sha256 is not None
                  and prepared.previous_sha256 != held.sha256):
                warnings.append(BundleWarning("fork", "$.previous_sha256", {
                    "previous_sha256": prepared.previous_sha256, "held_sha256": held.sha256}))
        replace_unit_rows(session, prepared.unit, prepared.rows)
        record = ReceivedBundle(
            unit_code=unit_code, bundle_id=prepared.bundle_id, sequence=prepared.sequence,
            sha256=prepared.sha256, previous_sha256=prepared.previous_sha256,
            created_at=prepared.created_at, file_name=file_name, imported_at=now_utc(),
            warnings=json.dumps([asdict(w) for w in warnings], ensure_ascii=False),
            content=prepared.content)
        session.add(record)
        session.flush()
        return ReceiveResult(Verdict.ACCEPTED, warnings=tuple(warnings), received_id=record.id,
                             **known)


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
