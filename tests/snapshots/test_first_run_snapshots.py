"""SVG snapshots at 80x24, in Vietnamese and English, of the screens the first hour
opens with: the setup form and the form that enters the supervisor's letter. Both
open at their top, the first field's label in sight (focusing the field had
scrolled it away).

Review a changed snapshot by eye (snapshot_report.html) before --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.snapshots.test_workspace_snapshots import Args, loaded
from tests.tui.test_walk_80x24 import reword

SMALL = (80, 24)


def _app(lang: str, *, demo: bool):  # noqa: ANN202
    reword(lang)
    from tui.app import CchcApp
    from tui.cli import make_context

    args = Args(lang if lang != "vi" else None)
    args.demo = demo
    return CchcApp(make_context(args))


@pytest.fixture
def english() -> Iterator[None]:
    yield
    reword("vi")


async def _settled(pilot) -> None:  # noqa: ANN001
    await loaded(pilot)
    pilot.app.clear_notifications()
    await loaded(pilot)


async def _letter_form(pilot) -> None:  # noqa: ANN001
    await _settled(pilot)
    await pilot.app.run_action("new_assessment")
    await loaded(pilot)


def test_setup_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(_app("vi", demo=False), terminal_size=SMALL, run_before=_settled)


def test_setup_in_english_80x24(snap_compare, english) -> None:  # noqa: ANN001
    assert snap_compare(_app("en", demo=False), terminal_size=SMALL, run_before=_settled)


def test_letter_form_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(_app("vi", demo=True), terminal_size=SMALL, run_before=_letter_form)


def test_letter_form_in_english_80x24(snap_compare, english) -> None:  # noqa: ANN001
    assert snap_compare(_app("en", demo=True), terminal_size=SMALL, run_before=_letter_form)
