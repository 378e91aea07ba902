"""One task: what it remedies, its state, its evidence and its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.screens.pane_messages import EvidenceRemovalAsked
from tui.widgets.task_rows import ASSIGNED_MARK, OVERDUE_MARK, SOON_MARK, WITHDRAWN_MARK
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt, labels
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.assign.tables import SupervisorNote
    from store.causes import CriterionCause
    from store.read.task_detail import ChangeRow, EvidenceRow, TaskDetail
    from tui.services.workspace import Workspace


def change_value(field: str, value: str | None) -> str:
    from store.causes import CAUSE_KIND_FIELD, split_history_field

    if value is None or value == "":
        return "—"
    if split_history_field(field)[0] == CAUSE_KIND_FIELD:
        return labels.cause_kind(value)
    if field == "status":
        return labels.status(value)
    if field in ("due", "done_on", "withdrawn"):
        try:
            return fmt.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if field == "progress":
        return f"{value}%"
    return value


def notes_text(notes: Sequence[SupervisorNote]) -> Text:
    """The supervisor's notes on the task, newest first (as given): when, who, what."""
    if not notes:
        return Text(_("No note from the supervisor."), style="italic")
    text = Text()
    for n, note in enumerate(notes):
        if n:
            text.append("\n")
        text.append(plain(f"{fmt.instant(note.at)} · {note.by}", style="bold"))
        text.append("\n")
        text.append(plain("    " + note.text.replace("\n", "\n    "), lines=True))
    return text


def history_row(n: int, change: ChangeRow) -> Row:
    if change.field == "created":
        what = change_value("title", change.new)
    else:
        what = (f"{change_value(change.field, change.old)} → "
                f"{change_value(change.field, change.new)}")
    return Row(n, (fmt.instant(change.at), change.by or "—", labels.task_field(change.field), what))


def evidence_row(evidence: EvidenceRow) -> Row:
    file = (f"{evidence.file_name} ({fmt.file_size(evidence.file_size)})"
            if evidence.file_name else "—")
    return Row(evidence.id, (evidence.number or "—", fmt.date(evidence.date), evidence.title,
                             evidence.issuer or "—", evidence.locator or "—", file))


class EvidenceTable(VirtualTable):
    """A task's evidence; when editable, Enter edits the highlighted piece and
    Delete asks the screen to remove it (EvidenceRemovalAsked)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("Edit evidence"), id="evidence.edit"),
        Binding("delete", "remove", _("Remove evidence"), id="evidence.remove"),
    ]

    def __init__(self, columns: Sequence[Column], *, editable: bool, empty_text: str = "",
                 id: str | None = None) -> None:
        super().__init__(columns, empty_text=empty_text, id=id)
        self.editable = editable

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select", "remove"):
            return self.editable and self.cursor_key is not None
        return True

    def action_remove(self) -> None:
        key = self.cursor_key
        if self.editable and isinstance(key, int):
            self.post_message(EvidenceRemovalAsked(key))


class TaskScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="task.back"),
        Binding("e", "edit", _("Edit"), id="task.edit"),
        Binding("a", "add_evidence", _("Add evidence"), id="task.add-evidence"),
        Binding("question_mark", "app.help", _("Help"), show=False, id="task.help"),
    ]

    def __init__(self, workspace: Workspace, task_id: int, *, read_only: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.task_id = task_id
        self.read_only = read_only or not workspace.editable
        self.detail: TaskDetail | None = None

    @property
    def editable(self) -> bool:
        return not self.read_only and self.detail is not None

    def compose(self) -> ComposeResult:
        yield Header()
        if self.read_only:
            yield Static(_("READ ONLY"), id="read-only-marker")
        with VerticalScroll(id="task-body"):
            yield Static("", id="task-head")
            yield Static("", id="task-fields")
            yield Static("", id="notes-title", classes="section-title")
            yield Static("", id="task-notes")
            yield Static("", id="evidence-title", classes="section-title")
            yield EvidenceTable([
                Column("number", _("Number"), width=12),
                Column("date", _("Date"), width=10),
                Column("title", _("Document"), fr=2, min_width=16),
                Column("issuer", _("Issued by"), width=16, min_table_width=110),
                Column("locator", _("Page/section"), width=14, min_table_width=130),
                # The file is what shows the evidence exists: kept at 80 columns.
                Column("file", _("File"), fr=1, min_width=14),
            ], editable=not self.read_only, empty_text=_("No evidence yet."),
                id="evidence-table")
            yield Static(_("History"), classes="section-title")
            yield VirtualTable([
                Column("at", _("Time"), width=16),
                # Who and what give way to the change itself on a narrow screen.
                Column("by", _("Who"), fr=2, min_width=12),
                Column("field", _("What"), fr=2, min_width=12),
                # A status change in words, "Chưa thực hiện → Đang thực hiện", whole.
                Column("change", _("Change"), fr=5, min_width=31),
            ], empty_text=_("No change recorded."), id="history-table")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#task-body").focus()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        from store.assign.held import issuer_name, supervisor_notes
        from store.clock import today
        from store.read.criteria import criterion_causes
        from store.read.task_detail import task_detail

        issuer = None
        notes: list[SupervisorNote] = []
        with self.workspace.db.read() as session:
            self.detail = task_detail(session, self.task_id)
            causes = criterion_causes(session, [c.id for c in self.detail.criteria]
                                      ) if self.detail else {}
            if self.detail is not None:
                notes = supervisor_notes(session, self.task_id)
                if self.detail.assigned_by:
                    issuer = issuer_name(session, self.detail.assigned_by)
        detail = self.detail
        if detail is None:
            self.query_one("#task-head", Static).update(_("This task no longer exists."))
            return
        self.sub_title = detail.title
        self.query_one("#task-head", Static).update(self._head(detail, causes))
        self.query_one("#task-fields", Static).update(self._fields(detail, today(), issuer))
        shown = bool(notes) or bool(detail.assigned_by)
        self.query_one("#notes-title", Static).update(
            plain(_("Supervisor's notes ({n})").format(n=len(notes))) if shown else "")
        self.query_one("#task-notes", Static).update(notes_text(notes) if shown else "")
        self.query_one("#notes-title").display = shown
        self.query_one("#task-notes").display = shown
        self.query_one("#evidence-title", Static).update(
            plain(_("Evidence ({n})").format(n=len(detail.evidence))))
        evidence = self.query_one("#evidence-table", EvidenceTable)
        evidence.set_source(ListSource([evidence_row(e) for e in detail.evidence]),
                            cursor=evidence.cursor_row)
        evidence.styles.height = min(len(detail.evidence), 8) + 2
        history = self.query_one("#history-table", VirtualTable)
        history.set_source(ListSource([history_row(n, c) for n, c in enumerate(detail.history)]))
        history.styles.height = min(len(detail.history), 12) + 2
        self.refresh_bindings()

    @staticmethod
    def _head(detail: TaskDetail, causes: dict[int, CriterionCause]) -> Text:
        text = plain(detail.title, style="bold")
        for criterion in detail.criteria:
            text.append("\n")
            text.append(plain(f"{criterion.code} {criterion.title}"))
            if criterion.points_lost:
                text.append(plain(" · " + _("{points} points lost").format(
                    points=fmt.points(criterion.points_lost))))
            if criterion.finding:
                text.append("\n")
                text.append(plain("    " + criterion.finding.replace("\n", "\n    "),
                                  lines=True, style="italic"))
            cause = causes.get(criterion.id)
            if cause is not None and cause.cause:
                text.append("\n")
                text.append(plain("    " + _("Cause ({kind}): {cause}").format(
                    kind=labels.cause_kind(cause.cause_kind),
                    cause=cause.cause.replace("\n", "\n    ")), lines=True))
        if not detail.criteria:
            text.append("\n" + _("A reporting duty (no criterion)."), style="italic")
        return text

    @staticmethod
    def _fields(detail: TaskDetail, today: dt.date, issuer: str | None = None) -> Table:
        from store.clock import to_local

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        status = labels.status(detail.status)
        if detail.withdrawn_at is not None:
            status = f"{WITHDRAWN_MARK} " + _("{status} · withdrawn by the supervisor on "
                                              "{date}").format(
                status=status, date=fmt.date(to_local(detail.withdrawn_at).date()))
        elif detail.overdue(today):
            status = f"{OVERDUE_MARK} {status} · {fmt.days_left(detail.due, today)}"
        grid.add_row(_("Status"), plain(status))
        if detail.assigned_by:
            grid.add_row(_("Assigned by"), plain(
                f"{ASSIGNED_MARK} {issuer} ({detail.assigned_by})" if issuer
                else f"{ASSIGNED_MARK} {detail.assigned_by}"))
        if detail.lead:
            grid.add_row(_("Lead body"), plain(detail.lead))
        filled = round(detail.progress / 5)
        grid.add_row(_("Progress"), plain(f"{'█' * filled}{'░' * (20 - filled)} "
                                          f"{fmt.percent(detail.progress)}"))
        grid.add_row(_("Official in charge"), plain(detail.owner or "—"))
        due = fmt.date(detail.due)
        if detail.due and detail.is_open:
            marker = f"{SOON_MARK} " if detail.due_soon(today) else ""
            due += f" ({marker}{fmt.days_left(detail.due, today)})"
        grid.add_row(_("Deadline"), plain(due))
        if detail.done_on:
            grid.add_row(_("Completed on"), plain(fmt.date(detail.done_on)))
        grid.add_row(_("Points at stake"), plain(fmt.points(detail.points_at_stake)))
        grid.add_row(_("What to do"), plain(detail.detail or "—", lines=True))
        grid.add_row(_("Result"), plain(detail.result or "—", lines=True))
        return grid

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "add_evidence"):
            return self.editable
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from tui.screens.task_form import TaskForm

        if self.editable and self.detail is not None:
            self.app.push_screen(TaskForm(self.workspace, self.detail.assessment_id,
                                          self.task_id), self._saved)

    def _saved(self, result: object) -> None:
        if result is not None:
            self.notify(_("Saved."))

    def action_add_evidence(self) -> None:
        from tui.screens.evidence_form import EvidenceForm

        if self.editable:
            self.app.push_screen(EvidenceForm(self.workspace, self.task_id), self._saved)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        from tui.screens.evidence_form import EvidenceForm

        event.stop()
        if event.table.id != "evidence-table" or not self.editable or self.detail is None:
            return
        evidence = next((e for e in self.detail.evidence if e.id == event.key), None)
        if evidence is not None:
            self.app.push_screen(EvidenceForm(self.workspace, self.task_id, evidence),
                                 self._saved)

    def on_evidence_removal_asked(self, message: EvidenceRemovalAsked) -> None:
        from tui.screens.dialogs import ConfirmDialog

        message.stop()
        if not self.editable or self.detail is None:
            return
        evidence = next((e for e in self.detail.evidence if e.id == message.evidence_id), None)
        if evidence is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(evidence.id)

        self.app.push_screen(ConfirmDialog(_("Remove the evidence \"{title}\" from this "
                                             "task? The file itself is not touched.").format(
            title=evidence.title), yes=_("Remove")), answered)

    def _remove(self, evidence_id: int) -> None:
        from store.write.evidence import remove_evidence
        from tui.words.errors import save_failure

        try:
            with self.workspace.db.write() as session:
                remove_evidence(session, evidence_id, by=self.workspace.officer)
        except Exception as error:  # noqa: BLE001 - shown in words
            self.notify(save_failure(error), severity="error")
            return
        self.notify(_("The evidence was removed."))
        self.load()
