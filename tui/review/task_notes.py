"""A unit's task in the review (issue 14, item 3): the commune's task screen, read-only,
with the supervisor's own notes on it below the fields (newest first) and m to write
one. A note waits in the review database until the unit's next assignment file
carries it (or `cchc review assign --notes-only`), and says so.

The review's view is read-only; a note is written on a writable connection of its
own, opened for the one step and closed (as receiving does)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.i18n import _
from tui.screens.form import FIRST_FIELD
from tui.screens.task_detail import TaskScreen
from tui.words import format as fmt
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.assign.tables import ReviewNote
    from tui.services.workspace import Workspace

log = logging.getLogger(__name__)


def notes_text(notes: list[ReviewNote]) -> Text:
    """The notes, newest first, each with when, who and whether it was sent."""
    text = plain(_("Notes go to the unit with its next assignment file."), style="italic")
    if not notes:
        text.append("\n")
        text.append(plain(_("No note yet. Press m to write one.")))
    for note in notes:
        state = (_("waiting for the next assignment file") if note.sent_in is None
                 else _("sent"))
        text.append("\n")
        text.append(plain(f"{fmt.instant(note.at)} · {note.by} · {state}", style="bold"))
        text.append("\n")
        text.append(plain("    " + note.text.replace("\n", "\n    "), lines=True))
    return text


class ReviewTaskScreen(TaskScreen):
    """The task as the unit reported it, and the supervisor's notes on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "write_note", _("Write a note"), id="review.task.note"),
    ]

    def __init__(self, workspace: Workspace, task_id: int, unit_code: str) -> None:
        super().__init__(workspace, task_id, read_only=True)
        self.unit_code = unit_code
        self.task_uid: str | None = None

    async def on_mount(self) -> None:
        """Before the task screen's own (Textual runs both, this one first), which
        loads the task and so the notes."""
        body = self.query_one("#task-body")
        await body.mount(Static(_("Supervisor's notes"), classes="section-title",
                                id="review-notes-title"),
                         Static("", id="review-notes"), after="#task-fields")

    def load(self) -> None:
        from sqlalchemy import select

        from store.assign.notes import notes_of_task
        from store.models import Task

        super().load()
        if not self.query("#review-notes"):
            return  # the notes' lines mount after the first load
        with self.workspace.db.read() as session:
            self.task_uid = session.execute(select(Task.uid).where(
                Task.id == self.task_id)).scalar()
            notes = (notes_of_task(session, self.unit_code, self.task_uid)
                     if self.task_uid else [])
        self.query_one("#review-notes-title", Static).update(
            plain(_("Supervisor's notes ({n})").format(n=len(notes))))
        self.query_one("#review-notes", Static).update(notes_text(notes))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write_note":
            return self.task_uid is not None and not self.app.context.read_only  # type: ignore[attr-defined]
        return super().check_action(action, parameters)

    def action_write_note(self) -> None:
        context = self.app.context  # type: ignore[attr-defined]
        if self.task_uid is None or context.read_only:
            return

        def written(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.keep_note(*result)

        self.app.push_screen(NoteDialog(context.config.officer.name), written)

    @work(thread=True, exclusive=True, group="review-note")
    def keep_note(self, text: str, by: str) -> None:
        from store.assign.notes import add_note
        from store.errors import EditRefused
        from store.review import close_after_receiving, open_review_for_receiving
        from tui.words.edits import edit_refusal

        context = self.app.context  # type: ignore[attr-defined]
        assert self.task_uid is not None
        try:
            db = open_review_for_receiving(self.app.review_db_path,  # type: ignore[attr-defined]
                                           context.locations.backups_dir)
            try:
                with db.write() as session:
                    add_note(session, self.unit_code, self.task_uid, text, by=by)
            finally:
                close_after_receiving(db)
        except EditRefused as refused:
            self.app.call_from_thread(self.notify, _("The note was not kept: {reason}").format(
                reason=edit_refusal(refused)), severity="error", timeout=15)
            return
        except Exception as error:  # shown in words, logged in full
            log.exception("keeping a note failed")
            self.app.call_from_thread(self.notify, _(
                "The note was not kept: {reason}").format(reason=error), severity="error",
                timeout=20)
            return
        self.app.call_from_thread(self._note_kept)

    def _note_kept(self) -> None:
        self.notify(_("Note kept; it goes with the unit's next assignment file."), timeout=8)
        self.load()


class NoteDialog(ModalScreen[tuple[str, str] | None]):
    """The note's text and who writes it (the officer of the settings by default)."""

    AUTO_FOCUS = FIRST_FIELD
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", _("Keep the note"), id="review.note.keep"),
        Binding("escape", "cancel", _("Cancel"), id="review.note.cancel"),
    ]

    def __init__(self, by: str) -> None:
        super().__init__()
        self.by = by

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(_("A note on this task"), classes="title")
            yield Label(_("Note (e.g. “thiếu tài liệu kiểm chứng”):"))
            yield TextArea("", soft_wrap=True, id="note-text", classes="text-box")
            yield Label(_("Written by:"))
            yield Input(self.by, id="note-by")
            yield Static("", id="note-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Keep the note"), variant="primary", id="note-keep")
                yield Button(_("Cancel"), id="note-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "note-keep":
            self.action_keep()
        else:
            self.action_cancel()

    def action_keep(self) -> None:
        text = self.query_one("#note-text", TextArea).text
        by = self.query_one("#note-by", Input).value
        if not text.strip():
            self.query_one("#note-error", Static).update(plain(_("Write the note first.")))
            return
        if not by.strip():
            self.query_one("#note-error", Static).update(plain(_("Say who writes it.")))
            return
        self.dismiss((text, by.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
