"""VirtualTable on a synthetic source: paging, cursor, mouse, messages, layout."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable, place_columns

COLUMNS = [
    Column("n", "#", width=7, align="right"),
    Column("title", "Title", fr=1, min_width=12),
    Column("owner", "Owner", width=16, min_table_width=90),
    Column("due", "Due", width=10),
]


class CountingSource:
    """n rows, recording every page asked for."""

    def __init__(self, n: int, prefix: str = "Task") -> None:
        self.n = n
        self.prefix = prefix
        self.pages: list[tuple[int, int]] = []

    def count(self) -> int:
        return self.n

    def rows(self, offset: int, limit: int) -> list[Row]:
        self.pages.append((offset, limit))
        return [Row(i, (str(i), f"{self.prefix} {i}", "Nguyễn Thị Lan", "21/11/2026"),
                    tone="danger" if i % 10 == 3 else None)
                for i in range(offset, min(offset + limit, self.n))]


class TableApp(App[None]):
    def __init__(self, source) -> None:  # noqa: ANN001
        super().__init__()
        self.source = source
        self.messages: list[tuple[str, object]] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, self.source, empty_text="Nothing here", id="table")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.messages.append(("highlighted", event.key))

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.messages.append(("selected", event.key))

    def on_virtual_table_header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        self.messages.append(("header", event.column.key))


def line_text(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


async def test_first_frame_of_a_huge_source_reads_only_the_visible_page() -> None:
    source = CountingSource(100_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 100_000
        assert source.pages == [(0, VirtualTable.PAGE_SIZE)]
        assert "Title" in line_text(table, 0)
        assert "Task 0" in line_text(table, 1)
        assert table.virtual_size.height == 100_001


async def test_keyboard_moves_the_cursor_and_scrolls() -> None:
    source = CountingSource(100_000)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("pagedown")
        assert table.cursor_row == 2 + 29
        assert table.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 99_999
        assert "Task 99999" in line_text(table, 29)
        # only the pages on screen were read, not the 1,500 pages in between
        assert len(source.pages) <= 4
        await pilot.press("home", "up")
        assert table.cursor_row == 0
        assert table.scroll_y == 0
        assert ("highlighted", 2) in app.messages
        await pilot.press("enter")
        await pilot.pause()
        assert app.messages[-1] == ("selected", 0)


async def test_click_moves_then_selects_and_header_click_reports_the_column() -> None:
    app = TableApp(CountingSource(50))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(12, 4))  # the 4th data row
        await pilot.pause()
        assert table.cursor_row == 3
        assert ("selected", 3) not in app.messages
        await pilot.click(VirtualTable, offset=(12, 4))
        await pilot.pause()
        assert ("selected", 3) in app.messages
        await pilot.click(VirtualTable, offset=(12, 0))
        await pilot.pause()
        assert app.messages[-1] == ("header", "title")


async def test_set_source_swaps_rows_and_shows_the_empty_text() -> None:
    app = TableApp(CountingSource(500))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.press("pagedown")
        table.set_source(CountingSource(3, prefix="Found"))
        await pilot.pause()
        assert table.row_count == 3
        assert table.cursor_row == 0
        assert table.scroll_y == 0
        assert "Found 0" in line_text(table, 1)
        assert line_text(table, 4).strip() == ""
        table.set_source(ListSource([]))
        await pilot.pause()
        assert table.row_count == 0
        assert "Nothing here" in line_text(table, 1)
        assert table.cursor_key is None


async def test_reload_keeps_the_cursor_and_sees_new_data() -> None:
    source = CountingSource(40)
    app = TableApp(source)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.press("down", "down", "down")
        source.prefix = "Changed"
        table.reload()
        await pilot.pause()
        assert table.cursor_row == 3
        assert table.cursor_key == 3
        assert "Changed 3" in line_text(table, 4)


async def test_cells_are_cut_with_an_ellipsis_and_span_rows_cross_columns() -> None:
    rows = [Row("group", (Text("OVERDUE (2)"),), tone="group", span=True),
            Row(1, ("1", "A very long title " * 10, "Trần Văn Bình", "01/12/2026"))]
    app = TableApp(ListSource(rows))
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert line_text(table, 1).strip() == "OVERDUE (2)"
        row = line_text(table, 2)
        assert "…" in row
        assert "01/12/2026" in row
        # the owner column only appears at 90 columns and wider
        assert "Trần Văn Bình" not in row
        assert len(row) == 80


async def test_sort_indicator_marks_the_heading() -> None:
    app = TableApp(CountingSource(5))
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_sort_indicator("due", descending=True)
        await pilot.pause()
        assert "Due▼" in line_text(table, 0)


def test_columns_fill_80_and_200_cells() -> None:
    for width, owner_shown in ((80, False), (200, True)):
        placed = place_columns(COLUMNS, width)
        assert any(p.column.key == "owner" for p in placed) is owner_shown
        last = placed[-1]
        assert last.x + last.width == width - 1  # one cell of margin each side
        assert all(p.width >= p.column.min_width for p in placed)


def test_columns_that_cannot_fit_keep_their_minimum() -> None:
    placed = place_columns(COLUMNS, 30)
    title = next(p for p in placed if p.column.key == "title")
    assert title.width == 12


def test_the_kept_column_is_placed_however_narrow_the_table() -> None:
    placed = place_columns(COLUMNS, 80, keep="owner")
    assert [p.column.key for p in placed] == ["n", "title", "owner", "due"]
    assert placed[-1].x + placed[-1].width == 79
