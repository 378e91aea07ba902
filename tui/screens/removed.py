"""The list of what was removed (tasks, criteria, evidence, assessments): when, what
and by whom, newest first, from the database's removal record (store.models
.Removal). It only reads: no key on it changes anything."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt, labels
from tui.words.plain import plain, plain_lines

if TYPE_CHECKING:
    from store.models import Removal
    from tui.services.workspace import Workspace

# The most the list reads (a commune removes a few things a year).
SHOWN_AT_MOST = 500


def removal_row(removal: Removal) -> Row:
    return Row(removal.id, [fmt.instant(removal.at), labels.removal_kind(removal.kind),
                            removal.label, removal.by or "—"])


class RemovedScreen(Screen[None]):
    """What was removed from the unit's data, read-only."""

    DEFAULT_CSS: ClassVar[str] = """
    RemovedScreen #removed-intro { padding: 0 1; height: auto; color: $text-muted; }
    RemovedScreen #removed-table { height: 1fr; }
    RemovedScreen #removed-detail { padding: 0 1; height: auto; max-height: 4;
                                    background: $panel; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Back"), id="removed.back"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._found: dict[int | None, Removal] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="removed-intro")
        yield VirtualTable([
            Column("at", _("Time"), width=16),
            Column("kind", _("Kind"), width=19, min_table_width=70),
            Column("label", _("What"), fr=3, min_width=20),
            Column("by", _("Removed by"), fr=1, min_width=10),
        ], empty_text=_("Nothing was removed."), id="removed-table")
        # The highlighted removal in full (its columns cut on a narrow screen).
        yield Static(id="removed-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Removed items")
        self.load()
        self.query_one("#removed-table").focus()

    def on_screen_resume(self) -> None:
        self.load()  # an undo (Ctrl+Z) may have taken a removal back

    def load(self) -> None:
        from store.write.removals import removals

        with self.workspace.db.read() as session:
            found = removals(session, limit=SHOWN_AT_MOST)
        intro = _("What was removed, newest first. This list only shows; Ctrl+Z takes "
                  "back the last edit of this session, and the backups (Ctrl+B) hold the "
                  "data as it was before.")
        if len(found) >= SHOWN_AT_MOST:
            intro += " " + _("The latest {n} are shown.").format(n=SHOWN_AT_MOST)
        self.query_one("#removed-intro", Static).update(plain(intro))
        self._found = {removal.id: removal for removal in found}
        self.query_one(VirtualTable).set_source(ListSource([removal_row(r) for r in found]))
        detail = self.query_one("#removed-detail", Static)
        detail.display = bool(found)
        if found:
            self._tell(found[0])

    def _tell(self, removal: Removal) -> None:
        self.query_one("#removed-detail", Static).update(plain_lines([
            f"{labels.removal_kind(removal.kind)}: {removal.label}",
            " · ".join([fmt.instant(removal.at), removal.by or "—"])]))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        event.stop()
        removal = self._found.get(event.key)  # type: ignore[arg-type]
        if removal is not None:
            self._tell(removal)

    def action_close(self) -> None:
        self.dismiss()
