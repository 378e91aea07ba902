"""The city's letter, entered by hand: an assessment (score, rank) and its first
document."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from ..errors import EditRefused
from ..models import Assessment, Criterion, DocumentRef
from ..vocab import INDEX_KINDS, TITLE_LIMIT, EditRefusal
from .rules import Problems, check_points, check_whole, clean_text

ASSESSMENT_FIELDS = ("title", "index_kind", "year", "issuer", "max_points", "score", "rank",
                     "rank_of", "document_number", "document_date", "document_title")


def check_assessment(values: dict[str, Any]) -> dict[str, Any]:
    """The assessment's fields as stored (its document's too), or every refusal at
    once; no database needed, so a form asks it while the official types."""
    problems = Problems()
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    title = problems.take(clean_text, "title", values.get("title"), required=True,
                          limit=TITLE_LIMIT)
    kind = values.get("index_kind") or "PAR"
    if kind not in INDEX_KINDS:
        problems.add(EditRefused(EditRefusal.UNKNOWN_INDEX, "index_kind", kind))
    year = problems.take(check_whole, "year", values.get("year"), 2000, 2100)
    if year is None and not problems.at_fault("year"):
        problems.add(EditRefused(EditRefusal.REQUIRED, "year"))
    issuer = problems.take(clean_text, "issuer", values.get("issuer"), limit=TITLE_LIMIT)
    max_points = problems.take(check_points, "max_points", values.get("max_points", 100.0),
                               required=True)
    if max_points is not None and max_points <= 0:
        problems.add(EditRefused(EditRefusal.MUST_BE_POSITIVE, "max_points", max_points))
    score = problems.take(check_points, "score", values.get("score"))
    if score is not None and max_points is not None and score > max_points:
        problems.add(EditRefused(EditRefusal.SCORE_ABOVE_MAX, "score", (score, max_points)))
    rank = problems.take(check_whole, "rank", values.get("rank"), 1)
    rank_of = problems.take(check_whole, "rank_of", values.get("rank_of"), 1)
    if rank is not None and rank_of is not None and rank_of < rank:
        problems.add(EditRefused(EditRefusal.RANK_ABOVE_COUNT, "rank_of", (rank, rank_of)))
    number = problems.take(clean_text, "document_number", values.get("document_number"),
                           limit=TITLE_LIMIT)
    document_date = values.get("document_date")
    if document_date is not None and not isinstance(document_date, dt.date):
        problems.add(EditRefused(EditRefusal.NOT_A_DATE, "document_date", document_date))
    document_title = problems.take(clean_text, "document_title",
                                   values.get("document_title"), limit=TITLE_LIMIT)
    if number is None and not problems.at_fault("document_number") and (
            document_date is not None or document_title is not None):
        problems.add(EditRefused(EditRefusal.REQUIRED, "document_number"))
    problems.raise_any()
    return {"title": title, "index_kind": kind, "year": year, "issuer": issuer or "",
            "max_points": max_points, "score": score, "rank": rank, "rank_of": rank_of,
            "document_number": number, "document_date": document_date,
            "document_title": document_title}


def save_assessment(session: Session, unit_id: int, values: dict[str, Any],
                    assessment_id: int | None = None) -> int:
    """Create (assessment_id None) or update an assessment and its first document."""
    checked = check_assessment(values)
    number, document_date, document_title = (
        checked.pop("document_number"), checked.pop("document_date"),
        checked.pop("document_title"))
    fields, max_points = checked, checked["max_points"]
    if assessment_id is None:
        assessment = Assessment(unit_id=unit_id, ext_id=str(uuid.uuid4()), **fields)
    else:
        found = session.get(Assessment, assessment_id)
        if found is None or found.unit_id != unit_id:
            raise EditRefused(EditRefusal.NOT_FOUND, None, assessment_id)
        assessment = found
        if max_points < _largest_top_level(session, assessment_id):
            raise EditRefused(EditRefusal.MAX_BELOW_CRITERIA, "max_points", max_points)
        for name, value in fields.items():
            setattr(assessment, name, value)
    session.add(assessment)
    session.flush()
    assert assessment.id is not None
    document = session.execute(select(DocumentRef).where(
        DocumentRef.assessment_id == assessment.id).order_by(DocumentRef.position)
    ).scalars().first()
    if number is None:
        if document is not None:
            session.delete(document)
    elif document is None:
        session.add(DocumentRef(assessment_id=assessment.id, position=0, number=number,
                                date=document_date, title=document_title))
    else:
        document.number, document.date, document.title = number, document_date, document_title
        session.add(document)
    session.flush()
    return assessment.id


def _largest_top_level(session: Session, assessment_id: int) -> float:
    return session.execute(select(func.coalesce(func.max(Criterion.max_points), 0.0)).where(
        Criterion.assessment_id == assessment_id, Criterion.code.not_like("%.%"))).scalar_one()
