"""The commune's app with assignments (issue 14, items 5 and 6): assigned tasks marked
in the list, the supervisor's notes in the task (newest first), withdrawn tasks shown
as such."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from store.assign.importing import import_assignment_file
from store.assign.notes import add_note
from store.paths import resolve
from store.demo import DEMO_UNIT as UNIT  # the demo commune imports the assignments
from tests.assign.conftest import commune_rows, file_for
from tests.tui.screen_text import screen_text
from tests.tui.test_workspace import Args, settle, until
from tui.app import CchcApp
from tui.cli import make_context

if TYPE_CHECKING:
    from store.read.assessments import AssessmentRow


@dataclass
class Assigned:
    db_path: Path
    files: list[Path]  # the assignment files issued, in order
    noted_uid: str  # the task the two notes are about
    withdrawn_uid: str  # the task the second file no longer assigns


def _lost_leaf_rows(rows: list[tuple]) -> list[tuple]:
    mine = [r for r in rows if r[0] == UNIT["code"]]
    codes = [r[3] for r in mine]
    return [r for r in mine if r[6] < r[5] and not any(c.startswith(r[3] + ".") for c in codes)]


def corrected(rows: list[tuple], code: str) -> list[tuple]:
    """The rows with one lost leaf given its full points (its parents follow)."""
    leaf = next(r for r in rows if r[0] == UNIT["code"] and r[3] == code)
    gained = leaf[5] - leaf[6]
    ancestors = {code}
    while "." in code:
        code = code.rpartition(".")[0]
        ancestors.add(code)
    return [r[:6] + (round(r[6] + gained, 2),) + r[7:]
            if r[0] == UNIT["code"] and r[3] in ancestors else r for r in rows]


@pytest.fixture
def assigned(issue, review_db, data_dir: Path) -> Assigned:  # noqa: ANN001
    """The demo commune after two assignments of SNV-87: the second carries two
    notes on one task and no longer assigns another."""
    from store.demo import seed_demo
    from store.migrations import open_database

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    rows = commune_rows(unit=UNIT)
    first = file_for(issue(rows=rows), UNIT["code"])
    tasks = json.loads(first.read_bytes())["assessments"][0]["tasks"]
    leaves = _lost_leaf_rows(rows)
    noted = next(t["id"] for t in tasks if t["criteria"] == [leaves[0][3]])
    withdrawn = next(t["id"] for t in tasks if t["criteria"] == [leaves[1][3]])
    db = open_database(locations.db_path)
    try:
        assert import_assignment_file(db, first, unit_code=UNIT["code"]).accepted
        with review_db.write() as session:
            add_note(session, UNIT["code"], noted, "Thiếu tài liệu kiểm chứng",
                     by="Trần Thị Mai", at=dt.datetime(2026, 11, 19, 2, 0, tzinfo=dt.UTC))
            add_note(session, UNIT["code"], noted, "Đề nghị bổ sung [b]số liệu[/b]",
                     by="Phúc", at=dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
        second = file_for(issue(rows=corrected(rows, leaves[1][3])), UNIT["code"])
        assert import_assignment_file(db, second, unit_code=UNIT["code"]).accepted
    finally:
        db.dispose()
    return Assigned(locations.db_path, [first, second], noted, withdrawn)


def _task_id(db_path: Path, uid: str) -> int:
    from sqlalchemy import select

    from store.db import Database
    from store.models import Task

    db = Database(db_path, read_only=True)
    try:
        with db.read() as session:
            return session.execute(select(Task.id).where(Task.uid == uid)).scalar_one()
    finally:
        db.dispose()


async def test_the_task_list_marks_assigned_and_withdrawn_tasks(assigned: Assigned) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#task-table")
        await until(pilot, lambda: table.row_count > 0)
        rows = [table.row_at(i) for i in range(table.row_count)]
        # The newest assessment shown is the assignment's: all its tasks are the issuer's.
        assert rows and all(str(r.cells[1]).startswith("» ") for r in rows)
        withdrawn = _task_id(assigned.db_path, assigned.withdrawn_uid)
        row = next(r for r in rows if r.key == withdrawn)
        assert str(row.cells[4]) == "⊘ đã rút" and row.tone == "muted"
        others = [r for r in rows if r.key != withdrawn]
        assert not any("đã rút" in str(r.cells[4]) for r in others)


async def _task_text(app: CchcApp, pilot, task_id: int, drawn: str) -> str:  # noqa: ANN001
    """The text of the task's screen, opened from the list, once `drawn` shows (the
    detail is drawn a frame after the screen is pushed)."""
    from tui.screens.task_detail import TaskScreen

    await settle(app, pilot)
    app.screen.open_task(task_id)
    await until(pilot, lambda: isinstance(app.screen, TaskScreen))
    await until(pilot, lambda: drawn in screen_text(app))
    return screen_text(app)


async def test_the_task_shows_the_supervisors_notes_newest_first(assigned: Assigned) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        text = await _task_text(app, pilot, _task_id(assigned.db_path, assigned.noted_uid),
                                "Ghi chú của cấp trên (2)")
        assert "» Sở Nội vụ tỉnh Đồng Tháp (SNV-87)" in text
        newer, older = text.index("Phúc"), text.index("Trần Thị Mai")
        assert newer < older  # newest first
        assert "20/11/2026 09:00" in text  # 02:00 UTC in Vietnam's time
        assert "Đề nghị bổ sung [b]số liệu[/b]" in text  # data, not markup
        assert "Thiếu tài liệu kiểm chứng" in text


async def test_a_withdrawn_task_says_so_in_its_detail(assigned: Assigned) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        text = await _task_text(app, pilot, _task_id(assigned.db_path, assigned.withdrawn_uid),
                                "Cấp trên chưa có ý kiến.")
        assert "⊘ Chưa thực hiện · cấp trên đã rút ngày 21/11/2026" in text
        assert "Cấp trên chưa có ý kiến." in text
        history = app.screen.query_one("#history-table")
        first = history.row_at(0).cells
        assert first[1] == "Sở Nội vụ tỉnh Đồng Tháp"
        assert first[2] == "Cấp trên rút lại" and first[3] == "— → 21/11/2026"


async def test_the_units_own_task_has_no_supervisor_part(data_dir: Path) -> None:
    from tui.screens.task_detail import TaskScreen

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#task-table")
        assert not any(str(table.row_at(i).cells[1]).startswith("» ")
                       for i in range(table.row_count))
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        await pilot.pause()
        assert "Ghi chú của cấp trên" not in screen_text(app)


# -- importing from the app ---------------------------------------------------------------

def _demo_with_file_in_exports(issue, data_dir: Path) -> tuple[Path, Path, Path]:  # noqa: ANN001
    """The demo seeded, this unit's assignment (and another unit's) in its exports
    folder; (database, this unit's file, the other's)."""
    import shutil

    from store.demo import seed_demo
    from tui.services.exporting import default_folder

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    done = issue(rows=commune_rows(unit=UNIT))
    exports = default_folder(make_context(Args()))
    exports.mkdir(parents=True, exist_ok=True)
    mine = Path(shutil.copy(file_for(done, UNIT["code"]), exports))
    other = Path(shutil.copy(file_for(done, "30001"), exports))
    return locations.db_path, mine, other


def _digest(path: Path) -> str:
    """Of the database file and its write-ahead log (where a write lands first)."""
    import hashlib

    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
                          ).hexdigest()


async def _open_import(app: CchcApp, pilot) -> object:  # noqa: ANN001
    from tui.screens.import_assignment import ImportScreen

    await settle(app, pilot)
    await pilot.press("i")
    await until(pilot, lambda: isinstance(app.screen, ImportScreen))
    screen = app.screen
    await until(pilot, lambda: len(screen._entries) > 1)
    return screen


def _labels(option_list) -> list[str]:  # noqa: ANN001
    return [str(option_list.get_option_at_index(i).prompt)
            for i in range(option_list.option_count)]


async def test_import_from_the_export_folder_shows_the_dry_run_then_applies(
        issue, data_dir: Path) -> None:  # noqa: ANN001
    db_path, mine, _other = _demo_with_file_in_exports(issue, data_dir)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        files = screen.query_one("#import-files")
        assert app.focused is files  # the export folder's files, first
        labels = _labels(files)
        assert labels[0] == ".. (thư mục phía trên)"
        assert labels[1:3] == ["cchc-assign-DEMO-30316-20261121-0001.json",
                               "cchc-assign-30001-20261121-0001.json"]
        places = _labels(screen.query_one("#import-places"))
        assert places[0].startswith("Thư mục xuất tệp: ")
        before = _digest(db_path)
        files.highlighted = 1
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None)
        await pilot.pause()
        text = screen_text(app)
        assert ("cchc-assign-DEMO-30316-20261121-0001.json: tệp giao nhiệm vụ này thay "
                "đổi:") in text
        assert "Nhiệm vụ: 12 mới, 0 cập nhật, 0 bị rút lại, 0 không đổi." in text
        assert "Chưa có gì thay đổi." in text
        assert _digest(db_path) == before  # the dry run changed no byte
        assert not list((db_path.parent / "backups").glob("*assignment*"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.result is not None)
        await pilot.pause()
        assert screen.result.applied
        assert "Đã nhập: tệp giao nhiệm vụ số 1 ngày 21/11/2026 của SNV-87" in screen_text(app)
        assert list((db_path.parent / "backups").glob("*assignment*"))  # a backup first
        await pilot.press("enter")  # Close
        await until(pilot, lambda: app.screen.__class__.__name__ == "WorkspaceScreen")
        table = app.screen.query_one("#task-table")
        await until(pilot, lambda: table.row_count == 12)
        assert all(str(table.row_at(i).cells[1]).startswith("» ") for i in range(12))


async def test_an_assignment_for_another_unit_is_refused_in_words(issue, data_dir: Path) -> None:  # noqa: ANN001
    db_path, _mine, other = _demo_with_file_in_exports(issue, data_dir)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        before = _digest(db_path)
        typed = screen.query_one("#import-path")
        typed.value = f'"{other}"'  # as Windows' "Copy as path" gives it
        typed.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None)
        await pilot.pause()
        verdict = str(screen.query_one("#import-verdict").render())
        assert verdict.startswith("Từ chối") and "30001" in verdict and "DEMO-30316" in verdict
        assert not screen.query_one("#import-apply").display
        assert not app.screen.check_action("apply", ())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.result is None
        await pilot.press("escape")  # back to the picker, then out
        assert screen.query_one("#import-picker").display
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.__class__.__name__ == "WorkspaceScreen")
        assert _digest(db_path) == before


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
async def test_a_pipe_or_a_folder_typed_as_the_file(issue, data_dir: Path,  # noqa: ANN001
                                                   tmp_path: Path) -> None:
    import os

    _demo_with_file_in_exports(issue, data_dir)
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_text("{}")
    (tmp_path / "sub" / ".hidden.json").write_text("{}")
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        typed = screen.query_one("#import-path")
        typed.value = str(tmp_path / "sub")
        typed.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.folder == tmp_path / "sub"
                    and len(screen._entries) == 2)
        assert _labels(screen.query_one("#import-files"))[1] == "b.json"
        typed.value = str(tmp_path / "pipe.json")
        typed.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None)  # never waits for a writer
        assert screen.preview.verdict == "refused"
        assert str(screen.query_one("#import-verdict").render()).startswith("Từ chối")


async def test_the_palette_offers_the_import_but_not_in_read_only_mode(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        names = [str(c[0]) for c in app.get_system_commands(app.screen)]
        assert "Nhập tệp giao nhiệm vụ" in names
    app = CchcApp(make_context(Args(read_only=True)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        names = [str(c[0]) for c in app.get_system_commands(app.screen)]
        assert "Nhập tệp giao nhiệm vụ" not in names
        await pilot.press("i")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"


def test_a_folders_entries_put_assignments_first_newest_first(tmp_path: Path) -> None:
    from tui.screens.import_assignment import folder_entries

    for name in ("cchc-assign-30316-20261001-0001.json", "cchc-assign-30316-20261121-0002.json",
                 "notes.json", "A.JSON", ".cchc-assign-hidden.json", "photo.png"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "USB").mkdir()
    (tmp_path / ".Trash").mkdir()
    assert [e.label for e in folder_entries(tmp_path)][1:] == [
        "cchc-assign-30316-20261121-0002.json", "cchc-assign-30316-20261001-0001.json",
        "A.JSON", "notes.json", "USB" + __import__("os").sep]


# -- several assessments ------------------------------------------------------------------

def demo_tree_rows(better: tuple[str, ...] = ("1", "3")) -> list[tuple]:
    """Phường 1's workbook rows with the demo's own criteria, every leaf of the domains
    `better` given its full points (their parents follow), and two other units."""
    from store.demo import CRITERIA
    from tests.assign.factory import province_rows

    codes = [c[0] for c in CRITERIA]
    leaves = {c for c in codes if not any(o.startswith(c + ".") for o in codes)}
    scores = {code: (maximum if code in leaves and code.split(".")[0] in better else score)
              for code, _title, maximum, score, _finding in CRITERIA}
    for parent in sorted(set(codes) - leaves, key=lambda c: -c.count(".")):
        scores[parent] = round(sum(scores[c] for c in codes
                                   if c.rpartition(".")[0] == parent), 2)
    rows = [(UNIT["code"], UNIT["name"], "phường", code, title, maximum, scores[code],
             None if scores[code] == maximum else finding)
            for code, title, maximum, _score, finding in CRITERIA]
    return rows + province_rows(2)


@pytest.fixture
def two_years(issue, data_dir: Path) -> Path:  # noqa: ANN001
    """The demo commune (PAR 2025, entered by hand) and SNV-87's PAR 2026 assignment
    of the same tree, domains 1 and 3 better; its database."""
    from store.demo import seed_demo
    from store.migrations import open_database

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    done = issue(rows=demo_tree_rows(), year=2026, title="Chỉ số CCHC năm 2026")
    db = open_database(locations.db_path)
    try:
        assert import_assignment_file(db, file_for(done, UNIT["code"]),
                                      unit_code=UNIT["code"]).accepted
    finally:
        db.dispose()
    return locations.db_path


def _choices(app: CchcApp) -> list[str]:
    select = app.screen.query_one("#assessment-select")
    return [str(prompt) for prompt, _value in select._options]


def _shown_assessment(app: CchcApp) -> str:
    """The assessment the selector shows (at 80 columns the summary leaves its title
    to the selector)."""
    from textual.widgets import Select

    select = app.screen.query_one("#assessment-select", Select)
    return next(str(prompt) for prompt, value in select._options if value == select.value)


async def test_switching_assessments_shows_each_ones_tasks(two_years: Path) -> None:
    from textual.widgets import Select

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.screen.query_one("#assessment-bar").display)
        assert _choices(app) == [
            "PAR 2026 · Chỉ số CCHC năm 2026 · Sở Nội vụ tỉnh Đồng Tháp",
            "PAR 2025 · Chỉ số CCHC năm 2025 · UBND thành phố Sa Đéc"]
        assert "Chỉ số CCHC năm 2026" in _shown_assessment(app)  # the newest, at first
        table = app.screen.query_one("#task-table")
        await until(pilot, lambda: table.row_count > 0)
        assert all(str(table.row_at(i).cells[1]).startswith("» ")
                   for i in range(table.row_count))
        # The palette's entry opens the selector; the older one is chosen.
        await app.run_action("choose_assessment")
        await pilot.pause()
        select = app.screen.query_one("#assessment-select", Select)
        assert select.expanded and app.focused is not None
        await pilot.press("down", "enter")
        await until(pilot, lambda: "Chỉ số CCHC năm 2025" in _shown_assessment(app))
        await until(pilot, lambda: table.row_count == 20)
        titles = [str(table.row_at(i).cells[1]) for i in range(table.row_count)]
        assert "Gửi báo cáo CCHC định kỳ đúng hạn qua Phòng Nội vụ" in titles
        # The other tabs follow: the deadlines are the 2025 assessment's too.
        await pilot.press("3")
        await pilot.pause()
        deadlines = app.screen.query_one("#deadlines-pane")
        assert deadlines.context.assessment_id == app.screen.assessment_id


async def _show_older(app: CchcApp, pilot) -> AssessmentRow:  # noqa: ANN001
    """Once the app offers both years (two_years), show the older; it is returned."""
    await settle(app, pilot)
    await until(pilot, lambda: len(app.screen.assessments) == 2)
    older = app.screen.assessments[1]
    app.screen.show_assessment(older.id)
    await pilot.pause()
    return older


async def test_the_assessment_chosen_is_there_after_a_restart(two_years: Path,
                                                              data_dir: Path) -> None:
    from store.config import load_config

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        older = await _show_older(app, pilot)
    config, _problem = load_config(resolve(data_dir, demo=True).config_file)
    assert config.last_assessment == "sadec-cchc-2025"
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.screen.assessment_id is not None)
        assert app.screen.assessment_id == older.id
        assert "Chỉ số CCHC năm 2025" in _shown_assessment(app)


async def test_read_only_mode_switches_but_remembers_nothing(two_years: Path,
                                                             data_dir: Path) -> None:
    config_file = resolve(data_dir, demo=True).config_file
    app = CchcApp(make_context(Args(read_only=True)))  # the demo's settings are made here
    before = config_file.read_bytes() if config_file.exists() else None
    async with app.run_test(size=(80, 24)) as pilot:
        await _show_older(app, pilot)
        assert "Chỉ số CCHC năm 2025" in _shown_assessment(app)
        names = [str(c[0]) for c in app.get_system_commands(app.screen)]
        assert "Chuyển kỳ đánh giá" in names  # switching changes no data
    after = config_file.read_bytes() if config_file.exists() else None
    assert after == before and b"sadec-cchc-2025" not in (after or b"")


async def test_choices_given_again_before_the_selector_has_mounted(two_years: Path) -> None:
    """The selector is mounted at the first choice; choices given again before its own
    parts are composed (a refresh in the same moment) wait for them, not crash."""
    from textual.widgets import Select

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.screen.assessment_select is not None)
        screen = app.screen
        await screen.query_one("#assessment-bar").remove()
        screen._assessment_select = None  # as before the first choice
        screen._show_choices()  # mounts it
        assert screen.assessment_select is None  # not mounted yet
        screen._show_choices()  # at once again: waits for it
        await until(pilot, lambda: screen.assessment_select is not None)
        await pilot.pause()
        select = screen.query_one("#assessment-select", Select)
        assert len(select._options) == 2 and select.value == screen.assessment_id
        assert "Chỉ số CCHC năm 2026" in _shown_assessment(app)


async def test_a_single_assessment_has_no_selector(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        # Not even mounted: the first frame has no hidden selector to style.
        assert not app.screen.query("#assessment-bar")
        assert app.screen.assessment_select is None
        await app.run_action("choose_assessment")  # said, not opened
        await pilot.pause()
        assert not app.screen.query("#assessment-bar")
        assert any("mới có một kỳ đánh giá" in n.message for n in app._notifications)


async def test_the_criteria_tab_compares_domains_with_the_previous_year(two_years: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        table = app.screen.query_one("#criteria-table")
        await until(pilot, lambda: table.row_count > 0)
        assert [c.label for c in table.columns][3] == "Điểm 2025"
        rows = {str(table.row_at(i).cells[0]).strip(): table.row_at(i).cells
                for i in range(table.row_count)}
        domain_1 = next(cells for name, cells in rows.items() if name.startswith("1 "))
        assert (domain_1[2], domain_1[3]) == ("10", "7")  # 2026 full, 2025 lost 3
        criterion = next(cells for name, cells in rows.items() if name.startswith("1.2 "))
        assert criterion[3] == ""  # criteria below a domain are not compared
        table.focus()
        table.move_cursor(0)
        await pilot.pause()
        detail = str(app.screen.query_one("#criterion-detail").render())
        assert "Năm 2025 (Chỉ số CCHC năm 2025): 7/10, bị trừ 3." in detail
        assert "Năm nay: bị trừ ít hơn 3 điểm." in detail
        assert "\\n" not in detail  # lines broken, not shown as an escape
        chart = app.screen.query_one("#loss-chart")
        assert [bar.text for bar in chart._bars][:3] == ["0 (3)", "1 (1)", "0 (5)"]
        assert "trong ngoặc: năm 2025" in str(app.screen.query_one("#chart-title").render())
        # The 2025 assessment has no 2024 to compare with: the column goes.
        app.screen.show_assessment(app.screen.assessments[1].id)
        await settle(app, pilot)
        await until(pilot, lambda: len(table.columns) == 6)
        assert "Điểm 2025" not in [c.label for c in table.columns]


# -- the supervisor's key card, before its first assignment --------------------------------

def issuer_card(folder: Path, key=None) -> Path:  # noqa: ANN001
    """SNV-87's key card (its test key, or `key`), written as key-SNV-87.json."""
    from store.bundle.keycard import key_card_bytes, key_card_file_name, make_key_card
    from tests.assign.factory import issuer_key

    card = make_key_card(key or issuer_key(), code="SNV-87", name="Sở Nội vụ tỉnh Đồng Tháp",
                         created_at="2026-05-01T08:00:00+07:00")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / key_card_file_name("SNV-87")
    path.write_bytes(key_card_bytes(card))
    return path


def _held_key(db_path: Path):  # noqa: ANN202
    from sqlalchemy import select

    from store.db import Database
    from store.models import SenderKey

    db = Database(db_path, read_only=True)
    try:
        with db.read() as session:
            return session.execute(select(SenderKey).where(
                SenderKey.sender_code == "SNV-87")).scalars().first()
    finally:
        db.dispose()


def test_cchc_key_enrol_holds_the_supervisors_key_then_its_assignment_is_checked(
        issue, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    from tests.bundle.factory import fixed_key
    from tui.cli import main

    card = issuer_card(tmp_path / "cards")
    assert main(["--demo", "key", "enrol", str(card)]) == 0
    printed = capsys.readouterr().out
    assert "Thẻ khóa của SNV-87 Sở Nội vụ tỉnh Đồng Tháp; dấu vân tay:" in printed
    assert "đã ghi nhận khóa của SNV-87 Sở Nội vụ tỉnh Đồng Tháp" in printed
    db_path = resolve(data_dir, demo=True).db_path
    held = _held_key(db_path)
    assert held is not None and held.confirmed and held.source == "enrolled"
    assert main(["--demo", "key", "enrol", str(card)]) == 0
    assert "đã được ghi nhận và xác nhận từ trước" in capsys.readouterr().out
    # A card of another key for the same issuer changes nothing.
    other = issuer_card(tmp_path / "other", fixed_key(88))
    assert main(["--demo", "key", "enrol", str(other)]) == 1
    assert "bị từ chối — đơn vị đang giữ một khóa khác của SNV-87" in capsys.readouterr().err
    # The first assignment is checked against the key enrolled: no trust on first use.
    path = file_for(issue(rows=commune_rows(unit=UNIT)), UNIT["code"])
    assert main(["--demo", "import", str(path)]) == 0
    assert "Chưa có khóa nào của cơ quan giao này" not in capsys.readouterr().out
    from tests.bundle.factory import sign

    # the next one, signed with another key
    forged = file_for(issue(rows=commune_rows(unit=UNIT)), UNIT["code"])
    document = json.loads(forged.read_bytes())
    sign(document, fixed_key(88))
    forged.write_text(json.dumps(document))
    assert main(["--demo", "import", str(forged)]) == 1
    assert "khóa khác" in capsys.readouterr().err


def test_a_damaged_key_card_is_refused_in_words(data_dir: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    card = issuer_card(tmp_path)
    document = json.loads(card.read_bytes())
    document["holder"]["name"] = "Sở khác"
    card.write_text(json.dumps(document))
    assert main(["--demo", "key", "enrol", str(card)]) == 1
    assert "bị từ chối" in capsys.readouterr().err
    assert _held_key(resolve(data_dir, demo=True).db_path) is None


async def test_the_app_enrols_the_key_card_chosen_in_the_picker(issue, data_dir: Path) -> None:  # noqa: ANN001
    db_path, _mine, _other = _demo_with_file_in_exports(issue, data_dir)
    from tui.services.exporting import default_folder

    issuer_card(default_folder(make_context(Args())))
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        files = screen.query_one("#import-files")
        labels = _labels(files)
        files.highlighted = labels.index("key-SNV-87.json")
        await pilot.press("enter")
        await until(pilot, lambda: screen.card is not None)
        await pilot.pause()
        text = screen_text(app)
        assert "Thẻ khóa của SNV-87 Sở Nội vụ tỉnh Đồng Tháp; dấu vân tay:" in text
        assert str(screen.query_one("#import-apply").label) == "Ghi nhận khóa"
        assert _held_key(db_path) is None  # nothing before the confirmation
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.card_outcome is not None)
        assert screen.card_outcome.outcome == "enrolled"
        assert "đã ghi nhận khóa của SNV-87" in str(screen.query_one("#import-verdict").render())
        assert not screen.check_action("apply", ())
    held = _held_key(db_path)
    assert held is not None and held.confirmed


async def test_the_reports_are_those_of_the_assessment_shown(two_years: Path,
                                                             tmp_path: Path) -> None:
    from tui.context import AppContext
    from tui.documents.writing import write_unit_document
    from tui.screens.reports import ReportsScreen

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        older = await _show_older(app, pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen)
                    and app.screen._facts is not None)
        assert app.screen._facts.assessment.id == older.id
        context: AppContext = app.context
        written = write_unit_document(context, app.workspace.db, app.workspace.unit_id,
                                      "tasks", tmp_path, assessment_id=older.id)
    import openpyxl

    book = openpyxl.load_workbook(written.path, read_only=True)
    cells = [str(cell) for row in book.worksheets[0].iter_rows(values_only=True)
             for cell in row if cell]
    assert any("Gửi báo cáo CCHC định kỳ đúng hạn qua Phòng Nội vụ" in c for c in cells)
    assert not any(c.startswith("Khắc phục tiêu chí") for c in cells)
