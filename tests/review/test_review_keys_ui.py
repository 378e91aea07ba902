"""The review screens and keys: the overview marks a key taken on first use and not
confirmed, the unit's detail shows its fingerprint and when it was pinned, and a bundle
is set aside from the unit's bundles tab after a confirmation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from textual.widgets import Button, Static

from store.bundle.receive import receive_bundle
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_ui import cells, codes, make_app, ready
from tests.tui.test_workspace import until
from tui.widgets.virtual_table import VirtualTable

def _build(path: Path) -> dict:
    """Unit 1: bundle 1 (its key taken on first use), then bundle 400, a jump to set
    aside; unit 2: its card enrolled first, so its key is confirmed; unit 3: unsigned."""
    from store.bundle.keycard import make_key_card, read_key_card
    from store.review import close_after_receiving, open_review_for_receiving
    from store.review.senders import enrol_card

    first = factory.signed(factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=2)))
    jumped = factory.signed(factory.progressed(first, FIXED_TODAY, sequence=400))
    db = open_review_for_receiving(path)
    try:
        card = make_key_card(factory.unit_key(2), code=factory.unit_code(2), name="x",
                             created_at="2026-11-01T08:00:00+07:00")
        enrol_card(db, read_key_card(json.dumps(card).encode()).card, "An")
        for bundle in (first, jumped, factory.signed(factory.bundle_of(2, FIXED_TODAY)),
                       factory.bundle_of(3, FIXED_TODAY)):
            assert receive_bundle(db, json.dumps(bundle).encode(), "b.json").accepted
    finally:
        close_after_receiving(db)
    return {"first": first, "jumped": jumped}


async def _open_first_units_bundles(app, pilot) -> None:  # noqa: ANN001
    """Enter on the overview's first unit, then b: wait for each screen and tab to be there
    (a loaded machine may still be pushing the unit screen when the first wait ends)."""
    await pilot.press("enter")
    await until(pilot, lambda: type(app.screen).__name__ == "UnitScreen")
    await ready(app, pilot)
    assert "x" not in app.screen.active_bindings  # only on the bundles tab
    await pilot.press("b")
    await until(pilot, lambda: "x" in app.screen.active_bindings)
    await ready(app, pilot)


async def test_the_overview_and_the_unit_detail_show_the_keys(locations) -> None:  # noqa: ANN001
    _build(locations.review_db_path)
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(120, 34)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert codes(table) == [factory.unit_code(i) for i in (1, 2, 3)]
        assert "khóa?" in cells(table, 0)[-1]
        assert "khóa?" not in cells(table, 1)[-1] and "khóa?" not in cells(table, 2)[-1]
        await pilot.press("enter")
        await ready(app, pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        fingerprint = factory.unit_key(1).fingerprint
        assert (f"khóa {fingerprint}, nhận từ tệp có chữ ký đầu tiên lúc 21/11/2026 09:00, "
                "chưa xác nhận") in summary.replace("\n", " ")
        assert "chưa được xác nhận" in summary.replace("\n", " ")
        await pilot.press("escape", "down", "down", "enter")
        await ready(app, pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "không có chữ ký" in summary and "khóa " not in summary


async def test_a_bundle_is_set_aside_from_the_bundles_tab_after_a_confirmation(
        locations) -> None:  # noqa: ANN001
    built = _build(locations.review_db_path)
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await ready(app, pilot)
        overview = app.screen.query_one("#review-units", VirtualTable)
        assert cells(overview, 0)[3] == "400"
        await _open_first_units_bundles(app, pilot)
        bundles = app.screen.query_one("#unit-bundles", VirtualTable)
        assert [cells(bundles, i)[0] for i in range(bundles.row_count)] == ["400", "1"]
        await pilot.press("x")
        await pilot.pause()
        from tui.screens.dialogs import ConfirmDialog

        assert isinstance(app.screen, ConfirmDialog)
        assert "Gạt ra tệp số 400 của đơn vị 10001" in app.screen.question
        await pilot.press("escape")  # no: nothing happens
        await ready(app, pilot)
        assert bundles.row_count == 2 and "đã gạt ra" not in cells(bundles, 0)[-1]
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await ready(app, pilot)
        messages = " ".join(n.message for n in app._notifications)
        assert "Đã gạt ra: tệp số 400 của đơn vị 10001" in messages
        assert "trở lại là tệp số 1" in messages
        bundles = app.screen.query_one("#unit-bundles", VirtualTable)
        assert "đã gạt ra 21/11/2026 09:00" in cells(bundles, 0)[-1]
        from tui.review.unit import BundlesPane  # here: imported at collection, its keys
        # would be worded in the collection's language

        pane = app.screen.query_one(BundlesPane)
        assert pane.highlighted.set_aside_at is not None
        assert not pane.check_action("set_aside", ())  # already set aside
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "tệp số 1 gửi ngày 19/11/2026" in summary
        await pilot.press("escape")
        await ready(app, pilot)
        overview = app.screen.query_one("#review-units", VirtualTable)
        assert cells(overview, 0)[3] == "1"
    from sqlalchemy import select

    from store.models import ReceivedBundle
    from store.review import open_review_read_only

    db = open_review_read_only(locations.review_db_path)
    try:
        with db.read() as session:
            record = session.execute(select(ReceivedBundle).where(
                ReceivedBundle.bundle_id == built["jumped"]["bundle_id"])).scalars().one()
    finally:
        db.dispose()
    assert record.set_aside_at is not None
    assert list((locations.backups_dir).glob("review-*-set-aside.db"))


async def test_the_confirmation_dialog_offers_no_first(locations) -> None:  # noqa: ANN001
    _build(locations.review_db_path)
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(120, 34)) as pilot:
        await ready(app, pilot)
        await _open_first_units_bundles(app, pilot)
        await pilot.press("x")
        await until(pilot, lambda: bool(app.screen.query("#confirm-no")))
        assert app.screen.focused is app.screen.query_one("#confirm-no", Button)
        await pilot.press("enter")  # Enter on the focused "No"
        await ready(app, pilot)
        bundles = app.screen.query_one("#unit-bundles", VirtualTable)
        assert "đã gạt ra" not in cells(bundles, 0)[-1]
