"""A unit's documents read back: the demo commune, and small units made for one
case (no losses, a 500-character finding)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import FIXED_TODAY
from tests.review.conftest import review_db_path  # noqa: F401 - the supervisor's six units


def read_docx(data: bytes):  # noqa: ANN201 - docx Document
    from docx import Document

    return Document(io.BytesIO(data))


def body_texts(document) -> list[str]:  # noqa: ANN001
    return [p.text for p in document.paragraphs]


def table_rows(table) -> list[list[str]]:  # noqa: ANN001
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def signing():  # noqa: ANN201
    from tui.documents.official import Signing

    return Signing(unit_name="Phường 1", supervisor="UBND thành phố Sa Đéc",
                   signer="Nguyễn Văn Hôn", signer_title="", place="", issuer_short="")


@pytest.fixture
def demo_facts(demo_db):  # noqa: ANN001, ANN201
    """The demo's facts and drafts, as the documents read them."""
    from store.report.drafts import drafts_of
    from store.report.remediation import remediation_facts

    with demo_db.read() as session:
        facts = remediation_facts(session, 1, FIXED_TODAY)
        plan = drafts_of(session, facts.assessment.id, "plan")
        results = drafts_of(session, facts.assessment.id, "results")
    return facts, plan, results


def small_unit(db, criteria: list[tuple], tasks: list[dict] | None = None) -> int:  # noqa: ANN001
    """A unit with one assessment of these criteria (code, title, max, score,
    finding) and tasks; returns the unit id."""
    from store.snapshot import replace_unit_snapshot

    assessment = {
        "id": "test-2025", "title": "Chỉ số CCHC năm 2025", "index": "PAR", "year": 2025,
        "issuer": "UBND tỉnh Đồng Tháp",
        "documents": [{"number": "174/BC-SNV", "date": "2026-05-05", "title": None}],
        "max_points": 100.0, "score": sum(c[3] for c in criteria if "." not in c[0]),
        "rank": 1, "rank_of": 9,
        "criteria": [{"code": c, "title": t, "max_points": m, "score": s, "finding": f}
                     for c, t, m, s, f in criteria],
        "tasks": [{"id": f"00000000-0000-4000-8000-{n:012d}", "detail": None, "owner": None,
                   "due": None, "status": "todo", "progress": 0, "result": None,
                   "done_on": None, "updated_at": "2026-11-01T09:00:00+07:00",
                   "evidence": [], "history": [], **task}
                  for n, task in enumerate(tasks or [])],
    }
    with db.write() as session:
        return replace_unit_snapshot(session, {"code": "99001", "name": "Xã Thử",
                                               "level": "xa", "supervisor": "Sở Nội vụ"},
                                     [assessment])


def today() -> dt.date:
    return FIXED_TODAY
