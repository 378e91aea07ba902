"""`cchc review assign`: the supervisor's appraisal workbook -> one assignment file per
unit; also its empty template, and notes alone.

    cchc review assign --template FILE.xlsx [--from-year YEAR]
    cchc review assign WORKBOOK --title ... --index PAR --year 2025 --issuer-code SNV-87
        --issuer-name ... --letter "2231/SNV-CCHC" --letter-date 2026-05-20
        --due 2026-06-16 --report-due 2026-06-20 --out DIR [--assessment-id ID] [--dry-run]
    cchc review assign --notes-only --out DIR [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.i18n import _
from tui.words.visible import say


def parser() -> argparse.ArgumentParser:
    """Its own parser: `cchc review` hands over the words after `assign`."""
    from tui.words.assign import cli_date

    parser = argparse.ArgumentParser(
        prog="cchc review assign",
        description=_("Read the province's appraisal workbook (.xlsx), check every row, show "
                      "per unit the criteria, points lost and tasks, then write one "
                      "assignment file per unit into DIR. Nothing is written if any row is "
                      "wrong. Issuing again after a correction keeps the task ids."))
    parser.add_argument("workbook", nargs="?", metavar=_("WORKBOOK"),
                        help=_("the appraisal workbook (.xlsx)"))
    parser.add_argument("--template", metavar=_("FILE"),
                        help=_("write an empty workbook to fill in: a block of rows per unit "
                               "of the review database, with the criteria tree of the latest "
                               "assessment held"))
    parser.add_argument("--from-year", type=int, metavar=_("YEAR"),
                        help=_("with --template: the criteria tree of that year's assessment"))
    parser.add_argument("--notes-only", action="store_true",
                        help=_("send the notes not yet sent, without a new workbook"))
    parser.add_argument("--title", metavar=_("TEXT"),
                        help=_("the assessment's title, e.g. “Chỉ số CCHC năm 2025”"))
    parser.add_argument("--index", choices=("PAR", "SIPAS", "OTHER"),
                        help=_("the index: PAR, SIPAS or OTHER"))
    parser.add_argument("--year", type=int, metavar=_("YEAR"), help=_("the year assessed"))
    parser.add_argument("--issuer-code", metavar=_("CODE"),
                        help=_("the issuing body's code, e.g. SNV-87"))
    parser.add_argument("--issuer-name", metavar=_("NAME"),
                        help=_("the issuing body's name"))
    parser.add_argument("--letter", metavar=_("NUMBER"),
                        help=_("number and symbol of the letter, e.g. 2231/SNV-CCHC"))
    parser.add_argument("--letter-date", type=cli_date, metavar=_("DATE"),
                        help=_("the letter's date"))
    parser.add_argument("--letter-title", metavar=_("TITLE"),
                        help=_("the letter's subject (optional)"))
    parser.add_argument("--due", type=cli_date, metavar=_("DATE"),
                        help=_("the remediation deadline of every task"))
    parser.add_argument("--report-due", type=cli_date, metavar=_("DATE"),
                        help=_("the deadline of the results report"))
    parser.add_argument("--assessment-id", metavar=_("ID"),
                        help=_("the assessment's id (default: <issuer code>-<index>-<year> "
                               "in lower case)"))
    parser.add_argument("--out", metavar=_("DIR"), help=_("the folder to write the files to"))
    parser.add_argument("--dry-run", action="store_true",
                        help=_("check and show what would be written; write nothing"))
    return parser


_REQUIRED_FOR_ISSUE = ("title", "index", "year", "issuer_code", "issuer_name", "letter",
                       "out")


def _missing_options(args: argparse.Namespace) -> list[str]:
    return ["--" + name.replace("_", "-") for name in _REQUIRED_FOR_ISSUE
            if getattr(args, name) is None]


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    modes = [bool(args.template), bool(args.notes_only), bool(args.workbook)]
    if sum(modes) != 1:
        say(_("Give a workbook, or --template FILE, or --notes-only (one of them)."),
              file=sys.stderr)
        return 2
    if args.template:
        return _template(args, context)
    if args.notes_only:
        if args.out is None:
            say(_("--notes-only needs --out DIR."), file=sys.stderr)
            return 2
        return _issue(args, context, None)
    missing = _missing_options(args)
    if missing:
        say(_("Also needed: {options}.").format(options=", ".join(missing)), file=sys.stderr)
        return 2
    return _from_workbook(args, context)


def _template(args: argparse.Namespace, context) -> int:  # noqa: ANN001
    from store.assign.template import TemplateDone, TemplateRefused, write_template
    from store.review import close_after_receiving, open_review_for_receiving
    from tui.words.bundle import export_failure_sentence

    locations = context.locations
    db = open_review_for_receiving(locations.review_db_path, locations.backups_dir)
    try:
        result = write_template(db, Path(args.template).expanduser(), year=args.from_year)
    finally:
        close_after_receiving(db)
    if isinstance(result, TemplateRefused):
        say(_("The review database holds no assessment of {year}.").format(year=result.year),
              file=sys.stderr)
        return 1
    if not isinstance(result, TemplateDone):
        say(export_failure_sentence(result), file=sys.stderr)
        return 1
    say(_("Template written: {path} ({units} units, {rows} rows).").format(
        path=result.path, units=result.units, rows=result.rows))
    if result.source is None:
        say(_("The review database holds no assessment yet: fill in the criteria rows "
                "yourself."))
    else:
        say(_("Criteria tree: {title} ({index} {year}) of unit {unit}, {n} "
                "criteria.").format(title=result.source.title, index=result.source.index,
                                    year=result.source.year, unit=result.source.unit_code,
                                    n=result.source.criteria))
    return 0


def _from_workbook(args: argparse.Namespace, context) -> int:  # noqa: ANN001
    from store.assign.issue import IssueOptions, check_options
    from store.assign.workbook import read_workbook_file
    from tui.words.assign import option_problem, workbook_error_lines, workbook_warning_lines

    path = Path(args.workbook).expanduser()
    read = read_workbook_file(path)
    for line in workbook_error_lines(read, path.name):
        say(line, file=sys.stderr)
    for line in workbook_warning_lines(read, path.name):
        say(line)
    options = IssueOptions(
        title=args.title, index=args.index, year=args.year, issuer_code=args.issuer_code,
        issuer_name=args.issuer_name, letter=args.letter, letter_date=args.letter_date,
        due=args.due, report_due=args.report_due, assessment_id=args.assessment_id,
        letter_title=args.letter_title)
    problems = check_options(options)
    for problem in problems:
        say(option_problem(problem), file=sys.stderr)
    if not read.ok or problems:
        say(_("Nothing was written."), file=sys.stderr)
        return 1
    return _issue(args, context, (read, options))


def _issue(args: argparse.Namespace, context, source) -> int:  # noqa: ANN001
    from store.assign.issue import IssueDone, IssuePreview, IssueRefused
    from tui.services.assigning import issue_with_review_key, officer_sender
    from tui.words.assign import assignment_refusal, issue_line, issue_totals
    from tui.words.bundle import export_failure_sentence
    from tui.words.keys import signed_with

    outcome = issue_with_review_key(context.locations, Path(args.out).expanduser(),
                                    officer_sender(context.config), source=source,
                                    dry_run=args.dry_run)
    if outcome.key_notice is not None:
        say(outcome.key_notice, file=sys.stderr)
    result = outcome.result
    if result is None:
        say(_("Nothing was written."), file=sys.stderr)
        return 1
    if isinstance(result, IssueRefused):
        if result.refusal is not None:
            say(_("The assignment for unit {unit} would break the format, so nothing was "
                    "written: {reason}").format(unit=result.unit_code,
                                                reason=assignment_refusal(result.refusal)),
                  file=sys.stderr)
        say(_("Nothing was written."), file=sys.stderr)
        return 1
    if not isinstance(result, (IssuePreview, IssueDone)):
        say(export_failure_sentence(result), file=sys.stderr)
        return 1
    preview = result if isinstance(result, IssuePreview) else result.preview
    for unit in preview.units:
        say(issue_line(unit, written=isinstance(result, IssueDone)))
    for unit_code in preview.without_assignment:
        say(_("{unit}: notes wait, but no assignment was issued to this unit yet; they go "
                "with its first one.").format(unit=unit_code))
    say(issue_totals(preview))
    if isinstance(result, IssuePreview):
        say(_("Dry run: nothing was written."))
    elif preview.units:
        say(_("Written to {folder}.").format(folder=result.folder))
        say(signed_with(outcome.fingerprint))
    return 0
