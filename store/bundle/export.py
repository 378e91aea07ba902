"""The unit's database -> a progress bundle file, written so that a stick that is full,
read-only or pulled out leaves the previous file as it was and uses up no sequence
number.

The file is written with store.safe_write.write_atomically (temp file beside the
target, fsync, read back, os.replace). The sequence is taken, the file written and
the ExportRecord stored inside one write transaction (BEGIN IMMEDIATE), so two
exports at once cannot take the same number and a failed write leaves the counter
where it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from ..assign.held import assignments_held
from ..clock import now_local, parse_instant
from ..connect import database_failure
from ..db import Database
from ..errors import DatabaseBusy, ReadOnlyDatabase, ReadOnlyMode, WriteNotVerified
from ..models import Assessment, Criterion, ExportRecord, Task, Unit
from ..overdue import is_overdue
from ..safe_write import write_atomically
from ..snapshot import read_unit_snapshot
from ..vocab import DatabaseFailure, TaskStatus
from .digest import canonical_bytes, sha256_hex
from .models import FORMAT, KIND, VERSION, BundleV2
from .reader import parse_json, refusal_from_validation
from .results import BundleWarning, Refusal
from .rules import check_rules
from .signing import SigningKey, signature_member, verify

EXPORTS_FOLDER = "exports"


@dataclass(frozen=True)
class ExportDone:
    path: Path
    sequence: int
    sha256: str
    bundle_id: str
    created_at: str
    size: int
    warnings: tuple[BundleWarning, ...] = ()
    fingerprint: str = ""  # of the key that signed it


@dataclass(frozen=True)
class ExportFailed:
    """Why nothing was exported. code: unit_not_configured, unit_missing,
    invalid_content (details: refusal), no_space, read_only, target_missing,
    not_allowed, io_error (details: reason, errno), verify_failed, database_read_only,
    database_busy (details: reason), database_failed (details: failure, a
    store.vocab.DatabaseFailure, and reason), signing_key (details: state, the unit's
    store.keys.OwnKeyState). path: the target file or folder, if any."""

    code: str
    path: Path | None = None
    details: dict[str, Any] = field(default_factory=dict)


ExportResult = ExportDone | ExportFailed


@dataclass(frozen=True)
class ExportPreview:
    """What an export would send, for the screen that asks where to."""

    unit_code: str
    unit_name: str
    in_database: bool
    assessments: int
    criteria: int
    tasks: int
    done: int
    overdue: int
    last_sequence: int | None
    last_created_at: dt.datetime | None
    last_path: str | None


def bundle_file_name(unit_code: str, created_at: str, sequence: int) -> str:
    """cchc-<unit code>-<YYYYMMDD>-<sequence, 4 digits>.json (ASCII: the code's pattern)."""
    day = created_at[:10].replace("-", "")
    return f"cchc-{unit_code}-{day}-{sequence:04d}.json"


def default_export_folder(data_dir: Path) -> Path:
    return data_dir / EXPORTS_FOLDER


def build_document(snapshot: dict[str, Any], *, unit: dict[str, Any], sender: dict[str, Any],
                   sequence: int, previous_sha256: str | None, generator: str,
                   bundle_id: str, created_at: str, key: SigningKey,
                   assignments_held: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The bundle object (format version 2), sealed with its integrity digest and
    signed with key over the same canonical bytes."""
    document = {
        "format": FORMAT, "version": VERSION, "kind": KIND, "bundle_id": bundle_id,
        "created_at": created_at, "generator": generator, "sequence": sequence,
        "previous_sha256": previous_sha256, "unit": unit, "sender": sender,
        "assessments": snapshot["assessments"],
        "assignments_held": list(assignments_held or []),
    }
    canonical = canonical_bytes(document)
    document["integrity"] = {"sha256": sha256_hex(canonical)}
    document["signature"] = signature_member(key, canonical)
    return document


def check_document(document: dict[str, Any]) -> tuple[Refusal | None, list[BundleWarning]]:
    """Our own bundle must pass our own reader's rules before it leaves the machine."""
    from pydantic import ValidationError

    try:
        bundle = BundleV2.model_validate(document)
    except ValidationError as error:
        return refusal_from_validation(error), []
    return check_rules(bundle)


def serialise(document: dict[str, Any]) -> bytes:
    """Indented UTF-8 JSON: readable in a text editor, same digest as any other layout."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_bundle(db: Database, *, unit: dict[str, Any], officer: dict[str, Any],
                  target_dir: Path, generator: str, key: SigningKey,
                  create_folder: bool = False) -> ExportResult:
    """Export the unit `unit["code"]` of `db` into target_dir, signed with key.

    unit: code, name, level, supervisor (the config's unit, as the bundle names it);
    officer: name, position, phone, email (empty strings are sent as null).
    key: the unit's signing key (store.keys.own_key_state).
    create_folder: make target_dir if missing (the default exports folder only: a
    missing stick's mount point must not be re-created on the system disk).
    """
    target_dir = Path(target_dir)
    if not unit.get("code") or not unit.get("name"):
        return ExportFailed("unit_not_configured")
    try:
        if create_folder:
            target_dir.mkdir(parents=True, exist_ok=True)
        if not target_dir.is_dir():
            return ExportFailed("target_missing", target_dir)
        with db.write() as session:
            return _export_in_transaction(session, unit, officer, target_dir, generator, key)
    except (ReadOnlyDatabase, ReadOnlyMode):
        return ExportFailed("database_read_only")
    except DatabaseBusy:  # db.write() words a lock held past the busy timeout this way
        return ExportFailed("database_busy", None, {"reason": "locked"})
    except DBAPIError as error:  # SQLite's own result: worded by what it was (not all busy)
        failure = database_failure(error) or DatabaseFailure.OTHER
        if failure == DatabaseFailure.BUSY:
            return ExportFailed("database_busy", None, {"reason": str(error.orig)})
        return ExportFailed("database_failed", None, {"failure": failure,
                                                      "reason": str(error.orig)})
    except OSError as error:
        return write_failure(error, target_dir)


def _export_in_transaction(session, unit: dict[str, Any], officer: dict[str, Any],  # noqa: ANN001
                           target_dir: Path, generator: str, key: SigningKey) -> ExportResult:
    unit_id = session.execute(select(Unit.id).where(Unit.code == unit["code"])).scalar()
    if unit_id is None:
        return ExportFailed("unit_missing", None, {"code": unit["code"]})
    last = session.execute(select(ExportRecord).order_by(ExportRecord.sequence.desc())
                           .limit(1)).scalars().first()
    sequence = 1 if last is None else last.sequence + 1
    created_at = now_local().replace(microsecond=0).isoformat()
    document = build_document(
        read_unit_snapshot(session, unit_id),
        unit={"code": unit["code"], "name": unit["name"], "level": unit.get("level", "xa"),
              "supervisor": unit.get("supervisor", "")},
        sender={"name": officer.get("name", ""),
                **{key: officer.get(key) or None for key in ("position", "phone", "email")}},
        sequence=sequence, previous_sha256=None if last is None else last.sha256,
        generator=generator, bundle_id=str(uuid.uuid4()), created_at=created_at, key=key,
        assignments_held=assignments_held(session))
    refusal, warnings = check_document(document)
    if refusal is not None:
        return ExportFailed("invalid_content", None, {"refusal": refusal})
    data = serialise(document)
    target = target_dir / bundle_file_name(unit["code"], created_at, sequence)
    sha256 = document["integrity"]["sha256"]
    if not _serialised_digest_matches(data, sha256):
        return ExportFailed("verify_failed", target)
    try:
        write_atomically(target, data)  # reads the file back before it replaces any
    except WriteNotVerified:
        return ExportFailed("verify_failed", target)
    except OSError as error:
        return write_failure(error, target)
    session.add(ExportRecord(sequence=sequence, bundle_id=document["bundle_id"], sha256=sha256,
                             created_at=parse_instant(created_at), path=str(target)))
    return ExportDone(path=target, sequence=sequence, sha256=sha256,
                      bundle_id=document["bundle_id"], created_at=created_at, size=len(data),
                      warnings=tuple(warnings), fingerprint=key.fingerprint)


def _serialised_digest_matches(data: bytes, sha256: str) -> bool:
    """Recompute the digest and check the signature from the bytes about to be
    written, as a receiver will (the file's own bytes are then read back by
    write_atomically)."""
    document = parse_json(data.decode("utf-8"))
    if not isinstance(document, dict):
        return False
    canonical = canonical_bytes(document)
    signature = document.get("signature") or {}
    refusal, _public_key = verify(signature.get("public_key", ""), signature.get("value", ""),
                                  canonical)
    return refusal is None and sha256_hex(canonical) == sha256


_WINDOWS_CODES = {39: "no_space", 112: "no_space", 19: "read_only", 2: "target_missing",
                  3: "target_missing", 15: "target_missing", 21: "target_missing",
                  1167: "target_missing", 5: "not_allowed"}
_ERRNO_CODES = {errno.ENOSPC: "no_space", errno.EDQUOT: "no_space", errno.EFBIG: "no_space",
                errno.EROFS: "read_only", errno.ENOENT: "target_missing",
                errno.ENOTDIR: "target_missing", errno.ENODEV: "target_missing",
                errno.ENXIO: "target_missing", errno.EACCES: "not_allowed",
                errno.EPERM: "not_allowed"}


def write_failure(error: OSError, path: Path) -> ExportFailed:
    """Why writing path failed, as the codes ExportFailed gives (no_space, read_only,
    target_missing, not_allowed, io_error): also the codes of a document that could not
    be written (tui.documents.writing)."""
    code = _WINDOWS_CODES.get(getattr(error, "winerror", None) or 0) \
        or _ERRNO_CODES.get(error.errno or 0, "io_error")
    return ExportFailed(code, path, {"reason": error.strerror or str(error),
                                     "errno": error.errno})


def export_preview(db: Database, unit_code: str, today: dt.date) -> ExportPreview:
    with db.read() as session:
        unit = session.execute(select(Unit).where(Unit.code == unit_code)).scalars().first()
        last = session.execute(select(ExportRecord).order_by(ExportRecord.sequence.desc())
                               .limit(1)).scalars().first()
        last_fields = ((last.sequence, last.created_at, last.path) if last is not None
                       else (None, None, None))
        if unit is None:
            return ExportPreview(unit_code, "", False, 0, 0, 0, 0, 0, *last_fields)
        assessments = session.execute(select(func.count()).select_from(Assessment)
                                      .where(Assessment.unit_id == unit.id)).scalar_one()
        criteria = session.execute(
            select(func.count()).select_from(Criterion)
            .join(Assessment, Criterion.assessment_id == Assessment.id)
            .where(Assessment.unit_id == unit.id)).scalar_one()
        tasks = select(Task.status, Task.due).join(
            Assessment, Task.assessment_id == Assessment.id).where(
            Assessment.unit_id == unit.id)
        total = done = overdue = 0
        for status, due in session.execute(tasks):
            total += 1
            done += status == TaskStatus.DONE
            overdue += is_overdue(status, due, today)
        return ExportPreview(unit.code, unit.name, True, assessments, criteria, total, done,
                             overdue, *last_fields)
