"""Assigned against reported (issue 14, item 4): the overview's and a unit's detail's
view of the newest assignment sent, the one held, the tasks missing and withdrawn,
and the filter "has not imported the latest assignment"."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.review import factory
from tests.review.assigned import issue_twice, report_holding
from tests.review.test_review_ui import cells, codes, make_app, ready
from tui.widgets.virtual_table import VirtualTable


@pytest.fixture
def assigned_db(review_db_path: Path, tmp_path: Path) -> Path:
    done = issue_twice(review_db_path, tmp_path / "out")
    report_holding(review_db_path, 1, done)
    return review_db_path


def _states(path: Path):  # noqa: ANN202
    from store.assign.overview import assignments_by_unit
    from store.review import open_overview_connection

    with closing(open_overview_connection(path)) as connection:
        return assignments_by_unit(connection)


def test_each_unit_issued_to_has_its_newest_held_missing_and_withdrawn(assigned_db) -> None:  # noqa: ANN001
    states = _states(assigned_db)
    assert sorted(states) == [factory.unit_code(i) for i in (1, 2, 3)]
    holding = states[factory.unit_code(1)]
    assert (holding.sent_sequence, holding.held_sequence, holding.up_to_date) == (2, 2, True)
    behind = states[factory.unit_code(2)]
    assert (behind.sent_sequence, behind.held_sequence, behind.up_to_date) == (2, None, False)
    assert behind.sent_at.startswith("2026-11-21")
    # The review's copy of the unit's bundle holds none of the assigned tasks yet.
    assert len(behind.missing_tasks) > 1
    assert len(behind.withdrawn_tasks) == 1
    assert behind.withdrawn_tasks[0] not in behind.missing_tasks


def test_a_review_without_assignments_reads_none(review_db_path: Path) -> None:
    assert _states(review_db_path) == {}


def test_a_held_sequence_below_the_newest_is_not_up_to_date(review_db_path: Path,
                                                             tmp_path: Path) -> None:
    from dataclasses import replace

    done = issue_twice(review_db_path, tmp_path / "out")
    unit = next(u for u in done.preview.units if u.unit_code == factory.unit_code(3))
    report_holding(review_db_path, 3, replace(done, preview=replace(
        done.preview, units=(replace(unit, sequence=1),))))
    state = _states(review_db_path)[factory.unit_code(3)]
    assert (state.held_sequence, state.up_to_date) == (1, False)


async def test_the_overview_shows_assignments_and_filters_units_behind(assigned_db) -> None:  # noqa: ANN001
    app = make_app(assigned_db)
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        keys = [c.key for c in table.columns]
        assert keys[-4:] == ["assigned", "held", "missing_tasks", "withdrawn_tasks"]
        first, second, fourth = cells(table, 0), cells(table, 1), cells(table, 3)
        assert first[-4] == "2 · 21/11/2026" and first[-3] == "2" and first[-1] == "1"
        assert second[-3] == "✗ —" and int(second[-2]) > 1
        assert fourth[-4:] == ["", "", "", ""]
        await pilot.press("u")
        assert codes(table) == [factory.unit_code(2), factory.unit_code(3)]
        state = str(app.screen.query_one("#review-filters", Static).render())
        assert "chưa nhập giao việc mới nhất" in state
        await pilot.press("u")
        assert table.row_count == 6


async def test_without_assignments_the_overview_has_no_assignment_columns(
        review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert "held" not in [c.key for c in table.columns]
        await pilot.press("u")  # nothing is behind
        assert table.row_count == 0


async def test_sorting_by_the_held_column(assigned_db) -> None:  # noqa: ANN001
    app = make_app(assigned_db)
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(app, pilot)
        app.overview.sort_by("held")
        await pilot.pause()
        table = app.screen.query_one("#review-units", VirtualTable)
        # Behind first, then holding, then the units never assigned anything.
        assert codes(table)[:3] == [factory.unit_code(i) for i in (2, 3, 1)]


async def test_the_units_detail_tells_its_assignments(assigned_db) -> None:  # noqa: ANN001
    app = make_app(assigned_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("down", "enter")
        await ready(app, pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "giao việc 2 ngày 21/11/2026" in summary
        assert "đơn vị chưa báo đang giữ giao việc nào" in summary
        assert "1 nhiệm vụ đã rút" in summary
