"""The real `cchc review` start reaches the overview's data with plain sqlite3: no
SQLAlchemy, SQLModel or pydantic before it when the database is current and its key
is held, and no cryptography: the key on record is checked by the window once it
shows (issue 16); a receiving worker imports none of the ORM either. The command
starts the overview's queries before Textual is imported (store.review.early), and
the app takes that read once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXED_TODAY
from tests.review import factory

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
import textual.app
run = textual.app.App.run
textual.app.App.run = lambda self, **kw: run(self, headless=True, size=(100, 30))
import tui.review.app as review
ready = review.ReviewApp._overview_ready
def overview_ready(self, rows, *rest):
    heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic", "cryptography")
                   if m in sys.modules)
    print("AT-DATA", len(rows), ",".join(heavy) or "-", flush=True)
    ready(self, rows, *rest)
    self.call_after_refresh(self.exit)
review.ReviewApp._overview_ready = overview_ready
from tui.cli import main
main(["review"])
"""


def _start(data_dir: Path) -> tuple[str, str]:
    env = {**os.environ, "CCHC_DATA_DIR": str(data_dir), "CCHC_TODAY": FIXED_TODAY.isoformat()}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    line = next((line for line in done.stdout.splitlines() if line.startswith("AT-DATA")),
                None)
    assert line is not None, done.stderr[-3000:]
    return line.split()[1], line.split()[2]


def test_the_review_start_reads_the_overview_without_the_orm(data_dir: Path) -> None:
    from store.review.receiving import find_bundle_files, receive_into

    folder = data_dir.parent / "stick"
    folder.mkdir()
    for index in range(3):
        factory.write_bundle(folder, factory.signed(factory.bundle_of(index, FIXED_TODAY)))
    data_dir.mkdir(parents=True, exist_ok=True)
    receive_into(data_dir / "review.db", find_bundle_files([folder]).files, processes=1)

    # The first start makes the review's key (that takes the ORM, once).
    assert _start(data_dir)[0] == "3"
    assert _start(data_dir) == ("3", "-")


def test_a_receiving_worker_imports_no_orm() -> None:
    code = ("import sys\nimport store.bundle.receive\n"
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"



EARLY_CHILD = """
import sys
import store.review.early as early
started = early.EarlyOverviewRead.__init__
def init(self, *args):
    print("EARLY", flush=True)
    started(self, *args)
early.EarlyOverviewRead.__init__ = init
taken = early.EarlyOverviewRead.result
def result(self):
    print("TAKEN", flush=True)
    return taken(self)
early.EarlyOverviewRead.result = result
import tui.review.app as review
run = review.ReviewApp.run
def headless_run(self, **kw):
    print("RUN", flush=True)
    return run(self, headless=True, size=(100, 30))
review.ReviewApp.run = headless_run
ready = review.ReviewApp._overview_ready
def overview_ready(self, rows, *rest):
    print("AT-DATA", len(rows), flush=True)
    ready(self, rows, *rest)
    self.call_after_refresh(self.exit)
review.ReviewApp._overview_ready = overview_ready
from tui.cli import main
main(["review"])
"""


def test_the_command_starts_the_overview_read_before_the_window(review_db_path: Path) -> None:
    env = {**os.environ, "CCHC_DATA_DIR": str(review_db_path.parent),
           "CCHC_TODAY": FIXED_TODAY.isoformat()}
    for _start_number in range(2):  # the first start makes the review's key
        done = subprocess.run([sys.executable, "-c", EARLY_CHILD], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False, timeout=120)
    lines = [line for line in done.stdout.splitlines()
             if line.split()[:1] in (["EARLY"], ["RUN"], ["TAKEN"], ["AT-DATA"])]
    assert lines == ["EARLY", "RUN", "TAKEN", "AT-DATA 6"], done.stderr[-3000:]


def test_the_early_read_is_the_overview_read(review_db_path: Path) -> None:
    from store.review.early import EarlyOverviewRead
    from store.review.overview import overview_rows, read_overview_facts

    facts, choices = EarlyOverviewRead(review_db_path, FIXED_TODAY).result()
    again, choices_again = read_overview_facts(review_db_path, FIXED_TODAY)
    rows = overview_rows(again)
    assert overview_rows(facts) == rows and choices == choices_again and len(rows) == 6


def test_an_early_read_that_fails_fails_where_the_app_takes_it(tmp_path: Path) -> None:
    import sqlite3

    import pytest

    from store.review.early import EarlyOverviewRead

    damaged = tmp_path / "review.db"
    damaged.write_bytes(b"not a database at all " * 300)
    early = EarlyOverviewRead(damaged, FIXED_TODAY)
    with pytest.raises(sqlite3.Error):
        early.result()


async def test_the_app_takes_the_early_read_once(review_db_path: Path) -> None:
    """The first overview is the early read's (taken once); a later read is the app's
    own, so what was received since shows."""
    from store.review.early import EarlyOverviewRead
    from store.review.receiving import find_bundle_files, receive_into
    from tests.review.test_review_ui import codes, make_app, ready
    from tui.widgets.virtual_table import VirtualTable

    early = EarlyOverviewRead(review_db_path, FIXED_TODAY)
    app = make_app(review_db_path)
    app.early_overview = early
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        assert app.early_overview is None
        table = app.screen.query_one("#review-units", VirtualTable)
        assert len(codes(table)) == 6
        folder = review_db_path.parent / "stick"
        folder.mkdir()
        factory.write_bundle(folder, factory.signed(factory.bundle_of(40, FIXED_TODAY)))
        receive_into(review_db_path, find_bundle_files([folder]).files, processes=1)
        app.load_overview()
        await ready(app, pilot)
        assert len(codes(table)) == 7


async def test_the_units_table_says_it_is_reading_until_the_rows_come(
        review_db_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """No loading animation before the first data (it took the UI thread the first
    frame needs): the table says in words that it is reading, then shows the rows."""
    import store.review.overview as overview
    from tests.holding import hold
    from tests.review.test_review_ui import codes, make_app, ready
    from tests.tui.test_workspace import until
    from tui.widgets.virtual_table import VirtualTable

    gate = hold(monkeypatch, overview, "read_overview_facts")
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#review-units", VirtualTable)
        assert not table.loading
        assert "Đang đọc danh sách đơn vị…" in table.render_line(1).text
        gate.set()
        await until(pilot, lambda: table.row_count == 6)
        await ready(app, pilot)
        assert len(codes(table)) == 6
        assert "Đang đọc" not in table.render_line(1).text


def test_the_packed_overview_read_gives_the_rows_the_plain_query_gives(
        review_db_path: Path) -> None:
    """The overview's rows come packed in one JSON text (no GIL hand-over per row):
    the same tuples as fetching _OVERVIEW_SQL's rows, doubles to the last bit, NULLs,
    names with control characters and emoji, and the order by code."""
    import sqlite3
    from contextlib import closing

    from store.overdue import WITHDRAWN_PARAMETER
    from store.review.overview import _OVERVIEW_SQL, overview_facts

    with closing(sqlite3.connect(review_db_path)) as connection:
        first, last = connection.execute("SELECT min(id), max(id) FROM assessment").fetchone()
        connection.execute("UPDATE assessment SET score = 0.1 + 0.2, max_points = 100.0 / 3 "
                           "WHERE id = ?", (first,))
        connection.execute("UPDATE assessment SET score = NULL WHERE id = ?", (last,))
        connection.execute("UPDATE unit SET name = ? WHERE id = (SELECT min(id) FROM unit)",
                           ("Xã \x1b[31mĐỏ\n\u202e😀 \"quoted\" \\ ",))
        connection.commit()
        facts = overview_facts(connection, FIXED_TODAY)
        plain = connection.execute(_OVERVIEW_SQL, {
            "today": FIXED_TODAY.isoformat(), "index": None, "year": None,
            WITHDRAWN_PARAMETER: "[]"}).fetchall()
    assert facts.units == plain and len(plain) == 6
    scores = {row[8] for row in plain}
    assert 0.1 + 0.2 in scores and None in scores
    assert any(row[9] == 100.0 / 3 for row in plain)


def test_a_key_is_on_record_only_with_its_file_and_the_database_record(
        review_db_path: Path, locations) -> None:  # noqa: ANN001
    from store.keys import key_on_record, key_path_for
    from store.paths import resolve
    from tui.cli_commands.review_keys import ensure_review_key
    from tui.context import AppContext
    from store.config import Config

    key_path = key_path_for(review_db_path)
    assert not key_on_record(review_db_path, key_path)  # neither file nor record
    ensure_review_key(AppContext(locations=resolve(review_db_path.parent), config=Config()))
    assert key_on_record(review_db_path, key_path)
    key_path.unlink()
    assert not key_on_record(review_db_path, key_path)  # the record alone
    assert not key_on_record(review_db_path.parent / "missing.db", key_path)
