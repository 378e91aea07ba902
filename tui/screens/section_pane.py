"""What the workspace's tabs share: data comes down in a PaneContext, requests go
up as messages (tui.screens.pane_messages); a tab never reads its screen.

A tab fills itself from its context the first time it is shown, and again when
the screen hands it a new context (after an edit, or when the day changed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.widget import Widget

from tui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from tui.services.workspace import Workspace


@dataclass(frozen=True)
class PaneContext:
    """What a tab needs to fill itself: one unit's database, its current
    assessment (None before one is entered), the day that counts as today, and
    whether the tab may offer edits."""

    workspace: Workspace
    assessment_id: int | None
    today: dt.date
    read_only: bool

    @property
    def editable(self) -> bool:
        return not self.read_only


class SectionPane(Widget):
    """The content of one workspace tab, around its main table.

    A subclass defines load(context, first); it is checked when the subclass is
    defined, so a tab that forgets it fails at import, not when first shown."""

    DEFAULT_CSS: ClassVar[str] = """
    SectionPane {
        width: 1fr;
        height: 1fr;
        layout: vertical;
        overflow: hidden hidden;
    }
    """

    # Fills the tab from the context; first: the screen's first data (focus the table).
    load: Callable[[PaneContext, bool], None]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "load", None)):
            raise TypeError(f"{cls.__name__} must define load(context, first)")

    def __init__(self, context: PaneContext | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.context = context
        self._loaded = False

    @property
    def table(self) -> VirtualTable:
        """The tab's main table (the first one in it)."""
        return self.query_one(VirtualTable)

    def focus_main(self) -> None:
        self.table.focus()

    def set_context(self, context: PaneContext | None) -> None:
        """New data from the screen: the tab reads it again when next shown."""
        self.context = context
        self.invalidate()

    def invalidate(self) -> None:
        """Read again when next shown (what the tab shows has changed)."""
        self._loaded = False

    def show(self, first: bool = False) -> None:
        if self.context is None or self._loaded:
            return
        self._loaded = True
        self.load(self.context, first)
