"""A small review database: six units in the states a supervisor must tell apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tests.review import factory

IMPORTED_AT = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.timezone.utc)


def review_bundles(today: dt.date = FIXED_TODAY) -> list[dict]:
    """Bundles in the order they were received:
    unit 1: sequences 1, 2 (the change view has something to show);
    unit 2: sequences 1, 4 (a gap: 2 and 3 never arrived);
    unit 3: sequences 1, 2 where 2 does not follow 1 (a fork);
    unit 4: one bundle 60 days old (stale);
    unit 5: one bundle without tasks;
    unit 6: one recent bundle.
    """
    first = factory.bundle_of(1, today - dt.timedelta(days=10),
                              created_at=factory._at(today - dt.timedelta(days=10), 16))
    second = factory.progressed(first, today)
    gap_first = factory.bundle_of(2, today - dt.timedelta(days=20),
                                  created_at=factory._at(today - dt.timedelta(days=20), 9))
    gap_later = factory.progressed(gap_first, today, sequence=4)
    fork_first = factory.bundle_of(3, today - dt.timedelta(days=5))
    fork_second = factory.bundle_of(3, today, sequence=2, previous_sha256="f" * 64)
    stale_day = today - dt.timedelta(days=60)
    stale = factory.bundle_of(4, stale_day, created_at=factory._at(stale_day, 8))
    no_tasks = factory.bundle_of(5, today, assessments=[
        {**factory.assessment_of(5, today), "tasks": []}])
    recent = factory.bundle_of(6, today)
    return [first, second, gap_first, gap_later, fork_first, fork_second, stale, no_tasks,
            recent]


def build_review_db(path: Path, bundles: list[dict]) -> Path:
    from store.review import open_review_for_receiving

    db = open_review_for_receiving(path)
    try:
        for bundle in bundles:
            with db.write() as session:
                factory.store_received(session, bundle, IMPORTED_AT)
    finally:
        db.dispose()
    return path


@pytest.fixture
def review_db_path(locations) -> Path:  # noqa: ANN001
    """The review database in the test's data folder, closed (DELETE journal)."""
    return build_review_db(locations.review_db_path, review_bundles())


@pytest.fixture
def review_db(review_db_path: Path):  # noqa: ANN201
    from store.review import open_review_read_only

    db = open_review_read_only(review_db_path)
    yield db
    db.dispose()
