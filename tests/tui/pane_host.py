"""A bare App around one workspace tab: no WorkspaceScreen for the tab to read,
and every message it posts for its screen recorded where it arrives."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message

from tui.screens.pane_messages import BundleChosen, CriterionChosen, TaskChosen
from tui.screens.section_pane import SectionPane


class PaneHost(App[None]):
    def __init__(self, pane: SectionPane) -> None:
        super().__init__()
        self.pane = pane
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.pane

    def on_mount(self) -> None:
        self.pane.show(first=True)
        self.pane.focus_main()

    @on(TaskChosen)
    @on(CriterionChosen)
    @on(BundleChosen)
    def record(self, message: Message) -> None:
        self.received.append(message)


async def settle(app: App, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()
