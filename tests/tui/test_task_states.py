"""Issue 15: a task's status and progress do not contradict each other. Progress on
a task not started moves it to in progress; a task done with neither evidence nor
a result is saved with a warning (not refused)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from textual.widgets import Input, Select, Static, TextArea

from store.paths import resolve
from tui.app import CchcApp
from tui.cli import make_context


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


def _stored(data_dir: Path, title: str):  # noqa: ANN202
    from store.db import Database
    from store.models import Task

    db = Database(resolve(data_dir, demo=True).db_path, read_only=True)
    with db.read() as session:
        task = session.execute(select(Task).where(Task.title == title)).scalar_one_or_none()
        found = None if task is None else (task.status, task.progress)
    db.dispose()
    return found


def _warnings(app: CchcApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "warning"]


async def test_progress_on_a_task_not_started_moves_it_to_in_progress(data_dir: Path) -> None:
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        form = TaskForm(app.workspace, app.screen.assessment_id)
        app.push_screen(form)
        await pilot.pause()
        form.query_one("#f-title", Input).value = "Niêm yết thủ tục mới"
        assert form.query_one("#f-status", Select).value == "todo"
        form.query_one("#f-progress", Input).focus()
        await pilot.press("backspace", "4", "0")
        await pilot.pause()
        assert form.query_one("#f-status", Select).value == "in_progress"
        # Chosen back explicitly, the contradiction is refused with a way out.
        form.query_one("#f-status", Select).value = "todo"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen is form
        assert "Đang thực hiện" in str(form.query_one("#status-error", Static).render())
        assert _stored(data_dir, "Niêm yết thủ tục mới") is None
        form.query_one("#f-progress", Input).value = "0"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen is not form
    assert _stored(data_dir, "Niêm yết thủ tục mới") == ("todo", 0)


async def test_done_without_evidence_or_result_is_saved_with_a_warning(data_dir: Path) -> None:
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        for title, result in (("Việc không có kết quả", ""),
                              ("Việc có kết quả", "Đã niêm yết đủ 120 thủ tục")):
            form = TaskForm(app.workspace, app.screen.assessment_id)
            app.push_screen(form)
            await pilot.pause()
            form.query_one("#f-title", Input).value = title
            form.query_one("#f-result", TextArea).text = result
            form.query_one("#f-status", Select).value = "done"
            await pilot.pause()
            await pilot.press("enter")  # the completion date: today, as offered
            await pilot.pause()
            before = len(_warnings(app))
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            assert app.screen is not form
            warned = _warnings(app)[before:]
            if result:
                assert not any("không có minh chứng" in w for w in warned)
            else:
                assert any("không có minh chứng" in w for w in warned), warned
    assert _stored(data_dir, "Việc không có kết quả") == ("done", 100)
    assert _stored(data_dir, "Việc có kết quả") == ("done", 100)
