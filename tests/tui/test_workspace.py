"""Pilot flows through the workspace: search, filters, sort, task edit with history,
evidence with a file, criteria refused, and read-only mode."""

from __future__ import annotations

import time

import hashlib
from pathlib import Path

from sqlalchemy import select
from textual.widgets import Input, Select, Static

from store.paths import resolve
from tui.app import CchcApp
from tui.cli import make_context

OFFICER = "Nguyễn Thị Lan"  # the demo's officer, who signs the edits


class Args:
    def __init__(self, **kw: object) -> None:
        self.data_dir = None
        self.demo = True
        self.lang = kw.get("lang")
        self.read_only = kw.get("read_only", False)


async def settle(app: CchcApp, pilot, rounds: int = 1) -> None:  # noqa: ANN001
    """Workers done and their results drawn, `rounds` times (a worker's result may
    start another)."""
    for _round in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot, condition, patience_s: float = 15.0) -> None:  # noqa: ANN001
    """Let the app run until condition() holds (messages and workers may take several
    hops; a loaded machine needs more of them, so the bound is generous, not a timing)."""
    deadline = time.monotonic() + patience_s
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.01)
    assert condition()


def titles(app: CchcApp) -> list[str]:
    table = app.screen.query_one("#task-table")
    return [table.row_at(i).cells[1] for i in range(table.row_count)]


def open_db(data_dir: Path):  # noqa: ANN201
    from store.db import Database

    return Database(resolve(data_dir, demo=True).db_path, read_only=True)


async def test_search_is_folded_and_filters_combine(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert len(titles(app)) == 20
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"khac phuc")
        found = titles(app)
        assert found and all("khắc phục" in t.lower() for t in found)
        search = app.screen.query_one("#task-search", Input)
        search.value = "dang"
        await pilot.pause()
        table = app.screen.query_one("#task-table")
        owners = [table.row_at(i).key for i in range(table.row_count)]
        assert owners  # "dang" finds the tasks of Đặng Thị Mỹ Dung
        search.value = ""
        table.focus()
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#filter-status", Select)
        app.screen.query_one("#filter-status", Select).value = "done"
        await pilot.pause()
        assert len(titles(app)) == 4
        app.screen.query_one("#filter-status", Select).value = "*"
        app.screen.query_one("#filter-deadline", Select).value = "overdue"
        await pilot.pause()
        assert len(titles(app)) == 5
        rows = [table.row_at(i) for i in range(table.row_count)]
        assert all(r.tone == "danger" and r.cells[4].startswith("⚠") for r in rows)
        app.screen.query_one("#filter-domain", Select).value = "7"
        await pilot.pause()
        assert sorted(titles(app)) == sorted([
            "Cài đặt phần mềm chống mã độc của Tỉnh trên tất cả máy tính",
            "Nâng cao tỷ lệ ký số văn bản điện tử trên phần mềm iDesk"])


async def test_sort_cycles_by_key_and_by_heading(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#task-table")
        assert "Hạn▲" in table.render_line(0).text
        await pilot.press("s")
        points = [table.row_at(i).cells[7] for i in range(table.row_count)]
        assert points[0] == "1,5"
        assert "Điểm▲" in table.render_line(0).text
        await pilot.press("s", "s")  # status, then owner
        assert app.screen.query_one("#tasks-pane").sort == "owner"
        await pilot.click("#task-table", offset=(60, 0))  # the deadline heading
        await pilot.pause()
        assert app.screen.query_one("#tasks-pane").sort == "deadline"


async def test_open_and_edit_a_task_records_history(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#task-table")
        table.focus()
        task_id = table.cursor_key
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TaskScreen"
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TaskForm"
        app.screen.query_one("#f-owner", Input).value = "Võ Minh Tuấn"
        app.screen.query_one("#f-progress", Input).value = "140"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "TaskForm"  # refused, still open
        problem = str(app.screen.query_one("#progress-error", Static).render())
        assert "từ 0 đến 100" in problem
        app.screen.query_one("#f-progress", Input).value = "80"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "TaskScreen"
        history = app.screen.query_one("#history-table")
        assert "Võ Minh Tuấn" in history.row_at(0).cells[3] or "Võ Minh Tuấn" in (
            history.row_at(1).cells[3])
    from store.models import Change, Task

    db = open_db(data_dir)
    with db.read() as session:
        task = session.get(Task, task_id)
        changes = session.execute(select(Change.field, Change.new, Change.by)
                                  .where(Change.task_id == task_id)
                                  .order_by(Change.id.desc()).limit(2)).all()
    db.dispose()
    assert (task.owner, task.progress) == ("Võ Minh Tuấn", 80)
    assert set(changes) == {("owner", "Võ Minh Tuấn", OFFICER), ("progress", "80", OFFICER)}


async def test_done_sets_full_progress_and_asks_the_date(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        task_id = app.screen.query_one("#task-table").cursor_key
        app.screen.open_task(task_id)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#f-status", Select).value = "done"
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DateDialog"
        app.screen.query_one("#date-value", Input).value = "20/11/2026"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#f-progress", Input).value == "100"
        assert app.screen.query_one("#f-done_on", Input).value == "20/11/2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "TaskScreen"
    from store.models import Task

    db = open_db(data_dir)
    with db.read() as session:
        task = session.get(Task, task_id)
    db.dispose()
    assert (task.status, task.progress, task.done_on.isoformat()) == ("done", 100, "2026-11-20")


async def test_add_evidence_with_a_file_stores_its_hash(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "bao-cao-45.pdf"
    file.write_bytes(b"%PDF-1.7 bao cao ket qua khac phuc\n" * 300)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        task_id = app.screen.query_one("#task-table").cursor_key
        app.screen.open_task(task_id)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "EvidenceForm"
        app.screen.query_one("#f-title", Input).value = "Báo cáo kết quả khắc phục"
        app.screen.query_one("#f-number", Input).value = "999/BC-UBND"
        app.screen.query_one("#f-date", Input).value = "19/11/2026"
        app.screen.query_one("#f-file", Input).value = str(tmp_path / "missing.pdf")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Không có tệp" in str(app.screen.query_one("#file-error", Static).render())
        app.screen.query_one("#f-file", Input).value = str(file)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "TaskScreen"
        evidence = app.screen.query_one("#evidence-table")
        assert any(evidence.row_at(i).cells[0] == "999/BC-UBND" for i in range(evidence.row_count))
    from store.models import Evidence

    db = open_db(data_dir)
    with db.read() as session:
        stored = session.execute(select(Evidence).where(Evidence.number == "999/BC-UBND")
                                 ).scalar_one()
    db.dispose()
    assert stored.task_id == task_id
    assert stored.file_sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
    assert (stored.file_name, stored.file_size) == ("bao-cao-45.pdf", file.stat().st_size)


async def test_bad_criteria_are_refused_with_a_message(data_dir: Path) -> None:
    from sqlalchemy import func

    from store.models import Criterion

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CriterionForm"
        form = app.screen
        form.query_one("#f-code", Input).value = "9.a"
        form.query_one("#f-title", Input).value = "Tiêu chí thử"
        form.query_one("#f-max_points", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "dấu chấm" in str(form.query_one("#code-error", Static).render())
        form.query_one("#f-code", Input).value = "3.9"
        form.query_one("#f-score", Input).value = "2,5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert str(form.query_one("#code-error", Static).render()) == ""
        assert "lớn hơn điểm tối đa" in str(form.query_one("#score-error", Static).render())
        assert app.screen is form
    db = open_db(data_dir)
    with db.read() as session:
        count = session.execute(select(func.count()).select_from(Criterion)).scalar()
    db.dispose()
    assert count == 49


async def test_read_only_offers_no_edit_and_leaves_the_file_alone(data_dir: Path) -> None:
    from store.demo import seed_demo

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    make_context(Args())  # writes the demo's config once
    before = locations.db_path.read_bytes()
    files_before = sorted(p.name for p in locations.db_path.parent.iterdir())
    app = CchcApp(make_context(Args(read_only=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert str(app.screen.query_one("#read-only-marker", Static).render()) == "CHỈ XEM"
        footer_keys = {b.key for _k, b, enabled, _t in app.screen.active_bindings.values()
                       if enabled}
        assert "n" not in footer_keys
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Thêm nhiệm vụ" not in commands and "Nhập kết quả đánh giá" not in commands
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        app.screen.query_one("#task-table").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TaskScreen"
        assert app.screen.query("#read-only-marker")
        for key in ("e", "a", "delete"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.__class__.__name__ == "TaskScreen"
        app.screen.query_one("#evidence-table").focus()
        await pilot.press("enter", "delete")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TaskScreen"
        await pilot.press("escape", "2", "a", "e")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        await app.run_action("new_assessment")
        await app.run_action("new_task")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
    assert locations.db_path.read_bytes() == before
    # Not even the -wal and -shm a mode=ro reader of a WAL file makes (store.connect
    # opens it immutable in read-only mode).
    assert sorted(p.name for p in locations.db_path.parent.iterdir()) == files_before


async def test_a_criterion_leads_to_its_tasks(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#criteria-table")
        index = next(i for i in range(table.row_count) if table.row_at(i).cells[0].plain.strip()
                     .startswith("3.3 "))
        table.focus()
        table.move_cursor(index)

        def detail() -> str:
            return str(app.screen.query_one("#criterion-detail", Static).render())

        # Its tasks are read by a worker, after the criterion's own lines.
        await until(pilot, lambda: detail().startswith("3.3 ")
                    and "Thực hiện nghiêm túc thư xin lỗi" in detail())
        await pilot.press("enter")
        # An Enter that lands while the criterion's task worker repaints the table can be
        # lost on a loaded machine (seen in CI, under investigation): press it again once.
        for _ in range(200):
            if app.screen.query_one("#sections").active == "tasks":
                break
            await pilot.pause(0.01)
        else:
            await pilot.press("enter")
        await until(pilot, lambda: app.screen.query_one("#sections").active == "tasks"
                    and app.screen.query("#filter-domain"))
        assert app.screen.query_one("#filter-domain", Select).value == "3.3"
        assert sorted(titles(app)) == sorted([
            "Thực hiện nghiêm túc thư xin lỗi đối với hồ sơ trễ hạn",
            "Rà soát quy trình nội bộ giải quyết hồ sơ đất đai"])


async def test_a_criterion_without_task_is_flagged(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-code", Input).value = "5.5"
        form.query_one("#f-title", Input).value = "Thực hiện quy chế văn hóa công sở"
        form.query_one("#f-max_points", Input).value = "2"
        form.query_one("#f-score", Input).value = "1,5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
        table = app.screen.query_one("#criteria-table")
        row = next(table.row_at(i) for i in range(table.row_count)
                   if table.row_at(i).cells[0].plain.strip().startswith("5.5 "))
        assert row.tone == "danger" and row.cells[4].startswith("✗")
        table.move_cursor_to_key(row.key)
        await pilot.pause()
        detail = str(app.screen.query_one("#criterion-detail", Static).render())
        assert "chưa có nhiệm vụ khắc phục" in detail
