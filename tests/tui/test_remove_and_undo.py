"""Removing a task (x on its screen), a criterion (x on the criteria tab) and the
assessment (palette), each after a confirmation and recorded; Ctrl+Z takes back
the session's last edit."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.widgets import Input

from tests.tui.pane_host import settle
from tests.tui.test_panes import demo_app
from tests.tui.test_workspace import until


def _count(db, model, *where: object) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)
                               ).scalar_one()


def _notices(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]


async def _confirm(app, pilot) -> None:  # noqa: ANN001
    await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
    await pilot.press("y")
    await settle(app, pilot)


async def test_x_removes_the_task_after_asking_and_ctrl_z_brings_it_back() -> None:
    from store.models import Removal, Task

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        db = app.workspace.db
        tasks = _count(db, Task)
        workspace = app.screen
        task_id = workspace.query_one("#task-table").row_at(0).key
        workspace.open_task(task_id)
        await until(pilot, lambda: type(app.screen).__name__ == "TaskScreen")
        await settle(app, pilot)
        await pilot.press("x")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("escape")  # no: nothing removed
        await settle(app, pilot)
        assert _count(db, Task) == tasks
        await pilot.press("x")
        await _confirm(app, pilot)
        await until(pilot, lambda: app.screen is workspace)
        assert _count(db, Task) == tasks - 1 and _count(db, Removal) == 1
        assert any("Đã xóa nhiệm vụ. Bấm Ctrl+Z để hoàn tác." in n for n in _notices(app))
        assert workspace.query_one("#task-table").row_at(0).key != task_id
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert _count(db, Task) == tasks and _count(db, Removal) == 0
        assert any(n.startswith("Đã hoàn tác: Xóa nhiệm vụ") for n in _notices(app))
        assert workspace.query_one("#task-table").row_at(0).key == task_id
        await pilot.press("ctrl+z")  # one undo: the last edit only
        await settle(app, pilot)
        assert "Chưa có thao tác nào để hoàn tác trong lần làm việc này." in _notices(app)


async def test_ctrl_z_takes_back_a_form_edit() -> None:
    from store.models import Task

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        db = app.workspace.db
        task_id = app.screen.query_one("#task-table").row_at(0).key
        with db.read() as session:
            title = session.get(Task, task_id).title
        app.screen.open_task(task_id)
        await until(pilot, lambda: type(app.screen).__name__ == "TaskScreen")
        await settle(app, pilot)
        await pilot.press("e")
        await until(pilot, lambda: bool(app.screen.query("#f-title")))
        field = app.screen.query_one("#f-title", Input)
        field.value = "Tiêu đề mới"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "TaskScreen")
        await settle(app, pilot)
        with db.read() as session:
            assert session.get(Task, task_id).title == "Tiêu đề mới"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        with db.read() as session:
            assert session.get(Task, task_id).title == title
        assert type(app.screen).__name__ == "WorkspaceScreen"


async def test_undo_is_refused_when_the_data_changed_since() -> None:
    from store.models import Task

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        db = app.workspace.db
        task_id = app.screen.query_one("#task-table").row_at(0).key
        app.screen.open_task(task_id)
        await until(pilot, lambda: type(app.screen).__name__ == "TaskScreen")
        await settle(app, pilot)
        await pilot.press("x")
        await _confirm(app, pilot)
        with db.write() as session:  # another window
            other = session.execute(select(Task)).scalars().first()
            other.owner = "Người khác"
            session.add(other)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any("Không hoàn tác được" in n for n in _notices(app))
        assert _count(db, Task, Task.id == task_id) == 0


async def test_x_on_a_criterion_tasks_work_on_is_refused_in_words() -> None:
    from store.models import Criterion, Removal, TaskCriterion

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        db = app.workspace.db
        await pilot.press("2")
        await until(pilot, lambda: bool(app.screen.query("#criteria-table")))
        await settle(app, pilot)
        table = app.screen.query_one("#criteria-table")
        with db.read() as session:
            cited = set(session.execute(select(TaskCriterion.criterion_id)).scalars())
            every = list(session.execute(select(Criterion)).scalars())
            parents = {c.code.rpartition(".")[0] for c in every}
            leaves = {c.id for c in every if c.code not in parents and c.id not in cited}
        row = next(i for i in range(table.row_count) if table.row_at(i).key in cited)
        table.move_cursor(row)
        await pilot.pause()
        await pilot.press("x")
        await _confirm(app, pilot)
        from tui.words.edits import EDIT_REFUSAL

        with db.read() as session:
            code = session.get(Criterion, table.row_at(row).key).code
        refusal = EDIT_REFUSAL["cited_by_tasks"](code)
        assert refusal in _notices(app), _notices(app)
        assert _count(db, Removal) == 0
        free = next(i for i in range(table.row_count) if table.row_at(i).key in leaves)
        table.move_cursor(free)
        await pilot.pause()
        await pilot.press("x")
        await _confirm(app, pilot)
        await until(pilot, lambda: _count(db, Removal) == 1)
        await settle(app, pilot)
        assert any("Đã xóa tiêu chí." in n for n in _notices(app))


async def test_the_palette_removes_the_assessment_after_asking() -> None:
    from store.models import Assessment, Task

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        db = app.workspace.db
        commands = {c.title: c.action for c in app.app_commands()}
        assert commands["Xóa kết quả đánh giá"] == "remove_assessment"
        app.action_remove_assessment()
        await _confirm(app, pilot)
        assert _count(db, Assessment) == 0 and _count(db, Task) == 0
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert _count(db, Assessment) == 1 and _count(db, Task) > 0
