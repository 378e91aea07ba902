"""A table that asks its source only for the rows on screen (Textual's Line API).

Toolong's pattern: a ScrollView whose virtual height is the row count, and whose
render_line() fetches the visible page from a RowSource (a SQL LIMIT/OFFSET query,
or a list) through a small LRU page cache. No widget is ever created per row, so a
100,000-row list paints as fast as a 10-row one.

A source is anything with count() and rows(offset, limit); swap it with
set_source() to apply another filter, search or sort. The table posts
RowHighlighted when the cursor moves, RowSelected on Enter or a second click, and
HeaderSelected when a column heading is clicked (screens use it to sort).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = str | Text
Align = Literal["left", "right", "center"]
# Row tones the table knows how to colour; a screen pairs colour with a text marker
# in the cells themselves, so the meaning survives a monochrome terminal.
TONES = ("danger", "warning", "success", "muted", "group")


@dataclass(frozen=True)
class Column:
    """One column. width > 0 is a fixed width in cells; otherwise the column takes
    `fr` shares of the width the fixed columns leave, but never less than min_width.
    A column with min_table_width is hidden while the table is narrower than that."""

    key: str
    label: str
    width: int = 0
    fr: int = 0
    min_width: int = 4
    align: Align = "left"
    min_table_width: int = 0


@dataclass(frozen=True)
class Row:
    """Plain data for one line: a key for the screen, one cell per column, a tone.
    A `span` row (a group heading) shows its first cell across the whole width."""

    key: object
    cells: Sequence[Cell]
    tone: str | None = None
    span: bool = False


class RowSource(Protocol):
    def count(self) -> int: ...

    def rows(self, offset: int, limit: int) -> Sequence[Row]: ...


class ListSource:
    """Rows already in memory (short lists: evidence, history, criteria)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self._rows = list(rows)

    def count(self) -> int:
        return len(self._rows)

    def rows(self, offset: int, limit: int) -> Sequence[Row]:
        return self._rows[offset:offset + limit]


@dataclass(frozen=True)
class _Placed:
    column: Column
    index: int  # position in Row.cells
    x: int
    width: int


def fit_cell(cell: Cell, width: int, align: Align = "left") -> Text:
    """The cell as exactly `width` cells: one line, cut with an ellipsis, aligned."""
    if isinstance(cell, Text):
        text = cell.copy()
        if "\n" in text.plain:
            text = Text(" ").join(text.split("\n", allow_blank=True))
    else:
        text = Text(cell.replace("\n", " ") if "\n" in cell else cell)
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    padding = width - text.cell_len
    if padding > 0:
        if align == "right":
            text.pad_left(padding)
        elif align == "center":
            text.pad_left(padding // 2)
            text.pad_right(padding - padding // 2)
        else:
            text.pad_right(padding)
    return text


def fit_plain(cell: str, width: int, align: Align = "left") -> str:
    """fit_cell for a plain string, without building a rich Text."""
    if "\n" in cell:
        cell = cell.replace("\n", " ")
    length = cell_len(cell)
    if length > width:
        cell = set_cell_size(cell, max(width - 1, 0)) + ("…" if width else "")
        length = width
    padding = width - length
    if padding <= 0:
        return cell
    if align == "right":
        return " " * padding + cell
    if align == "center":
        return " " * (padding // 2) + cell + " " * (padding - padding // 2)
    return cell + " " * padding


def place_columns(columns: Sequence[Column], width: int, gap: int = 1,
                  margin: int = 1, keep: str | None = None) -> list[_Placed]:
    """Where each visible column goes in a table `width` cells wide.

    Fixed columns keep their width; fr columns share what is left (at least
    min_width each). If even that does not fit, the table scrolls sideways.
    The column `keep` (the sorted one) is shown however narrow the table: a
    list sorted by what cannot be seen looks unsorted.
    """
    visible = [(i, c) for i, c in enumerate(columns)
               if width >= c.min_table_width or c.key == keep]
    fixed = sum(c.width for _, c in visible if c.width > 0)
    flexible = [(i, c) for i, c in visible if c.width <= 0]
    gaps = gap * max(len(visible) - 1, 0) + 2 * margin
    left = max(width - fixed - gaps, 0)
    shares = sum(max(c.fr, 1) for _, c in flexible)
    widths: dict[int, int] = {}
    given = 0
    for n, (i, c) in enumerate(flexible):
        if n == len(flexible) - 1:
            share = left - given
        else:
            share = left * max(c.fr, 1) // shares
        given += share
        widths[i] = max(share, c.min_width)
    placed = []
    x = margin
    for i, c in visible:
        w = c.width if c.width > 0 else widths[i]
        placed.append(_Placed(c, i, x, w))
        x += w + gap
    return placed


class VirtualTable(ScrollView, can_focus=True):
    """Rows from a RowSource, fetched a page at a time as they come into view."""

    PAGE_SIZE: ClassVar[int] = 64

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", show=False, id="table.up"),
        Binding("down", "cursor_down", show=False, id="table.down"),
        Binding("pageup", "page_up", show=False, id="table.page-up"),
        Binding("pagedown", "page_down", show=False, id="table.page-down"),
        Binding("home", "first", show=False, id="table.first"),
        Binding("end", "last", show=False, id="table.last"),
        Binding("enter", "select", show=False, id="table.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header", "virtual-table--cursor", "virtual-table--empty",
        *(f"virtual-table--{tone}" for tone in TONES),
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .virtual-table--header { text-style: bold; background: $panel; }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .virtual-table--danger { color: $text-error; }
        & > .virtual-table--warning { color: $text-warning; }
        & > .virtual-table--success { color: $text-success; }
        & > .virtual-table--muted { color: $text-muted; }
        & > .virtual-table--group { text-style: bold; color: $text-accent; }
        & > .virtual-table--empty { color: $text-muted; text-style: italic; }
    }
    """

    class RowHighlighted(Message):
        """The cursor moved to a row (also sent for the first row of a new source)."""

        def __init__(self, table: VirtualTable, index: int, row: Row) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def key(self) -> object:
            return self.row.key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter was pressed, or the row under the cursor was clicked."""

    class HeaderSelected(Message):
        def __init__(self, table: VirtualTable, column: Column) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, columns: Sequence[Column], source: RowSource | None = None, *,
                 empty_text: str = "", name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns = list(columns)
        self._source: RowSource | None = None
        self._count = 0
        self._pages: LRUCache[int, Sequence[Row]] = LRUCache(32)
        self._strips: LRUCache[tuple, Strip] = LRUCache(256)
        self._cursor = 0
        self._sort: tuple[str, bool] | None = None  # column key, descending
        self.empty_text = empty_text
        if source is not None:
            self.set_source(source)

    # -- data ---------------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    @property
    def source(self) -> RowSource | None:
        return self._source

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> object | None:
        row = self.row_at(self._cursor) if self._count else None
        return row.key if row is not None else None

    def set_source(self, source: RowSource, *, cursor: int = 0) -> None:
        """Show another set of rows (new filter, search or sort)."""
        self._source = source
        self._reload(cursor)

    def reload(self) -> None:
        """Fetch again from the same source (the data changed), keeping the cursor."""
        if self._source is not None:
            self._reload(self._cursor)

    def refresh_count(self) -> None:
        """The source's count changed (e.g. an exact count replaced an estimate):
        resize the scroll range, keep the pages and the cursor."""
        if self._source is None:
            return
        self._count = max(self._source.count(), 0)
        self._cursor = min(self._cursor, max(self._count - 1, 0))
        self.virtual_size = Size(self.virtual_size.width, self._count + 1)
        self._strips.clear()
        self.refresh()

    def set_columns(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        self._strips.clear()
        self.refresh()

    def set_sort_indicator(self, column_key: str | None, descending: bool = False) -> None:
        """Mark the sorted column's heading with ▲ or ▼."""
        self._sort = (column_key, descending) if column_key else None
        self._strips.clear()
        self.refresh()

    def _reload(self, cursor: int) -> None:
        assert self._source is not None
        self._pages.clear()
        self._strips.clear()
        self._count = max(self._source.count(), 0)
        self._cursor = min(max(cursor, 0), max(self._count - 1, 0))
        self.virtual_size = Size(self.virtual_size.width, self._count + 1)
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_highlight()

    def row_at(self, index: int) -> Row | None:
        """The row at a position, from the page cache or the source."""
        if self._source is None or not 0 <= index < self._count:
            return None
        page, at = divmod(index, self.PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._source.rows(page * self.PAGE_SIZE, self.PAGE_SIZE)
            self._pages[page] = rows
        return rows[at] if at < len(rows) else None

    # -- cursor -------------------------------------------------------------

    @property
    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def move_cursor(self, index: int) -> None:
        if not self._count:
            return
        index = min(max(index, 0), self._count - 1)
        if index == self._cursor:
            return
        old = self._cursor
        self._cursor = index
        self._scroll_cursor_into_view()
        self._refresh_row(old)
        self._refresh_row(index)
        self._post_highlight()

    def move_cursor_to_key(self, key: object, search_limit: int = 2000) -> bool:
        """Put the cursor on the row with `key` if it is among the first rows."""
        for index in range(min(self._count, search_limit)):
            row = self.row_at(index)
            if row is not None and row.key == key:
                self.move_cursor(index)
                return True
        return False

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        height = self._body_height
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False)

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def _post_highlight(self) -> None:
        row = self.row_at(self._cursor)
        if row is not None:
            self.post_message(self.RowHighlighted(self, self._cursor, row))

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - self._body_height)

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + self._body_height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self._count - 1)

    def action_select(self) -> None:
        row = self.row_at(self._cursor)
        if row is not None:
            self.post_message(self.RowSelected(self, self._cursor, row))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_x)
            for placed in self._layout(self._table_width()):
                if placed.x <= x < placed.x + placed.width:
                    self.post_message(self.HeaderSelected(self, placed.column))
            return
        index = round(self.scroll_y) + offset.y - 1
        if not 0 <= index < self._count:
            return
        if index == self._cursor or event.chain > 1:
            self.move_cursor(index)
            self.action_select()
        else:
            self.move_cursor(index)

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.clear()
        self.refresh()

    def _on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    # -- painting -----------------------------------------------------------

    def _table_width(self) -> int:
        return self.scrollable_content_region.width

    def _layout(self, width: int) -> list[_Placed]:
        return place_columns(self._columns, width,
                             keep=self._sort[0] if self._sort is not None else None)

    def _update_virtual_width(self, layout: list[_Placed], width: int) -> None:
        total = layout[-1].x + layout[-1].width + 1 if layout else width
        if total > width and self.virtual_size.width != total:
            self.virtual_size = Size(total, self._count + 1)
        elif total <= width and self.virtual_size.width not in (0, width):
            self.virtual_size = Size(0, self._count + 1)

    def render_line(self, y: int) -> Strip:
        width = self._table_width()
        scroll_x, scroll_y = self.scroll_offset
        layout = self._layout(width)
        self._update_virtual_width(layout, width)
        full = max(width, self.virtual_size.width)
        if y == 0:
            strip = self._cached(("header", full, self._sort),
                                 lambda: self._header_strip(layout, full))
        else:
            index = scroll_y + y - 1
            if index >= self._count:
                if index == 0 and self._count == 0 and self.empty_text:
                    strip = self._text_strip(Text(" " + self.empty_text),
                                             self.get_component_rich_style("virtual-table--empty"),
                                             full)
                else:
                    strip = Strip.blank(full, self.rich_style)
            else:
                cursor = index == self._cursor
                row = self.row_at(index)
                if row is None:
                    strip = Strip.blank(full, self.rich_style)
                else:
                    strip = self._cached(("row", index, cursor, full),
                                         lambda: self._row_strip(row, layout, full, cursor))
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _cached(self, key: tuple, make) -> Strip:  # noqa: ANN001
        strip = self._strips.get(key)
        if strip is None:
            strip = make()
            self._strips[key] = strip
        return strip

    def _text_strip(self, line: Text, style: Style, width: int) -> Strip:
        line = fit_cell(line, width)
        segments = list(line.render(self.app.console))
        return Strip(segments, width).apply_style(self.rich_style + style)

    def _header_strip(self, layout: list[_Placed], width: int) -> Strip:
        line = Text()
        x = 0
        for placed in layout:
            label = placed.column.label
            if self._sort is not None and self._sort[0] == placed.column.key:
                label = f"{label}{'▼' if self._sort[1] else '▲'}"
            line.append(" " * (placed.x - x))
            line.append_text(fit_cell(label, placed.width, placed.column.align))
            x = placed.x + placed.width
        return self._text_strip(line, self.get_component_rich_style("virtual-table--header"),
                                width)

    def _row_strip(self, row: Row, layout: list[_Placed], width: int, cursor: bool) -> Strip:
        style = self.rich_style
        if row.tone in TONES:
            style += self.get_component_rich_style(f"virtual-table--{row.tone}", partial=True)
        if row.span:
            first = layout[0].x if layout else 0
            cells = [(first, width - first, row.cells[0] if row.cells else "", "left")]
        else:
            cells = [(p.x, p.width, row.cells[p.index] if p.index < len(row.cells) else "",
                      p.column.align) for p in layout]
        # Plain strings become segments directly: painting a page of a big list
        # must not go through rich's Text layout for every cell.
        segments: list[Segment] = []
        x = 0
        for at, cell_width, cell, align in cells:
            if at > x:
                segments.append(Segment(" " * (at - x), style))
            if isinstance(cell, Text):
                fitted = fit_cell(cell, cell_width, align)
                console = self.app.console
                # Text.render leaves the text's own base style to the caller.
                cell_style = style + console.get_style(fitted.style) if fitted.style else style
                for segment in fitted.render(console):
                    segments.append(Segment(segment.text, cell_style + segment.style
                                            if segment.style else cell_style))
            else:
                segments.append(Segment(fit_plain(cell, cell_width, align), style))
            x = at + cell_width
        if width > x:
            segments.append(Segment(" " * (width - x), style))
        if cursor:
            # On top of the cells' own colours, so the cursor always shows.
            cursor_style = self.get_component_rich_style("virtual-table--cursor", partial=True)
            segments = [Segment(text, (segment_style or style) + cursor_style)
                        for text, segment_style, _control in segments]
        return Strip(segments, width)
