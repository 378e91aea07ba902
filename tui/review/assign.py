"""Issuing assignments from the review app (issue 14, item 2): the supervisor picks
the appraisal workbook (a path, or a file of the list, which starts in the folder last
used), fills in the assessment, letter and deadlines (proposed from the last
assignment issued, else the newest assessment held), and sees per unit what would be
written, with every bad row by its cell, before anything is: the same store
functions as `cchc review assign` (tui/services/assigning.py), then the files on
confirmation. An empty template can be written from here too.

The review's view is read-only; issuing opens its own writable connection for the one
step and closes it (as receiving does).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.i18n import _, ngettext
from tui.widgets.keys_footer import KeysFooter
from tui.review.app import review_app
from tui.screens.form import FIRST_FIELD
from tui.widgets.virtual_table import Column, ListSource, Row, VirtualTable
from tui.words import format as fmt
from tui.words import parse
from tui.words.plain import plain, plain_lines, plain_options

if TYPE_CHECKING:
    from store.assign.defaults import IssueDefaults
    from store.assign.issue import IssueOptions, IssuePreview
    from store.assign.workbook import WorkbookRead

log = logging.getLogger(__name__)

INDEXES = ("PAR", "SIPAS", "OTHER")
TEMPLATE_NAME = "mau-tham-dinh.xlsx"
# The fields of the form: id suffix -> its label (worded at compose time).
FIELDS = ("title", "index", "year", "issuer_code", "issuer_name", "letter", "letter_date",
          "due", "report_due", "out")
DATE_FIELDS = ("letter_date", "due", "report_due")
# The option a problem names (store.assign.issue.OptionProblem) -> the field it is shown
# under.
OPTION_FIELDS = {"title": "title", "issuer_name": "issuer_name", "letter": "letter",
                 "issuer_code": "issuer_code", "index": "index", "year": "year"}


def _date_text(day: dt.date | None) -> str:
    """A proposed date as the field takes it (empty, not a dash, when none)."""
    return fmt.date(day) if day is not None else ""


def _labels() -> dict[str, str]:
    return {
        "workbook": _("Appraisal workbook (.xlsx)"), "title": _("Assessment title"),
        "index": _("Index"), "year": _("Year assessed"), "issuer_code": _("Issuer code"),
        "issuer_name": _("Issuer name"), "letter": _("Letter number"),
        "letter_date": _("Letter date"), "due": _("Remediation deadline"),
        "report_due": _("Report deadline"), "out": _("Write the files to"),
    }


class WorkbookList(OptionList):
    """The folder's subfolders and .xlsx files, read at once (a folder holds a few
    dozen): Enter on a folder opens it ("..": the one above), on a file chooses it
    (FileChosen). Names are data, so they are drawn plain."""

    class FileChosen(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, folder: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.folder = folder
        self.entries: list[Path] = []

    def on_mount(self) -> None:
        self.show_folder(self.folder)

    def show_folder(self, folder: Path) -> None:
        try:
            found = [path for path in folder.iterdir() if not path.name.startswith(".")
                     and (path.is_dir() or path.suffix.lower() == ".xlsx")]
        except OSError:
            found = []
        found.sort(key=lambda path: (not path.is_dir(), path.name.lower()))
        self.folder = folder
        self.entries = ([folder.parent] if folder.parent != folder else []) + found
        self.clear_options()
        self.add_options([Option(plain(".." if index == 0 and path == folder.parent
                                       else f"{path.name}/" if path.is_dir() else path.name))
                          for index, path in enumerate(self.entries)])
        self.border_title = plain(str(folder))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        path = self.entries[event.option_index]
        if path.is_dir():
            self.show_folder(path)
        else:
            self.post_message(self.FileChosen(path))


@dataclass(frozen=True)
class PreviewData:
    """What the preview screen shows: the workbook read (its problems), the options'
    problems in words, and the dry run (None when nothing could be issued)."""

    workbook: Path
    read: WorkbookRead
    options: IssueOptions
    option_problems: tuple[str, ...]
    preview: IssuePreview | None
    failure: str | None  # why the dry run gave no preview (in words)
    key_notice: str | None


def start_folder(context: Any) -> Path:
    """The workbook's folder last used, else the home folder."""
    remembered = context.config.assign.workbook_dir
    return Path(remembered) if remembered and Path(remembered).is_dir() else Path.home()


def out_folder(context: Any) -> Path:
    """The folder the files went to last, else "giao-viec" in the data folder."""
    remembered = context.config.assign.out_dir
    return Path(remembered) if remembered else context.locations.data_dir / "giao-viec"


def remember_folders(context: Any, *, workbook_dir: Path | None = None,
                     out_dir: Path | None = None) -> None:
    """Keep the folders used for next time (settings [assign])."""
    from tui.services.workspace import save_remembered

    remembered = context.config.assign
    before = (remembered.workbook_dir, remembered.out_dir)
    if workbook_dir is not None:
        remembered.workbook_dir = str(workbook_dir.absolute())
    if out_dir is not None:
        remembered.out_dir = str(out_dir.absolute())
    if (remembered.workbook_dir, remembered.out_dir) != before:
        save_remembered(context)


class AssignScreen(Screen[None]):
    """The assignment form; Ctrl+S checks the workbook and shows the preview."""

    AUTO_FOCUS = FIRST_FIELD
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "preview", _("Check and preview"), id="review.assign.preview"),
        Binding("ctrl+t", "template", _("Empty template"), id="review.assign.template"),
        Binding("escape", "back", _("Back"), id="review.assign.back"),
    ]

    def __init__(self, defaults: IssueDefaults, folder: Path, out_dir: Path) -> None:
        super().__init__()
        self.defaults = defaults
        self.folder = folder
        self.out_dir = out_dir
        self._busy = False

    def compose(self) -> ComposeResult:
        labels = _labels()
        d = self.defaults
        values = {"title": d.title, "year": "" if d.year is None else str(d.year),
                  "issuer_code": d.issuer_code, "issuer_name": d.issuer_name,
                  "letter": d.letter, "letter_date": _date_text(d.letter_date),
                  "due": _date_text(d.due), "report_due": _date_text(d.report_due),
                  "out": str(self.out_dir)}
        yield Header()
        with VerticalScroll(id="assign-body"):
            yield Static(_("Issue assignments from an appraisal workbook"), classes="title")
            with Horizontal(classes="assign-field"):
                yield Label(plain(labels["workbook"]), classes="assign-label")
                yield Input("", placeholder=_("type its path, or choose it in the list"),
                            id="a-workbook", compact=True)
            yield Static("", id="e-workbook", classes="field-error")
            yield WorkbookList(self.folder, id="assign-files")
            for name in FIELDS:
                with Horizontal(classes="assign-field"):
                    yield Label(plain(labels[name]), classes="assign-label")
                    if name == "index":
                        yield Select(plain_options([(code, code) for code in INDEXES]),
                                     value=d.index if d.index in INDEXES else "PAR",
                                     allow_blank=False, compact=True, id="a-index")
                    else:
                        yield Input(values[name], id=f"a-{name}", compact=True,
                                    placeholder=_("dd/mm/yyyy") if name in DATE_FIELDS
                                    else "")
                yield Static("", id=f"e-{name}", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Check and preview"), variant="primary", id="assign-preview")
                yield Button(_("Empty template"), id="assign-template")
                yield Button(_("Back"), id="assign-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Issue assignments")

    # -- the form ---------------------------------------------------------------------

    def on_workbook_list_file_chosen(self, event: WorkbookList.FileChosen) -> None:
        event.stop()
        self.query_one("#a-workbook", Input).value = str(event.path)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"assign-preview": self.action_preview, "assign-template": self.action_template,
                   "assign-back": self.action_back}
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    def _value(self, name: str) -> str:
        return self.query_one(f"#a-{name}", Input).value.strip()

    def _problem(self, name: str, sentence: str | None) -> None:
        line = self.query_one(f"#e-{name}", Static)
        line.update(plain(sentence or ""))
        line.set_class(bool(sentence), "-shown")
        if sentence:
            line.scroll_visible(animate=False)

    def _clear_problems(self) -> None:
        for name in ("workbook", *FIELDS):
            self._problem(name, None)

    def read_form(self) -> tuple[Path | None, IssueOptions | None, Path | None]:
        """The workbook, the options and the out folder, or None for each that has a
        problem (shown under its field)."""
        from store.assign.issue import IssueOptions, check_options
        from tui.words.assign import option_problem

        self._clear_problems()
        typed = parse.path(self._value("workbook"))
        workbook = Path(typed).expanduser() if typed else None
        if workbook is None or not workbook.is_file():
            self._problem("workbook", _("There is no file {path}.").format(path=typed or "…"))
            workbook = None
        dates: dict[str, dt.date | None] = {}
        failed = False
        for name in DATE_FIELDS:
            try:
                dates[name] = parse.date(self._value(name))
            except parse.InputProblem as problem:
                self._problem(name, str(problem))
                failed = True
        year_text = self._value("year")
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        if year is None:
            self._problem("year", _("Write the year with four digits, e.g. 2025."))
            failed = True
        out_text = parse.path(self._value("out"))
        out = Path(out_text).expanduser() if out_text else None
        if out is None:
            self._problem("out", _("Say which folder the files go to."))
        index = self.query_one("#a-index", Select).value
        if failed:
            return workbook, None, out
        options = IssueOptions(
            title=self._value("title"), index=str(index), year=year or 0,
            issuer_code=self._value("issuer_code"), issuer_name=self._value("issuer_name"),
            letter=self._value("letter"), letter_date=dates["letter_date"], due=dates["due"],
            report_due=dates["report_due"])
        problems = check_options(options)
        told: set[str] = set()
        for problem in problems:  # the assessment id is made of the issuer code
            name = OPTION_FIELDS.get(problem.option, "issuer_code")
            if name not in told:  # the first problem of a field is the one to fix
                told.add(name)
                self._problem(name, option_problem(problem, named=False))
        return workbook, None if problems else options, out

    def action_preview(self) -> None:
        if self._busy:
            return
        workbook, options, out = self.read_form()
        if workbook is None or options is None or out is None:
            return
        self._busy = True
        self.notify(_("Reading and checking the workbook…"), timeout=3)
        self.check_workbook(workbook, options, out)

    @work(thread=True, exclusive=True, group="assign-check")
    def check_workbook(self, workbook: Path, options: IssueOptions, out: Path) -> None:
        """Read and check the workbook, then the dry run (nothing written anywhere)."""
        from store.assign.issue import IssuePreview, IssueRefused, check_options
        from store.assign.workbook import read_workbook_file
        from tui.services.assigning import issue_with_review_key, officer_sender
        from tui.words.assign import assignment_refusal, option_problem
        from tui.words.bundle import export_failure_sentence

        context = self.app.context  # type: ignore[attr-defined]
        try:
            read = read_workbook_file(workbook)
            problems = tuple(option_problem(p) for p in check_options(options))
            preview, failure, notice = None, None, None
            if read.ok and not problems:
                outcome = issue_with_review_key(context.locations, out,
                                                officer_sender(context.config),
                                                source=(read, options), dry_run=True)
                notice = outcome.key_notice
                if isinstance(outcome.result, IssuePreview):
                    preview = outcome.result
                elif isinstance(outcome.result, IssueRefused) and outcome.result.refusal:
                    failure = _("The assignment for unit {unit} would break the format: "
                                "{reason}").format(unit=outcome.result.unit_code,
                                                   reason=assignment_refusal(
                                                       outcome.result.refusal))
                elif outcome.result is not None:
                    failure = export_failure_sentence(outcome.result)
        except Exception as error:  # shown in words, logged in full
            log.exception("checking the workbook failed")
            self.app.call_from_thread(self._checked, None, _(
                "The workbook could not be checked: {reason}. Nothing was written.").format(
                reason=error))
            return
        data = PreviewData(workbook, read, options, problems, preview, failure, notice)
        self.app.call_from_thread(self._checked, data, None)

    def _checked(self, data: PreviewData | None, error: str | None) -> None:
        self._busy = False
        if data is None:
            self.notify(error or "", severity="error", timeout=20)
            return
        remember_folders(self.app.context,  # type: ignore[attr-defined]
                         workbook_dir=data.workbook.parent)
        self.app.push_screen(AssignPreviewScreen(data, self._out_folder()))

    def _out_folder(self) -> Path:
        return Path(parse.path(self._value("out")) or ".").expanduser()

    # -- the template -----------------------------------------------------------------

    def action_template(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if self._busy:
            return
        self._clear_problems()
        out_text = parse.path(self._value("out"))
        if not out_text:
            self._problem("out", _("Say which folder the files go to."))
            return
        path = Path(out_text).expanduser() / TEMPLATE_NAME
        if not path.parent.is_dir():
            self._problem("out", _("There is no folder {path}.").format(path=out_text))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self.write_template(path)

        if path.exists():
            self.app.push_screen(ConfirmDialog(_("{path} exists. Replace it with an empty "
                                                 "template?").format(path=path),
                                               yes=_("Replace"), tone="warning"), answered)
        else:
            answered(True)

    @work(thread=True, exclusive=True, group="assign-template")
    def write_template(self, path: Path) -> None:
        from store.assign.template import TemplateDone, TemplateRefused, write_template
        from store.review import close_after_receiving, open_review_for_receiving
        from tui.words.bundle import export_failure_sentence

        locations = self.app.context.locations  # type: ignore[attr-defined]
        try:
            db = open_review_for_receiving(review_app(self).review_db_path,
                                           locations.backups_dir)
            try:
                result = write_template(db, path)
            finally:
                close_after_receiving(db)
        except Exception as error:  # shown in words, logged in full
            log.exception("writing the template failed")
            self.app.call_from_thread(self._template_written, _(
                "The template could not be written: {reason}.").format(reason=error), False)
            return
        if isinstance(result, TemplateDone):
            message = _("Template written: {path} ({units} units, {rows} rows).").format(
                path=result.path, units=result.units, rows=result.rows)
            if result.source is None:
                message += "\n" + _("The review database holds no assessment yet: fill in "
                                    "the criteria rows yourself.")
            self.app.call_from_thread(self._template_written, message, True)
        elif isinstance(result, TemplateRefused):
            self.app.call_from_thread(self._template_written, _(
                "The review database holds no assessment of {year}.").format(
                year=result.year), False)
        else:
            self.app.call_from_thread(self._template_written,
                                      export_failure_sentence(result), False)

    def _template_written(self, message: str, done: bool) -> None:
        self._busy = False
        self.notify(message, severity="information" if done else "error", timeout=15)

    def action_back(self) -> None:
        self.dismiss()


def preview_columns() -> list[Column]:
    return [
        Column("code", _("Code"), width=6),
        Column("name", _("Unit"), fr=1, min_width=10),
        Column("criteria", _("Criteria"), width=8, align="right"),
        Column("lost", _("Lost"), width=6, align="right"),
        Column("tasks", _("Tasks"), width=8, align="right"),
        Column("notes", _("Notes"), width=7, align="right", min_table_width=90),
        Column("rank", _("Rank"), width=7, align="right", min_table_width=100),
        Column("file", _("File"), width=34, min_table_width=110),
    ]


def preview_rows(preview: IssuePreview) -> list[Row]:
    return [Row(unit.unit_code, (unit.unit_code, unit.unit_name, fmt.number(unit.criteria),
                                 fmt.points(unit.points_lost), fmt.number(unit.tasks),
                                 fmt.number(unit.notes) if unit.notes else "",
                                 f"{unit.rank}/{unit.rank_of}" if unit.rank else "",
                                 unit.file_name))
            for unit in preview.units]


def preview_verdict(data: PreviewData, folder: Path) -> str:
    """The preview's verdict in words: what would be written, or why nothing can be."""
    errors = data.read.errors_total + len(data.option_problems) + (1 if data.failure else 0)
    if errors or data.preview is None:
        return ngettext("{n} problem: nothing can be written until it is fixed.",
                        "{n} problems: nothing can be written until they are fixed.",
                        max(errors, 1)).format(n=fmt.number(max(errors, 1)))
    units = data.preview.units
    tasks = sum(unit.tasks for unit in units)
    return ngettext("Ready to write {n} assignment file ({tasks} tasks) to {folder}.",
                    "Ready to write {n} assignment files ({tasks} tasks) to {folder}.",
                    len(units)).format(n=fmt.number(len(units)), tasks=fmt.number(tasks),
                                       folder=folder)


def problem_lines(data: PreviewData) -> list[str]:
    from tui.words.assign import workbook_error_lines, workbook_warning_lines

    name = data.workbook.name
    lines = [*data.option_problems, *workbook_error_lines(data.read, name)]
    if data.failure:
        lines.append(data.failure)
    lines.extend(workbook_warning_lines(data.read, name))
    if data.key_notice:
        lines.append(data.key_notice)
    return lines


class AssignPreviewScreen(Screen[None]):
    """Per unit what would be written, and every problem by its cell; W writes."""

    AUTO_FOCUS = "#preview-units"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", _("Write the files"), id="review.assign.write"),
        Binding("escape", "back", _("Back"), id="review.assign.preview-back"),
    ]

    def __init__(self, data: PreviewData, out: Path) -> None:
        super().__init__()
        self.data = data
        self.out = out
        self.written = False
        self._written_preview: IssuePreview | None = None  # with the files' check codes
        self._writing = False

    @property
    def can_write(self) -> bool:
        data = self.data
        return (data.preview is not None and bool(data.preview.units) and data.read.ok
                and not data.option_problems and not self.written)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="preview-verdict")
        yield VirtualTable(preview_columns(), empty_text=_("No unit to write for."),
                           id="preview-units")
        yield Static("", id="preview-unit")
        with VerticalScroll(id="preview-problems-box"):
            yield Static("", id="preview-problems")
        with Horizontal(classes="buttons"):
            yield Button(_("Write the files"), variant="primary", id="preview-write",
                         disabled=not self.can_write)
            yield Button(_("Back"), id="preview-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Assignments: preview")
        data = self.data
        table = self.query_one("#preview-units", VirtualTable)
        table.set_source(ListSource(preview_rows(data.preview) if data.preview else []))
        self._show_verdict(preview_verdict(data, self.out), problem=not self.can_write)
        lines = problem_lines(data)
        self.query_one("#preview-problems", Static).update(
            plain_lines(lines) if lines else "")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        """The highlighted unit in one line, its file's name included (the table
        has no room for it at 80 columns): the command line's words."""
        from tui.words.assign import issue_line

        event.stop()
        preview = self.shown_preview
        if preview is not None and event.index < len(preview.units):
            self.query_one("#preview-unit", Static).update(
                plain(issue_line(preview.units[event.index], written=self.written)))

    @property
    def shown_preview(self) -> IssuePreview | None:
        return self._written_preview or self.data.preview

    def _show_verdict(self, sentence: str, problem: bool) -> None:
        verdict = self.query_one("#preview-verdict", Static)
        verdict.update(plain(sentence, style="bold"))
        verdict.set_class(problem, "problem")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":
            return self.can_write
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "preview-write":
            self.action_write()
        elif event.button.id == "preview-back":
            self.action_back()

    def action_write(self) -> None:
        if not self.can_write or self._writing:
            return
        self._writing = True
        self.query_one("#preview-write", Button).disabled = True
        self.write_files()

    @work(thread=True, exclusive=True, group="assign-write")
    def write_files(self) -> None:
        from store.assign.issue import IssueDone, IssueRefused
        from tui.services.assigning import issue_with_review_key, officer_sender
        from tui.words.assign import assignment_refusal
        from tui.words.bundle import export_failure_sentence
        from tui.words.keys import signed_with

        context = self.app.context  # type: ignore[attr-defined]
        try:
            outcome = issue_with_review_key(context.locations, self.out,
                                            officer_sender(context.config),
                                            source=(self.data.read, self.data.options),
                                            dry_run=False)
        except Exception as error:  # shown in words, logged in full
            log.exception("issuing assignments failed")
            self.app.call_from_thread(self._written, None, _(
                "The files could not be written: {reason}. Nothing was written.").format(
                reason=error), [])
            return
        result = outcome.result
        notice = [outcome.key_notice] if outcome.key_notice else []
        if isinstance(result, IssueDone):
            units = len(result.preview.units)
            sentence = ngettext("Written: {n} assignment file in {folder}.",
                                "Written: {n} assignment files in {folder}.", units).format(
                n=fmt.number(units), folder=result.folder)
            lines = [signed_with(outcome.fingerprint), *notice]
            self.app.call_from_thread(self._written, result, sentence, lines)
            return
        if result is None:
            reason = outcome.key_notice or ""
        elif isinstance(result, IssueRefused) and result.refusal is not None:
            reason = _("The assignment for unit {unit} would break the format: {reason}"
                       ).format(unit=result.unit_code, reason=assignment_refusal(result.refusal))
        elif isinstance(result, IssueRefused):
            reason = _("The workbook or the form has problems.")
        else:
            reason = export_failure_sentence(result)
        self.app.call_from_thread(self._written, None, _(
            "Nothing was written: {reason}").format(reason=reason), [])

    def _written(self, result: Any, sentence: str, lines: list[str]) -> None:
        from store.assign.issue import IssueDone

        self._writing = False
        done = isinstance(result, IssueDone)
        self.written = done
        self._written_preview = result.preview if done else None
        self._show_verdict(sentence, problem=not done)
        if done:
            self.query_one("#preview-units", VirtualTable).set_source(
                ListSource(preview_rows(result.preview)))
            self.query_one("#preview-problems", Static).update(plain_lines(lines))
            self.query_one("#preview-write", Button).disabled = True
            remember_folders(self.app.context, out_dir=result.folder)  # type: ignore[attr-defined]
            review_app(self).load_overview()  # the assignment columns read again
        else:
            self.query_one("#preview-write", Button).disabled = not self.can_write
        self.refresh_bindings()
        self.notify(sentence, severity="information" if done else "error", timeout=15)

    def action_back(self) -> None:
        self.dismiss()
