"""Writing a document into a folder, for the Reports screen and the command line:
the figures read from the store, the words and layout of tui.documents, the bytes
written with the bundle's safe write (temp file, fsync, read back, rename). An
existing file is never replaced unless the caller says the user agreed.

The results report goes with a progress bundle exported at the same moment into
the same folder: the report prints that bundle's check code, so the paper the
chairman signs vouches for exactly the file the supervisor receives. (The latest
earlier export would vouch for data that edits since may have changed.) The report's
figures are read after the export and compared with the bundle's content; if an
edit slipped in between, nothing is written and the user is asked to try again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.context import AppContext
from tui.i18n import _, language

from store.report import PLAN, RESULTS, SUMMARY, TASKS


@dataclass(frozen=True)
class DocumentWritten:
    path: Path
    bundle: Any = None  # the ExportDone of the bundle exported with a results report
    also: tuple[Path, ...] = ()  # other files written with it (the summary's workbook)


@dataclass(frozen=True)
class DocumentFailed:
    """Why nothing was written. code: no_unit, no_assessment, exists (path: the file
    there), bundle_failed (details: export, the ExportFailed), changed (an edit came
    between the bundle and the report), read_only_mode (the target is in the data
    folder and the app runs read-only: give another folder), or a write failure of
    store.safe_write (no_space, read_only, target_missing, not_allowed, io_error,
    verify_failed)."""

    code: str
    path: Path | None = None
    details: dict[str, Any] = field(default_factory=dict)


DocumentResult = DocumentWritten | DocumentFailed


def file_name(document: str, code: str, day, extension: str = ".docx") -> str:  # noqa: ANN001
    """'ke-hoach-khac-phuc-30316-20261121.docx' (ASCII: it goes on any stick)."""
    stem = {PLAN: _("remediation-plan"), RESULTS: _("remediation-report"),
            TASKS: _("remediation-tasks"), SUMMARY: _("remediation-summary")}[document]
    return f"{stem}-{code}-{day:%Y%m%d}{extension}"


def free_name(path: Path) -> Path:
    """path itself if free, else the first of name-2, name-3 ... that is."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


def _write_error(error: OSError, path: Path) -> DocumentFailed:
    """The failure in the codes of a bundle export's write failures (one table of
    them, in store.bundle.export)."""
    from store.bundle.export import write_failure

    failure = write_failure(error, path)
    return DocumentFailed(failure.code, path, {"reason": failure.details["reason"]})


def _write(path: Path, data: bytes) -> DocumentResult:
    from store.errors import ReadOnlyMode
    from store.safe_write import WriteNotVerified, write_atomically
    from store.vocab import WriteKind

    try:
        write_atomically(path, data, kind=WriteKind.DOCUMENT)
    except ReadOnlyMode:
        return DocumentFailed("read_only_mode", path)
    except WriteNotVerified:
        return DocumentFailed("verify_failed", path)
    except OSError as error:
        return _write_error(error, path)
    return DocumentWritten(path)


def _folder_problem(folder: Path, create: bool) -> DocumentFailed | None:
    from store.mode import keeps

    if create and keeps(folder):  # read-only mode: no folder made in the data folder
        return DocumentFailed("read_only_mode", folder)
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _write_error(error, folder)
    if not folder.is_dir():
        return DocumentFailed("target_missing", folder)
    return None


def signing(context: AppContext):  # noqa: ANN201 - Signing
    from tui.documents.official import Signing

    return Signing.from_config(context.config)


def write_unit_document(context: AppContext, db, unit_id: int | None, document: str,  # noqa: ANN001
                        folder: Path, *, create_folder: bool = False, replace: bool = False,
                        name: str | None = None,
                        assessment_id: int | None = None) -> DocumentResult:
    """Write the plan, the results report (with its bundle) or the task workbook of
    the unit into folder, for one of its assessments (default: the newest).
    replace: the user agreed to replace a file of that name.
    name: another file name than the usual one (the user kept the existing file).
    The results report prints its bundle's check code and the fingerprint of the
    unit's key that signed it."""
    from store.clock import today

    if unit_id is None:
        return DocumentFailed("no_unit")
    day = today()
    target = Path(folder) / (name or file_name(document, context.config.unit.code, day,
                                               ".xlsx" if document == TASKS else ".docx"))
    problem = _folder_problem(Path(folder), create_folder)
    if problem is not None:
        return problem
    if target.exists() and not replace:
        return DocumentFailed("exists", target)
    facts, drafts = _read(db, unit_id, day, document, assessment_id=assessment_id)
    if facts.assessment is None:
        return DocumentFailed("no_assessment")
    if document == TASKS:
        from tui.documents.workbooks import tasks_workbook

        return _write(target, tasks_workbook(facts))
    from tui.documents.layout import to_bytes
    from tui.documents.remediation import DataCheck, plan_document, results_document

    if document == PLAN:
        return _write(target, to_bytes(plan_document(facts, drafts, signing(context),
                                                     language())))
    from store.bundle.export import ExportDone
    from tui.services.exporting import export_to

    exported = export_to(context, db, Path(folder), create_folder)
    if not isinstance(exported, ExportDone):
        return DocumentFailed("bundle_failed", exported.path, {"export": exported})
    try:  # what the bundle holds, read back from where it was written
        sent = json.loads(exported.path.read_bytes())["assessments"]
    except OSError as error:
        failed = _write_error(error, exported.path)
        return DocumentFailed(failed.code, failed.path, {**failed.details, "bundle": exported})
    facts, drafts = _read(db, unit_id, day, document, same_as=sent,
                          assessment_id=assessment_id)
    if facts is None:
        return DocumentFailed("changed", exported.path, {"bundle": exported})
    check = DataCheck(exported.sha256, exported.path.name, exported.fingerprint)
    written = _write(target, to_bytes(results_document(facts, drafts, signing(context),
                                                       language(), check)))
    if isinstance(written, DocumentWritten):
        return DocumentWritten(written.path, bundle=exported)
    return DocumentFailed(written.code, written.path, {**written.details, "bundle": exported})


def _read(db, unit_id: int, day, document: str, same_as: list | None = None,  # noqa: ANN001, ANN202
          assessment_id: int | None = None):
    """The facts and drafts of the document in one read; with same_as (a bundle's
    assessments), (None, None) unless the database holds what that bundle holds."""
    from store.report.drafts import DRAFT_SECTIONS, drafts_of
    from store.report.remediation import remediation_facts

    with db.read() as session:
        facts = remediation_facts(session, unit_id, day, assessment_id)
        drafts = {}
        if facts.assessment is not None and document in DRAFT_SECTIONS:
            drafts = drafts_of(session, facts.assessment.id, document)
        if same_as is not None:
            from store.snapshot import read_unit_snapshot

            if read_unit_snapshot(session, unit_id)["assessments"] != same_as:
                return None, None
    return facts, drafts


def write_review_report(context: AppContext, review_db: Path, folder: Path, *,
                        create_folder: bool = False, replace: bool = False) -> DocumentResult:
    """The supervisor's summary workbook and summary report, from the review
    database opened read-only (mode=ro): nothing in it changes."""
    from store.clock import today
    from store.report.review import review_summary
    from store.review import open_overview_connection
    from tui.documents.layout import to_bytes
    from tui.documents.review_summary import summary_document
    from tui.documents.workbooks import review_workbook

    day = today()
    code = context.config.unit.code or _("supervisor")
    workbook = Path(folder) / file_name(SUMMARY, code, day, ".xlsx")
    report = Path(folder) / file_name(SUMMARY, code, day, ".docx")
    problem = _folder_problem(Path(folder), create_folder)
    if problem is not None:
        return problem
    for target in (workbook, report):
        if target.exists() and not replace:
            return DocumentFailed("exists", target)
    connection = open_overview_connection(review_db)
    try:
        summary = review_summary(connection, day)
    finally:
        connection.close()
    written = _write(workbook, review_workbook(summary))
    if isinstance(written, DocumentFailed):
        return written
    document = summary_document(summary, signing(context), language(), workbook.name)
    done = _write(report, to_bytes(document))
    if isinstance(done, DocumentFailed):
        return done
    return DocumentWritten(report, also=(workbook,))
