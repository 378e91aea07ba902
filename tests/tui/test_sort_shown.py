"""Issue 15: the task list is sorted only by what it shows. A column hidden for
want of room (owner, status) comes back while the list is sorted by it, with its
marker, at 120x35 as at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import CchcApp
from tui.cli import make_context


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
async def test_the_sorted_column_is_shown_with_its_marker(data_dir: Path,
                                                          size: tuple[int, int]) -> None:
    from tui.i18n import _

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen.query_one("#tasks-pane")
        table = app.screen.query_one("#task-table")
        header = table.render_line(0).text
        assert _("Owner") not in header and _("Status") not in header  # no room for them
        for sort, label in (("points", _("Points")), ("status", _("Status")),
                            ("owner", _("Owner"))):
            await pilot.press("s")
            await pilot.pause()
            assert pane.sort == sort
            header = table.render_line(0).text
            assert f"{label}▲" in header, (sort, header)
        owners = [table.row_at(i).cells[2] for i in range(table.row_count)]
        first_line = table.render_line(1).text
        assert owners[0] and owners[0][:8] in first_line, (owners[0], first_line)
        await pilot.press("s")  # back to the deadline: the owner has no room again
        await pilot.pause()
        assert pane.sort == "deadline"
        assert _("Owner") not in table.render_line(0).text
