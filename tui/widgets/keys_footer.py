"""The footer of every screen: Textual's, with the app's main job first and help last
(beside the palette's key), less room between keys on a narrow terminal, and only the
keys that fit whole. When not all fit, the keys that matter most on the screen stay:
export and help always, then the ones of IMPORTANT in its order, then the screen's
others in their order, the ones of MINOR last. Every key is in the Keys panel, F1 and
the palette, so a key left out of the footer is still reachable."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Below this width the keys sit closer together (Textual's compact footer).
COMPACT_BELOW = 100

# Binding ids, most important first: the key that opens what is chosen, then the
# next step of the day's work (a new task, entering a result, evidence...).
IMPORTANT: tuple[str, ...] = (
    "tasks.open", "criteria.tasks", "workspace.new-task", "criteria.add",
)
# Binding ids that give way first: said on screen already (the search box), or
# seldom used (an assignment comes once or twice a year).
MINOR: tuple[str, ...] = ("workspace.import", "tasks.search")


class KeysFooter(Footer):
    """Textual's footer, the keys of FIRST_ACTIONS moved to the front and those of
    LAST_ACTIONS to the end; both kept whatever the width."""

    FIRST_ACTIONS: ClassVar[frozenset[str]] = frozenset({"export", "app.export"})
    LAST_ACTIONS: ClassVar[frozenset[str]] = frozenset({"help", "app.help"})

    # What the keys were last composed from (None: not yet).
    _composed_from: tuple | None = None

    async def recompose(self) -> None:
        # Textual composes the footer's keys again whenever the screen's bindings are
        # refreshed (a focus change, a check_action after new data), mostly to the
        # same keys: composing and styling them again cost ~40 ms each time on the
        # review's start (issue 16). Only a change of what is shown composes again.
        if not self.is_attached:  # its screen went before the call came (as Textual's)
            return
        shown = self._shown_keys() if self._bindings_ready else None
        if shown is not None and shown == self._composed_from and self.children:
            return
        self._composed_from = shown
        await super().recompose()
        keys = self._keys()
        for key in keys:
            if key.action in self.LAST_ACTIONS:
                self.move_child(key, after=keys[-1])
        for key in keys:
            if key.action in self.FIRST_ACTIONS:
                self.move_child(key, before=0)
        self.call_after_refresh(self._fit)

    def _shown_keys(self) -> tuple:
        """Everything Footer.compose() takes from the bindings, for each shown key
        (and the palette's), in order."""
        app = self.app
        return (self.show_command_palette, app.ENABLE_COMMAND_PALETTE, tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, binding.show or key == app.COMMAND_PALETTE_BINDING, enabled,
             tooltip, binding.tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING))

    def _keys(self) -> list[FooterKey]:
        return [key for key in self.query_children(FooterKey)
                if not key.has_class("-command-palette")]

    def _binding_id(self, key: FooterKey) -> str | None:
        active = self.screen.active_bindings.get(key.key)
        return active.binding.id if active is not None else None

    def _rank(self, key: FooterKey, place: int) -> tuple[int, int]:
        if key.action in self.FIRST_ACTIONS or key.action in self.LAST_ACTIONS:
            return (0, place)
        binding_id = self._binding_id(key)
        if binding_id in IMPORTANT:
            return (1, IMPORTANT.index(binding_id))
        if binding_id in MINOR:
            return (3, MINOR.index(binding_id))
        return (2, place)

    @staticmethod
    def _width(key: FooterKey) -> int:
        return cell_len(key.render().plain) + key.styles.margin.right

    def _fit(self) -> None:
        """Keep the keys that matter most of those that fit whole before the
        palette's key (or the edge); hide the others."""
        palettes = [key for key in self.query_children(FooterKey)
                    if key.has_class("-command-palette")]
        room = self.size.width - sum(key.outer_size.width for key in palettes
                                     if key.display)
        keys = self._keys()
        ranked = sorted(range(len(keys)), key=lambda place: self._rank(keys[place], place))
        for place in ranked:
            key = keys[place]
            width = self._width(key)
            key.display = width <= room
            if key.display:
                room -= width

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
        self.call_after_refresh(self._fit)
