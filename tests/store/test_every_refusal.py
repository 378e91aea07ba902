"""An edit with several bad fields is refused with every problem at once (one per
field), so a form shows them all after one save; a sub-criterion cannot be worth
more than its parent, nor a parent less than a sub-criterion."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from store.errors import EditRefused, EditsRefused
from store.models import Assessment, Criterion, Task
from store.write.assessments import check_assessment, save_assessment
from store.write.criteria import check_criterion, criterion_limits, save_criterion
from store.write.evidence import add_evidence
from store.write.rules import refusals_of
from store.write.tasks import update_task


def _fields(error: EditRefused) -> dict[str | None, str]:
    problems = error.problems if isinstance(error, EditsRefused) else [error]
    return {problem.field: str(problem.code) for problem in problems}


def _assessment_id(db) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.execute(select(Task.assessment_id)).scalars().first()


def test_an_assessment_with_five_problems_is_refused_with_all_five(demo_db) -> None:  # noqa: ANN001
    values = {"title": " ", "year": 1990, "max_points": 100, "score": 120, "rank": 9,
              "rank_of": 3, "document_date": dt.date(2026, 3, 2)}
    with pytest.raises(EditsRefused) as refused, demo_db.write() as session:
        save_assessment(session, 1, values)
    assert _fields(refused.value) == {
        "title": "required", "year": "out_of_range", "score": "score_above_max",
        "rank_of": "rank_above_count", "document_number": "required"}
    # It still reads as the first refusal, for callers that want one.
    assert (refused.value.code, refused.value.field) == ("required", "title")
    with demo_db.read() as session:
        assert session.execute(select(func.count()).select_from(Assessment)).scalar() == 1


def test_one_problem_is_a_plain_refusal_and_good_values_pass() -> None:
    with pytest.raises(EditRefused) as refused:
        check_assessment({"title": "X", "year": 2026, "score": 101})
    assert type(refused.value) is EditRefused and refused.value.code == "score_above_max"
    assert check_assessment({"title": " X ", "year": 2026})["title"] == "X"
    assert refusals_of(check_assessment, {"title": "X", "year": 2026}) == []
    assert [p.field for p in refusals_of(check_assessment, {"title": "", "year": None})] == [
        "title", "year"]


def test_a_sub_criterion_above_its_parent_is_refused(demo_db) -> None:  # noqa: ANN001
    assessment_id = _assessment_id(demo_db)
    with demo_db.read() as session:
        parent = session.execute(select(Criterion).where(
            Criterion.assessment_id == assessment_id, Criterion.code == "3")).scalar_one()
        parent_max = parent.max_points
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        save_criterion(session, assessment_id, {"code": "3.9", "title": "Mới",
                                                "max_points": parent_max + 1})
    assert (refused.value.code, refused.value.field) == ("above_parent_max", "max_points")
    assert refused.value.value == ("3", parent_max)
    with demo_db.write() as session:
        save_criterion(session, assessment_id, {"code": "3.9", "title": "Mới",
                                                "max_points": parent_max})


def test_a_parent_below_its_largest_sub_criterion_is_refused(demo_db) -> None:  # noqa: ANN001
    assessment_id = _assessment_id(demo_db)
    with demo_db.read() as session:
        rows = session.execute(select(Criterion).where(
            Criterion.assessment_id == assessment_id)).scalars().all()
        by_code = {row.code: row for row in rows}
    children = [row for code, row in by_code.items() if code.startswith("3.")]
    largest = max(children, key=lambda row: row.max_points)
    parent = by_code["3"]
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        save_criterion(session, assessment_id, {"code": "3", "title": parent.title,
                                                "max_points": largest.max_points - 0.5},
                       parent.id)
    assert refused.value.code == "below_child_max"
    assert refused.value.value[1] == largest.max_points


def test_criterion_limits_read_the_tree() -> None:
    maxes = {"3": 5.0, "3.1": 2.0, "3.2": 3.0, "3.2.1": 1.0, "4": 9.0, "31": 7.0}
    assert criterion_limits(maxes, "3.3") == (("3", 5.0), None)
    assert criterion_limits(maxes, "3") == (None, ("3.2", 3.0))
    assert criterion_limits(maxes, "3.2") == (("3", 5.0), ("3.2.1", 1.0))
    problems = refusals_of(check_criterion, {"code": "3.3", "title": "", "max_points": 6,
                                             "score": 7}, maxes)
    assert {p.field: str(p.code) for p in problems} == {
        "title": "required", "score": "score_above_max", "max_points": "above_parent_max"}


def test_a_task_and_evidence_give_every_problem(demo_db) -> None:  # noqa: ANN001
    with pytest.raises(EditsRefused) as refused, demo_db.write() as session:
        update_task(session, 2, {"title": " ", "owner": "a\x07b", "progress": 120}, by="B")
    assert _fields(refused.value) == {"title": "required", "owner": "control_characters",
                                      "progress": "progress_range"}
    with pytest.raises(EditsRefused) as refused, demo_db.write() as session:
        add_evidence(session, 2, {"title": "", "date": dt.date(2030, 1, 1),
                                  "issuer": "x" * 501}, by="B")
    assert _fields(refused.value) == {"date": "date_in_future", "title": "required",
                                      "issuer": "too_long"}
