"""SVG snapshots of the review screens at 100x30 on the six-unit review database."""

from __future__ import annotations

from pathlib import Path

SIZE = (100, 30)


async def _loaded(pilot) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import ready

    await ready(pilot.app, pilot)


def test_overview(review_db_path: Path, snap_compare) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=_loaded)


def test_overview_chart_by_domain_sorted_by_overdue(review_db_path: Path,
                                                    snap_compare) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        await pilot.press("g")
        await _loaded(pilot)
        pilot.app.overview.sort_by("tasks_overdue")
        pilot.app.overview.sort_by("tasks_overdue")  # the second time: descending
        await pilot.pause()

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)


def test_unit_detail(review_db_path: Path, snap_compare) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        await pilot.press("down", "enter")  # the unit with a gap
        await _loaded(pilot)

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)


def test_unit_bundles(review_db_path: Path, snap_compare) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        await pilot.press("down", "enter")
        await _loaded(pilot)
        await pilot.press("b")

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)


def test_change_view(review_db_path: Path, snap_compare) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        await pilot.press("enter")  # the unit with bundles 1 and 2
        await _loaded(pilot)
        await pilot.press("c")

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)


def test_all_tasks_overdue(review_db_path: Path, snap_compare) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await _loaded(pilot)
        await pilot.press("t", "f")

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)


def test_receive_dialog(review_db_path: Path, snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.review.test_review_ui import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        from textual.widgets import Input

        await _loaded(pilot)
        await pilot.press("i")
        field = pilot.app.screen.query_one(Input)
        field.cursor_blink = False  # on a busy machine the shot could fall in a blink
        field.value = "/media/usb/bao-cao"
        await pilot.pause()

    assert snap_compare(make_app(review_db_path), terminal_size=SIZE, run_before=run_before)


def test_overview_marks_the_demo_s_sample_data(locations, snap_compare) -> None:  # noqa: ANN001
    """Issue 15, item 10: a bundle the demo exported is marked as sample data."""
    from tests.conftest import FIXED_TODAY
    from tests.review import factory
    from tests.review.conftest import build_review_db, review_bundles
    from tests.review.test_review_ui import make_app

    demo = factory.bundle_of(7, FIXED_TODAY)
    demo["unit"].update(code="DEMO-30316", name="Phường 1", level="phuong")
    demo["integrity"] = {"sha256": factory.digest(demo)}
    path = build_review_db(locations.review_db_path, [*review_bundles(), demo])
    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=_loaded)
