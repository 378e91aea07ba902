"""Text the unit writes itself for its documents, kept per assessment: what the
app cannot know (how the work was directed, what the unit proposes) is never
invented, it is written by the unit and printed as written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..clock import now_utc
from ..errors import EditRefused
from ..models import Assessment, ReportDraft
from ..vocab import EditRefusal
from ..write.history import as_utc
from ..write.rules import clean_text
from . import PLAN, RESULTS

# document -> its sections the unit writes, in document order
DRAFT_SECTIONS: dict[str, tuple[str, ...]] = {
    PLAN: ("purpose", "organisation"),
    RESULTS: ("direction", "proposals"),
}


@dataclass(frozen=True)
class Draft:
    section: str
    text: str
    updated_at: dt.datetime | None
    updated_by: str | None


def drafts_of(session: Session, assessment_id: int, document: str) -> dict[str, Draft]:
    """Every section of the document, in order; a section never written is empty."""
    sections = DRAFT_SECTIONS[document]
    stored = {row.section: row for row in session.execute(
        select(ReportDraft).where(ReportDraft.assessment_id == assessment_id,
                                  ReportDraft.document == document)).scalars()}
    drafts = {}
    for section in sections:
        row = stored.get(section)
        drafts[section] = (Draft(section, row.text, row.updated_at, row.updated_by)
                           if row is not None else Draft(section, "", None, None))
    return drafts


def save_drafts(session: Session, assessment_id: int, document: str, texts: dict[str, str],
                *, by: str | None) -> list[str]:
    """Replace the given sections' text (NFC, trimmed, line feeds kept, at most
    10,000 characters each; empty removes the section's text). Returns the
    sections that changed."""
    if document not in DRAFT_SECTIONS:
        raise EditRefused(EditRefusal.UNKNOWN_DOCUMENT, None, document)
    unknown = set(texts) - set(DRAFT_SECTIONS[document])
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    if session.get(Assessment, assessment_id) is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, assessment_id)
    cleaned = {}
    for section, text in texts.items():
        try:
            # "detail": the rules of the long texts (line feeds and tabs allowed)
            cleaned[section] = clean_text("detail", text) or ""
        except EditRefused as refused:
            raise dataclasses.replace(refused, field=section) from None
    stored = {row.section: row for row in session.execute(
        select(ReportDraft).where(ReportDraft.assessment_id == assessment_id,
                                  ReportDraft.document == document)).scalars()}
    at = as_utc(now_utc())
    changed = []
    for section in DRAFT_SECTIONS[document]:
        if section not in cleaned:
            continue
        text, row = cleaned[section], stored.get(section)
        if (row.text if row is not None else "") == text:
            continue
        changed.append(section)
        if not text:
            session.delete(row)
        elif row is None:
            session.add(ReportDraft(assessment_id=assessment_id, document=document,
                                    section=section, text=text, updated_at=at, updated_by=by))
        else:
            row.text, row.updated_at, row.updated_by = text, at, by
            session.add(row)
    session.flush()
    return changed
