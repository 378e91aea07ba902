"""What the workspace's tabs share: each reads its data from the screen's
Workspace the first time it is shown, and again after invalidate()."""

from __future__ import annotations


class SectionPane:
    """Mixin for a tab's container; subclasses define `table` and
    load(screen, first), which fills the tab from screen.workspace."""

    def __init_subclass__(cls, **kwargs) -> None:  # noqa: ANN003
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "load", None)):
            raise TypeError(f"{cls.__name__} must define load(screen, first)")

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
        self.load(screen, first)  # type: ignore[attr-defined]
