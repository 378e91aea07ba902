"""The Today tab: what is overdue or due within 7 days, by owner; and the start
notice that points to it (date pinned by conftest: Saturday 21/11/2026)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import FIXED_TODAY
from tests.tui.pane_host import PaneHost, settle
from tests.tui.screen_text import screen_text
from tests.tui.test_panes import demo_app, demo_context
from tests.tui.test_workspace import until
from tui.screens.pane_messages import TaskChosen


def _open_tasks(db):  # noqa: ANN001, ANN202
    from store.models import Task

    with db.read() as session:
        return session.execute(select(Task.id, Task.owner, Task.due, Task.status)).all()


def test_today_list_holds_open_tasks_overdue_or_due_within_a_week_by_owner(demo_db) -> None:  # noqa: ANN001
    from store.overdue import is_due_soon, is_overdue
    from store.read.today import today_list

    context = demo_context(demo_db)
    with demo_db.read() as session:
        found = today_list(session, context.assessment_id, FIXED_TODAY)
    expected = {row.id for row in _open_tasks(demo_db)
                if is_overdue(row.status, row.due, FIXED_TODAY)
                or is_due_soon(row.status, row.due, FIXED_TODAY)}
    listed = [task for group in found.groups for task in group.tasks]
    assert {task.id for task in listed} == expected and len(listed) == len(expected)
    assert found.overdue == sum(task.overdue(FIXED_TODAY) for task in listed) > 0
    assert found.due_soon == len(listed) - found.overdue > 0
    for group in found.groups:
        assert {task.owner for task in group.tasks} == {group.owner}
        dues = [task.due for task in group.tasks]
        assert dues == sorted(dues)
    owners = [group.owner for group in found.groups]
    assert len(owners) == len(set(owners))


def test_tasks_nobody_owns_come_last(demo_db) -> None:  # noqa: ANN001
    from store.models import Task
    from store.read.today import today_list

    context = demo_context(demo_db)
    with demo_db.write() as session:
        task = session.execute(select(Task).where(Task.status == "todo")).scalars().first()
        task.owner, task.owner_key, task.due = None, "", FIXED_TODAY + dt.timedelta(days=1)
        session.add(task)
    with demo_db.read() as session:
        found = today_list(session, context.assessment_id, FIXED_TODAY)
    assert found.groups[-1].owner is None
    assert [t.id for t in found.groups[-1].tasks] == [task.id]


async def test_the_pane_shows_owners_as_headings_and_enter_opens_a_task(demo_db) -> None:  # noqa: ANN001
    from tui.screens.today import TodayPane

    app = PaneHost(TodayPane(demo_context(demo_db)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.pane.table
        first = table.row_at(0)
        assert first.span and first.key[0] == "owner"
        assert "Đặng Thị Mỹ Dung · 1 nhiệm vụ" in str(first.cells[0])
        text = screen_text(app)
        assert "Lê Hoàng Nam · 3 nhiệm vụ, 2 quá hạn" in text
        await pilot.press("enter")  # on a heading: nothing
        await pilot.pause()
        assert app.received == []
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [type(m) for m in app.received] == [TaskChosen]
        assert app.received[0].task_id == table.row_at(1).key


async def test_the_start_notice_and_key_4_show_today() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: any("Hôm nay:" in n.message
                                       for n in app._notifications))
        notice = next(n.message for n in app._notifications if "Hôm nay:" in n.message)
        assert notice.startswith("Hôm nay: 5 việc quá hạn, 5 việc đến hạn trong 7 ngày.")
        await pilot.press("4")
        await until(pilot, lambda: bool(app.screen.query("#today-table")))
        await settle(app, pilot)
        assert app.screen.query_one("#today-table").row_count > 0


async def test_the_palette_opens_today() -> None:
    from textual.command import CommandList, CommandPalette

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        commands = app.screen.query_one(CommandList)
        await pilot.press(*"hom nay")

        def first() -> str:
            return str(commands.get_option_at_index(0).prompt) if commands.option_count else ""

        await until(pilot, lambda: first().startswith("Hôm nay"))
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query("#today-table")))


def test_no_notice_when_nothing_waits() -> None:
    from store.read.today import TodayList
    from tui.screens.today import today_notice

    assert today_notice(TodayList(FIXED_TODAY, ())) is None
