"""A task the supervisor withdrew (a later assignment of its issuer no longer holds
it) while the unit's bundle still lists it is not overdue, nor the unit's next
deadline, in the review: the overview's row and totals, the unit's detail and the
summary report (store.overdue's rule, with the withdrawn task ids the review knows
from its own assignments: its rows' withdrawn_at is always empty). The same task
without the second assignment (not withdrawn) counts again in each."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Static

from store.connect import connect
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.assigned import issue_twice
from tests.review.test_review_ui import make_app, ready
from tui.widgets.virtual_table import VirtualTable

UNIT = 2  # the unit whose reported task becomes the withdrawn one
LATE = FIXED_TODAY - dt.timedelta(days=10)
NEXT = FIXED_TODAY + dt.timedelta(days=1)  # before any other deadline of the unit


def _withdrawn_uid(path: Path) -> str:
    from store.assign.overview import assignments_by_unit
    from store.review import open_overview_connection

    with closing(open_overview_connection(path)) as connection:
        [uid] = assignments_by_unit(connection)[factory.unit_code(UNIT)].withdrawn_tasks
    return uid


def _report_it(path: Path, due: dt.date) -> int:
    """The unit's bundle lists the withdrawn task: an open task of its takes its uid
    and the given deadline (as a unit that has not imported the second assignment
    reports it). Returns the task's id."""
    uid = _withdrawn_uid(path)
    connection = connect(path)
    try:
        task_id = connection.execute(
            "SELECT t.id FROM task AS t JOIN assessment AS a ON a.id = t.assessment_id "
            "JOIN unit AS u ON u.id = a.unit_id WHERE u.code = ? ORDER BY t.id LIMIT 1",
            (factory.unit_code(UNIT),)).fetchone()[0]
        connection.execute("UPDATE task SET uid = ?, due = ?, status = 'todo', progress = 0 "
                           "WHERE id = ?", (uid, due.isoformat(), task_id))
        connection.commit()
    finally:
        connection.close()
    return task_id


def _forget_the_second_assignment(path: Path) -> None:
    connection = connect(path)
    try:
        connection.execute("DELETE FROM issuedassignment WHERE unit_code = ? AND sequence = 2",
                           (factory.unit_code(UNIT),))
        connection.commit()
    finally:
        connection.close()


def _counts(path: Path) -> dict[str, object]:
    from store.db import Database
    from store.read.units import unit_summary
    from store.report.review import review_summary
    from store.review import open_overview_connection
    from store.review.overview import overdue_tasks_by_domain, overview_totals, unit_overview

    with closing(open_overview_connection(path)) as connection:
        rows = unit_overview(connection, FIXED_TODAY)
        summary = review_summary(connection, FIXED_TODAY)
        by_domain = overdue_tasks_by_domain(connection, FIXED_TODAY)
    [row] = [r for r in rows if r.code == factory.unit_code(UNIT)]
    [reported] = [r for r in summary.units if r.code == row.code]
    db = Database(path)
    try:
        with db.read() as session:
            detail = unit_summary(session, row.unit_id, FIXED_TODAY,
                                  withdrawn=row.withdrawn_task_ids)
    finally:
        db.dispose()
    return {
        "overview": row.tasks_overdue,
        "totals": overview_totals(rows).tasks_overdue,
        "chart": sum(bar.value for bar in by_domain if bar.key == ""),
        "detail": detail.tasks_overdue,
        "report unit": reported.tasks_overdue,
        "report totals": summary.totals.tasks_overdue,
        "report list": sum(1 for task in summary.overdue if task.unit_code == row.code),
        "next due": (row.next_due, detail.next_due, reported.next_due),
    }


@pytest.fixture
def issued(review_db_path: Path, tmp_path: Path) -> Path:
    issue_twice(review_db_path, tmp_path / "out")
    return review_db_path


def test_a_withdrawn_task_is_not_overdue_in_the_review(issued: Path) -> None:
    _report_it(issued, LATE)
    withdrawn = _counts(issued)
    _forget_the_second_assignment(issued)
    not_withdrawn = _counts(issued)
    # factory tasks cite criteria: the chart's "no criterion" bar moves only if it cites none
    counted = {place for place in withdrawn if place not in ("chart", "next due")}
    assert {place: not_withdrawn[place] - withdrawn[place] for place in counted} == \
        dict.fromkeys(counted, 1), (withdrawn, not_withdrawn)


def test_a_withdrawn_task_is_not_the_units_next_deadline(issued: Path) -> None:
    _report_it(issued, NEXT)
    withdrawn = _counts(issued)["next due"]
    assert NEXT not in withdrawn  # type: ignore[operator]
    _forget_the_second_assignment(issued)
    assert _counts(issued)["next due"] == (NEXT, NEXT, NEXT)


async def open_the_units_screen(app, pilot) -> str:  # noqa: ANN001
    """From the overview to unit UNIT's screen (second by code); its summary line."""
    await ready(app, pilot)
    app.screen.query_one("#review-units", VirtualTable).focus()
    await pilot.press(*["down"] * (UNIT - 1), "enter")
    await ready(app, pilot)
    return str(app.screen.query_one("#summary", Static).render())


async def test_the_units_screen_does_not_count_it_overdue(issued: Path) -> None:
    _report_it(issued, LATE)

    async def shown() -> tuple[str, str]:
        app = make_app(issued)
        async with app.run_test(size=(140, 30)) as pilot:
            summary = await open_the_units_screen(app, pilot)
        overdue = next(part for part in summary.split(" · ") if "quá hạn" in part)
        return overdue, summary

    withdrawn, _summary = await shown()
    _forget_the_second_assignment(issued)
    not_withdrawn, summary = await shown()
    assert factory.unit_code(UNIT) in summary
    n = int(withdrawn.split()[0])
    assert withdrawn == f"{n} quá hạn" and not_withdrawn == f"{n + 1} quá hạn"
