"""The footer of every screen: Textual's, with the app's main job first, less room
between keys on a narrow terminal, and only the keys that fit whole, so that at 80
columns the key that exports ("^e Xuất tệp") is in sight on every tab and no key is
cut in the middle of its word (every key is in the Keys panel, F1 and the palette)."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Below this width the keys sit closer together (Textual's compact footer).
COMPACT_BELOW = 100


class KeysFooter(Footer):
    """Textual's footer, the keys of FIRST_ACTIONS moved to the front."""

    FIRST_ACTIONS: ClassVar[frozenset[str]] = frozenset({"export", "app.export"})

    async def recompose(self) -> None:
        # Textual composes the footer's keys again whenever the bindings change.
        await super().recompose()
        for key in self._keys():
            if key.action in self.FIRST_ACTIONS:
                self.move_child(key, before=0)
        self.call_after_refresh(self._fit)

    def _keys(self) -> list[FooterKey]:
        return [key for key in self.query_children(FooterKey)
                if not key.has_class("-command-palette")]

    def _fit(self) -> None:
        """Hide the keys that would run past the palette's key, or the edge."""
        palettes = [key for key in self.query_children(FooterKey)
                    if key.has_class("-command-palette")]
        edge = min([key.region.x for key in palettes if key.region.width],
                   default=self.region.right)
        for key in self._keys():
            if key.display and key.region.right > edge:
                key.display = False

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
        for key in self._keys():
            key.display = True
        self.call_after_refresh(self._fit)
