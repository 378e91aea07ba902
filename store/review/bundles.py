"""The record of bundles received from each unit, and what its chain says.

A unit's bundles form a chain by sequence and previous_sha256 (spec/bundle-v1.md).
Holes in the received sequences are a gap (bundles the supervisor never got); a
bundle whose previous_sha256 is not the digest of the bundle held just before it
is a fork (the unit's history split, e.g. its database was restored).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class ChainWarnings:
    missing_sequences: tuple[int, ...]
    forked: bool


@dataclass(frozen=True)
class ReceivedBundleRow:
    id: int
    sequence: int
    bundle_id: str
    sha256: str
    created_at: str  # RFC 3339 as sent
    file_name: str
    imported_at: dt.datetime
    missing_before: tuple[int, ...]  # sequences skipped just before this one
    forked: bool  # previous_sha256 is not the digest of the bundle before it
    key_fingerprint: str | None = None  # of the key that signed it; None: unsigned
    set_aside_at: dt.datetime | None = None  # set aside by a supervisor, then by whom
    set_aside_by: str | None = None


@dataclass(frozen=True)
class _Link:
    sequence: int
    sha256: str
    previous_sha256: str | None


def _walk(links: Sequence[_Link]) -> list[tuple[tuple[int, ...], bool]]:
    """For each link (by sequence): the sequences missing before it, and whether it
    forks from the one before."""
    found = []
    previous: _Link | None = None
    for link in links:
        missing: tuple[int, ...] = ()
        forked = False
        if previous is not None:
            missing = tuple(range(previous.sequence + 1, link.sequence))
            forked = (not missing and link.previous_sha256 is not None
                      and link.previous_sha256 != previous.sha256)
        found.append((missing, forked))
        previous = link
    return found


# Only the links that break a chain: a sequence after a gap, or one whose
# previous_sha256 is not the digest of the bundle before it (the same rule as _walk).
_CHAIN_BREAKS_SQL = """
SELECT unit_code, previous, sequence, forked FROM (
    SELECT unit_code, sequence, LAG(sequence) OVER chain AS previous,
           previous_sha256 IS NOT NULL AND previous_sha256 != LAG(sha256) OVER chain AS forked
    FROM receivedbundle WHERE set_aside_at IS NULL
    WINDOW chain AS (PARTITION BY unit_code ORDER BY sequence))
WHERE previous IS NOT NULL AND (sequence > previous + 1 OR forked)
ORDER BY unit_code, sequence
"""


def chain_warnings_by_unit(connection: sqlite3.Connection) -> dict[str, ChainWarnings]:
    """Per unit code whose chain breaks, every missing sequence and whether any fork
    was received; a unit not in it has neither (a DB-API connection: this is part of
    the overview, see overview.py). SQLite finds the breaks: most chains have none,
    and walking every unit's links in Python was a fifth of the overview's read."""
    missing: dict[str, list[int]] = {}
    forked: set[str] = set()
    for code, previous, sequence, forks in connection.execute(_CHAIN_BREAKS_SQL):
        skipped = range(previous + 1, sequence)
        missing.setdefault(code, []).extend(skipped)
        if forks and not skipped:
            forked.add(code)
    return {code: ChainWarnings(tuple(missing[code]), code in forked) for code in missing}


def received_bundles(session: "Session", unit_code: str) -> list[ReceivedBundleRow]:
    """The bundles received from one unit, newest first (without their content); the
    chain is walked over the bundles not set aside."""
    from sqlalchemy import select

    from store.models import ReceivedBundle

    statement = (select(ReceivedBundle.id, ReceivedBundle.sequence, ReceivedBundle.bundle_id,
                        ReceivedBundle.sha256, ReceivedBundle.previous_sha256,
                        ReceivedBundle.created_at, ReceivedBundle.file_name,
                        ReceivedBundle.imported_at, ReceivedBundle.key_fingerprint,
                        ReceivedBundle.set_aside_at, ReceivedBundle.set_aside_by)
                 .where(ReceivedBundle.unit_code == unit_code)
                 .order_by(ReceivedBundle.sequence))
    records = session.execute(statement).all()
    kept = [r for r in records if r.set_aside_at is None]
    walked = dict(zip((r.id for r in kept),
                      _walk([_Link(r.sequence, r.sha256, r.previous_sha256) for r in kept]),
                      strict=True))
    rows = [ReceivedBundleRow(id=r.id, sequence=r.sequence, bundle_id=r.bundle_id,
                              sha256=r.sha256, created_at=r.created_at, file_name=r.file_name,
                              imported_at=r.imported_at,
                              missing_before=walked.get(r.id, ((), False))[0],
                              forked=walked.get(r.id, ((), False))[1],
                              key_fingerprint=r.key_fingerprint, set_aside_at=r.set_aside_at,
                              set_aside_by=r.set_aside_by)
            for r in records]
    rows.reverse()
    return rows
