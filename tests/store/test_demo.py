import datetime as dt

from sqlalchemy import select

from store.demo import DEMO_UNIT, demo_assessment
from store.derive import parent_code, points_lost
from store.read.units import unit_summary
from store.snapshot import read_unit_snapshot

TODAY = dt.date(2026, 11, 21)


def test_demo_tree_is_consistent() -> None:
    assessment = demo_assessment(TODAY)
    codes = [c["code"] for c in assessment["criteria"]]
    assert 40 <= len(codes) <= 50
    assert len(set(codes)) == len(codes)
    assert {c for c in codes if "." not in c} == {str(n) for n in range(1, 9)}
    for criterion in assessment["criteria"]:
        assert 0 <= criterion["score"] <= criterion["max_points"]
        parent = parent_code(criterion["code"])
        assert parent is None or parent in codes
    for task in assessment["tasks"]:
        assert set(task["criteria"]) <= set(codes)
        assert (task["status"] == "done") == (task["done_on"] is not None)
        if task["status"] == "done":
            assert task["progress"] == 100
    assert 15 <= len(assessment["tasks"]) <= 25


def test_tasks_cite_the_criteria_that_lost_points() -> None:
    assessment = demo_assessment(TODAY)
    lost = {c["code"] for c in assessment["criteria"]
            if points_lost(c["max_points"], c["score"]) > 0 and c["finding"]}
    cited = {code for t in assessment["tasks"] for code in t["criteria"]}
    assert cited <= lost
    assert len(cited) >= 10


def test_deadlines_are_relative_to_today() -> None:
    for today in (TODAY, dt.date(2030, 3, 1)):
        tasks = demo_assessment(today)["tasks"]
        open_dues = [dt.date.fromisoformat(t["due"]) for t in tasks
                     if t["status"] in ("todo", "in_progress")]
        assert any(d < today for d in open_dues)  # overdue
        assert any(today <= d <= today + dt.timedelta(days=7) for d in open_dues)  # this week
        assert any(t["status"] == "done" for t in tasks)


def test_seeded_demo_reads_back_as_it_went_in(demo_db) -> None:  # noqa: ANN001
    from store.models import Unit

    with demo_db.read() as session:
        unit_id = session.execute(select(Unit.id).where(Unit.code == DEMO_UNIT["code"])
                                  ).scalar_one()
        snapshot = read_unit_snapshot(session, unit_id)
        summary = unit_summary(session, unit_id, TODAY)
    assert snapshot["unit"] == DEMO_UNIT
    expected = demo_assessment(TODAY)
    (stored,) = snapshot["assessments"]
    assert [c["code"] for c in stored["criteria"]] == [c["code"] for c in expected["criteria"]]
    assert {t["id"]: t["history"] for t in stored["tasks"]} == {
        t["id"]: t["history"] for t in expected["tasks"]}
    assert summary.tasks_total == len(expected["tasks"])
    assert summary.tasks_overdue > 0 and summary.points_lost == 13.9
