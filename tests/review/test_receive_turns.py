"""Two receives at once (issue 10, item 7): the second waits its turn with a line
saying so; nothing is lost either way."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from textual.widgets import Input

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_cli import _units_in_review_db
from tests.review.test_review_ui import codes, make_app, ready
from tui.widgets.virtual_table import VirtualTable

ROOT = Path(__file__).resolve().parents[2]


def _inbox(folder: Path, units: range) -> Path:
    folder.mkdir(parents=True)
    for index in units:
        factory.write_bundle(folder, factory.bundle_of(index, FIXED_TODAY))
    return folder


def _cchc(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tui", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_receive_waits_while_another_holds_the_turn(tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review.receiving import find_bundle_files, receive_into
    from store.review.turn import receiving_turn

    files = find_bundle_files([_inbox(tmp_path / "in", range(3))]).files
    waiting = threading.Event()
    outcome = {}

    def second() -> None:
        outcome["totals"] = receive_into(locations.review_db_path, files, processes=1,
                                         on_wait=waiting.set)

    with receiving_turn(locations.review_db_path) as turn:
        assert turn
        thread = threading.Thread(target=second)
        thread.start()
        assert waiting.wait(timeout=30)
        time.sleep(0.5)
        assert thread.is_alive() and "totals" not in outcome
    thread.join(timeout=60)
    assert outcome["totals"].accepted == 3


def test_a_receive_that_is_told_to_stop_while_waiting_receives_nothing(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review.receiving import find_bundle_files, receive_into
    from store.review.turn import receiving_turn

    files = find_bundle_files([_inbox(tmp_path / "in", range(2))]).files
    with receiving_turn(locations.review_db_path):
        totals = receive_into(locations.review_db_path, files, processes=1,
                              should_stop=lambda: True)
    assert totals.files == 0
    assert not locations.review_db_path.exists()


def test_the_command_line_says_it_waits_then_receives(tmp_path: Path, data_dir: Path,
                                                      locations) -> None:  # noqa: ANN001
    from store.review.turn import receiving_turn

    inbox = _inbox(tmp_path / "in", range(4))
    with receiving_turn(locations.review_db_path):
        process = _cchc("review", "--no-ui", str(inbox))
        assert process.stderr is not None
        line = process.stderr.readline()  # blocks until the waiting line is written
        assert "Đang có một lượt nhận tệp khác" in line
        time.sleep(0.5)
        assert process.poll() is None  # still waiting
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "4 đã nhận" in out and "Traceback" not in err
    assert _units_in_review_db(data_dir) == {factory.unit_code(i): 1 for i in range(4)}


def test_two_receives_started_together_both_end_well_and_lose_nothing(
        tmp_path: Path, data_dir: Path) -> None:
    first = _inbox(tmp_path / "a", range(0, 30))  # large enough for the WAL path
    second = _inbox(tmp_path / "b", range(30, 40))
    processes = [_cchc("review", "--no-ui", str(first)), _cchc("review", "--no-ui", str(second))]
    results = [process.communicate(timeout=300) for process in processes]
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err and "unexpected" not in err.lower()
    assert _units_in_review_db(data_dir) == {factory.unit_code(i): 1 for i in range(40)}


async def test_the_review_screen_says_it_waits_then_receives(tmp_path: Path,
                                                             locations) -> None:  # noqa: ANN001
    from store.review import ensure_review_database
    from store.review.turn import receiving_turn

    ensure_review_database(locations.review_db_path)
    inbox = _inbox(tmp_path / "usb", range(2))
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        with receiving_turn(locations.review_db_path):
            await pilot.press("i")
            app.screen.query_one("#receive-path", Input).value = str(inbox)
            await pilot.press("enter")
            for _attempt in range(100):
                await pilot.pause(0.05)
                if any("Đang có một lượt nhận tệp khác" in str(n.message)
                       for n in app._notifications):
                    break
            else:
                raise AssertionError("no line said the receive waits")
            assert any(not worker.is_finished for worker in app.workers)
        await ready(app, pilot)
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        assert codes(table) == [factory.unit_code(0), factory.unit_code(1)]


async def test_nothing_is_received_from_the_review_screen_in_read_only_mode(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review import ensure_review_database

    ensure_review_database(locations.review_db_path)
    before = locations.review_db_path.read_bytes()
    app = make_app(locations.review_db_path)
    app.context.read_only = True
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("i")
        assert app.screen is app.overview
        assert any("chế độ chỉ xem" in str(n.message) for n in app._notifications)
    assert locations.review_db_path.read_bytes() == before


def test_nothing_is_received_from_the_command_line_in_read_only_mode(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    from tui.cli import main

    inbox = _inbox(tmp_path / "in", range(1))
    assert main(["--read-only", "review", "--no-ui", str(inbox)]) == 1
    assert main(["--read-only", "review", str(inbox)]) == 1
    assert "chế độ chỉ xem" in capsys.readouterr().err
    assert not (data_dir / "review.db").exists()
