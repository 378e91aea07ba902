"""A unit's assessments: the current one (the latest year), the list of all, and the
previous year's assessment of the same index (what the criteria tab compares with)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..models import Assessment, DocumentRef


def current_assessment(session: Session, unit_id: int) -> Assessment | None:
    return session.execute(select(Assessment).where(Assessment.unit_id == unit_id)
                           .order_by(Assessment.year.desc(), Assessment.id.desc())
                           ).scalars().first()


def previous_year_assessment(session: Session, assessment_id: int) -> Assessment | None:
    """The unit's assessment of the same index (PAR, SIPAS) for the year before this
    one's; of several, the one of the same issuer, else the newest entered."""
    current = session.get(Assessment, assessment_id)
    if current is None:
        return None
    found = session.execute(select(Assessment).where(
        Assessment.unit_id == current.unit_id, Assessment.index_kind == current.index_kind,
        Assessment.year == current.year - 1).order_by(Assessment.id.desc())).scalars().all()
    same_issuer = [a for a in found if a.issuer == current.issuer]
    return (same_issuer or found or [None])[0]


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    ext_id: str  # the issuer's id of it (bundles, assignments): what a choice remembers
    title: str
    index_kind: str
    year: int
    issuer: str
    max_points: float
    score: float | None
    rank: int | None
    rank_of: int | None
    document_number: str | None
    document_date: dt.date | None
    document_title: str | None


def assessment_rows(session: Session, unit_id: int) -> list[AssessmentRow]:
    """The unit's assessments, newest first, each with its first document."""
    assessments = session.execute(select(Assessment).where(Assessment.unit_id == unit_id)
                                  .order_by(Assessment.year.desc(), Assessment.id.desc())
                                  ).scalars().all()
    rows = []
    for a in assessments:
        document = session.execute(select(DocumentRef).where(DocumentRef.assessment_id == a.id)
                                   .order_by(DocumentRef.position)).scalars().first()
        rows.append(AssessmentRow(
            id=a.id, ext_id=a.ext_id, title=a.title, index_kind=a.index_kind, year=a.year,
            issuer=a.issuer,
            max_points=a.max_points, score=a.score, rank=a.rank, rank_of=a.rank_of,
            document_number=document.number if document else None,
            document_date=document.date if document else None,
            document_title=document.title if document else None))
    return rows
