"""What the workspace's tabs share: each reads its data from the screen's
Workspace the first time it is shown, and again after invalidate()."""

from __future__ import annotations


class SectionPane:
    """Mixin for a tab's container; subclasses define `table` and load()."""

    _loaded = False

    def focus_main(self) -> None:
        self.table.focus()  # type: ignore[attr-defined]

    def invalidate(self) -> None:
        self._loaded = False

    def show(self, first: bool = False) -> None:
        screen = self.screen  # type: ignore[attr-defined]
        if screen.workspace is None or self._loaded:
            return
        self._loaded = True
        self.load(screen, first)

    def load(self, screen, first: bool) -> None:  # noqa: ANN001
        raise NotImplementedError
