"""Nothing after the reader raises on a value the reader accepted (issue 10, item 3).

Bundles at the edges of what bundle-v1 allows (dates in year 1 and 9999, points at
their limit, integers at 2^53 - 1, instants at 2000 and 2100, empty and very wide
texts, codes made of dots) are received, then every review screen is opened on each
unit. A review database that holds an instant received before the reader refused
such values (0001-01-01T00:00:00+23:59 bricked every start) opens too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_ui import make_app, ready

MAX_INTEGER = 2**53 - 1


def _task(bundle: dict, n: int = 0) -> dict:
    return bundle["assessments"][0]["tasks"][n]


def _evidence_file(bundle: dict) -> None:
    for task in bundle["assessments"][0]["tasks"]:
        for evidence in task["evidence"]:
            evidence.update(date="9999-12-31", file={"name": "x" * 500, "size": MAX_INTEGER,
                                                     "sha256": "a" * 64})


def _history(bundle: dict) -> None:
    _task(bundle)["history"].extend([
        {"at": "2000-01-01T00:00:00Z", "by": "", "field": "due", "old": "x", "new": "9999-12-31"},
        {"at": "2100-12-31T16:59:59Z", "by": None, "field": "progress", "old": "abc",
         "new": "1e999"},
        {"at": "2026-01-01T00:00:00+07:00", "by": None, "field": "status", "old": "weird",
         "new": None}])


# Each changes other members, so all of them go into one bundle.
EDGES: dict[str, Callable[[dict], object]] = {
    "dates": lambda b: (_task(b).update(due="0001-01-01"), _task(b, 1).update(due="9999-12-31"),
                        b["assessments"][0]["documents"][0].update(date="0001-01-01")),
    "done far ahead": lambda b: _task(b, 2).update(status="done", progress=100,
                                                    done_on="9999-12-31"),
    "points": lambda b: [c.update(max_points=10_000, score=0.0)
                         for c in b["assessments"][0]["criteria"]],
    "integers": lambda b: (b["assessments"][0].update(rank=MAX_INTEGER, rank_of=MAX_INTEGER),
                           b.update(sequence=MAX_INTEGER)),
    "evidence": _evidence_file,
    "history": _history,
    "instants": lambda b: (b.update(created_at="2000-01-01T07:00:00+07:00"),
                           _task(b).update(updated_at="2100-12-31T23:59:59+07:00")),
    "texts": lambda b: (_task(b, 3).update(title="\u0301" * 500, owner="𒐫" * 10_000,
                                           detail="\t" * 10_000),
                        b["assessments"][0].update(title="")),
}


def _edge_bundles() -> list[dict]:
    """Every edge in one bundle; a unit without assessment, named by an empty name
    and a code of dots and dashes, in another."""
    edges = factory.bundle_of(1, FIXED_TODAY)
    for change in EDGES.values():
        change(edges)
    bare = factory.bundle_of(2, FIXED_TODAY)
    bare.update(assessments=[])
    bare["unit"].update(code="-.-", name="")
    for bundle in (edges, bare):
        bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return [edges, bare]


async def _visit_every_screen(app, pilot, units: int = 2) -> set[str]:  # noqa: ANN001
    from tui.review.tasks import AllTasksScreen
    from tui.review.unit import UnitScreen

    visited = set()
    await ready(app, pilot)
    overview = app.overview
    await pilot.press("g")
    await ready(app, pilot)
    for row in overview.all_rows[:units]:
        app.push_screen(UnitScreen(row, overview.today, app.review_db))
        await ready(app, pilot)
        for section in ("tasks", "criteria", "deadlines", "bundles", "changes"):
            app.screen.action_section(section)
            await ready(app, pilot)
        app.screen.action_section("tasks")
        await ready(app, pilot)
        app.screen.query_one("#task-table").focus()
        await pilot.press("enter")
        await ready(app, pilot)
        visited.add(type(app.screen).__name__)
        while len(app.screen_stack) > 2:
            app.pop_screen()
        await pilot.pause()
    app.push_screen(AllTasksScreen(overview.today))
    await ready(app, pilot)
    for key in ("f", "s", "s", "s", "r", "f"):
        await pilot.press(key)
        await ready(app, pilot)
    visited.add(type(app.screen).__name__)
    return visited


async def test_bundles_at_the_edges_are_received_and_shown_everywhere(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review.receiving import receive_into

    inbox = tmp_path / "edges"
    inbox.mkdir()
    files = [factory.write_bundle(inbox, bundle) for bundle in _edge_bundles()]
    totals = receive_into(locations.review_db_path, files, processes=1)
    assert totals.accepted == 2, totals
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        visited = await _visit_every_screen(app, pilot)
        assert len(app.overview.all_rows) == 2
    assert app.return_code in (None, 0)
    assert {"ReviewTaskScreen", "AllTasksScreen"} <= visited


async def test_a_database_holding_an_instant_refused_today_still_opens(locations) -> None:  # noqa: ANN001
    from tests.review.conftest import build_review_db

    bricking = factory.bundle_of(1, FIXED_TODAY, created_at="0001-01-01T00:00:00+23:59")
    path = build_review_db(locations.review_db_path,
                           [bricking, factory.bundle_of(2, FIXED_TODAY)])
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _visit_every_screen(app, pilot, units=1)
        rows = {row.code: row for row in app.overview.all_rows}
        assert rows[factory.unit_code(1)].last_bundle_on is None
        assert rows[factory.unit_code(2)].last_bundle_on == dt.date(2026, 11, 21)
    assert app.return_code in (None, 0)
