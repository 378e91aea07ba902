"""The commune's summary line and the supervisor's overview row of the same unit
agree on its score and tasks: they share ScoreAndTasks and one SQL path."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from store.connect import connect
from store.models import Unit
from store.read.unit_counts import ScoreAndTasks, percent_done
from store.read.units import unit_summary
from store.review.overview import unit_overview

TODAY = dt.date(2026, 11, 21)
SHARED = [field.name for field in dataclasses.fields(ScoreAndTasks)]


def _shared(row: ScoreAndTasks) -> dict[str, object]:
    return {name: getattr(row, name) for name in SHARED}


def test_the_summary_line_and_the_overview_row_agree(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        unit_id = session.execute(select(Unit.id)).scalar_one()
        summary = unit_summary(session, unit_id, TODAY)
    connection = connect(demo_db.path, read_only=True)
    try:
        [row] = unit_overview(connection, TODAY)
    finally:
        connection.close()
    assert _shared(summary) == _shared(row)
    assert summary.percent_done == row.percent_done
    # The demo is made to show every case: some done, some overdue, a next deadline.
    assert summary.tasks_done and summary.tasks_overdue and summary.next_due >= TODAY
    assert summary.points_lost == round(summary.max_points - summary.score, 2)


def test_a_unit_without_an_assessment_has_no_score_and_no_tasks(empty_db) -> None:  # noqa: ANN001
    with empty_db.write() as session:
        unit = Unit(code="X1", name="Xã Một")
        session.add(unit)
        session.flush()
        summary = unit_summary(session, unit.id, TODAY)
    assert _shared(summary) == dict.fromkeys(SHARED, None) | {
        "tasks_total": 0, "tasks_done": 0, "tasks_cancelled": 0, "tasks_overdue": 0}
    assert summary.percent_done is None


def test_cancelled_tasks_do_not_count_towards_the_percentage() -> None:
    assert percent_done(done=3, total=10, cancelled=4) == 50.0
    assert percent_done(done=0, total=2, cancelled=2) is None
