"""The commune's app with assignments (issue 14, items 5 and 6): assigned tasks marked
in the list, the supervisor's notes in the task (newest first), withdrawn tasks shown
as such."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from store.assign.importing import import_assignment_file
from store.assign.notes import add_note
from store.paths import resolve
from tests.assign.conftest import UNIT, commune_rows, file_for
from tests.tui.screen_text import screen_text
from tests.tui.test_workspace import Args, settle, until
from tui.app import CchcApp
from tui.cli import make_context


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
    seed_demo(locations.db_path, locations.backups_dir)
    rows = commune_rows()
    first = file_for(issue(rows=rows))
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
        second = file_for(issue(rows=corrected(rows, leaves[1][3])))
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


async def test_the_task_shows_the_supervisors_notes_newest_first(assigned: Assigned) -> None:
    from tui.screens.task_detail import TaskScreen

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.screen.open_task(_task_id(assigned.db_path, assigned.noted_uid))
        await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "Ý kiến của cấp trên (2)" in text
        assert "» Sở Nội vụ tỉnh Đồng Tháp (SNV-87)" in text
        newer, older = text.index("Phúc"), text.index("Trần Thị Mai")
        assert newer < older  # newest first
        assert "20/11/2026 09:00" in text  # 02:00 UTC in Vietnam's time
        assert "Đề nghị bổ sung [b]số liệu[/b]" in text  # data, not markup
        assert "Thiếu tài liệu kiểm chứng" in text


async def test_a_withdrawn_task_says_so_in_its_detail(assigned: Assigned) -> None:
    from tui.screens.task_detail import TaskScreen

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.screen.open_task(_task_id(assigned.db_path, assigned.withdrawn_uid))
        await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        await pilot.pause()
        text = screen_text(app)
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
        assert "Ý kiến của cấp trên" not in screen_text(app)
