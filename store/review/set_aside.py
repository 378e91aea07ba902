"""Setting aside a bundle that was accepted by mistake (a forged or wrong file).

The bundle stays on record, marked with who set it aside and when; it no longer
counts as the unit's current state, so the unit's previous accepted bundle becomes
current again (its snapshot is rebuilt from the record's content) and later files
are judged against that. A key that was taken on first use from the set-aside file
and never confirmed is let go, so that the genuine unit's signed files are accepted.

One write transaction; the caller takes the event backup first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from store.clock import now_utc
from store.models import Assessment, ReceivedBundle, Unit

if TYPE_CHECKING:
    from sqlmodel import Session

    from store.db import Database

SET_ASIDE = "set_aside"
NOT_FOUND = "not_found"
ALREADY_SET_ASIDE = "already_set_aside"
AMBIGUOUS = "ambiguous"
UNREADABLE_FILE = "unreadable_file"  # a file was named, but no bundle id could be read

# A bundle id may be given by its first characters, as long as they are this many.
MIN_ID_PREFIX = 8


@dataclass(frozen=True)
class SetAsideResult:
    """outcome: SET_ASIDE, NOT_FOUND, ALREADY_SET_ASIDE, AMBIGUOUS or UNREADABLE_FILE.
    current_sequence: the unit's current bundle afterwards (None: none is left);
    key_dropped: the fingerprint of the key let go; matches: the ids an ambiguous
    prefix names."""

    outcome: str
    reference: str
    unit_code: str | None = None
    sequence: int | None = None
    bundle_id: str | None = None
    current_sequence: int | None = None
    was_current: bool = False
    key_dropped: str | None = None
    matches: tuple[str, ...] = ()


def bundle_id_in_file(path: Path) -> str | None:
    """The bundle id a file claims (the file was accepted once, so it is a bundle;
    anything else gives None)."""
    from store.bundle.reader import parse_json, read_file_limited

    refusal, data = read_file_limited(Path(path))
    if refusal is not None:
        return None
    try:
        document = parse_json(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("bundle_id"), str):
        return None
    return document["bundle_id"]


def _records(session: "Session", bundle_id: str) -> list[ReceivedBundle]:
    exact = session.execute(select(ReceivedBundle).where(
        ReceivedBundle.bundle_id == bundle_id)).scalars().all()
    if exact or len(bundle_id) < MIN_ID_PREFIX:
        return list(exact)
    pattern = bundle_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(session.execute(select(ReceivedBundle).where(
        ReceivedBundle.bundle_id.like(pattern, escape="\\"))).scalars())


def set_aside(db: "Database", reference: str, by: str | None) -> SetAsideResult:
    """Set aside the accepted bundle named by reference: a bundle file, a bundle id,
    or the first MIN_ID_PREFIX (or more) characters of one."""
    bundle_id = reference.strip().lower()
    path = Path(reference).expanduser()
    if path.is_file():
        found = bundle_id_in_file(path)
        if found is None:
            return SetAsideResult(UNREADABLE_FILE, reference)
        bundle_id = found
    with db.write() as session:
        records = _records(session, bundle_id)
        if not records:
            return SetAsideResult(NOT_FOUND, reference, bundle_id=bundle_id)
        if len(records) > 1:
            return SetAsideResult(AMBIGUOUS, reference,
                                  matches=tuple(sorted(r.bundle_id for r in records)))
        record = records[0]
        known = {"unit_code": record.unit_code, "sequence": record.sequence,
                 "bundle_id": record.bundle_id}
        if record.set_aside_at is not None:
            return SetAsideResult(ALREADY_SET_ASIDE, reference, **known)
        return _set_aside(session, record, reference, by, known)


def _set_aside(session: "Session", record: ReceivedBundle, reference: str, by: str | None,
               known: dict) -> SetAsideResult:
    from store.bundle.receive import current_bundle
    from .senders import drop_unconfirmed_key

    code = record.unit_code
    was_current = current_bundle(session, code).id == record.id
    record.set_aside_at, record.set_aside_by = now_utc(), by
    session.flush()
    current = current_bundle(session, code)
    if was_current:
        restore_current_snapshot(session, code, current)
    dropped = drop_unconfirmed_key(session, code, by)
    return SetAsideResult(SET_ASIDE, reference, was_current=was_current,
                          current_sequence=None if current is None else current.sequence,
                          key_dropped=dropped, **known)


def restore_current_snapshot(session: "Session", code: str, current) -> None:  # noqa: ANN001
    """Make the unit's stored state that of its current bundle again (from the
    content kept on record), or empty when none is left; the unit row stays, so the
    set-aside bundle can still be found under it."""
    from store.bundle.receive import received_content
    from store.snapshot import assessment_rows, replace_unit_rows

    if current is None:
        unit_id = session.execute(select(Unit.id).where(Unit.code == code)).scalar()
        if unit_id is not None:
            session.execute(delete(Assessment).where(Assessment.unit_id == unit_id))
        return
    content = session.execute(select(ReceivedBundle.content).where(
        ReceivedBundle.id == current.id)).scalar_one()
    bundle = received_content(content)
    replace_unit_rows(session, bundle["unit"],
                      [assessment_rows(assessment) for assessment in bundle["assessments"]])

