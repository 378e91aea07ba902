"""The supervisor's own summary report (Báo cáo tổng hợp) for the province's
leadership, laid out like the units' documents (NĐ 30): totals, the units late,
the overdue tasks, the points lost per domain. Long lists stop at LIST_LIMIT rows
and say where the rest is: every row is in the summary workbook written with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.shared import Mm

from tui.documents import layout
from tui.documents.layout import Cell, Span
from tui.documents.official import DOTTED_NAME, Signing, header
from tui.documents.remediation import REPORT_SYMBOL, ROMAN
from tui.i18n import _
from tui.words import format as fmt

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from store.report.review import ReviewSummary

LIST_LIMIT = 100


def _more(document, shown: int, total: int, sheet: str) -> None:  # noqa: ANN001
    if total > shown:
        layout.paragraph(document, Span(_(
            "… and {n} more: every row is in the summary workbook, sheet “{sheet}”.").format(
            n=fmt.number(total - shown), sheet=sheet), italic=True))


def summary_document(summary: ReviewSummary, signing: Signing, language: str,
                     workbook_name: str) -> DocxDocument:
    """workbook_name: the summary workbook written with it, named in the text."""
    document = layout.new_document(language)
    issuer = (Span(signing.unit_name.upper(), bold=True),) if signing.unit_name else (
        Span(DOTTED_NAME),)
    layout.header_block(document, header(signing, issuer, REPORT_SYMBOL, summary.today))
    layout.title_block(document, _("REPORT"), _(
        "Summary of the units' remediation of the criteria that lost points"))
    addressee = signing.supervisor or DOTTED_NAME
    layout.paragraph(document, _("To: {addressee}.").format(addressee=addressee),
                     align="center", indent=False)
    totals = summary.totals
    layout.paragraph(document, _(
        "From the progress bundles received up to {date} from {units} units, the state of "
        "their remediation is as follows (figures per unit in the workbook {file}):").format(
        date=fmt.date(summary.today), units=fmt.number(totals.units), file=workbook_name))
    layout.heading(document, f"{ROMAN[0]}. " + _("OVERVIEW"))
    for line in (
        _("Units: {units}; average score {score}; points lost in all {points}.").format(
            units=fmt.number(totals.units), score=fmt.points(totals.average_score),
            points=fmt.points(totals.points_lost)),
        _("Remediation tasks: {tasks}; done {done} ({percent}); overdue {overdue}.").format(
            tasks=fmt.number(totals.tasks_total), done=fmt.number(totals.tasks_done),
            percent=fmt.percent(totals.percent_done, 1), overdue=fmt.number(totals.tasks_overdue)),
        _("Units with overdue tasks: {late}; units without a bundle in the last 30 days: "
          "{stale}.").format(late=fmt.number(totals.units_with_overdue),
                             stale=fmt.number(totals.stale_units)),
    ):
        layout.paragraph(document, "- " + line)

    layout.heading(document, f"{ROMAN[1]}. " + _("UNITS BEHIND"))
    late = summary.late_units
    if not late:
        layout.paragraph(document, _("No unit is behind."))
    else:
        shown = late[:LIST_LIMIT]
        layout.grid_table(document, [_("Item"), _("Unit code"), _("Unit"), _("Overdue"),
                                     _("% done"), _("Last bundle sent on")],
                          [Mm(w) for w in (12, 20, 55, 22, 22, 34)], [
            [Cell.of(str(n), align="center"), Cell.of(u.code), Cell.of(u.name),
             Cell.of(fmt.number(u.tasks_overdue), align="center"),
             Cell.of(fmt.percent(u.percent_done, 1), align="center"),
             Cell.of(fmt.date(u.last_bundle_on), align="center")]
            for n, u in enumerate(shown, start=1)])
        _more(document, len(shown), len(late), _("Units"))

    layout.heading(document, f"{ROMAN[2]}. " + _("OVERDUE TASKS"))
    overdue = sorted(summary.overdue, key=lambda t: (-t.days_late, t.unit_code))
    if not overdue:
        layout.paragraph(document, _("No task is overdue."))
    else:
        shown_tasks = overdue[:LIST_LIMIT]
        layout.grid_table(document, [_("Item"), _("Unit"), _("Criteria"), _("Task"),
                                     _("Time limit"), _("Days overdue")],
                          [Mm(w) for w in (12, 33, 18, 60, 22, 20)], [
            [Cell.of(str(n), align="center"), Cell.of(f"{t.unit_name} ({t.unit_code})"),
             Cell.of(t.criteria), Cell.of(t.title, t.owner or ""),
             Cell.of(fmt.date(t.due), align="center"),
             Cell.of(fmt.number(t.days_late), align="center")]
            for n, t in enumerate(shown_tasks, start=1)])
        _more(document, len(shown_tasks), len(overdue), _("Overdue"))

    layout.heading(document, f"{ROMAN[3]}. " + _("POINTS LOST PER DOMAIN"))
    layout.grid_table(document, [_("Domain"), _("Units that lost points"), _("Points lost"),
                                 _("Average per unit"), _("Overdue tasks")],
                      [Mm(w) for w in (65, 25, 25, 25, 25)], [
        [Cell.of(f"{d.code}. {d.title}" if d.title else d.code),
         Cell.of(fmt.number(d.units_losing), align="center"),
         Cell.of(fmt.points(d.points_lost), align="center"),
         Cell.of(fmt.points(d.average_lost), align="center"),
         Cell.of(fmt.number(d.overdue_tasks), align="center")] for d in summary.domains])
    layout.paragraph(document, _("The above is the summary of the units' remediation./."))
    layout.closing(document, _("Recipients:"), [_("- As above;"), _("- Archived: Records office.")],
                   signing.title_lines((_("DIRECTOR"),)), signing.signer)
    return document
