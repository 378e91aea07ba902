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


def chain_warnings_by_unit(connection: sqlite3.Connection) -> dict[str, ChainWarnings]:
    """Per unit code, every missing sequence and whether any fork was received
    (a DB-API connection: this is part of the overview, see overview.py)."""
    links: dict[str, list[_Link]] = {}
    for code, sequence, sha256, previous in connection.execute(
            "SELECT unit_code, sequence, sha256, previous_sha256 FROM receivedbundle "
            "ORDER BY unit_code, sequence"):
        links.setdefault(code, []).append(_Link(sequence, sha256, previous))
    result = {}
    for code, chain in links.items():
        walked = _walk(chain)
        result[code] = ChainWarnings(
            missing_sequences=tuple(n for missing, _ in walked for n in missing),
            forked=any(forked for _, forked in walked))
    return result


def received_bundles(session: "Session", unit_code: str) -> list[ReceivedBundleRow]:
    """The bundles received from one unit, newest first (without their content)."""
    from sqlalchemy import select

    from store.models import ReceivedBundle

    statement = (select(ReceivedBundle.id, ReceivedBundle.sequence, ReceivedBundle.bundle_id,
                        ReceivedBundle.sha256, ReceivedBundle.previous_sha256,
                        ReceivedBundle.created_at, ReceivedBundle.file_name,
                        ReceivedBundle.imported_at)
                 .where(ReceivedBundle.unit_code == unit_code)
                 .order_by(ReceivedBundle.sequence))
    records = session.execute(statement).all()
    walked = _walk([_Link(r.sequence, r.sha256, r.previous_sha256) for r in records])
    rows = [ReceivedBundleRow(id=r.id, sequence=r.sequence, bundle_id=r.bundle_id,
                              sha256=r.sha256, created_at=r.created_at, file_name=r.file_name,
                              imported_at=r.imported_at, missing_before=missing, forked=forked)
            for r, (missing, forked) in zip(records, walked, strict=True)]
    rows.reverse()
    return rows
