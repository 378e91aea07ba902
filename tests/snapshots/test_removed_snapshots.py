"""SVG snapshots of the removed items' list (r on the workspace) at 80x24, in
Vietnamese and English: a task, a piece of evidence and a criterion removed, newest
first, the highlighted one told in full below.

Review a changed snapshot by eye (snapshot_report.html) before --snapshot-update.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.snapshots.test_workspace_snapshots import _reword, demo_app, loaded
from tests.tui.removed_setup import demo_with_removals

SMALL = (80, 24)


def _app(lang: str | None = None):  # noqa: ANN202
    app = demo_app(lang)
    importlib.reload(importlib.import_module("tui.screens.removed"))  # its words, too
    return app


async def _removed_list(pilot) -> None:  # noqa: ANN001
    await loaded(pilot)
    pilot.app.clear_notifications()  # the start's notices would cover the list
    await pilot.press("r", "down")
    await loaded(pilot)


@pytest.fixture
def english() -> Iterator[None]:
    yield
    _reword("vi")
    importlib.reload(importlib.import_module("tui.screens.removed"))


def test_removed_80x24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    demo_with_removals(data_dir)
    assert snap_compare(_app(), terminal_size=SMALL, run_before=_removed_list)


def test_removed_in_english_80x24(snap_compare, data_dir: Path, english) -> None:  # noqa: ANN001
    demo_with_removals(data_dir)
    assert snap_compare(_app("en"), terminal_size=SMALL, run_before=_removed_list)
