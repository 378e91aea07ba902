"""The real `cchc review` start reaches the overview's data with plain sqlite3: no
SQLAlchemy, SQLModel or pydantic before it when the database is current and its key
is held (issue 16); a receiving worker imports none of them either."""

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
    heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic") if m in sys.modules)
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

