"""Pilot: the Reports screen (what each document holds, writing it to the export
folder, never replacing a file unasked, offering to open it, the unit's own text)
and the cause of a criterion edited from the criteria tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, Static, TextArea

from store.paths import resolve
from tests.tui.test_workspace import Args, open_db, settle, until
from tui.app import CchcApp
from tui.cli import make_context


def _what(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#reports-what", Static).render())


def _result(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#reports-result", Static).render())


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the screen asked the system to open (nothing is started)."""
    from tui.documents import opener

    calls: list[Path] = []
    monkeypatch.setattr(opener, "open_with_system", lambda path: calls.append(path))
    return calls


async def test_reports_screen_writes_to_the_export_folder_and_offers_to_open(
        data_dir: Path, opened: list[Path]) -> None:
    app = CchcApp(make_context(Args()))
    exports = resolve(data_dir, demo=True).data_dir / "exports"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "ReportsScreen"
        assert app.screen.query_one("#reports-folder", Input).value == str(exports)
        what = _what(app)
        assert "Chỉ số CCHC năm 2025: 16 tiêu chí bị trừ 13,9 điểm." in what
        assert "17 nhiệm vụ khắc phục" in what and "2 nhiệm vụ báo cáo" in what
        assert "Chưa ghi nguyên nhân của tiêu chí 7.3" in what
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmDialog")
        plan = exports / "ke-hoach-khac-phuc-DEMO-30316-20261121.docx"
        assert plan.exists()
        await pilot.press("y")  # open it now
        await pilot.pause()
        assert opened == [plan]
        assert f"Đã ghi: {plan}" in _result(app)

        first = plan.read_bytes()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ReplaceDialog")
        await pilot.click("#replace-keep")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmDialog")
        await pilot.press("escape")  # not now
        kept = exports / "ke-hoach-khac-phuc-DEMO-30316-20261121-2.docx"
        assert kept.exists() and plan.read_bytes() == first
        await pilot.press("o")  # open the last one written, later
        await pilot.pause()
        assert opened == [plan, kept]

        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ReplaceDialog")
        await pilot.click("#replace-cancel")
        await settle(app, pilot)
        assert "không bị thay" in _result(app)
        assert sorted(p.name for p in exports.iterdir()) == sorted([plan.name, kept.name])


async def test_the_results_report_goes_with_a_bundle_and_its_text_is_the_units(
        data_dir: Path, opened: list[Path]) -> None:
    from store.models import ReportDraft

    app = CchcApp(make_context(Args()))
    exports = resolve(data_dir, demo=True).data_dir / "exports"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await app.run_action("reports")
        await settle(app, pilot)
        listing = app.screen.query_one("#reports-list")
        listing.highlighted = 1  # the results report
        await pilot.pause()
        assert "mã kiểm tra của tệp in ở cuối báo cáo" in _what(app)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert form.__class__.__name__ == "DraftsForm"
        form.query_one("#f-proposals", TextArea).text = "x" * 10_001
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "10.000" in str(form.query_one("#proposals-error", Static).render())
        form.query_one("#f-proposals", TextArea).text = ""
        form.query_one("#f-direction", TextArea).text = "Đã họp triển khai ngày 02/10/2026."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "ReportsScreen"
        assert "Chưa soạn: IV. Kiến nghị, đề xuất" in _what(app)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmDialog")
        await pilot.press("escape")
        assert "Mã kiểm tra (in cuối báo cáo):" in _result(app)
    assert sorted(p.suffix for p in exports.iterdir()) == [".docx", ".json"]
    db = open_db(data_dir)
    with db.read() as session:
        drafts = dict(session.execute(select(ReportDraft.section, ReportDraft.text).where(
            ReportDraft.document == "results")).all())
    db.dispose()
    assert drafts == {"direction": "Đã họp triển khai ngày 02/10/2026."}
    assert opened == []


async def test_read_only_writes_the_plan_but_no_report_and_edits_no_text(
        data_dir: Path, tmp_path: Path, opened: list[Path]) -> None:
    from store.demo import seed_demo

    stick = tmp_path / "stick"
    stick.mkdir()
    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    make_context(Args())
    before = locations.db_path.read_bytes()
    app = CchcApp(make_context(Args(read_only=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        app.screen.query_one("#reports-list").highlighted = 1
        await pilot.pause()
        assert "Không dùng được ở chế độ chỉ xem" in _what(app)
        await pilot.press("d")
        await app.run_action("screen.write")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReportsScreen"
        app.screen.query_one("#reports-list").highlighted = 0
        await pilot.pause()
        await pilot.press("ctrl+s")
        # Not into the data folder (its exports folder is the default one): said so.
        await until(pilot, lambda: bool(_result(app)))
        assert "Chế độ chỉ xem (--read-only)" in _result(app), _result(app)
        assert not (locations.data_dir / "exports").exists()
        # Into the folder last exported to (a stick), outside the data folder: written.
        app.screen.query_one("#reports-folder", Input).value = str(stick)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmDialog")
    assert locations.db_path.read_bytes() == before
    assert [p.name for p in stick.iterdir()] == ["ke-hoach-khac-phuc-DEMO-30316-20261121.docx"]


async def test_a_cause_is_written_in_the_criteria_tab_and_shown_with_the_task(
        data_dir: Path) -> None:
    from store.models import Change, Criterion

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#criteria-table")

        def go(code: str) -> None:
            index = next(i for i in range(table.row_count)
                         if table.row_at(i).cells[0].plain.strip().startswith(f"{code} "))
            table.move_cursor(index)

        table.focus()
        go("4.1")  # lost nothing: no cause to write
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        go("7.3")
        await pilot.pause()
        detail = app.screen.query_one("#criterion-detail", Static)
        assert "Nguyên nhân: chưa ghi (phím c)" in str(detail.render())
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert form.__class__.__name__ == "CauseForm"
        form.query_one("#f-cause_kind", Select).value = "subjective"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Hãy ghi nguyên nhân trước" in str(form.query_one("#cause-error", Static).render())
        form.query_one("#f-cause", TextArea).text = "Chưa cập nhật chứng thư số cho công chức."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        assert "Nguyên nhân (Chủ quan): Chưa cập nhật chứng thư số" in str(detail.render())
        await pilot.press("enter")  # the tasks of 7.3
        await until(pilot, lambda: app.screen.query_one("#sections").active == "tasks")
        await pilot.pause()
        app.screen.query_one("#task-table").focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "TaskScreen")
        head = str(app.screen.query_one("#task-head", Static).render())
        assert "Nguyên nhân (Chủ quan): Chưa cập nhật chứng thư số" in head
        history = app.screen.query_one("#history-table")
        whats = [history.row_at(i).cells[2] for i in range(history.row_count)]
        assert "Nguyên nhân (7.3)" in whats and "Loại nguyên nhân (7.3)" in whats
        changes = [history.row_at(i).cells[3] for i in range(history.row_count)]
        assert "— → Chủ quan" in changes
    db = open_db(data_dir)
    with db.read() as session:
        stored = session.execute(select(Criterion.cause, Criterion.cause_kind).where(
            Criterion.code == "7.3")).one()
        fields = set(session.execute(select(Change.field).where(
            Change.field.like("cause%"))).scalars())
    db.dispose()
    assert tuple(stored) == ("Chưa cập nhật chứng thư số cho công chức.", "subjective")
    assert fields == {"cause:7.3", "cause_kind:7.3"}


async def test_the_signer_and_the_place_are_settings(data_dir: Path) -> None:
    from store.config import load_config

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await pilot.pause()
        settings = app.screen
        settings.query_one("#s-documents-signer", Input).value = "Lê Văn Tâm"
        settings.query_one("#s-documents-signer-title", Input).value = \
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
        settings.query_one("#s-documents-place", Input).value = "Sa Đéc"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    config, problem = load_config(resolve(data_dir, demo=True).config_file)
    assert problem is None
    assert (config.documents.signer, config.documents.signer_title, config.documents.place) \
        == ("Lê Văn Tâm", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Sa Đéc")
    from tui.documents.official import Signing

    signing = Signing.from_config(config)
    assert signing.title_lines(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert signing.place_name == "Sa Đéc" and signing.issuer_code == "UBND"
