"""The review's own tabs of a unit, hosted alone: the bundles tab posts
BundleChosen, the changes tab shows the chosen bundle's changes; both read from
their PaneContext, never from UnitScreen."""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.tui.pane_host import PaneHost, settle
from tui.screens.pane_messages import BundleChosen
from tui.screens.section_pane import PaneContext
from tui.services.workspace import Workspace

FIRST_UNIT = factory.unit_code(1)  # two bundles: 2 changed things received after 1

# tui.review.unit is imported in the tests, not at collection: its key descriptions
# are worded on import, and the review's snapshots expect them in Vietnamese.


def unit_context(db) -> PaneContext:  # noqa: ANN001
    return PaneContext(Workspace(db=db, unit_id=None, read_only=True), None, FIXED_TODAY,
                       read_only=True)


async def test_enter_on_a_bundle_posts_bundle_chosen(review_db) -> None:  # noqa: ANN001
    from tui.review.unit import BundlesPane

    app = PaneHost(BundlesPane(unit_context(review_db), FIRST_UNIT))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.pane.table
        assert [str(table.row_at(i).cells[0]) for i in range(table.row_count)] == ["2", "1"]
        await pilot.press("down")
        older = table.cursor_key
        await pilot.press("enter")
        await pilot.pause()
    assert [(type(m), m.record_id) for m in app.received] == [(BundleChosen, older)]


async def test_the_changes_tab_shows_the_chosen_bundle(review_db) -> None:  # noqa: ANN001
    from store.review.bundles import received_bundles
    from tui.review.unit import ChangesPane

    with review_db.read() as session:
        older = received_bundles(session, FIRST_UNIT)[-1]
    assert older.sequence == 1
    app = PaneHost(ChangesPane(unit_context(review_db), FIRST_UNIT))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)

        def heading() -> str:
            return str(app.pane.query_one("#changes-heading", Static).render())

        assert "tệp số 1" in heading() and "tệp số 2" in heading()  # the newest at first
        assert app.pane.table.row_count > 0
        app.pane.choose(older.id)
        app.pane.show()
        await settle(app, pilot)
        assert "Chưa có tệp nào nhận trước" in heading()
        assert app.pane.table.row_count == 0
