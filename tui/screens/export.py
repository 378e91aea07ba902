"""Export: what will be sent, where to (last folder, removable drives, a typed path),
then the file's path and the check code to read out over the phone; below, the
bundles sent so far (number, date, check code, folder)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (Button, DataTable, Header, Input, Label, OptionList,
                             Static)
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.app import commune_app
from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.words import format as fmt, parse
from tui.words.plain import plain

if TYPE_CHECKING:
    from store.bundle.export import ExportPreview, ExportResult
    from store.bundle.export_log import SentBundle
    from store.db import Database
    from tui.app import CchcApp

log = logging.getLogger(__name__)


@contextmanager
def unit_database(app: CchcApp) -> Iterator[Database]:
    """The app's open database, or one opened (and closed) for this screen's worker."""
    workspace = app.workspace
    if workspace is not None:
        yield workspace.db
        return
    from tui.services.workspace import open_workspace

    own = open_workspace(app.context)
    try:
        yield own.db
    finally:
        own.db.dispose()


class ExportScreen(Screen[None]):
    """Runs the export in a worker; the database is the app's workspace when it is open."""

    DEFAULT_CSS = """
    ExportScreen #export-body { padding: 0 1; }
    ExportScreen #export-what { height: auto; background: $panel; padding: 0 1; }
    ExportScreen .export-heading { margin-top: 1; text-style: bold; }
    ExportScreen #export-targets { height: auto; max-height: 6; }
    ExportScreen #export-row { height: auto; }
    ExportScreen #export-folder { width: 1fr; }
    ExportScreen #export-result { height: auto; margin-top: 1; }
    ExportScreen #export-result.-done { color: $success; text-style: bold; }
    ExportScreen #export-result.-failed { color: $error; }
    ExportScreen #export-sent { height: auto; max-height: 8; }
    """

    BINDINGS = [
        Binding("escape", "close", _("Back"), id="export.back"),
        Binding("ctrl+s", "export", _("Export"), id="export.run"),
        Binding("f5", "refresh_targets", _("Find drives"), id="export.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._targets: list[Path | None] = []  # by option index; None: a note
        self.result: ExportResult | None = None  # once an export has run

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="export-body"):
            yield Static(_("Reading what will be sent…"), id="export-what")
            yield Label(_("Where to"), classes="export-heading")
            yield OptionList(id="export-targets")
            with Horizontal(id="export-row"):
                yield Input(id="export-folder", placeholder=_("Folder to write the file to"))
                yield Button(_("Export"), variant="primary", id="export-run")
            yield Static("", id="export-result")
            yield Label(_("Bundles sent"), classes="export-heading")
            yield Static("", id="export-sent-none")
            yield DataTable(id="export-sent", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Export progress bundle")
        table = self.query_one("#export-sent", DataTable)
        table.add_column(_("No."), key="number")
        table.add_column(_("Date"), key="date")
        table.add_column(_("Check code"), key="code")
        table.add_column(_("Folder"), key="folder")
        table.display = False  # until the list is read
        from tui.services.exporting import chosen_folder

        # The folder is known at once (the drives are looked for in the worker): a
        # ctrl+s pressed as the screen opens exports there, not "choose a folder".
        folder, _create = chosen_folder(commune_app(self).context, None)
        self.query_one("#export-folder", Input).value = str(folder)
        self.load_preview()

    @work(thread=True, exclusive=True, group="export-preview")
    def load_preview(self) -> None:
        from store.bundle.export import export_preview
        from store.clock import today
        from store.drives import removable_drives
        from tui.services.exporting import chosen_folder

        context = commune_app(self).context
        folder, _create = chosen_folder(context, None)
        drives = [drive.path for drive in removable_drives()]
        from tui.words.keys import export_key_failure, fingerprint_line
        from tui.services.workspace import unit_key_state

        from store.bundle.export import sent_bundles

        sent: list[SentBundle] | None = None
        try:
            with unit_database(commune_app(self)) as db:
                preview = export_preview(db, context.config.unit.code, today())
                key = unit_key_state(context, db)
                try:
                    sent = sent_bundles(db)
                except OSError:  # an unreadable export log: the export says so in words
                    log.exception("the bundles sent could not be listed")
        except Exception as error:
            log.exception("export preview failed")
            self.app.call_from_thread(self._show_what, _(
                "The database could not be opened: {reason}").format(reason=error))
            preview = None
        if get_current_worker().is_cancelled:
            return
        if preview is not None:
            key_line = fingerprint_line(key) if key.ok else export_key_failure(key)
            self.app.call_from_thread(self._show_what,
                                      f"{self._describe(preview)}\n{key_line}")
        if sent is not None:
            self.app.call_from_thread(self._show_sent, sent)
        self.app.call_from_thread(self._show_targets, folder, drives)

    @staticmethod
    def _describe(preview: ExportPreview) -> str:
        if not preview.in_database:
            return _("There is no data for unit {code} yet.").format(code=preview.unit_code)
        lines = [
            _("Unit: {name} ({code})").format(name=preview.unit_name, code=preview.unit_code),
            _("Assessments: {assessments} · criteria: {criteria} · tasks: {tasks} ({done} "
              "done, {overdue} overdue)").format(
                assessments=fmt.number(preview.assessments),
                criteria=fmt.number(preview.criteria), tasks=fmt.number(preview.tasks),
                done=fmt.number(preview.done), overdue=fmt.number(preview.overdue)),
        ]
        if preview.last_sequence is None:
            lines.append(_("Never exported before: this will be bundle 1."))
        else:
            lines.append(_("Last export: bundle {sequence} on {when}; this will be bundle "
                           "{next}.").format(sequence=preview.last_sequence,
                                             when=fmt.instant(preview.last_created_at),
                                             next=preview.last_sequence + 1))
        return "\n".join(lines)

    def _show_sent(self, sent: list[SentBundle]) -> None:
        from tui.words.bundle import sent_bundle_cells

        table = self.query_one("#export-sent", DataTable)
        table.clear()
        for bundle in sent:
            table.add_row(*(plain(cell) for cell in sent_bundle_cells(bundle)),
                          key=str(bundle.sequence))
        self.query_one("#export-sent-none", Static).update(
            "" if sent else _("No bundle has been sent yet."))
        self.query_one("#export-sent-none", Static).display = not sent
        table.display = bool(sent)

    def _show_what(self, text: str) -> None:
        self.query_one("#export-what", Static).update(plain(text, lines=True))

    def _show_targets(self, folder: Path, drives: list[Path]) -> None:
        from tui.services.exporting import default_folder

        context = commune_app(self).context
        options: list[Option] = []
        self._targets = []
        if context.config.last_export_dir:
            self._targets.append(Path(context.config.last_export_dir))
            options.append(Option(plain(_("Last folder: {path}").format(
                path=context.config.last_export_dir))))
        for drive in drives:
            self._targets.append(drive)
            options.append(Option(plain(_("Removable drive: {path}").format(path=drive))))
        if not drives:
            options.append(Option(_("No USB stick found (plug one in, then press F5)"),
                                  disabled=True))
            self._targets.append(None)
        self._targets.append(default_folder(context))
        options.append(Option(plain(_("Exports folder: {path}").format(
            path=default_folder(context)))))
        targets = self.query_one("#export-targets", OptionList)
        targets.clear_options()
        targets.add_options(options)
        folder_input = self.query_one("#export-folder", Input)
        if not folder_input.value:
            folder_input.value = str(folder)

    @on(OptionList.OptionSelected, "#export-targets")
    def _target_chosen(self, event: OptionList.OptionSelected) -> None:
        target = self._targets[event.option_index]
        if target is None:
            return
        self.query_one("#export-folder", Input).value = str(target)
        self.query_one("#export-run", Button).focus()

    @on(Button.Pressed, "#export-run")
    @on(Input.Submitted, "#export-folder")
    def _run_pressed(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        folder = parse.path(self.query_one("#export-folder", Input).value)
        if not folder:
            self._show_result(_("Choose or type a folder first."), "failed")
            return
        self.query_one("#export-run", Button).disabled = True
        self._show_result(_("Exporting…"), "working")
        self.run_export(folder)

    @work(thread=True, exclusive=True, group="export-run")
    def run_export(self, typed: str) -> None:
        from store.bundle.export import ExportDone
        from tui.services.exporting import chosen_folder, default_folder, export_to
        from tui.words.bundle import export_done_lines, export_failure_sentence

        context = commune_app(self).context
        folder, _create = chosen_folder(context, typed)
        create = folder == default_folder(context)
        try:
            with unit_database(commune_app(self)) as db:
                result = export_to(context, db, folder, create)
        except Exception as error:
            log.exception("export failed")
            self.app.call_from_thread(self._finished, None, _(
                "The database could not be opened: {reason}").format(reason=error))
            return
        if isinstance(result, ExportDone):
            text = "\n".join(export_done_lines(result))
        else:
            text = export_failure_sentence(result)
        self.app.call_from_thread(self._finished, result, text)

    def _finished(self, result: ExportResult | None, text: str) -> None:
        from store.bundle.export import ExportDone

        self.result = result
        done = isinstance(result, ExportDone)
        self._show_result(text, "done" if done else "failed")
        self.query_one("#export-run", Button).disabled = False
        self.notify(text, severity="information" if done else "error", timeout=15)
        if done:
            self.load_preview()

    def _show_result(self, text: str, state: str) -> None:
        result = self.query_one("#export-result", Static)
        result.update(plain(text, lines=True))
        result.set_class(state == "failed", "-failed")
        result.set_class(state == "done", "-done")

    def action_refresh_targets(self) -> None:
        self.load_preview()

    def action_close(self) -> None:
        self.dismiss(None)
