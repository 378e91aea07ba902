"""Receiving from the review screens (issue 10, items 6 and 7): a batch large enough
for the process pool, and a receive while another is running."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_ui import codes, make_app, ready
from tui.widgets.virtual_table import VirtualTable


def _stop_resource_tracker() -> None:
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        stop()


async def _receive_from_dialog(app, pilot, folder: Path) -> None:  # noqa: ANN001
    await pilot.press("i")
    app.screen.query_one("#receive-path", Input).value = str(folder)
    await pilot.press("enter")
    await ready(app, pilot)
    await ready(app, pilot)


async def test_the_review_screen_receives_a_batch_for_the_process_pool(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    """24 files and more go through a spawn pool, whose resource tracker was handed the
    stderr Textual captured ("bad value(s) in fds_to_keep")."""
    from store.review import ensure_review_database
    from store.review.receiving import POOL_THRESHOLD

    _stop_resource_tracker()  # started by an earlier test, it would hide the failure
    ensure_review_database(locations.review_db_path)
    inbox = tmp_path / "usb"
    inbox.mkdir()
    count = POOL_THRESHOLD + 6
    for index in range(count):
        factory.write_bundle(inbox, factory.bundle_of(index, FIXED_TODAY))
    app = make_app(locations.review_db_path)
    seen: list[tuple[int, int | None]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        real = app.overview.show_receiving
        app.overview.show_receiving = lambda done, total: (seen.append((done, total)),
                                                           real(done, total))
        await _receive_from_dialog(app, pilot, inbox)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert len(codes(table)) == count
        shown = [str(n.message) for n in app._notifications]
        assert any(f"{count} đã nhận" in m for m in shown), shown
    assert (count, count) in seen and seen[-1] == (count, None)


def _speak_in_worker() -> str:
    import logging
    import sys

    print("on stdout")
    print("on stderr", file=sys.stderr)
    logging.getLogger("cchc.worker-test").warning("value \x1b[2J from a file")
    return "spoken"


def test_pool_workers_never_write_on_the_terminal_and_log_to_the_app_s_log(
        tmp_path: Path, capfd) -> None:  # noqa: ANN001
    import logging
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from store.review.receiving import _log_file, _quiet_worker
    from tui.cli import _start_logging

    log_file = _start_logging(tmp_path / "logs")
    root = logging.getLogger()
    handler = root.handlers[-1]
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_quiet_worker, initargs=(_log_file(),)) as pool:
            assert pool.submit(_speak_in_worker).result(timeout=120) == "spoken"
    finally:
        root.removeHandler(handler)
        handler.close()
    captured = capfd.readouterr()
    assert "on stdout" not in captured.out and "on stderr" not in captured.err
    logged = log_file.read_text(encoding="utf-8")
    assert "value \\x1b[2J from a file" in logged


async def test_odd_entries_received_from_the_review_screen_are_told(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    import os

    from store.review import ensure_review_database

    ensure_review_database(locations.review_db_path)
    inbox = tmp_path / "usb"
    inbox.mkdir()
    factory.write_bundle(inbox, factory.bundle_of(1, FIXED_TODAY))
    (inbox / os.fsdecode(b"ok\xff.json")).write_text("{}")
    os.mkfifo(inbox / "pipe.json")
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await _receive_from_dialog(app, pilot, inbox)
        assert codes(app.screen.query_one("#review-units", VirtualTable)) == [
            factory.unit_code(1)]
        message = [str(n.message) for n in app._notifications][-1]
        assert "1 đã nhận" in message and "2 bị từ chối" in message
        assert "ok\\xff.json" in message and "FIFO" in message
    assert app.return_code in (None, 0)
