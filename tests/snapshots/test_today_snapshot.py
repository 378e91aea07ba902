"""SVG snapshot of the Today tab at 80x24, demo commune, date pinned by conftest."""

from __future__ import annotations

from tests.snapshots.test_workspace_snapshots import demo_app, then


def test_today_at_80x24(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=then("4"))
