"""One task: what it remedies, its state, its evidence and its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.screens.pane_messages import EvidenceRemovalAsked
from tui.widgets.task_rows import (ASSIGNED_MARK, FILE_PROBLEM_MARK, OVERDUE_MARK, SOON_MARK,
                                     WITHDRAWN_MARK)
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt, labels
from tui.words.plain import plain

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from store.assign.tables import SupervisorNote
    from store.causes import CriterionCause
    from store.read.task_detail import ChangeRow, EvidenceRow, TaskDetail
    from store.workdays import WorkCalendar
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


def file_state_words(state: str) -> str:
    """What became of a recorded evidence file (store.evidence_files)."""
    from store.evidence_files import FILE_CHANGED, FILE_MISSING

    return {FILE_MISSING: _("missing"), FILE_CHANGED: _("changed")}.get(state, "")


def evidence_row(evidence: EvidenceRow, state: str = "ok", kept: bool = False) -> Row:
    file = (f"{evidence.file_name} ({fmt.file_size(evidence.file_size)})"
            if evidence.file_name else "—")
    if state != "ok":
        file = f"{FILE_PROBLEM_MARK} {file_state_words(state)}: {file}"
    if kept:
        file += " · " + _("copy kept")
    return Row(evidence.id, (evidence.number or "—", fmt.date(evidence.date), evidence.title,
                             evidence.issuer or "—", evidence.locator or "—", file))


class EvidenceTable(VirtualTable):
    """A task's evidence; when editable, Enter edits the highlighted piece and
    Delete asks the screen to remove it (EvidenceRemovalAsked)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("Edit evidence"), id="evidence.edit"),
        Binding("delete", "remove", _("Remove evidence"), id="evidence.remove"),
        Binding("k", "file('keep')", _("Keep a copy"), id="evidence.keep-copy"),
        Binding("o", "file('open')", _("Open the file"), id="evidence.open"),
    ]

    class FileAsked(Message):
        """k or o on a piece of evidence: the task's screen keeps a copy of its file
        or opens it."""

        def __init__(self, evidence_id: int, what: str) -> None:
            super().__init__()
            self.evidence_id = evidence_id
            self.what = what  # "keep" | "open"

    def __init__(self, columns: Sequence[Column], *, editable: bool, empty_text: str = "",
                 id: str | None = None) -> None:
        super().__init__(columns, empty_text=empty_text, id=id)
        self.editable = editable

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select", "remove"):
            return self.editable and self.cursor_key is not None
        if action == "file":
            return self.cursor_key is not None and (
                self.editable or parameters != ("keep",))
        return True

    def action_file(self, what: str) -> None:
        key = self.cursor_key
        if isinstance(key, int):
            self.post_message(self.FileAsked(key, what))

    def action_remove(self) -> None:
        key = self.cursor_key
        if self.editable and isinstance(key, int):
            self.post_message(EvidenceRemovalAsked(key))


class TaskScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="task.back"),
        Binding("e", "edit", _("Edit"), id="task.edit"),
        Binding("a", "add_evidence", _("Add evidence"), id="task.add-evidence"),
        Binding("x", "remove_task", _("Remove task"), show=False, id="task.remove"),
        Binding("question_mark", "app.help", _("Help"), show=False, id="task.help"),
    ]

    def __init__(self, workspace: Workspace, task_id: int, *, read_only: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.task_id = task_id
        self.read_only = read_only or not workspace.editable
        self.detail: TaskDetail | None = None
        self._copying: set[int] = set()  # evidence ids being copied into the store (k)

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
            self.detail = task_detail(session, self.task_id,
                                      withdrawn=self.workspace.withdrawn_task_ids)
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
        self.query_one("#task-fields", Static).update(
            self._fields(detail, today(), self.workspace.work_calendar, issuer))
        shown = bool(notes) or bool(detail.assigned_by)
        self.query_one("#notes-title", Static).update(
            plain(_("Supervisor's notes ({n})").format(n=len(notes))) if shown else "")
        self.query_one("#task-notes", Static).update(notes_text(notes) if shown else "")
        self.query_one("#notes-title").display = shown
        self.query_one("#task-notes").display = shown
        # What is known of the files without reading them now; the hashes the
        # checker has not made yet are made in a worker, the marks shown when done.
        checker = self.workspace.evidence_files
        states = {e.id: checker.known_state(e.file_path, e.file_sha256, e.file_size)
                  for e in detail.evidence}
        self._show_evidence(detail, states)
        if None in states.values():
            self._check_files(detail)
        history = self.query_one("#history-table", VirtualTable)
        history.set_source(ListSource([history_row(n, c) for n, c in enumerate(detail.history)]))
        history.styles.height = min(len(detail.history), 12) + 2
        self.refresh_bindings()

    def _show_evidence(self, detail: TaskDetail, states: dict[int, str | None]) -> None:
        """The evidence's title and rows, each file marked by its state (None: not
        checked yet, no mark)."""
        from store.evidence_files import FILE_OK, kept_copy

        store_dir = self.workspace.evidence_dir
        problems = sum(state not in (FILE_OK, None) for state in states.values())
        title = _("Evidence ({n})").format(n=len(detail.evidence))
        if problems:
            title += " · " + FILE_PROBLEM_MARK + " " + _(
                "{n} file missing or changed since it was recorded").format(n=problems)
        self.query_one("#evidence-title", Static).update(plain(title))
        evidence = self.query_one("#evidence-table", EvidenceTable)
        evidence.set_source(ListSource([
            evidence_row(e, states[e.id] or FILE_OK, store_dir is not None and kept_copy(
                store_dir, e.file_sha256, e.file_name) is not None)
            for e in detail.evidence]), cursor=evidence.cursor_row)
        evidence.styles.height = min(len(detail.evidence), 8) + 2

    @work(thread=True, exclusive=True, group="task-evidence-files")
    def _check_files(self, detail: TaskDetail) -> None:
        """Hash the evidence files (seconds for a large one) off the UI thread."""
        checker = self.workspace.evidence_files
        states: dict[int, str | None] = {}
        for e in detail.evidence:
            if get_current_worker().is_cancelled:
                return
            states[e.id] = checker.state(e.file_path, e.file_sha256, e.file_size)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._files_checked, detail, states)

    def _files_checked(self, detail: TaskDetail, states: dict[int, str | None]) -> None:
        if detail is self.detail:  # not read again meanwhile
            self._show_evidence(detail, states)

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
    def _fields(detail: TaskDetail, today: dt.date, calendar: WorkCalendar,
                issuer: str | None = None) -> Table:
        from store.clock import to_local

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        status = labels.status(detail.status)
        if detail.withdrawn_at is not None:
            status = f"{WITHDRAWN_MARK} " + _("{status} · withdrawn by the supervisor on "
                                              "{date}").format(
                status=status, date=fmt.date(to_local(detail.withdrawn_at).date()))
        elif detail.withdrawn:  # a review's: the day is in the assignments, not the row
            status = f"{WITHDRAWN_MARK} " + _("{status} · withdrawn by the supervisor").format(
                status=status)
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
            left = fmt.days_left(detail.due, today)
            working = fmt.working_days_left(detail.due, today, calendar)
            due += f" ({marker}{left})" + (f" · {working}" if working else "")
        off = fmt.day_off(calendar.day_off(detail.due)) if detail.due else ""
        if off:
            due += " · " + _("falls on a day off ({why})").format(why=off)
        grid.add_row(_("Deadline"), plain(due))
        if detail.done_on:
            grid.add_row(_("Completed on"), plain(fmt.date(detail.done_on)))
        grid.add_row(_("Points at stake"), plain(fmt.points(detail.points_at_stake)))
        grid.add_row(_("What to do"), plain(detail.detail or "—", lines=True))
        grid.add_row(_("Result"), plain(detail.result or "—", lines=True))
        return grid

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "add_evidence", "remove_task"):
            return self.editable
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_remove_task(self) -> None:
        from store.write.removals import remove_task
        from tui.screens.removal import remove_after_confirming

        detail = self.detail
        if not self.editable or detail is None:
            return
        remove_after_confirming(
            self, self.workspace,
            _("Remove the task \"{title}\" with its evidence and history?").format(
                title=detail.title),
            _("Remove task"),
            lambda session: remove_task(session, self.task_id, by=self.workspace.officer),
            _("The task was removed."), after=self.dismiss)

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

    def on_evidence_table_file_asked(self, message: EvidenceTable.FileAsked) -> None:
        from tui.screens.evidence_files import open_evidence_file

        message.stop()
        evidence = next((e for e in (self.detail.evidence if self.detail else ())
                         if e.id == message.evidence_id), None)
        if evidence is None:
            return
        if message.what == "keep" and self.editable:
            if evidence.id not in self._copying:  # a second k while it copies: one copy
                self._copying.add(evidence.id)
                self.notify(_("Keeping a copy of {name}…").format(name=evidence.file_name))
                self._keep_copy(evidence)
        elif message.what == "open":
            state = self.workspace.evidence_files.known_state(
                evidence.file_path, evidence.file_sha256, evidence.file_size)
            if state is None:
                self._open_when_checked(evidence)
            else:
                open_evidence_file(self, self.workspace, evidence, state)

    @work(thread=True, group="evidence-keep")
    def _keep_copy(self, evidence: EvidenceRow) -> None:
        """k: copy the file into the store here (it streams up to 512 MiB), the
        screen usable meanwhile; the result is notified even if the screen was left."""
        from tui.screens.evidence_files import keep_copy_of

        words, severity, kept = keep_copy_of(self.workspace, evidence)
        self.app.call_from_thread(self._copy_kept, evidence.id, words, severity, kept)

    def _copy_kept(self, evidence_id: int, words: str, severity: SeverityLevel,
                   kept: bool) -> None:
        self._copying.discard(evidence_id)
        self.app.notify(words, severity=severity)
        if kept and self.is_attached:
            self.load()

    @work(thread=True, group="evidence-open")
    def _open_when_checked(self, evidence: EvidenceRow) -> None:
        """o on a file not hashed yet: hash it here, then open it (or its copy)."""
        from tui.screens.evidence_files import open_evidence_file

        state = self.workspace.evidence_files.state(evidence.file_path, evidence.file_sha256,
                                                    evidence.file_size)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(open_evidence_file, self, self.workspace, evidence, state)

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
            with self.workspace.edit(_("Remove evidence")) as session:
                remove_evidence(session, evidence_id, by=self.workspace.officer)
        except Exception as error:  # noqa: BLE001 - shown in words
            self.notify(save_failure(error), severity="error")
            return
        self.notify(_("The evidence was removed."))
        self.load()
