"""A task the supervisor withdrew (unit A got assignment 1 with it, then assignment 2
without it) while A's bundle still lists it as todo past its deadline is neither open
nor overdue in the review's task lists: the all-tasks list's "open" and "overdue"
filters and their counts, the unit screen's task list and deadlines, and the task's
detail; its row says it was withdrawn instead of overdue. The control: without the
second assignment the same task is listed and marked overdue again (store.overdue's
rule, with the withdrawn ids the review knows from its own assignments)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.assigned import issue_twice
from tests.review.test_review_ui import make_app, ready
from tests.tui.screen_text import screen_text
from tests.tui.test_workspace import until
from tests.review.test_withdrawn_not_overdue import (LATE, UNIT, _forget_the_second_assignment,
                                                     _report_it, open_the_units_screen)
from tui.widgets.task_rows import OVERDUE_MARK, WITHDRAWN_MARK
from tui.widgets.virtual_table import VirtualTable


@pytest.fixture
def reported(review_db_path: Path, tmp_path: Path) -> tuple[Path, int]:
    """The review database and the id of the withdrawn task its unit still reports."""
    issue_twice(review_db_path, tmp_path / "out")
    return review_db_path, _report_it(review_db_path, LATE)


def _withdrawn(path: Path) -> frozenset[int]:
    from store.assign.overview import withdrawn_task_ids
    from store.review import open_overview_connection

    with closing(open_overview_connection(path)) as connection:
        return frozenset().union(*withdrawn_task_ids(connection).values())


def _listed(path: Path, status: str, withdrawn: frozenset[int]) -> tuple[int, dict[int, bool]]:
    """The all-tasks list's count for a status filter, and its rows' ids -> withdrawn."""
    from store.db import Database
    from store.review.tasks import TaskQuery, plan_tasks, task_page

    query = TaskQuery(status=status, withdrawn=withdrawn)
    db = Database(path)
    try:
        with db.read() as session:
            plan = plan_tasks(session, query, FIXED_TODAY)
            rows = task_page(session, query, FIXED_TODAY, offset=0, limit=100_000, plan=plan)
    finally:
        db.dispose()
    return plan.count, {row.id: row.withdrawn for row in rows}



def test_more_withdrawn_ids_than_sqlite_binds_one_by_one(reported: tuple[Path, int]) -> None:
    """The ids are bound as one JSON array: 260,000 of them (past the bound values a
    statement may hold: 32,766 in SQLite's default build, 250,000 in some) filter as
    the real one alone does."""
    path, task = reported
    withdrawn = _withdrawn(path)
    many = withdrawn | frozenset(range(10_000_000, 10_260_000))
    for status in ("open", "overdue"):
        assert _listed(path, status, many) == _listed(path, status, withdrawn)


def test_the_all_tasks_filters_leave_a_withdrawn_task_out(reported: tuple[Path, int]) -> None:
    path, task = reported
    withdrawn = _withdrawn(path)
    assert task in withdrawn
    counts = {}
    for status in ("open", "overdue"):
        count, rows = _listed(path, status, withdrawn)
        assert task not in rows and count == len(rows)
        counts[status] = count
    every_count, every = _listed(path, None, withdrawn)  # type: ignore[arg-type]
    assert every[task] is True  # listed under "all", marked withdrawn
    assert sum(every.values()) == len(withdrawn)

    _forget_the_second_assignment(path)  # the control: nothing withdrawn
    assert _withdrawn(path) == frozenset()
    for status in ("open", "overdue"):
        count, rows = _listed(path, status, frozenset())
        assert rows.get(task) is False and count == counts[status] + 1
    assert _listed(path, None, frozenset())[0] == every_count  # type: ignore[arg-type]


def test_the_units_task_list_and_deadlines_leave_it_out(reported: tuple[Path, int]) -> None:
    from sqlalchemy import text

    from store.db import Database
    from store.read.deadlines import deadline_counts, deadline_page
    from store.read.tasks import TaskFilter, open_task_list, task_page

    path, task = reported
    withdrawn = _withdrawn(path)
    db = Database(path)
    try:
        with db.read() as session:
            [assessment] = session.execute(
                text("SELECT assessment_id FROM task WHERE id = :id"),
                {"id": task}).one()

            def seen(ids: frozenset[int]) -> dict[str, object]:
                found = {}
                for name, flt in (("open", TaskFilter(status="open", withdrawn=ids)),
                                  ("overdue", TaskFilter(overdue=True, withdrawn=ids)),
                                  ("all", TaskFilter(withdrawn=ids))):
                    listed = open_task_list(session, assessment, flt, FIXED_TODAY)
                    rows = {r.id: r for r in task_page(session, listed, 0, 100_000)}
                    found[name] = (listed.count, rows[task].withdrawn if task in rows else None)
                late = deadline_page(session, assessment, "overdue", FIXED_TODAY, 0, 100_000,
                                     ids)
                found["deadlines"] = (deadline_counts(session, assessment, FIXED_TODAY,
                                                      ids)["overdue"],
                                      task in {r.id for r in late})
                return found

            hidden, shown = seen(withdrawn), seen(frozenset())
    finally:
        db.dispose()
    assert hidden["all"] == (shown["all"][0], True)
    assert shown["all"][1] is False
    for name in ("open", "overdue"):
        assert hidden[name] == (shown[name][0] - 1, None)  # type: ignore[index]
        assert shown[name][1] is False  # type: ignore[index]
    assert hidden["deadlines"] == (shown["deadlines"][0] - 1, False)  # type: ignore[index]
    assert shown["deadlines"][1] is True  # type: ignore[index]


async def _all_tasks_screen(path: Path, task: int) -> dict[str, object]:
    """What the all-tasks screen shows of the task under each status of its cycle:
    the state line's count, and the task's "days left" cell (None: not listed)."""
    app = make_app(path)
    shown: dict[str, object] = {}
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("t")
        await ready(app, pilot)
        screen = app.screen
        table = screen.query_one("#all-tasks", VirtualTable)
        for _press in range(3):  # all, overdue, not finished
            status = screen.query_state.status
            state = str(screen.query_one("#tasks-state", Static).render())
            cells = [table.row_at(i) for i in range(table.row_count)]
            row = next((r for r in cells if r.key == task), None)
            days = None if row is None else str(row.cells[5])
            shown[str(status)] = (int(state.split()[0].replace(".", "")), days,
                                  None if row is None else row.tone)
            await pilot.press("f")
            await ready(app, pilot)
    return shown


async def test_the_all_tasks_screen_marks_it_withdrawn_not_overdue(
        reported: tuple[Path, int]) -> None:
    path, task = reported
    hidden = await _all_tasks_screen(path, task)
    assert hidden["None"][1:] == (f"{WITHDRAWN_MARK} đã rút", "muted")  # type: ignore[index]
    assert hidden["overdue"][1:] == (None, None)  # type: ignore[index]
    assert hidden["open"][1:] == (None, None)  # type: ignore[index]

    _forget_the_second_assignment(path)
    shown = await _all_tasks_screen(path, task)
    assert str(shown["None"][1]).startswith(OVERDUE_MARK)  # type: ignore[index]
    assert shown["overdue"][1:] == shown["None"][1:]
    assert shown["overdue"][2] == "danger"  # type: ignore[index]
    assert shown["open"][1] is not None  # type: ignore[index]
    assert shown["None"][0] == hidden["None"][0]  # type: ignore[index]
    for status in ("overdue", "open"):
        assert shown[status][0] == hidden[status][0] + 1  # type: ignore[index]


async def test_the_units_screen_lists_it_withdrawn(reported: tuple[Path, int]) -> None:
    path, task = reported

    async def row_of_task() -> tuple[str, str | None, str]:
        app = make_app(path)
        async with app.run_test(size=(160, 40)) as pilot:
            assert factory.unit_code(UNIT) in await open_the_units_screen(app, pilot)
            tasks = app.screen.query_one("#tasks-pane VirtualTable", VirtualTable)
            [row] = [tasks.row_at(i) for i in range(tasks.row_count)
                     if tasks.row_at(i).key == task]
            app.screen.open_task(task)  # its detail, as Enter on the row opens it
            await until(pilot, lambda: bool(app.screen.query("#task-fields")))
            await ready(app, pilot)
            status = next(line for line in screen_text(app).splitlines()
                          if "Trạng thái" in line)
            return str(row.cells[4]), row.tone, status

    days, tone, status = await row_of_task()
    assert (days, tone) == (f"{WITHDRAWN_MARK} đã rút", "muted")
    assert f"{WITHDRAWN_MARK} " in status and "cấp trên đã rút" in status
    assert OVERDUE_MARK not in status
    _forget_the_second_assignment(path)
    days, tone, status = await row_of_task()
    assert days.startswith(OVERDUE_MARK) and tone == "danger"
    assert OVERDUE_MARK in status and "đã rút" not in status

