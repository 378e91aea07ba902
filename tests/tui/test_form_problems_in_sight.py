"""Issue 15: a form's problem is in sight at 80x24, beside its field (the evidence
form's "no such file" sat below the visible part), and a pasted path loses the
quotes that drag-and-drop and Windows' "Copy as path" put around it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from textual.widget import Widget
from textual.widgets import Input, Static

from store.paths import resolve
from tui.app import CchcApp
from tui.cli import make_context
from tui.words import parse


class Args:
    def __init__(self, demo: bool = True) -> None:
        self.data_dir = None
        self.demo = demo
        self.lang = None
        self.read_only = False


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def fully_in_sight(widget: Widget) -> bool:
    """The widget's whole region is drawn on the screen (not clipped by a scroll)."""
    geometry = widget.screen.find_widget(widget)
    region = geometry.region
    return (region.area > 0 and geometry.clip.intersection(region) == region
            and widget.screen.region.contains_region(region))


def problem(app: CchcApp, name: str) -> Static:
    return app.screen.query_one(f"#{name}-error", Static)


def test_quotes_around_a_pasted_path_are_stripped() -> None:
    assert parse.path("  'D:\\minh-chung\\bb.pdf' ") == "D:\\minh-chung\\bb.pdf"
    assert parse.path('"D:\\minh chung\\bb.pdf"') == "D:\\minh chung\\bb.pdf"
    assert parse.path("'/tmp/it's.pdf'") == "/tmp/it's.pdf"
    assert parse.path("D:\\bb.pdf'") == "D:\\bb.pdf'"  # one quote is part of the name
    assert parse.path("  ") == ""


async def test_evidence_file_problem_is_seen_and_a_quoted_path_is_read(
        data_dir: Path, tmp_path: Path) -> None:
    from store.models import Evidence

    file = tmp_path / "bb.pdf"
    file.write_bytes(b"%PDF-1.7 minh chung\n" * 50)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        app.screen.open_task(app.screen.query_one("#task-table").cursor_key)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#f-title", Input).value = "Biên bản kiểm tra"
        app.screen.query_one("#f-file", Input).value = f"'{tmp_path / 'missing.pdf'}'"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        shown = problem(app, "file")
        assert "Không có tệp" in str(shown.render())
        assert "'" not in str(shown.render())
        assert fully_in_sight(shown)
        app.screen.query_one("#f-file", Input).value = f'"{file}"'
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen.__class__.__name__ == "TaskScreen"
    from store.db import Database

    db = Database(resolve(data_dir, demo=True).db_path, read_only=True)
    with db.read() as session:
        stored = session.execute(select(Evidence).where(Evidence.title == "Biên bản kiểm tra")
                                 ).scalar_one()
    db.dispose()
    assert stored.file_sha256 == hashlib.sha256(file.read_bytes()).hexdigest()


async def test_every_forms_last_problem_is_in_sight_at_80x24(data_dir: Path) -> None:
    from tui.screens.letter_forms import AssessmentForm, CriterionForm
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        workspace, assessment_id = app.workspace, app.screen.assessment_id
        task_id = app.screen.query_one("#task-table").cursor_key
        cases = [(TaskForm(workspace, assessment_id, task_id), "done_on", "31/02/2026"),
                 (CriterionForm(workspace, assessment_id), "score", "nhiều"),
                 (AssessmentForm(workspace), "rank_of", "mười")]
        for form, name, text in cases:
            app.push_screen(form)
            await pilot.pause()
            form.query_one(f"#f-{name}", Input).value = text
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            shown = problem(app, name)
            assert str(shown.render()), (form, name)
            assert fully_in_sight(shown), (form, name)
            assert fully_in_sight(form.query_one(f"#f-{name}")), (form, name)
            form.dismiss(None)
            await pilot.pause()


async def test_first_run_problem_is_in_sight_at_80x24(data_dir: Path) -> None:
    app = CchcApp(make_context(Args(demo=False)))
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#unit-code", Input).value = "30316"
        app.screen.query_one("#unit-name", Input).value = "Phường 1"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        shown = problem(app, "officer-name")
        assert "Hãy nhập" in str(shown.render())
        assert fully_in_sight(shown)


async def test_settings_problem_is_in_sight_at_80x24(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        app.action_settings()
        await pilot.pause()
        app.screen.query_one("#unit-name", Input).value = ""
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        shown = problem(app, "unit-name")
        assert str(shown.render())
        assert fully_in_sight(shown)
