"""A horizontal bar chart drawn with block characters (eighths of a cell), for
points lost per domain: a picture, with the figure at the end of each bar."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from tui.widgets.virtual_table import fit_cell

EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, largest: float, width: int) -> str:
    """A bar `width` cells long at most, in eighths of a cell."""
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(round(value / largest * width * 8), 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


class BarChart(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"bar-chart--bar", "bar-chart--label"}

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        & > .bar-chart--bar { color: $text-error; }
        & > .bar-chart--label { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._bars: list[tuple[str, float, str]] = []

    def set_bars(self, bars: list[tuple[str, float, str]]) -> None:
        """(label, value, value as words) for each bar, top to bottom."""
        self._bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return max(len(self._bars), 1)

    def render(self) -> Text:
        width = self.content_size.width
        if not self._bars or width < 10:
            return Text("")
        label_width = min(max(len(label) for label, _v, _t in self._bars), max(width // 2, 4))
        value_width = max(len(text) for _l, _v, text in self._bars)
        bar_width = max(width - label_width - value_width - 2, 1)
        largest = max(value for _l, value, _t in self._bars)
        bar_style = self.get_component_rich_style("bar-chart--bar", partial=True)
        label_style = self.get_component_rich_style("bar-chart--label", partial=True)
        lines = []
        for label, value, text in self._bars:
            line = fit_cell(label, label_width)
            line.stylize(label_style)
            line.append(" ")
            drawn = bar(value, largest, bar_width)
            line.append(drawn, style=bar_style)
            line.append(" " * (bar_width - len(drawn) + 1))
            line.append(text.rjust(value_width))
            lines.append(line)
        return Text("\n").join(lines)
