"""What the task's screen does with an evidence file: keep a copy in the data
folder's evidence store, open the file (or its copy) with the system's program."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from store.read.task_detail import EvidenceRow
    from tui.services.workspace import Workspace


def keep_copy_of(workspace: Workspace, evidence: EvidenceRow) -> tuple[str, str, bool]:
    """Copy the evidence file into the store: (what to say, its severity, whether a
    copy is there afterwards). Streams the whole file (up to 512 MiB): the screen
    calls it in a worker and notifies the words."""
    from store.errors import EditRefused, ReadOnlyMode, WriteNotVerified
    from store.evidence_files import keep_copy
    from tui.words.edits import edit_refusal
    from tui.words.errors import save_failure

    if workspace.evidence_dir is None or not evidence.file_path or not evidence.file_sha256:
        return _("This evidence names no file."), "warning", False
    try:
        kept = keep_copy(Path(evidence.file_path), workspace.evidence_dir,
                         evidence.file_sha256, evidence.file_name)
    except EditRefused as refused:
        return edit_refusal(refused), "error", False
    except (OSError, WriteNotVerified, ReadOnlyMode) as error:
        return save_failure(error), "error", False
    return _("A copy of {name} is kept in {folder}.").format(
        name=evidence.file_name, folder=kept.parent), "information", True


def open_evidence_file(node: DOMNode, workspace: Workspace, evidence: EvidenceRow,
                       state: str) -> None:
    """Open the recorded file when it is there and the same (state, from
    workspace.evidence_files: hashing may take seconds, so the caller asks it in a
    worker when it is not known yet), else the kept copy."""
    from store.evidence_files import FILE_OK, kept_copy
    from tui.documents.opener import open_with_system

    if not evidence.file_path:
        node.notify(_("This evidence names no file."), severity="warning")
        return
    path: Path | None = Path(evidence.file_path)
    if state != FILE_OK:
        path = (kept_copy(workspace.evidence_dir, evidence.file_sha256, evidence.file_name)
                if workspace.evidence_dir is not None else None)
        if path is None:
            node.notify(_("The file {path} is missing or changed and no copy is kept.").format(
                path=evidence.file_path), severity="error")
            return
        node.notify(_("The file is missing or changed: its kept copy is opened."))
    problem = open_with_system(path)
    if problem is not None:
        node.notify(_("The file could not be opened: {reason}").format(reason=problem),
                    severity="error")


def start_file_notice(workspace: Workspace) -> str | None:
    """At start: how many tasks have an evidence file missing or changed (read in
    the opening worker; the file checks are cached for the task list)."""
    from store.evidence_files import tasks_with_file_problems
    from store.read.assessments import current_assessment
    from tui.i18n import ngettext
    from tui.widgets.task_rows import FILE_PROBLEM_MARK

    if workspace.unit_id is None:
        return None
    with workspace.db.read() as session:
        assessment = current_assessment(session, workspace.unit_id)
        if assessment is None or assessment.id is None:
            return None
        found = tasks_with_file_problems(session, assessment.id, workspace.evidence_files)
    if not found:
        return None
    return ngettext("{n} task has an evidence file missing or changed (marked {mark} in "
                    "the list).", "{n} tasks have an evidence file missing or changed "
                    "(marked {mark} in the list).", len(found)).format(
        n=len(found), mark=FILE_PROBLEM_MARK)
