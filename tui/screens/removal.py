"""Removing something after a confirmation, as one undoable edit: the task, a
criterion and the assessment are removed this way (the evidence too, from the
task's screen)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.services.workspace import Workspace

log = logging.getLogger(__name__)


def remove_after_confirming(node: DOMNode, workspace: Workspace, question: str, label: str,
                            work: Callable[[Any], None], done: str,
                            after: Callable[[], None] | None = None) -> None:
    """Ask `question`; on yes run work(session) as the edit `label`, then say
    `done` (and that Ctrl+Z takes it back) and call `after`. A refusal or a failure
    is told, nothing is changed."""
    from tui.screens.dialogs import ConfirmDialog

    def answered(yes: bool | None) -> None:
        from store.errors import EditRefused
        from tui.words.edits import edit_refusal
        from tui.words.errors import save_failure

        if not yes:
            return
        try:
            with workspace.edit(label) as session:
                work(session)
        except EditRefused as error:
            node.notify(edit_refusal(error), severity="error")
            return
        except Exception as error:
            log.exception("removing failed")
            node.notify(save_failure(error), severity="error")
            return
        node.notify(done + " " + _("Ctrl+Z takes it back."))
        if after is not None:
            after()

    node.app.push_screen(ConfirmDialog(question, yes=_("Remove")), answered)
