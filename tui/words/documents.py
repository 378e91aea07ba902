"""Sentences about documents for the Reports screen and the command line: what
was written where, why nothing was, what a document will hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.i18n import _, ngettext
from tui.words import format as fmt

if TYPE_CHECKING:
    from store.report.remediation import RemediationFacts


def document_title(document: str) -> str:
    from store.report import PLAN, RESULTS, SUMMARY, TASKS

    return {PLAN: _("Remediation plan (Word)"), RESULTS: _("Results report (Word) with its "
                                                           "progress bundle"),
            TASKS: _("Tasks and criteria (Excel)"),
            SUMMARY: _("Summary of all units (Excel and Word)")}[document]


def written_lines(result: Any) -> list[str]:
    """A DocumentWritten (tui.documents.writing): the files, and the bundle sent with it."""
    from tui.words.bundle import check_code, warning_sentence

    lines = [_("Written: {path}").format(path=result.path)]
    lines += [_("Written: {path}").format(path=path) for path in result.also]
    if result.bundle is not None:
        lines.append(_("Progress bundle {sequence} exported with it: {path}").format(
            sequence=result.bundle.sequence, path=result.bundle.path))
        lines.append(_("Check code (printed at the foot of the report): {code}").format(
            code=check_code(result.bundle.sha256)))
        lines += [_("warning: {text}").format(text=warning_sentence(warning))
                  for warning in result.bundle.warnings]
    return lines


def failure_sentence(failure: Any) -> str:
    """A DocumentFailed (tui.documents.writing) in words."""
    from tui.words.bundle import export_failure_sentence, write_failure_sentence

    code = failure.code
    if code == "no_unit":
        return _("Set up the unit (code and name) in the settings first.")
    if code == "no_assessment":
        return _("There is no assessment yet: enter the supervisor's letter first.")
    if code == "exists":
        return _("{path} already exists; it was not replaced.").format(path=failure.path)
    if code == "bundle_failed":
        return _("The progress bundle that goes with the report could not be exported, so "
                 "the report was not written: {reason}").format(
            reason=export_failure_sentence(failure.details["export"]))
    if code == "read_only_mode":
        from tui.words.errors import refused_in_read_only

        return refused_in_read_only("document")
    if code == "changed":
        return _("The data changed while the bundle was being exported (another window "
                 "saved). The report was not written; write it again.")
    sentence = write_failure_sentence(failure)
    if sentence is not None:
        return sentence + " " + _("Any earlier file was left as it was.")
    return _("The document was not written ({code}).").format(code=code)


def plan_preview(facts: RemediationFacts) -> list[str]:
    """What the plan and the report will hold, in a few lines."""
    assessment = facts.assessment
    if assessment is None:
        return [_("There is no assessment yet: enter the supervisor's letter first.")]
    counts = facts.remedy_counts
    lines = [
        _("{title}: {n} criteria lost {points} points.").format(
            title=assessment.title, n=fmt.number(len(facts.lost_criteria)),
            points=fmt.points(facts.points_lost)),
        ngettext("{n} remediation task", "{n} remediation tasks", counts.total).format(
            n=fmt.number(counts.total)) + " · " + _(
            "done {done}, in progress {in_progress}, not started {todo}, overdue {overdue}"
        ).format(done=fmt.number(counts.done), in_progress=fmt.number(counts.in_progress),
                 todo=fmt.number(counts.todo), overdue=fmt.number(counts.overdue)),
        ngettext("{n} reporting duty", "{n} reporting duties", len(facts.duties)).format(
            n=fmt.number(len(facts.duties))),
    ]
    return lines


def warnings(facts: RemediationFacts, signing: Any, drafts: dict) -> list[str]:
    """What the user may want to complete before printing (signing: the document
    settings, tui.documents.official.Signing)."""
    found = []
    if facts.without_task:
        found.append(_("No task yet for criteria {codes}.").format(
            codes=", ".join(c.code for c in facts.without_task)))
    if facts.without_cause:
        found.append(_("No cause recorded for criteria {codes} (criteria tab, key c).").format(
            codes=", ".join(c.code for c in facts.without_cause)))
    if not signing.signer:
        found.append(_("The signer's name is not in the settings (F2)."))
    if not facts.supervisor:
        found.append(_("The supervising body is not in the settings (F2)."))
    empty = [section for section, draft in drafts.items() if not draft.text.strip()]
    if empty:
        found.append(_("Not written yet: {sections} (key d); a dotted line is printed.").format(
            sections=", ".join(section_title(s) for s in empty)))
    return found


def section_title(section: str) -> str:
    """A draft section by the heading it prints under."""
    return {"purpose": _("I. Purpose and requirements"),
            "organisation": _("III. Organisation of implementation"),
            "direction": _("I. How the work was directed"),
            "proposals": _("IV. Proposals")}.get(section, section)
