"""Issue 15: every form and dialog opens with its first field focused, so what the
user types lands there (the first run's unit code was typed into nothing)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from tui.app import CchcApp
from tui.cli import make_context


class Args:
    def __init__(self, demo: bool = True) -> None:
        self.data_dir = None
        self.demo = demo
        self.lang = None
        self.read_only = False


async def _ready(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _typed_into(app: CchcApp, pilot, field_id: str) -> str:  # noqa: ANN001
    await pilot.pause()
    await pilot.press(*"30316")
    return app.screen.query_one(f"#{field_id}", Input).value


async def test_first_run_types_the_unit_code_without_a_tab(data_dir: Path) -> None:
    app = CchcApp(make_context(Args(demo=False)))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.__class__.__name__ == "SetupScreen"
        assert await _typed_into(app, pilot, "unit-code") == "30316"


async def test_every_workspace_form_focuses_its_first_field(data_dir: Path) -> None:
    from tui.screens.dialogs import DateDialog
    from tui.screens.evidence_form import EvidenceForm
    from tui.screens.letter_forms import AssessmentForm, CriterionForm
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        workspace = app.workspace
        assessment_id = app.screen.assessment_id
        task_id = app.screen.query_one("#task-table").cursor_key
        forms = [(TaskForm(workspace, assessment_id), "f-title"),
                 (TaskForm(workspace, assessment_id, task_id), "f-title"),
                 (EvidenceForm(workspace, task_id), "f-title"),
                 (AssessmentForm(workspace), "f-title"),
                 (CriterionForm(workspace, assessment_id), "f-code"),
                 (DateDialog("?"), "date-value")]
        for form, first in forms:
            app.push_screen(form)
            value = await _typed_into(app, pilot, first)
            assert value.endswith("30316"), form
            form.dismiss(None)
            await pilot.pause()


async def test_settings_and_receiving_focus_their_first_field(data_dir: Path) -> None:
    from tui.review.receive import ReceiveDialog

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        app.action_settings()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SettingsScreen"
        assert isinstance(app.focused, Select) and app.focused.id == "s-language"
        app.screen.dismiss(False)
        await pilot.pause()
        app.push_screen(ReceiveDialog(Path("/nowhere")))
        await pilot.pause()
        assert app.focused is app.screen.query_one("#receive-path", Input)


async def test_date_fields_show_the_order_in_vietnamese(data_dir: Path) -> None:
    from tui.screens.dialogs import DateDialog
    from tui.screens.evidence_form import EvidenceForm
    from tui.screens.letter_forms import AssessmentForm
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        workspace, assessment_id = app.workspace, app.screen.assessment_id
        task_id = app.screen.query_one("#task-table").cursor_key
        for form in (TaskForm(workspace, assessment_id), EvidenceForm(workspace, task_id),
                     AssessmentForm(workspace), DateDialog("?")):
            app.push_screen(form)
            await pilot.pause()
            placeholders = {field.placeholder for field in form.query(Input)} - {""}
            assert "nn/tt/nnnn" in placeholders, form
            assert "dd/mm/yyyy" not in placeholders, form
            form.dismiss(None)
            await pilot.pause()
