"""What a unit's database holds of its assignments: the newest accepted assignment
per issuer (the `assignments_held` member of its progress bundles, bundle-v2), the
issuer's name, and the supervisor's notes on a task."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from .tables import ReceivedAssignment, SupervisorNote

# bundle-v2: 0-50 entries.
MAX_HELD = 50


def assignments_held(session: Session) -> list[dict[str, Any]]:
    """[{"issuer": code, "sequence": n, "sha256": hex}] of the unit's database, one per
    issuer (its highest sequence), by issuer code."""
    newest = (select(ReceivedAssignment.issuer_code,
                     func.max(ReceivedAssignment.sequence).label("sequence"))
              .group_by(ReceivedAssignment.issuer_code).subquery())
    rows = session.execute(
        select(ReceivedAssignment.issuer_code, ReceivedAssignment.sequence,
               ReceivedAssignment.sha256)
        .join(newest, (newest.c.issuer_code == ReceivedAssignment.issuer_code)
              & (newest.c.sequence == ReceivedAssignment.sequence))
        .order_by(ReceivedAssignment.issuer_code).limit(MAX_HELD)).all()
    return [{"issuer": code, "sequence": sequence, "sha256": sha256}
            for code, sequence, sha256 in rows]


def supervisor_notes(session: Session, task_id: int) -> list[SupervisorNote]:
    """The supervisor's notes kept with one of the unit's tasks, newest first."""
    return list(session.execute(select(SupervisorNote).where(
        SupervisorNote.task_id == task_id)
        .order_by(SupervisorNote.at.desc(), SupervisorNote.id.desc())).scalars())


def issuer_name(session: Session, issuer_code: str) -> str | None:
    """The name the issuer gave itself in its newest assignment held (None: none)."""
    return session.execute(select(ReceivedAssignment.issuer_name).where(
        ReceivedAssignment.issuer_code == issuer_code)
        .order_by(ReceivedAssignment.sequence.desc()).limit(1)).scalar()
