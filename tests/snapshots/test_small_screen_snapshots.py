"""SVG snapshots at 80x24 first (issue 15, item 9), and the task form at 100x30:
the task list with the highlighted task told in full under it, the criteria with
the highlighted criterion (g: the chart) below, the task with its evidence's file
column and the history's change, the task form with the ticked criteria first,
the footer with "^e Xuất tệp" first. Vietnamese, and the task list in English.

Review a changed snapshot by eye (snapshot_report.html) before --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.snapshots.test_workspace_snapshots import _reword, demo_app, then

SMALL = (80, 24)
MEDIUM = (100, 30)


@pytest.fixture
def english() -> Iterator[None]:
    yield
    _reword("vi")


def test_tasks_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=then("down"))


def test_criteria_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=then("2", "down", "down"))


def test_criteria_chart_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=then("2", "g"))


def test_deadlines_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=then("3"))


def test_task_detail_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SMALL,
                        run_before=then("enter", "tab", "tab"))


def test_task_form_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SMALL,
                        run_before=then("down", "down", "down", "down", "down", "down", "down",
                                        "enter", "e", "tab", "tab"))


def test_task_form_100x30(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=MEDIUM,
                        run_before=then("down", "down", "down", "down", "down", "down", "down",
                                        "enter", "e", "tab", "tab"))


def test_tasks_in_english_80x24(snap_compare, english) -> None:  # noqa: ANN001
    assert snap_compare(demo_app("en"), terminal_size=SMALL, run_before=then("down"))
