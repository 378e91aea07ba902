"""Assigned against reported (review database): per unit, the newest assignment each
issuer sent it and whether the unit reports holding it (the `assignments_held` of
its newest progress bundle)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..models import ReceivedBundle
from .tables import IssuedAssignment


@dataclass(frozen=True)
class AssignmentStatus:
    """One issuer's newest assignment to a unit and what the unit holds of it."""

    unit_code: str
    issuer_code: str
    sent_sequence: int
    sent_at: str  # RFC 3339 as written
    held_sequence: int | None  # None: the unit reports holding none of this issuer's

    @property
    def up_to_date(self) -> bool:
        return self.held_sequence is not None and self.held_sequence >= self.sent_sequence


def reported_held(session: Session, unit_code: str) -> list[dict[str, Any]]:
    """The assignments_held of the unit's current bundle (the newest accepted, not set
    aside); [] for a version 1 bundle, which has no such member, or when none came."""
    held = session.execute(select(ReceivedBundle.assignments_held).where(
        ReceivedBundle.unit_code == unit_code, ReceivedBundle.set_aside_at.is_(None))
        .order_by(ReceivedBundle.sequence.desc()).limit(1)).scalar()
    found = json.loads(held) if held else []
    return found if isinstance(found, list) else []


def assignment_status(session: Session, unit_code: str,
                      held: list[dict[str, Any]] | None = None) -> list[AssignmentStatus]:
    """Per issuer that sent the unit an assignment: its newest and the unit's holding.
    held defaults to what the unit's newest bundle reports."""
    if held is None:
        held = reported_held(session, unit_code)
    holding = {entry.get("issuer"): entry.get("sequence") for entry in held
               if isinstance(entry, dict)}
    newest: dict[str, IssuedAssignment] = {}
    for issued in session.execute(select(IssuedAssignment).where(
            IssuedAssignment.unit_code == unit_code).order_by(IssuedAssignment.sequence)).scalars():
        newest[issued.issuer_code] = issued
    return [AssignmentStatus(unit_code, code, issued.sequence, issued.created_at,
                             holding.get(code) if isinstance(holding.get(code), int) else None)
            for code, issued in sorted(newest.items())]
