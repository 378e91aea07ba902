"""Issue 15 item 3 and issue 11 item 4: a form shows every problem at once beside
its field after one save, checks as the official types (a number with a letter in
it stays as typed and is named, a date that does not exist, a score above the
maximum, a sub-criterion worth more than its parent), and Esc on a changed form
asks before throwing the changes away (an unchanged one closes at once)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from textual.widgets import Input, Select, TextArea

from tui.app import CchcApp
from tui.cli import make_context
from tui.screens.dialogs import ConfirmDialog
from tui.screens.form import FormScreen


class Args:
    def __init__(self) -> None:
        self.data_dir = None
        self.demo = True
        self.lang = None
        self.read_only = False


async def _settle(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _line(app: CchcApp, name: str) -> str:
    return str(app.screen.query_one(f"#{name}-error").render())


def _shown(app: CchcApp) -> set[str]:
    return {str(line.id).removesuffix("-error")
            for line in app.screen.query(".field-error.-shown")}


async def _type(pilot, app: CchcApp, name: str, text: str) -> None:  # noqa: ANN001
    field = app.screen.query_one(f"#f-{name}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def _assessment_count(app: CchcApp) -> int:
    from store.models import Assessment

    with app.workspace.db.read() as session:
        return session.execute(select(func.count()).select_from(Assessment)).scalar_one()


async def test_the_assessment_form_shows_every_problem_after_one_save(data_dir: Path) -> None:
    from tui.screens.letter_forms import AssessmentForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        before = _assessment_count(app)
        app.push_screen(AssessmentForm(app.workspace))
        await _settle(app, pilot)
        await _type(pilot, app, "year", "2O25")
        # The letter is kept, not dropped ("2O25" once became "225"), and named as typed.
        assert app.screen.query_one("#f-year", Input).value == "2O25"
        assert "số nguyên" in _line(app, "year")
        assert _shown(app) == {"year"}  # untouched fields are not scolded yet
        await _type(pilot, app, "score", "120")
        assert "lớn hơn điểm tối đa" in _line(app, "score")
        await _type(pilot, app, "document_date", "31/02/2025")
        assert "Không có ngày" in _line(app, "document_date")
        await _type(pilot, app, "rank", "9")
        await _type(pilot, app, "rank_of", "3")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, AssessmentForm)
        assert _shown(app) == {"title", "year", "score", "document_date", "rank_of"}
        assert _assessment_count(app) == before
        await _type(pilot, app, "year", "2025")
        assert _line(app, "year") == ""
        assert "year" not in _shown(app) and "title" in _shown(app)


async def test_a_sub_criterion_above_its_parent_is_named_while_typing(data_dir: Path) -> None:
    from store.models import Criterion
    from tui.screens.letter_forms import CriterionForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assessment_id = app.screen.assessment_id
        with app.workspace.db.read() as session:
            parent = session.execute(select(Criterion).where(
                Criterion.assessment_id == assessment_id,
                Criterion.code == "3")).scalar_one()
            parent_max = parent.max_points
        app.push_screen(CriterionForm(app.workspace, assessment_id))
        await _settle(app, pilot)
        await _type(pilot, app, "code", "3.9")
        await _type(pilot, app, "max_points", str(int(parent_max) + 1))
        assert "tiêu chí cha 3" in _line(app, "max_points")
        await _type(pilot, app, "max_points", "0,5")
        assert _line(app, "max_points") == ""
        await _type(pilot, app, "score", "1")
        assert "lớn hơn điểm tối đa" in _line(app, "score")


async def test_esc_closes_an_unchanged_form_and_asks_on_a_changed_one(data_dir: Path) -> None:
    from tui.screens.letter_forms import AssessmentForm, CriterionForm
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        workspace, assessment_id = app.workspace, app.screen.assessment_id
        for make in (lambda: AssessmentForm(workspace),
                     lambda: CriterionForm(workspace, assessment_id),
                     lambda: TaskForm(workspace, assessment_id)):
            app.push_screen(make())
            await _settle(app, pilot)
            await pilot.press("escape")
            await _settle(app, pilot)
            assert not isinstance(app.screen, FormScreen), "an unchanged form closes at once"
            form = make()
            app.push_screen(form)
            await _settle(app, pilot)
            await pilot.press(*"Sửa")
            await pilot.press("escape")
            await _settle(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("escape")  # No: keep editing
            await _settle(app, pilot)
            assert app.screen is form and form.changed()
            await pilot.press("escape")
            await _settle(app, pilot)
            await pilot.click("#confirm-yes")
            await _settle(app, pilot)
            assert not isinstance(app.screen, FormScreen)


async def test_esc_asks_on_evidence_and_cause_forms_too(data_dir: Path) -> None:
    from store.models import Criterion
    from tui.screens.cause_form import CauseForm
    from tui.screens.evidence_form import EvidenceForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        task_id = app.screen.query_one("#task-table").cursor_key
        with app.workspace.db.read() as session:
            lost = next(c.id for c in session.execute(select(Criterion)).scalars()
                        if c.score is not None and c.score < c.max_points)
        for form, change in (
                (EvidenceForm(app.workspace, int(task_id)),
                 lambda screen: setattr(screen.query_one("#f-title", Input), "value", "X")),
                (CauseForm(app.workspace, lost),
                 lambda screen: screen.query_one("#f-cause", TextArea).insert("Thiếu người")),
                (CauseForm(app.workspace, lost),
                 lambda screen: setattr(screen.query_one("#f-cause_kind", Select), "value",
                                        "objective"))):
            app.push_screen(form)
            await _settle(app, pilot)
            change(form)
            await pilot.pause()
            await pilot.press("escape")
            await _settle(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.click("#confirm-yes")
            await _settle(app, pilot)
            assert not isinstance(app.screen, FormScreen)


async def test_a_problem_a_change_causes_elsewhere_shows_at_once(data_dir: Path) -> None:
    from store.models import Criterion
    from tui.screens.cause_form import CauseForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        with app.workspace.db.read() as session:
            lost = next(c for c in session.execute(select(Criterion)).scalars()
                        if c.score is not None and c.score < c.max_points and not c.cause)
        app.push_screen(CauseForm(app.workspace, lost.id))
        await _settle(app, pilot)
        assert _shown(app) == set()
        app.screen.query_one("#f-cause_kind", Select).value = "objective"
        await _settle(app, pilot)
        assert "Hãy ghi nguyên nhân trước khi chọn loại" in _line(app, "cause")
        assert _shown(app) == {"cause"}
        app.screen.query_one("#f-cause", TextArea).insert("Thiếu người")
        await _settle(app, pilot)
        assert _shown(app) == set()


async def test_a_missing_evidence_file_is_named_while_typing(data_dir: Path,
                                                             tmp_path: Path) -> None:
    from tui.screens.evidence_form import EvidenceForm

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        task_id = int(app.screen.query_one("#task-table").cursor_key)
        app.push_screen(EvidenceForm(app.workspace, task_id))
        await _settle(app, pilot)
        await _type(pilot, app, "file", str(tmp_path / "bb.pdf"))
        assert "Không có tệp" in _line(app, "file")
        await _type(pilot, app, "file", str(tmp_path))
        assert _line(app, "file") != "" and "Không có tệp" not in _line(app, "file")
        (tmp_path / "bb.pdf").write_bytes(b"%PDF-1.7\n")
        await _type(pilot, app, "file", f"'{tmp_path / 'bb.pdf'}'")
        assert _line(app, "file") == ""
