"""Workspace tabs take their data from a PaneContext and post messages up: hosted
alone in a bare App (no WorkspaceScreen to read from), each one fills itself and
says what was chosen; the workspace screen opens what its tabs choose."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from tests.conftest import FIXED_TODAY
from tests.tui.pane_host import PaneHost, settle
from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.pane_messages import CriterionChosen, TaskChosen
from tui.screens.section_pane import PaneContext
from tui.services.workspace import Workspace

# The panes are imported in the tests, not at collection: their key descriptions are
# worded on import, and screens that other tests snapshot (the review's unit) use them.


class DemoArgs:
    data_dir = None
    demo = True
    lang = None
    read_only = False


def demo_app() -> CchcApp:
    return CchcApp(make_context(DemoArgs()))


def demo_context(db, *, read_only: bool = False) -> PaneContext:  # noqa: ANN001
    from sqlalchemy import select

    from store.models import Unit
    from store.read.assessments import current_assessment

    with db.read() as session:
        unit = session.execute(select(Unit)).scalar_one()
        assessment = current_assessment(session, unit.id)
        assert assessment is not None
        unit_id, assessment_id = unit.id, assessment.id
    return PaneContext(Workspace(db=db, unit_id=unit_id), assessment_id, FIXED_TODAY,
                       read_only=read_only)


async def test_enter_on_a_task_posts_task_chosen(demo_db) -> None:  # noqa: ANN001
    from tui.screens.tasks import TasksPane

    app = PaneHost(TasksPane(demo_context(demo_db)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.pane.table
        assert table.row_count == 20
        await pilot.press("down", "down")
        expected = table.cursor_key
        await pilot.press("enter")
        await pilot.pause()
    assert [type(m) for m in app.received] == [TaskChosen]
    assert app.received[0].task_id == expected


async def test_a_search_keystroke_leaves_the_reading_to_the_source(demo_db) -> None:  # noqa: ANN001
    """The key handler only makes a source: the SQL runs when the table counts it
    and asks for its page, not in the handler."""
    from sqlalchemy import event

    from tui.screens.tasks import TasksPane
    from tui.widgets.task_rows import AssessmentTasks, TaskSource

    statements: list[str] = []
    app = PaneHost(TasksPane(demo_context(demo_db)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"khac phuc")
        source = app.pane.table.source
        assert isinstance(source, TaskSource) and isinstance(source.pages, AssessmentTasks)
        assert source.pages.filter.search == "khac phuc"
        found = app.pane.table.row_count
        assert 0 < found < 20

        def record(_conn, _cursor, statement, *_args: object) -> None:  # noqa: ANN001
            statements.append(statement)

        event.listen(demo_db.reader, "before_cursor_execute", record)
        try:
            fresh = TaskSource(demo_db, AssessmentTasks(source.pages.assessment_id,
                                                        source.pages.filter, FIXED_TODAY),
                               FIXED_TODAY)
            assert statements == []
            assert fresh.count() == found and statements
        finally:
            event.remove(demo_db.reader, "before_cursor_execute", record)


async def test_enter_on_a_deadline_posts_task_chosen_but_not_on_a_heading(demo_db) -> None:  # noqa: ANN001
    from tui.screens.deadlines import DeadlinesPane

    app = PaneHost(DeadlinesPane(demo_context(demo_db)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.pane.table
        assert table.cursor_key == ("group", "overdue")
        await pilot.press("enter")
        await pilot.pause()
        assert app.received == []
        await pilot.press("down")
        task_id = table.cursor_key
        await pilot.press("enter")
        await pilot.pause()
    assert [(type(m), m.task_id) for m in app.received] == [(TaskChosen, task_id)]


async def test_enter_on_a_criterion_posts_criterion_chosen(demo_db) -> None:  # noqa: ANN001
    from tui.screens.criteria import CriteriaPane

    app = PaneHost(CriteriaPane(demo_context(demo_db)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.pane.table
        index = next(i for i in range(table.row_count)
                     if table.row_at(i).cells[0].plain.strip().startswith("3.3 "))
        table.move_cursor(index)
        await pilot.press("enter")
        await pilot.pause()
    assert [(type(m), m.code) for m in app.received] == [(CriterionChosen, "3.3")]


async def test_a_read_only_context_offers_no_criterion_edit(demo_db) -> None:  # noqa: ANN001
    from tui.screens.criteria import CriteriaPane

    for read_only in (False, True):
        app = PaneHost(CriteriaPane(demo_context(demo_db, read_only=read_only)))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("a")
            await pilot.pause()
            opened = type(app.screen).__name__
        assert opened == ("Screen" if read_only else "CriterionForm")


async def test_a_new_context_is_read_when_the_tab_is_next_shown(demo_db) -> None:  # noqa: ANN001
    from tui.screens.deadlines import DeadlinesPane

    context = demo_context(demo_db)
    app = PaneHost(DeadlinesPane(context))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.pane.table
        overdue = table.row_at(0).cells[0].plain
        app.pane.set_context(dataclasses.replace(context, today=dt.date(2026, 1, 1)))
        assert table.row_at(0).cells[0].plain == overdue  # not read before shown
        app.pane.show()
        await pilot.pause()
        assert table.row_at(0).cells[0].plain != overdue
        assert table.row_at(0).cells[0].plain.endswith("· 0")  # nothing late on 1 January


async def test_the_workspace_opens_the_task_its_tab_chose(data_dir: Path) -> None:
    from tui.screens.deadlines import DeadlinesPane

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        pane = app.screen.query_one(DeadlinesPane)
        task_id = pane.table.row_at(1).key
        pane.post_message(TaskChosen(task_id))
        await pilot.pause()
        assert type(app.screen).__name__ == "TaskScreen"
        assert app.screen.task_id == task_id and not app.screen.read_only


async def test_delete_on_evidence_asks_the_task_screen_which_removes_it(data_dir: Path) -> None:
    from sqlalchemy import func, select

    from store.models import Evidence
    from store.paths import resolve

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        db = app.workspace.db
        with db.read() as session:
            task_id, pieces = session.execute(
                select(Evidence.task_id, func.count()).group_by(Evidence.task_id)).first()
        app.screen.open_task(task_id)
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#evidence-table")
        assert table.row_count == pieces
        removed = table.cursor_key
        table.focus()
        await pilot.press("delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen and table.row_count == pieces - 1
    from store.db import Database

    check = Database(resolve(data_dir, demo=True).db_path, read_only=True)
    with check.read() as session:
        assert session.get(Evidence, removed) is None
    check.dispose()
