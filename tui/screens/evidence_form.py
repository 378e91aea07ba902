"""Add or edit one evidence document (tài liệu kiểm chứng) of a task. A file is
optional: the app records its name, size and SHA-256, and the file stays where it is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input

from tui.i18n import _
from tui.screens.form import FormScreen
from tui.words import format as fmt, parse

if TYPE_CHECKING:
    from store.read.task_detail import EvidenceRow
    from tui.services.workspace import Workspace


class EvidenceForm(FormScreen[bool]):
    """Dismisses with True once saved."""

    def __init__(self, workspace: Workspace, task_id: int,
                 evidence: EvidenceRow | None = None) -> None:
        super().__init__(workspace)
        self.task_id = task_id
        self.evidence = evidence
        self.TITLE_TEXT = _("Edit evidence") if evidence else _("Add evidence")

    def compose_fields(self) -> Iterator[Widget]:
        e = self.evidence
        yield from self.field("title", _("Document title"),
                              Input(e.title if e else "", max_length=500))
        yield from self.field("number", _("Number and symbol (e.g. 45/BC-UBND)"),
                              Input(e.number or "" if e else "", max_length=500))
        yield from self.field("date", fmt.date_label(_("Date issued")),
                              Input(fmt.date(e.date, "") if e else "",
                                    placeholder=fmt.date_placeholder()))
        yield from self.field("issuer", _("Issued by"),
                              Input(e.issuer or "" if e else "", max_length=500))
        yield from self.field("locator", _("Page or section (e.g. trang 2, mục II)"),
                              Input(e.locator or "" if e else "", max_length=500))
        yield from self.field("file", _("File (optional): full path"),
                              Input(e.file_path or e.file_name or "" if e else ""),
                              hint=_("The file stays where it is; the app keeps its name, "
                                     "size and SHA-256 fingerprint."))

    def read_fields(self) -> tuple[dict, dict[str | None, str]]:
        from store.write.evidence import check_evidence, check_file_path

        values: dict = {name: self.query_one(f"#f-{name}", Input).value
                        for name in ("title", "number", "issuer", "locator")}
        problems: dict[str | None, str] = {}
        try:
            values["date"] = parse.date(self.query_one("#f-date", Input).value)
        except parse.InputProblem as problem:
            values["date"] = None
            problems["date"] = str(problem)
        path = parse.path(self.query_one("#f-file", Input).value)
        if path and not self._kept(path):
            self.with_rules(problems, check_file_path, path)
        return values, self.with_rules(problems, check_evidence, values)

    def _kept(self, path: str) -> bool:
        """The file already recorded, left as it was (it may be gone: it stays)."""
        return self.evidence is not None and path in (self.evidence.file_path,
                                                       self.evidence.file_name)

    def action_save(self) -> None:
        from store.write.evidence import add_evidence, describe_file, update_evidence

        values = self.checked()
        if values is None:
            return
        path = parse.path(self.query_one("#f-file", Input).value)
        kept = bool(path) and self._kept(path)
        if not path:
            values["file"] = None
        by = self.workspace.officer
        task_id, evidence = self.task_id, self.evidence

        def prepare():  # noqa: ANN202 - hashing a big file must not hold the write lock
            return describe_file(path) if path and not kept else None

        def work(session, facts) -> bool:  # noqa: ANN001
            if facts is not None:
                values["file"] = facts
            if evidence is None:
                add_evidence(session, task_id, values, by=by)
            else:
                update_evidence(session, evidence.id, values, by=by)
            return True

        self.save_in_worker(work, self.dismiss, prepare)
