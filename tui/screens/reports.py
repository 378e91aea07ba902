"""Reports: the unit's official documents. What each will hold (and what is still
missing), where it goes (the export folder by default), writing it without ever
replacing a file unasked, and opening it with the system's program."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Header,
    Input,
    Label,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from tui.app import commune_app
from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.screens.form import FormScreen
from tui.words.plain import plain

log = logging.getLogger(__name__)


class ReplaceDialog(ModalScreen["str | None"]):
    """A file of that name exists: "replace", "keep" (write beside it under a new
    name) or None (cancel)."""

    DEFAULT_CSS = "ReplaceDialog { align: center middle; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", _("Cancel"), id="replace.cancel"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(plain(_("{file} already exists in {folder}.").format(
                file=self.path.name, folder=self.path.parent)))
            with Horizontal(classes="buttons"):
                yield Button(_("Keep both"), variant="primary", id="replace-keep")
                yield Button(_("Replace"), variant="error", id="replace-replace")
                yield Button(_("Cancel"), id="replace-cancel")

    def on_mount(self) -> None:
        self.query_one("#replace-keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"replace-keep": "keep", "replace-replace": "replace"}.get(
            event.button.id or ""))


class DraftsForm(FormScreen[bool]):
    """The sections of a document the unit writes itself. Dismisses with True once
    saved."""

    def __init__(self, workspace, assessment_id: int, document: str) -> None:  # noqa: ANN001
        from store.report.drafts import drafts_of
        from tui.words.documents import document_title

        super().__init__(workspace)
        self.assessment_id = assessment_id
        self.document = document
        with workspace.db.read() as session:
            self.drafts = drafts_of(session, assessment_id, document)
        self.TITLE_TEXT = _("Text written by the unit: {document}").format(
            document=document_title(document))

    def compose_fields(self) -> Iterator[Widget]:
        from tui.words.documents import section_title

        yield Static(_("Printed as written, one paragraph per line. Left empty, the document "
                       "has dotted lines to fill by hand."), classes="hint")
        for section, draft in self.drafts.items():
            yield from self.field(section, section_title(section),
                                  TextArea(draft.text, soft_wrap=True, classes="draft-box"))

    def on_mount(self) -> None:
        self.query(TextArea).first().focus()

    def action_save(self) -> None:
        from store.report.drafts import save_drafts

        texts = {section: self.query_one(f"#f-{section}", TextArea).text
                 for section in self.drafts}
        assessment_id, document, officer = self.assessment_id, self.document, self.workspace.officer

        def work(session, _prepared) -> bool:  # noqa: ANN001
            save_drafts(session, assessment_id, document, texts, by=officer)
            return True

        self.save_in_worker(work, self.dismiss)


class ReportsScreen(Screen[None]):
    """The documents of the assessment the workspace shows."""

    DEFAULT_CSS = """
    ReportsScreen #reports-body { padding: 0 1; }
    ReportsScreen #reports-main { height: 1fr; }
    ReportsScreen #reports-list { width: 34; height: auto; max-height: 100%; }
    ReportsScreen #reports-preview { width: 1fr; padding: 0 1; background: $panel; }
    ReportsScreen #reports-row { height: auto; }
    ReportsScreen #reports-folder { width: 1fr; }
    ReportsScreen #reports-result { height: auto; max-height: 6; }
    ReportsScreen #reports-result.-done { color: $success; }
    ReportsScreen #reports-result.-failed { color: $error; }
    DraftsForm .draft-box { height: 6; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Back"), id="reports.back"),
        Binding("ctrl+s", "write", _("Write"), id="reports.write"),
        Binding("d", "drafts", _("Edit the text"), id="reports.drafts"),
        Binding("o", "open", _("Open"), id="reports.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        from store.report import UNIT_DOCUMENTS

        self.documents = UNIT_DOCUMENTS
        self.document = UNIT_DOCUMENTS[0]
        self.written: Path | None = None  # the last document written, to open
        self._facts = None
        self._drafts: dict[str, dict] = {}
        # The assessment the workspace shows (None: the newest): the documents' own.
        self.assessment_id: int | None = None

    def compose(self) -> ComposeResult:
        from tui.words.documents import document_title

        yield Header()
        with Vertical(id="reports-body"):
            with Horizontal(id="reports-main"):
                yield OptionList(*(Option(plain(document_title(d)), id=d)
                                   for d in self.documents),
                                 id="reports-list")
                with VerticalScroll(id="reports-preview"):
                    yield Static(_("Reading what the documents will hold…"), id="reports-what")
            yield Label(_("Folder to write the file to"), classes="field-label")
            with Horizontal(id="reports-row"):
                yield Input(id="reports-folder", placeholder=_("Folder to write the file to"))
                yield Button(_("Write"), variant="primary", id="reports-write")
            yield Static("", id="reports-result")
        yield KeysFooter()

    def on_mount(self) -> None:
        from tui.services.exporting import chosen_folder

        self.sub_title = _("Reports")
        workspace_screen = commune_app(self).workspace_screen()
        if workspace_screen is not None:
            self.assessment_id = workspace_screen.assessment_id
        folder, _create = chosen_folder(self.app.context, None)
        self.query_one("#reports-folder", Input).value = str(folder)
        self.query_one("#reports-list", OptionList).highlighted = 0
        self.query_one("#reports-list", OptionList).focus()
        self.load_preview()

    @property
    def workspace(self):  # noqa: ANN201 - Workspace | None
        return getattr(self.app, "workspace", None)

    @property
    def editable(self) -> bool:
        return self.workspace is not None and self.workspace.editable

    # -- what the documents hold ------------------------------------------------

    @work(thread=True, exclusive=True, group="reports-preview")
    def load_preview(self) -> None:
        from store.clock import today
        from store.report.drafts import DRAFT_SECTIONS, drafts_of
        from store.report.remediation import remediation_facts

        workspace = self.workspace
        if workspace is None or workspace.unit_id is None:
            self.app.call_from_thread(self._show_preview, None, {})
            return
        try:
            with workspace.db.read() as session:
                facts = remediation_facts(session, workspace.unit_id, today(),
                                          self.assessment_id)
                drafts = {}
                if facts.assessment is not None:
                    drafts = {document: drafts_of(session, facts.assessment.id, document)
                              for document in DRAFT_SECTIONS}
        except Exception as error:
            log.exception("reports preview failed")
            self.app.call_from_thread(self._show_text, _(
                "The database could not be opened: {reason}").format(reason=error))
            return
        self.app.call_from_thread(self._show_preview, facts, drafts)

    def _show_preview(self, facts, drafts: dict) -> None:  # noqa: ANN001
        self._facts, self._drafts = facts, drafts
        self._describe()
        self.refresh_bindings()

    def _show_text(self, text: str, heading: str = "") -> None:
        shown = Text()
        if heading:
            shown.append(plain(heading, style="bold"))
            shown.append("\n\n")
        shown.append(plain(text, lines=True))
        self.query_one("#reports-what", Static).update(shown)

    def _describe(self) -> None:
        from store.report import RESULTS, TASKS
        from tui.documents.writing import signing
        from tui.words.documents import document_title, plan_preview, warnings

        facts = self._facts
        if facts is None:
            self._show_text(_("Set up the unit (code and name) in the settings first."))
            return
        document = self.document
        lines = plan_preview(facts)
        if facts.assessment is not None:
            if document == TASKS:
                lines = [_("Every task ({tasks}) and every criterion ({criteria}), with "
                           "deadlines, progress, points and causes.").format(
                    tasks=len(facts.tasks), criteria=len(facts.criteria))]
            elif document == RESULTS:
                lines.append(_("A progress bundle is exported with it into the same folder; "
                               "its check code is printed at the foot."))
                if not self.editable:
                    lines.append(_("Not available in read-only mode: it exports a bundle."))
            found = warnings(facts, signing(self.app.context),
                             self._drafts.get(document, {})) if document != TASKS else []
            if found:
                lines.append("")
                lines.append(_("Before printing:"))
                lines += [f"• {line}" for line in found]
        self._show_text("\n".join(lines), document_title(document))

    @on(OptionList.OptionHighlighted, "#reports-list")
    def _document_chosen(self, event: OptionList.OptionHighlighted) -> None:
        self.document = event.option.id or self.documents[0]
        if self._facts is not None:
            self._describe()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#reports-list")
    def _document_selected(self) -> None:
        self.query_one("#reports-write", Button).focus()

    # -- writing -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from store.report import RESULTS, TASKS

        if action == "open":
            return self.written is not None
        if action == "drafts":
            return (self.editable and self.document != TASKS and self._facts is not None
                    and self._facts.assessment is not None)
        if action == "write" and self.document == RESULTS:
            return self.editable
        return True

    @on(Button.Pressed, "#reports-write")
    @on(Input.Submitted, "#reports-folder")
    def _write_pressed(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        from store.report import RESULTS

        if self.document == RESULTS and not self.editable:
            self._show_result(_("Not available in read-only mode: it exports a bundle."),
                              "failed")
            return
        if not self.query_one("#reports-folder", Input).value.strip():
            self._show_result(_("Choose or type a folder first."), "failed")
            return
        self._start(replace=False, name=None)

    def _start(self, *, replace: bool, name: str | None) -> None:
        self.query_one("#reports-write", Button).disabled = True
        self._show_result(_("Writing…"), "working")
        self.write_document(self.document, self.query_one("#reports-folder", Input).value.strip(),
                            replace, name)

    @work(thread=True, exclusive=True, group="reports-write")
    def write_document(self, document: str, typed: str, replace: bool,
                       name: str | None) -> None:
        from tui.documents.writing import write_unit_document
        from tui.services.exporting import chosen_folder, default_folder

        context = self.app.context
        folder, _create = chosen_folder(context, typed)
        workspace = self.workspace
        try:
            result = write_unit_document(
                context, workspace.db, workspace.unit_id if workspace else None, document,
                folder, create_folder=folder == default_folder(context), replace=replace,
                name=name, assessment_id=self.assessment_id)
        except Exception as error:
            log.exception("writing a document failed")
            self.app.call_from_thread(self._failed_unexpectedly, error)
            return
        self.app.call_from_thread(self._finished, result)

    def _failed_unexpectedly(self, error: Exception) -> None:
        from tui.words.errors import save_failure

        self.query_one("#reports-write", Button).disabled = False
        self._show_result(save_failure(error), "failed")

    def _finished(self, result) -> None:  # noqa: ANN001 - DocumentResult
        from tui.documents.writing import DocumentWritten, free_name
        from tui.words.documents import failure_sentence, written_lines

        self.query_one("#reports-write", Button).disabled = False
        if isinstance(result, DocumentWritten):
            self.written = result.path
            self._show_result("\n".join(written_lines(result)), "done")
            self.refresh_bindings()
            self.load_preview()  # a bundle export changes what the next one holds
            self._offer_to_open(result.path)
            return
        if result.code == "exists":
            def chosen(answer: str | None) -> None:
                if answer == "replace":
                    self._start(replace=True, name=None)
                elif answer == "keep":
                    self._start(replace=False, name=free_name(result.path).name)
                else:
                    self._show_result(failure_sentence(result), "failed")

            self.app.push_screen(ReplaceDialog(result.path), chosen)
            return
        self._show_result(failure_sentence(result), "failed")

    def _offer_to_open(self, path: Path) -> None:
        from tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_open()

        self.app.push_screen(ConfirmDialog(_("{file} was written. Open it now?").format(
            file=path.name), yes=_("Open")), answered)

    def action_open(self) -> None:
        from tui.documents.opener import open_with_system

        if self.written is None:
            return
        problem = open_with_system(self.written)
        if problem is None:
            self.notify(_("Opening {file}…").format(file=self.written.name))
        else:
            self.notify(_("{file} could not be opened ({reason}); open it from {folder}.").format(
                file=self.written.name, reason=problem, folder=self.written.parent),
                severity="error", timeout=15)

    def _show_result(self, text: str, state: str) -> None:
        shown = self.query_one("#reports-result", Static)
        shown.update(plain(text, lines=True))
        shown.set_class(state == "failed", "-failed")
        shown.set_class(state == "done", "-done")

    # -- drafts --------------------------------------------------------------------

    def action_drafts(self) -> None:
        from store.report import TASKS

        facts = self._facts
        if (not self.editable or self.document == TASKS or facts is None
                or facts.assessment is None):
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify(_("Saved."))
                self.load_preview()

        self.app.push_screen(DraftsForm(self.workspace, facts.assessment.id, self.document),
                             saved)

    def action_close(self) -> None:
        self.dismiss(None)
