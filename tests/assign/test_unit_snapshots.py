"""SVG snapshot of the criteria tab comparing this year's domains with the previous
year's assessment (issue 14, item 6), at 80x24: the demo's PAR 2025 and SNV-87's
PAR 2026 assignment of the same tree."""

from __future__ import annotations

from pathlib import Path

from tests.assign.test_unit_app import two_years  # noqa: F401 - the fixture
from tests.snapshots.test_workspace_snapshots import demo_app, then


def test_criteria_compared_with_the_previous_year(two_years: Path,  # noqa: F811
                                                  snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=then("2", "down", "up"))
