"""Horizontal bar charts drawn with block characters (eighths of a cell): a
picture, with the figure at the end of each bar. One drawing for the commune's
points lost per domain (the BarChart widget) and the review's overview charts
(chart_lines, in one or two columns)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.widgets.virtual_table import fit_cell

EIGHTHS = " ▏▎▍▌▋▊▉"
COLUMN_GAP = " │ "


class Bar(NamedTuple):
    label: str
    value: float
    text: str  # the value in words, at the end of the bar


def bar(value: float, largest: float, width: int) -> str:
    """A bar `width` cells long at most, in eighths of a cell; any value above
    zero shows at least an eighth."""
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(round(value / largest * width * 8), 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def chart_lines(bars: Sequence[Bar], width: int, *, max_rows: int | None = None,
                bar_style: Style | str = "", label_style: Style | str = "") -> list[Text]:
    """The chart in lines of at most `width` cells: label, bar, figure. More bars
    than max_rows go side by side in two columns, read down the first."""
    if not bars or width < 10:
        return []
    columns = 2 if max_rows is not None and len(bars) > max_rows else 1
    column_width = (width - len(COLUMN_GAP) * (columns - 1)) // columns
    label_width = min(max(len(b.label) for b in bars), max(column_width // 2, 4))
    value_width = max(len(b.text) for b in bars)
    bar_width = max(column_width - label_width - value_width - 2, 1)
    largest = max(b.value for b in bars)
    cells = []
    for label, value, text in bars:
        cell = fit_cell(label, label_width)
        cell.stylize(label_style)
        cell.append(" ")
        drawn = bar(value, largest, bar_width)
        cell.append(drawn, style=bar_style)
        cell.append(" " * (bar_width - len(drawn) + 1))
        cell.append(text.rjust(value_width))
        cells.append(cell)
    rows = -(-len(cells) // columns)
    return [Text(COLUMN_GAP).join(cells[row::rows]) for row in range(rows)]


class BarChart(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"bar-chart--bar", "bar-chart--label"}

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        & > .bar-chart--bar { color: $text-error; }
        & > .bar-chart--label { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bars: list[Bar] = []

    def set_bars(self, bars: Sequence[Bar]) -> None:
        """The bars, top to bottom."""
        self._bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return max(len(self._bars), 1)

    def render(self) -> Text:
        return Text("\n").join(chart_lines(
            self._bars, self.content_size.width,
            bar_style=self.get_component_rich_style("bar-chart--bar", partial=True),
            label_style=self.get_component_rich_style("bar-chart--label", partial=True)))
