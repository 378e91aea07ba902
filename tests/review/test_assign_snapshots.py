"""SVG snapshot of the assignment preview at 80x24 (issue 14, item 2): three units of
the workbook with their criteria, points lost and tasks, and the verdict."""

from __future__ import annotations

from pathlib import Path

SIZE = (80, 24)
OUT = "/srv/cchc/giao-viec"  # shown in the verdict; the preview writes nothing


def test_assignment_preview(review_db_path: Path, snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.review.test_assign_screen import FORM, fill, open_form, ready, workbook
    from tests.review.test_review_ui import make_app

    path = workbook(tmp_path / "in")

    async def run_before(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        await open_form(app, pilot)
        fill(app, workbook=str(path), out=OUT, **FORM)
        await pilot.press("ctrl+s")
        await ready(app, pilot)
        app.clear_notifications()  # "reading the workbook…" would time out or not
        await pilot.pause()

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)
