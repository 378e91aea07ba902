"""The unit's database -> a progress bundle file, written so that a stick that is full,
read-only or pulled out leaves the previous file as it was and uses up no sequence
number.

The file is written with store.safe_write.write_atomically (temp file beside the
target, fsync, read back, then renamed, never over an existing file: the next free
name is taken). The sequence is taken, the file written and the ExportRecord stored
inside one write transaction (BEGIN IMMEDIATE), so two exports at once cannot take
the same number and a failed write leaves the counter where it was.

The counter is the highest number known to the database, to the export log beside
it (store.bundle.export_log: what a restore or a kill made the database forget) and
to the bundles of the unit already in the target folder; previous_sha256 chains to
that bundle.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import re
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
from .export_log import SentBundle, append_to_log, log_path_for, read_log
from .models import FORMAT, KIND, VERSION, BundleV2
from .reader import parse_json, refusal_from_validation
from .results import BundleWarning, Refusal
from .rules import check_rules
from .signing import SigningKey, signature_member, verify

EXPORTS_FOLDER = "exports"
# A name taken by another file gets -2, -3... up to this many tries.
FREE_NAME_TRIES = 99

log = logging.getLogger(__name__)


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
    store.keys.OwnKeyState), names_taken (details: tries; every free name tried is
    another file's), log_unreadable (details: reason; the export log cannot be read,
    so the counter is not known). path: the target file or folder, if any."""

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


def bundle_file_name(unit_code: str, created_at: str, sequence: int, counter: int = 1) -> str:
    """cchc-<unit code>-<YYYYMMDD>-<sequence, 4 digits>[-<counter>].json (ASCII: the
    code's pattern); counter 2, 3... when the name is another file's."""
    day = created_at[:10].replace("-", "")
    tail = f"-{counter}" if counter > 1 else ""
    return f"cchc-{unit_code}-{day}-{sequence:04d}{tail}.json"


def _bundle_name_pattern(unit_code: str) -> re.Pattern[str]:
    return re.compile(rf"^cchc-{re.escape(unit_code)}-\d{{8}}-(\d{{4,}})(?:-\d+)?\.json$")


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
            return _export_in_transaction(session, unit, officer, target_dir, generator, key,
                                          db.path)
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


def known_sent(session, db_path: Path) -> list[SentBundle]:  # noqa: ANN001
    """Every bundle the database or its export log knows was written, by sequence
    (the log's entry where both know one: it was written when the file was). Raises
    OSError if the log cannot be read."""
    by_sequence = {record.sequence: SentBundle(
        sequence=record.sequence, sha256=record.sha256, path=record.path,
        created_at=_as_utc(record.created_at).isoformat(), bundle_id=record.bundle_id)
        for record in session.execute(select(ExportRecord)).scalars()}
    for entry in read_log(log_path_for(db_path)):
        by_sequence[entry.sequence] = entry
    return [by_sequence[sequence] for sequence in sorted(by_sequence)]


def _as_utc(instant: dt.datetime) -> dt.datetime:
    """A stored instant (UTC, read back naive by SQLite) with its offset."""
    return instant.replace(tzinfo=dt.timezone.utc) if instant.tzinfo is None else instant


def sent_bundles(db: Database) -> list[SentBundle]:
    """The bundles sent, newest first (the export screen's list)."""
    with db.read() as session:
        return list(reversed(known_sent(session, db.path)))


def _newest_in_folder(target_dir: Path, unit_code: str, above: int) -> SentBundle | None:
    """The unit's bundle with the highest number above `above` already in target_dir
    (one the database and the log do not know: a kill right after its rename), read
    and checked like a received one; files that are not such a bundle are ignored."""
    from .reader import read_bundle_file

    pattern = _bundle_name_pattern(unit_code)
    try:
        names = [entry.name for entry in target_dir.iterdir()]
    except OSError:
        return None
    numbered = sorted(((int(match[1]), name) for name in names
                       if (match := pattern.match(name)) and int(match[1]) > above),
                      reverse=True)
    for number, name in numbered:
        found = read_bundle_file(target_dir / name)
        bundle = found.bundle
        if (found.refusal is None and bundle is not None and found.sha256
                and getattr(bundle, "sequence", None) == number
                and getattr(getattr(bundle, "unit", None), "code", None) == unit_code):
            return SentBundle(sequence=number, sha256=found.sha256,
                              path=str(target_dir / name), created_at=str(bundle.created_at),
                              bundle_id=str(bundle.bundle_id), unit_code=unit_code)
    return None


def _last_sent(session, db_path: Path, target_dir: Path,  # noqa: ANN001
               unit_code: str) -> SentBundle | None:
    """The bundle the next one follows: the highest number of the database, the log
    and the target folder. One found only in the folder is written to the log."""
    known = known_sent(session, db_path)
    last = known[-1] if known else None
    in_folder = _newest_in_folder(target_dir, unit_code, last.sequence if last else 0)
    if in_folder is not None:
        _log_written(db_path, in_folder)
        return in_folder
    return last


def _log_written(db_path: Path, entry: SentBundle) -> None:
    """Append to the export log. The file is in place already: a log that cannot be
    written (a full or read-only data folder) does not undo it, and the database
    still records it."""
    try:
        append_to_log(log_path_for(db_path), entry)
    except OSError as error:
        log.warning("the export log %s could not be written: %s", log_path_for(db_path), error)


def _write_under_a_free_name(target_dir: Path, unit_code: str, created_at: str,
                             sequence: int, data: bytes) -> Path | ExportFailed:
    """Write data as the bundle's file, never over an existing file: its name, or
    the next free one (-2, -3...)."""
    target = target_dir / bundle_file_name(unit_code, created_at, sequence)
    for counter in range(1, FREE_NAME_TRIES + 1):
        target = target_dir / bundle_file_name(unit_code, created_at, sequence, counter)
        if target.exists() or target.is_symlink():
            continue
        try:
            write_atomically(target, data, replace=False)  # reads the file back first
        except FileExistsError:  # appeared while it was written
            continue
        except WriteNotVerified:
            return ExportFailed("verify_failed", target)
        except OSError as error:
            return write_failure(error, target)
        return target
    return ExportFailed("names_taken", target, {"tries": FREE_NAME_TRIES})


def _export_in_transaction(session, unit: dict[str, Any], officer: dict[str, Any],  # noqa: ANN001
                           target_dir: Path, generator: str, key: SigningKey,
                           db_path: Path) -> ExportResult:
    unit_id = session.execute(select(Unit.id).where(Unit.code == unit["code"])).scalar()
    if unit_id is None:
        return ExportFailed("unit_missing", None, {"code": unit["code"]})
    try:
        last = _last_sent(session, db_path, target_dir, unit["code"])
    except OSError as error:
        return ExportFailed("log_unreadable", log_path_for(db_path),
                            {"reason": error.strerror or str(error)})
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
    sha256 = document["integrity"]["sha256"]
    if not _serialised_digest_matches(data, sha256):
        return ExportFailed("verify_failed",
                            target_dir / bundle_file_name(unit["code"], created_at, sequence))
    written = _write_under_a_free_name(target_dir, unit["code"], created_at, sequence, data)
    if isinstance(written, ExportFailed):
        return written
    target = written
    # The file is in place: the log knows it before the database commits, so a kill
    # in between cannot give its number (or its name) to the next export.
    _log_written(db_path, SentBundle(sequence=sequence, sha256=sha256, path=str(target),
                                     created_at=created_at, bundle_id=document["bundle_id"],
                                     unit_code=unit["code"]))
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
        try:
            known = known_sent(session, db.path)
        except OSError:  # the export itself says so, in words
            known = []
        last = known[-1] if known else None
        last_fields = ((last.sequence, parse_instant(last.created_at), last.path)
                       if last is not None else (None, None, None))
        if unit is None:
            return ExportPreview(unit_code, "", False, 0, 0, 0, 0, 0, *last_fields)
        assessments = session.execute(select(func.count()).select_from(Assessment)
                                      .where(Assessment.unit_id == unit.id)).scalar_one()
        criteria = session.execute(
            select(func.count()).select_from(Criterion)
            .join(Assessment, Criterion.assessment_id == Assessment.id)
            .where(Assessment.unit_id == unit.id)).scalar_one()
        tasks = select(Task.status, Task.due, Task.withdrawn_at).join(
            Assessment, Task.assessment_id == Assessment.id).where(
            Assessment.unit_id == unit.id)
        total = done = overdue = 0
        for status, due, withdrawn_at in session.execute(tasks):
            total += 1
            done += status == TaskStatus.DONE
            overdue += is_overdue(status, due, today, withdrawn_at is not None)
        return ExportPreview(unit.code, unit.name, True, assessments, criteria, total, done,
                             overdue, *last_fields)
