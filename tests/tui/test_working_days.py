"""Deadlines in working days on screen: the task's deadline says the working days
left and whether it falls on a day off; config.toml's [calendar] days count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from store.workdays import WorkCalendar
from tests.conftest import FIXED_TODAY
from tests.tui.test_panes import demo_app
from tests.tui.test_workspace import settle, until
from tui.words import format as fmt


def test_the_words_for_working_days() -> None:
    calendar = WorkCalendar.of()
    assert fmt.working_days_left(dt.date(2026, 11, 27), FIXED_TODAY, calendar) == (
        "còn 4 ngày làm việc")
    assert fmt.working_days_left(FIXED_TODAY, FIXED_TODAY, calendar) == ""
    assert fmt.working_days_cell(dt.date(2026, 11, 24), FIXED_TODAY, calendar) == (
        "1 · ngày nghỉ")
    assert fmt.working_days_cell(dt.date(2026, 11, 23), FIXED_TODAY, calendar) == "1"
    assert fmt.working_days_cell(None, FIXED_TODAY, calendar) == "—"
    assert fmt.day_off(calendar.day_off(dt.date(2026, 11, 28))) == "cuối tuần"


def _task_due(app, due: dt.date) -> None:  # noqa: ANN001
    from store.models import Task

    db = app.workspace.db
    with db.write() as session:
        task = session.execute(select(Task).where(Task.status == "todo")).scalars().first()
        task.due = due
        session.add(task)
        task_id = task.id
    app.screen.open_task(task_id)


async def test_a_deadline_on_a_holiday_is_marked_with_the_working_days_left() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        _task_due(app, dt.date(2026, 11, 24))
        await until(pilot, lambda: bool(app.screen.query("#task-fields")))
        await pilot.pause()
        text = _rendered(app)
        assert "24/11/2026 (! còn 3 ngày) · còn 1 ngày làm việc" in text
        assert "rơi vào ngày nghỉ (ngày lễ, Tết: Ngày Văn hóa Việt Nam)" in text


async def test_config_days_off_count_and_mark(data_dir) -> None:  # noqa: ANN001
    from store.config import load_config, save_config
    from store.paths import resolve

    demo_app()  # writes the demo's settings, which the supervisor then edits
    locations = resolve(data_dir, demo=True).ensure()
    config, _problem = load_config(locations.config_file)
    config.calendar.days_off = [dt.date(2026, 11, 23)]
    save_config(config, locations.config_file)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        _task_due(app, dt.date(2026, 11, 23))
        await until(pilot, lambda: bool(app.screen.query("#task-fields")))
        await pilot.pause()
        text = _rendered(app)
        assert "23/11/2026 (! còn 2 ngày) · còn 0 ngày làm việc" in text
        assert "rơi vào ngày nghỉ (ngày nghỉ theo danh sách của cấp trên)" in text


def _rendered(app) -> str:  # noqa: ANN001
    from tests.tui.screen_text import screen_text

    return " ".join(screen_text(app).split())  # the grid wraps long values
