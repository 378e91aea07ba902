"""What the review's assignment screen proposes before the supervisor types: the
last assignment issued (its issuer, assessment, letter and deadlines: a correction
is issued again with the same), else the newest assessment the units reported (its
title, index, year, issuer and letter)."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..models import Assessment, DocumentRef
from .tables import IssuedAssignment


@dataclass(frozen=True)
class IssueDefaults:
    title: str = ""
    index: str = "PAR"
    year: int | None = None
    issuer_code: str = ""
    issuer_name: str = ""
    letter: str = ""
    letter_date: dt.date | None = None
    due: dt.date | None = None
    report_due: dt.date | None = None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _from_issued(issued: IssuedAssignment) -> IssueDefaults:
    document = json.loads(zlib.decompress(issued.content))
    assessment = document["assessments"][-1]
    letter = (assessment.get("documents") or [{}])[0]
    tasks = assessment.get("tasks") or []
    due = next((t.get("due") for t in tasks if t.get("criteria")), None)
    report_due = next((t.get("due") for t in tasks if not t.get("criteria")), None)
    return IssueDefaults(
        title=assessment.get("title", ""), index=assessment.get("index", "PAR"),
        year=assessment.get("year"), issuer_code=issued.issuer_code,
        issuer_name=issued.issuer_name, letter=letter.get("number") or "",
        letter_date=_date(letter.get("date")), due=_date(due), report_due=_date(report_due))


def issue_defaults(session: Session) -> IssueDefaults:
    issued = session.execute(select(IssuedAssignment).order_by(
        IssuedAssignment.id.desc()).limit(1)).scalar()
    if issued is not None:
        return _from_issued(issued)
    newest = session.execute(select(Assessment).order_by(
        Assessment.year.desc(), Assessment.id.desc()).limit(1)).scalar()
    if newest is None:
        return IssueDefaults()
    letter = session.execute(select(DocumentRef).where(
        DocumentRef.assessment_id == newest.id).order_by(DocumentRef.position).limit(1)).scalar()
    return IssueDefaults(title=newest.title, index=newest.index_kind, year=newest.year,
                         issuer_name=newest.issuer,
                         letter=letter.number if letter is not None else "",
                         letter_date=letter.date if letter is not None else None)
