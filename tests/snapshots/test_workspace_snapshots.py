"""SVG snapshots of the workspace at 100x30, demo commune, date pinned by conftest.

Review a changed snapshot by eye (snapshot_report.html) before --snapshot-update.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

from tui.i18n import set_language

SIZE = (100, 30)

# Modules whose class attributes (binding descriptions, column titles) are worded
# when the module is imported; switching language for one test re-imports them.
WORDED_MODULES = ("tui.widgets.task_table", "tui.screens.tasks", "tui.screens.criteria",
                  "tui.screens.deadlines", "tui.screens.workspace", "tui.screens.form",
                  "tui.screens.task_form", "tui.screens.task_detail", "tui.screens.help",
                  "tui.app")


def _reword(language: str) -> None:
    set_language(language)
    for name in WORDED_MODULES:
        importlib.reload(importlib.import_module(name))


class Args:
    def __init__(self, lang: str | None = None) -> None:
        self.data_dir = None
        self.demo = True
        self.lang = lang
        self.read_only = False


def demo_app(lang: str | None = None):  # noqa: ANN201
    # Other test modules may have imported the screens before the language was set
    # (at collection); word them now, as the CLI does before it imports the app.
    _reword(lang or "vi")
    from tui.app import CchcApp
    from tui.cli import make_context

    return CchcApp(make_context(Args(lang)))


async def loaded(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def then(*keys: str):  # noqa: ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.fixture
def english() -> Iterator[None]:
    yield
    _reword("vi")


def test_tasks(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=then())


def test_criteria(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=then("2", "down", "down"))


def test_deadlines(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=then("3"))


def test_task_detail(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=then("down", "enter"))


def test_help(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=then("f1"))


def test_tasks_in_english(snap_compare, english) -> None:  # noqa: ANN001
    assert snap_compare(demo_app("en"), terminal_size=SIZE, run_before=then())
