"""The overview summarises one index and year when the units reported several
assessments (issue 14, item 6, the review's part): a selector, shown only then."""

from __future__ import annotations

import copy
from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Select, Static

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.conftest import build_review_db, review_bundles
from tests.review.test_review_ui import make_app, ready
from tui.widgets.virtual_table import VirtualTable

SIPAS_TASKS = 3


def with_sipas(bundle: dict) -> dict:
    """Unit 6's bundle also holding its SIPAS 2025 assessment, with 3 tasks."""
    index = int(bundle["unit"]["code"]) - 10000
    sipas = copy.deepcopy(factory.assessment_of(index, FIXED_TODAY, tasks=SIPAS_TASKS))
    sipas.update(id="dt-sipas-2025", title="Chỉ số SIPAS năm 2025", index="SIPAS",
                 score=80.0)
    for task in sipas["tasks"]:
        task["id"] = factory._uid("sipas task", task["id"])
        for evidence in task["evidence"]:
            evidence["id"] = factory._uid("sipas evidence", evidence["id"])
    return factory.bundle_of(index, FIXED_TODAY,
                             assessments=[*bundle["assessments"], sipas],
                             created_at=bundle["created_at"])


@pytest.fixture
def two_kinds_db(locations) -> Path:  # noqa: ANN001
    bundles = review_bundles()
    bundles[-1] = with_sipas(bundles[-1])
    return build_review_db(locations.review_db_path, bundles)


def test_the_overview_summarises_the_assessment_asked(two_kinds_db: Path) -> None:
    from store.review import open_overview_connection
    from store.review.overview import assessment_choices, unit_overview

    with closing(open_overview_connection(two_kinds_db)) as connection:
        assert assessment_choices(connection) == [("PAR", 2025), ("SIPAS", 2025)]
        every = {row.code: row for row in unit_overview(connection, FIXED_TODAY)}
        sipas = {row.code: row for row in unit_overview(connection, FIXED_TODAY,
                                                        ("SIPAS", 2025))}
        par = {row.code: row for row in unit_overview(connection, FIXED_TODAY,
                                                      ("PAR", 2025))}
    six = factory.unit_code(6)
    assert (sipas[six].score, sipas[six].tasks_total) == (80.0, SIPAS_TASKS)
    assert sipas[factory.unit_code(1)].score is None
    assert sipas[factory.unit_code(1)].tasks_total == 0
    assert par[six].tasks_total == every[six].tasks_total - SIPAS_TASKS
    assert par[factory.unit_code(1)] == every[factory.unit_code(1)]


async def test_the_selector_switches_what_the_overview_summarises(two_kinds_db: Path) -> None:
    app = make_app(two_kinds_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        selector = app.screen.query_one("#review-assessment", Select)
        assert selector.display and selector.value == "newest"
        totals = lambda: str(app.screen.query_one("#review-totals", Static).render())  # noqa: E731
        before = totals()
        selector.value = "SIPAS 2025"
        await ready(app, pilot)
        assert app.summarised == ("SIPAS", 2025)
        assert f"{SIPAS_TASKS} nhiệm vụ" in totals()
        table = app.screen.query_one("#review-units", VirtualTable)
        assert table.row_count == 6  # every unit stays listed
        await pilot.press("y")  # the selector opens, from the keyboard
        await pilot.pause()
        assert selector.expanded
        await pilot.press("up", "up", "enter")  # from SIPAS 2025 up to each unit's newest
        await ready(app, pilot)
        assert app.summarised is None and totals() == before


async def test_choices_filled_again_before_the_selector_has_mounted(two_kinds_db: Path) -> None:
    """Choices given twice in one moment (the second before the selector's own parts are
    composed) wait for them: the selector shows the last ones, and nothing fails."""
    app = make_app(two_kinds_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        overview = app.screen
        await overview.assessment_selector.remove()
        await pilot.pause()
        assert overview.assessment_selector is None
        choices = [("PAR", 2025), ("SIPAS", 2025)]
        overview._fill_assessment_choices(choices, None)  # mounts it
        overview._fill_assessment_choices(choices, ("SIPAS", 2025))  # before it has mounted
        await pilot.pause()
        await pilot.pause()
        selector = overview.query_one("#review-assessment", Select)
        assert selector.is_mounted and selector.value == "SIPAS 2025"
        assert [value for _prompt, value in selector._options] == [
            "newest", "PAR 2025", "SIPAS 2025"]


async def test_with_one_assessment_there_is_no_selector(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        assert app.screen.assessment_selector is None  # not even mounted


async def test_the_units_screen_opens_on_the_assessment_summarised(two_kinds_db: Path) -> None:
    """Unit 6 reported PAR and SIPAS 2025: its screen shows the one the overview
    summarises (so its summary tells what the row counted); unit 1 has no SIPAS
    assessment, so under SIPAS it opens on its newest (PAR)."""
    app = make_app(two_kinds_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        overview = app.screen
        selector = overview.query_one("#review-assessment", Select)

        async def shown(summarised: str, unit: int) -> tuple[str, str]:
            selector.value = summarised
            await ready(app, pilot)
            row = next(r for r in overview.all_rows if r.code == factory.unit_code(unit))
            overview.open_unit(row.unit_id)
            await ready(app, pilot)
            screen = app.screen
            assert type(screen).__name__ == "UnitScreen"
            kind = next(a.index_kind for a in screen.assessments
                        if a.id == screen.assessment_id)
            summary = str(screen.query_one("#summary", Static).render())
            await pilot.press("escape")
            await ready(app, pilot)
            assert app.screen is overview
            return kind, summary

        kind, summary = await shown("SIPAS 2025", 6)
        assert kind == "SIPAS" and f"{SIPAS_TASKS} nhiệm vụ" in summary
        kind, summary = await shown("PAR 2025", 6)
        assert kind == "PAR" and "SIPAS" not in summary
        assert (await shown("SIPAS 2025", 1))[0] == "PAR"
