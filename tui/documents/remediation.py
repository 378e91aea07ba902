"""The unit's two documents for its supervisor, worded from store.report facts:

- the remediation plan (Kế hoạch khắc phục): I. purpose and requirements, II. tasks
  and measures per criterion that lost points, III. organisation, then the landscape
  appendix of tasks;
- the results report (Báo cáo kết quả khắc phục), addressed to the supervisor: I. how
  the work was directed, II. results per criterion with evidence, III. what remains
  and why (objective, subjective), IV. proposals, the appendix with results filled
  in, and the data check code of the bundle exported with it.

Sections the unit writes itself come from its drafts (store.report.drafts), printed
as written; an empty one is a dotted line to fill by hand, never invented text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.shared import Mm, Pt

from tui.documents import layout
from tui.documents.layout import Cell, Span
from tui.documents.official import (
    DOTTED_LINE,
    DOTTED_NAME,
    Signing,
    attached_line,
    committee_lines,
    committee_name,
    header,
    points_lost,
)
from tui.i18n import _
from tui.words import format as fmt
from tui.words import labels

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from store.read.task_detail import EvidenceRow
    from store.report.drafts import Draft
    from store.report.remediation import (
        CriterionFacts,
        RemediationFacts,
        RemedyGroup,
        TaskFacts,
    )

PLAN_SYMBOL = "KH"
REPORT_SYMBOL = "BC"
ROMAN = ("I", "II", "III", "IV", "V", "VI")

# The appendix columns (mm) on a landscape page: 297 - 30 - 15 = 252 mm.
PLAN_WIDTHS = (12, 32, 36, 14, 34, 42, 24, 22, 17, 19)
RESULTS_WIDTHS = (12, 28, 28, 14, 27, 32, 22, 22, 33, 34)


@dataclass(frozen=True)
class DataCheck:
    """The bundle exported with a results report: its digest vouches for the file,
    the signed paper for the digest; key_fingerprint: of the unit's key that signed
    the bundle (bundle-v2), which the supervisor compares with the key it holds."""

    sha256: str
    file_name: str
    key_fingerprint: str | None = None


def appendix_headings() -> list[str]:
    return [_("Item"), _("Criterion"), _("What lost points"), _("Points lost"), _("Cause"),
            _("Measures and tasks"), _("Lead / official in charge"), _("Time limit"),
            _("Result"), _("Evidence")]


def criterion_name(criterion: CriterionFacts) -> str:
    return f"{criterion.code}. {criterion.title}"


def group_heading(group: RemedyGroup) -> str:
    """'Tiêu chí 3.2. Tỷ lệ hồ sơ ... (bị trừ 1 điểm)'."""
    names = "; ".join(criterion_name(c) for c in group.criteria)
    return _("Criterion {names} ({points} lost)").format(names=names,
                                                         points=points_lost(group.points_lost))


def status_text(task: TaskFacts, today) -> str:  # noqa: ANN001 - date
    """'Đã hoàn thành (05/11/2026)', 'Đang thực hiện (60%)', with the days late."""
    if task.status == "done":
        text = _("{status} ({date})").format(status=labels.status("done"),
                                             date=fmt.date(task.done_on))
    elif task.status == "in_progress":
        text = _("{status} ({percent})").format(status=labels.status("in_progress"),
                                                percent=fmt.percent(task.progress))
    else:
        text = labels.status(task.status)
    late = task.days_late(today)
    if late is not None:
        text += "; " + fmt.days_left(task.due, today)
    return text


def evidence_text(evidence: EvidenceRow) -> str:
    """'Số 45/BC-UBND ngày 05/11/2026, mục II: Báo cáo ...' (number, date, page)."""
    parts = []
    if evidence.number:
        parts.append(_("No. {number}").format(number=evidence.number))
    if evidence.date:
        parts.append(_("of {date}").format(date=fmt.date(evidence.date)))
    where = " ".join(parts)
    if evidence.locator:
        where = f"{where}, {evidence.locator}" if where else evidence.locator
    return f"{where}: {evidence.title}" if where else evidence.title


def cause_spans(criterion: CriterionFacts, with_code: bool) -> list[Span]:
    spans = []
    if with_code:
        spans.append(Span(f"{criterion.code}: "))
    if criterion.cause_kind:
        spans.append(Span(f"({labels.cause_kind(criterion.cause_kind)}) ", italic=True))
    spans.append(Span(criterion.cause or ""))
    return spans


def draft_paragraphs(document, draft: Draft | None) -> None:  # noqa: ANN001
    """The unit's own text, a paragraph per line; nothing written: dotted lines."""
    lines = [line.strip() for line in (draft.text if draft else "").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        lines = [DOTTED_LINE, DOTTED_LINE]
    for line in lines:
        layout.paragraph(document, line)


def _basis(facts: RemediationFacts, closing: str) -> str:
    """'Thực hiện văn bản số 1245/UBND-HC ngày 07/10/2026 của UBND thành phố Sa Đéc
    (V/v ...), Ủy ban nhân dân Phường 1 <closing>'."""
    assessment = facts.assessment
    assert assessment is not None
    committee = committee_name(facts.unit_name)
    if assessment.document_number is None:
        return _("Following the results of {title}, {committee} {closing}").format(
            title=assessment.title, committee=committee, closing=closing)
    source = _("document no. {number}").format(number=assessment.document_number)
    if assessment.document_date:
        source = _("{source} of {date}").format(source=source,
                                                date=fmt.date(assessment.document_date))
    if assessment.issuer:
        source = _("{source} of {issuer}").format(source=source, issuer=assessment.issuer)
    if assessment.document_title:
        source = f"{source} ({assessment.document_title})"
    return _("Pursuant to {source}, {committee} {closing}").format(
        source=source, committee=committee, closing=closing)


def _result_sentence(facts: RemediationFacts) -> str:
    assessment = facts.assessment
    assert assessment is not None
    if assessment.score is None:
        score = _("{unit} has not been scored yet").format(unit=facts.unit_name)
    else:
        score = _("{unit} scored {score}/{max} points").format(
            unit=facts.unit_name, score=fmt.points(assessment.score),
            max=fmt.points(assessment.max_points))
        if assessment.rank:
            score += ", " + _("ranked {rank}/{of}").format(rank=assessment.rank,
                                                         of=assessment.rank_of or "?")
    lost = facts.lost_criteria
    if not lost:
        return _("In {title}, {score} and lost no points on any criterion.").format(
            title=assessment.title, score=score)
    return _("In {title}, {score}; {points} were lost on {n} criteria.").format(
        title=assessment.title, score=score, points=points_lost(facts.points_lost),
        n=fmt.number(len(lost)))


def _closing_table(document, signing: Signing, recipients: Sequence[str]) -> None:  # noqa: ANN001
    usual = (_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), _("CHAIRMAN"))
    layout.closing(document, _("Recipients:"), recipients, signing.title_lines(usual),
                   signing.signer)


def _appendix(document, facts: RemediationFacts, signing: Signing, *, kind: str,  # noqa: ANN001
              symbol: str, title: str, widths: Sequence[int], results: bool) -> None:
    layout.landscape_section(document)
    layout.paragraph(document, Span(_("Appendix"), bold=True), align="center", indent=False,
                     space_after=Pt(0))
    layout.paragraph(document, Span(title, bold=True), align="center", indent=False,
                     space_after=Pt(0))
    layout.paragraph(document, Span(attached_line(
        kind, symbol, signing, committee_name(facts.unit_name), facts.today.year),
        italic=True), align="center", indent=False, space_after=Pt(0))
    available = layout.PAGE_HEIGHT - layout.MARGIN_LEFT - layout.MARGIN_RIGHT
    layout.rule(document, Mm(40), available)
    document.paragraphs[-1].paragraph_format.space_after = Pt(8)
    rows, merged = appendix_rows(facts, results=results)
    layout.grid_table(document, appendix_headings(), [Mm(w) for w in widths], rows,
                      merged=merged)


def appendix_rows(facts: RemediationFacts, *, results: bool
                  ) -> tuple[list[list[Cell]], list[tuple[int, int, int]]]:
    """One row per task (a criterion without a task: one row of its own); the
    criterion columns of a group span its rows."""
    rows: list[list[Cell]] = []
    merged: list[tuple[int, int, int]] = []
    number = 0
    for group in facts.groups:
        several = len(group.criteria) > 1
        criterion_cells = [
            Cell.of(*(criterion_name(c) for c in group.criteria)),
            Cell.of(*((f"{c.code}: {c.finding}" if several else c.finding)
                      for c in group.criteria if c.finding)),
            Cell.of(fmt.points(group.points_lost), align="center"),
            Cell.of(*(cause_spans(c, several) for c in group.criteria if c.cause)),
        ]
        first = len(rows)
        for task in group.tasks or (None,):
            number += 1
            if task is None:
                task_cells = [Cell.of(Span(_("No remediation task yet."), italic=True)),
                              Cell(), Cell(), Cell(), Cell()]
            else:
                result, evidence = Cell(), Cell()
                if results:
                    result = Cell.of(status_text(task, facts.today), task.result or "")
                    evidence = Cell.of(*(evidence_text(e) for e in task.evidence))
                task_cells = [Cell.of(task.title, Span(task.detail or "", italic=True)),
                              Cell.of(task.owner or ""),
                              Cell.of(fmt.date(task.due, ""), align="center"), result, evidence]
            rows.append([Cell.of(str(number), align="center"), *criterion_cells, *task_cells])
        if len(rows) - 1 > first:
            merged.extend((column, first, len(rows) - 1) for column in (1, 2, 3, 4))
    return rows, merged


def _group_lines(group: RemedyGroup, facts: RemediationFacts, *, results: bool
                 ) -> Iterator[str]:
    """Section II's lines under a criterion: each task, and in the report its result
    and evidence."""
    if not group.tasks:
        yield "- " + _("No remediation task yet.")
        return
    for task in group.tasks:
        if not results:
            details = [task.owner and _("led by {owner}").format(owner=task.owner),
                       task.due and _("deadline {date}").format(date=fmt.date(task.due))]
            shown = "; ".join(part for part in details if part)
            yield f"- {task.title}" + (f" ({shown})." if shown else ".")
            continue
        line = f"- {task.title}: {status_text(task, facts.today)}"
        if task.result:
            line += f"; {task.result}"
        yield line + "."
        if task.evidence:
            yield _("Evidence: {list}.").format(
                list="; ".join(evidence_text(e) for e in task.evidence))


def _opening(facts: RemediationFacts, signing: Signing, language: str, symbol: str, kind: str,
             subject: str) -> DocxDocument:
    """A new document with the commune's header block, its type and its subject."""
    document = layout.new_document(language)
    layout.header_block(document, header(signing, committee_lines(facts.unit_name), symbol,
                                         facts.today))
    layout.title_block(document, kind, subject)
    return document


def plan_document(facts: RemediationFacts, drafts: dict[str, Draft], signing: Signing,
                  language: str) -> DocxDocument:
    """The remediation plan (Kế hoạch), NĐ 30 Mẫu 1.4 with its Phụ lục."""
    assessment = facts.assessment
    assert assessment is not None, "a plan needs an assessment"
    document = _opening(facts, signing, language, PLAN_SYMBOL, _("PLAN"), _(
        "Remedying the criteria that lost points in {title}").format(title=assessment.title))
    layout.paragraph(document, _basis(facts, _("issues the plan to remedy the criteria that "
                                               "lost points, as follows:")))
    layout.heading(document, f"{ROMAN[0]}. " + _("PURPOSE AND REQUIREMENTS"))
    layout.paragraph(document, _result_sentence(facts))
    draft_paragraphs(document, drafts.get("purpose"))
    layout.heading(document, f"{ROMAN[1]}. " + _("TASKS AND MEASURES"))
    if not facts.groups:
        layout.paragraph(document, _("No criterion lost points."))
    for n, group in enumerate(facts.groups, start=1):
        layout.paragraph(document, Span(f"{n}. {group_heading(group)}", bold=True),
                         keep_with_next=True)
        for criterion in group.criteria:
            if criterion.finding:
                layout.paragraph(document, Span(criterion.finding, italic=True))
        for line in _group_lines(group, facts, results=False):
            layout.paragraph(document, line)
    if facts.groups:
        layout.paragraph(document, Span(_("(Details in the attached appendix.)"), italic=True))
    layout.heading(document, f"{ROMAN[2]}. " + _("ORGANISATION OF IMPLEMENTATION"))
    draft_paragraphs(document, drafts.get("organisation"))
    for duty in facts.duties:
        parts = [duty.owner, duty.due and _("deadline {date}").format(date=fmt.date(duty.due))]
        shown = "; ".join(part for part in parts if part)
        layout.paragraph(document, f"- {duty.title}" + (f" ({shown})." if shown else "."))
    layout.paragraph(document, _("The above is the plan of {committee} to remedy the criteria "
                                 "that lost points in {title}./.").format(
        committee=committee_name(facts.unit_name), title=assessment.title))
    recipients = []
    if facts.supervisor:
        recipients.append(_("- {body} (to report);").format(body=facts.supervisor))
    recipients += [_("- Officials in charge (to carry out);"), _("- Archived: Records office.")]
    _closing_table(document, signing, recipients)
    if facts.groups:
        _appendix(document, facts, signing, kind=_("Plan"), symbol=PLAN_SYMBOL,
                  title=_("TASKS TO REMEDY THE CRITERIA THAT LOST POINTS"), widths=PLAN_WIDTHS,
                  results=False)
    return document


def results_document(facts: RemediationFacts, drafts: dict[str, Draft], signing: Signing,
                     language: str, check: DataCheck) -> DocxDocument:
    """The results report (Báo cáo) to the supervisor, NĐ 30 Mẫu 1.4 with its Phụ lục
    and the data check code of the bundle sent with it."""
    assessment = facts.assessment
    assert assessment is not None, "a report needs an assessment"
    document = _opening(facts, signing, language, REPORT_SYMBOL, _("REPORT"), _(
        "Results of remedying the criteria that lost points in {title}").format(
        title=assessment.title))
    addressee = facts.supervisor or DOTTED_NAME
    layout.paragraph(document, _("To: {addressee}.").format(addressee=addressee),
                     align="center", indent=False)
    layout.paragraph(document, _basis(facts, _("reports the results of remedying the criteria "
                                               "that lost points, as follows:")))
    layout.heading(document, f"{ROMAN[0]}. " + _("HOW THE WORK WAS DIRECTED"))
    draft_paragraphs(document, drafts.get("direction"))
    layout.heading(document, f"{ROMAN[1]}. " + _("RESULTS OF THE REMEDIATION"))
    layout.paragraph(document, _result_sentence(facts))
    counts = facts.remedy_counts
    if facts.groups:
        layout.paragraph(document, _(
            "Remediation tasks: {total}; done {done}, in progress {in_progress}, not started "
            "{todo}; overdue {overdue}.").format(
            total=fmt.number(counts.total), done=fmt.number(counts.done),
            in_progress=fmt.number(counts.in_progress), todo=fmt.number(counts.todo),
            overdue=fmt.number(counts.overdue)))
    for n, group in enumerate(facts.groups, start=1):
        layout.paragraph(document, Span(f"{n}. {group_heading(group)}", bold=True),
                         keep_with_next=True)
        for line in _group_lines(group, facts, results=True):
            layout.paragraph(document, line)
    layout.heading(document, f"{ROMAN[2]}. " + _("REMAINING SHORTCOMINGS AND THEIR CAUSES"))
    layout.paragraph(document, Span("1. " + _("Remaining shortcomings"), bold=True),
                     keep_with_next=True)
    remaining = [
        "- " + _("Criterion {code}: {task}: {status}.").format(
            code=", ".join(task.criteria), task=task.title,
            status=status_text(task, facts.today))
        for task in facts.open_tasks]
    remaining += ["- " + _("Criterion {code}: no remediation task yet.").format(code=c.code)
                  for c in facts.without_task]
    if not remaining:
        remaining = [_("Every remediation task is done.")]
    for line in remaining:
        layout.paragraph(document, line)
    layout.paragraph(document, Span("2. " + _("Causes"), bold=True), keep_with_next=True)
    with_cause = [c for c in facts.lost_criteria if c.cause]
    kinds = (("a", _("Objective causes"), lambda c: c.cause_kind in ("objective", "both")),
             ("b", _("Subjective causes"), lambda c: c.cause_kind in ("subjective", "both")),
             ("c", _("Causes not classified yet"), lambda c: c.cause_kind is None))
    for letter, title, belongs in kinds:
        members = [c for c in with_cause if belongs(c)]
        if not members and letter == "c":
            continue
        layout.paragraph(document, Span(f"{letter}) {title}", italic=True),
                         keep_with_next=bool(members))
        for criterion in members:
            layout.paragraph(document, "- " + _("Criterion {code}: {cause}").format(
                code=criterion.code, cause=criterion.cause))
        if not members:
            layout.paragraph(document, "- " + _("None recorded."))
    layout.heading(document, f"{ROMAN[3]}. " + _("PROPOSALS"))
    draft_paragraphs(document, drafts.get("proposals"))
    layout.paragraph(document, _("The above is the report of {committee} on the results of "
                                 "remedying the criteria that lost points in {title}./.").format(
        committee=committee_name(facts.unit_name), title=assessment.title))
    _closing_table(document, signing, [_("- As above;"), _("- Archived: Records office.")])
    _data_check(document, check)
    if facts.groups:
        _appendix(document, facts, signing, kind=_("Report"), symbol=REPORT_SYMBOL,
                  title=_("RESULTS OF THE TASKS TO REMEDY THE CRITERIA THAT LOST POINTS"),
                  widths=RESULTS_WIDTHS, results=True)
    return document


def check_code_line(check: DataCheck) -> str:
    from tui.words.bundle import check_code

    return _("Data check code: {code} (file {file})").format(code=check_code(check.sha256),
                                                             file=check.file_name)


def _data_check(document, check: DataCheck) -> None:  # noqa: ANN001
    """At the foot: the bundle's check code, so the signed paper vouches for the file."""
    layout.paragraph(document, Span(check_code_line(check), bold=True), size=layout.FOOT_PT,
                     align="left", indent=False, space_after=Pt(0)
                     ).paragraph_format.space_before = Pt(12)
    layout.paragraph(document, "SHA-256: " + check.sha256, size=layout.FOOT_PT - 2,
                     align="left", indent=False, space_after=Pt(0))
    if check.key_fingerprint:
        layout.paragraph(document, _("Unit's key fingerprint: {fingerprint}").format(
            fingerprint=check.key_fingerprint), size=layout.FOOT_PT, align="left",
            indent=False, space_after=Pt(0))
