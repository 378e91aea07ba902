"""A review database to issue from and a commune's database to import into."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.assign.factory import (ISSUE_OPTIONS, province_rows, signer, unit_rows,
                                  workbook_bytes)

UNIT = {"code": "30316", "name": "Phường 1", "level": "phuong",
        "supervisor": "UBND thành phố Sa Đéc"}
SENDER = {"name": "Trần Thị Mai", "position": "Chuyên viên", "phone": None, "email": None}


def issue_options(**changes: Any):  # noqa: ANN201 - IssueOptions
    from store.assign.issue import IssueOptions

    values = {**ISSUE_OPTIONS, **changes}
    for name in ("letter_date", "due", "report_due"):
        if isinstance(values[name], str):
            values[name] = dt.date.fromisoformat(values[name])
    return IssueOptions(**values)


def commune_rows(seed: int = 3, unit: dict[str, Any] = UNIT) -> list[tuple[Any, ...]]:
    """Phường 1's rows (or another unit's: the demo's) and two other units'."""
    return unit_rows(unit["code"], unit["name"], "phường", seed=seed) + province_rows(2)


@pytest.fixture
def review_db(tmp_path: Path):  # noqa: ANN201
    from store.review import close_after_receiving, open_review_for_receiving

    db = open_review_for_receiving(tmp_path / "review.db")
    yield db
    close_after_receiving(db)


@pytest.fixture
def unit_db(tmp_path: Path):  # noqa: ANN201
    """Phường 1's own database, its unit set up and nothing else."""
    from store.migrations import open_database
    from store.snapshot import upsert_unit

    db = open_database(tmp_path / "cchc.db")
    with db.write() as session:
        upsert_unit(session, UNIT)
    yield db
    db.dispose()


@pytest.fixture
def issue(review_db, tmp_path: Path) -> Callable[..., Any]:  # noqa: ANN001
    """issue(rows, **option changes) -> IssueDone, files in tmp_path/out/<n>."""
    from store.assign.issue import IssueDone, issue_assignments
    from store.assign.workbook import read_workbook

    runs = []

    def run(rows=None, **changes: Any):  # noqa: ANN001, ANN202
        read = read_workbook(workbook_bytes(rows if rows is not None else commune_rows()))
        assert read.ok, read.errors
        runs.append(None)
        (tmp_path / "out").mkdir(exist_ok=True)
        done = issue_assignments(review_db, read, issue_options(**changes),
                                 tmp_path / "out" / str(len(runs)), generator="cchc test",
                                 sender=SENDER, sign=signer())
        assert isinstance(done, IssueDone), done
        return done
    return run


def file_for(done, unit_code: str = UNIT["code"]) -> Path:  # noqa: ANN001
    return next(p for p in done.paths if f"-{unit_code}-" in p.name)
