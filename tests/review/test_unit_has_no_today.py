"""The Today tab is the commune's own (whom to chase among its officials): the
review's unit screen, built on the workspace, has none, and its 4 still shows the
bundles received."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent


async def test_the_reviews_unit_screen_has_no_today_tab(review_db_path: Path) -> None:
    from tests.review.test_review_ui import make_app, ready

    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("down", "enter")
        await ready(app, pilot)
        assert type(app.screen).__name__ == "UnitScreen"
        sections = app.screen.query_one("#sections", TabbedContent)
        assert not app.screen.query("#today")
        await pilot.press("4")
        await ready(app, pilot)
        assert sections.active == "bundles"
