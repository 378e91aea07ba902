"""The all-tasks search runs in a worker: typed fast, it still shows exactly the tasks
the store finds for the last query, with their count; a filter key pressed while a
search runs wins over the search's late result."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.review.test_review_ui import make_app, ready, searched
from tui.widgets.virtual_table import VirtualTable


def _store_keys(app, query) -> tuple[int, list[int]]:  # noqa: ANN001
    from store.review.tasks import plan_tasks, task_page

    with app.review_db.read() as session:
        plan = plan_tasks(session, query, app.screen.today)
        rows = task_page(session, query, app.screen.today, offset=0, limit=200, plan=plan)
    return plan.count, [row.id for row in rows]


async def _all_tasks(app, pilot):  # noqa: ANN001, ANN202 - the screen and its table
    await ready(app, pilot)
    await pilot.press("t")
    return app.screen, app.screen.query_one("#all-tasks", VirtualTable)


async def test_typed_fast_the_search_shows_the_last_query_s_tasks(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await _all_tasks(app, pilot)
        everything = table.row_count
        await pilot.press("slash", *"nguyen thi lan")
        await searched(app, pilot)

        assert screen.query_state.search == "nguyen thi lan"
        count, keys = _store_keys(app, screen.query_state)
        assert 0 < count < everything
        assert table.row_count == count
        assert [table.row_at(i).key for i in range(min(count, 200))] == keys
        assert f"{count} nhiệm vụ" in str(screen.query_one("#tasks-state", Static).render())

        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await searched(app, pilot)
        count, keys = _store_keys(app, screen.query_state)
        assert screen.query_state.search == "nguyen thi"
        assert table.row_count == count and table.row_at(0).key == keys[0]


async def test_a_filter_pressed_during_a_search_is_not_undone(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await _all_tasks(app, pilot)
        await pilot.press("slash", *"tin bai")
        screen.action_next_status()  # at once, before the search's worker is done
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert screen.query_state.status == "overdue"
        count, keys = _store_keys(app, screen.query_state)
        assert table.row_count == count
        assert [table.row_at(i).key for i in range(count)][:200] == keys
