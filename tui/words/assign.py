"""Sentences for assignments: the appraisal workbook's problems (each with its cell),
the issuing preview, the unit's import verdicts and summary, and the assignment's
refusals where they differ from a progress bundle's.

Light imports only: the store's results arrive as values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tui.words import format as fmt
from tui.words.bundle import _created_date, check_code, refusal_sentence, warning_sentence
from tui.i18n import _, ngettext

# How many of a workbook's problems the command line prints before "and N more".
SHOWN_PROBLEMS = 50


def _header_list(names: Any) -> str:
    return ", ".join(f"“{name}”" for name in names or ()) or "—"


_WORKBOOK_PROBLEMS: dict[str, Callable[[dict[str, Any]], str]] = {
    "too_large": lambda d: _("The workbook is {size} bytes, over the limit of {limit} bytes "
                             "(32 MiB); it was not read.").format(
        size=fmt.number(d.get("size")), limit=fmt.number(d.get("limit"))),
    "unreadable": lambda d: _("The workbook could not be read: {reason}.").format(
        reason=d.get("reason", "")),
    "empty": lambda d: _("The file is empty."),
    "not_a_file": lambda d: _("This is a folder or a device, not a workbook file."),
    "old_excel": lambda d: _("This is an old Excel file (.xls) or a password-protected "
                             "workbook. Open it in Excel or LibreOffice and save it as .xlsx "
                             "without a password."),
    "text_file": lambda d: _("This is a text file (such as a CSV), not an Excel workbook. "
                             "Open it in Excel or LibreOffice and save it as .xlsx."),
    "not_xlsx": lambda d: _("This is not an Excel workbook (.xlsx)."),
    "zip_not_xlsx": lambda d: {
        "docx": _("This is a Word document, not an Excel workbook (.xlsx)."),
        "xlsb": _("This is an Excel binary workbook (.xlsb). Save it as .xlsx."),
    }.get(d.get("kind"), _("This is a ZIP archive, not an Excel workbook (.xlsx).")),
    "too_many_parts": lambda d: _("The workbook holds {count} parts, more than a workbook "
                                  "has ({limit}); it was not read.").format(
        count=fmt.number(d.get("count")), limit=fmt.number(d.get("limit"))),
    "unpacks_too_large": lambda d: _("The workbook unpacks to more than {limit} bytes: it is "
                                     "damaged or made to exhaust the computer (a ZIP "
                                     "bomb); it was not read.").format(
        limit=fmt.number(d.get("limit"))),
    "encrypted_part": lambda d: _("Part of the workbook is encrypted; save it without a "
                                  "password."),
    "xml_declarations": lambda d: _("The workbook declares XML entities, which Excel never "
                                    "writes: it may be made to exhaust the computer (an XML "
                                    "bomb) or to read other files; it was not read."),
    "damaged": lambda d: _("The workbook is damaged and could not be read ({error}).").format(
        error=d.get("error", "")),
    "no_sheet": lambda d: _("The workbook has no worksheet."),
    "no_headers": lambda d: _("No header row was recognised in the first 20 rows. Headers "
                              "found: {found}. Needed: {needed}; missing: {missing}.").format(
        found=_header_list(d.get("found")), needed=_header_list(d.get("needed")),
        missing=_header_list(d.get("missing"))),
    "duplicate_header": lambda d: _("A second column “{column}”; the first is {first}.").format(
        column=d.get("column", ""), first=d.get("first", "")),
    "no_rows": lambda d: _("The sheet has its headers but no rows below them."),
    "required": lambda d: _("The column “{column}” is empty here; it is required.").format(
        column=d.get("column", "")),
    "formula_without_value": lambda d: _("A formula whose value was never calculated. Open "
                                         "the workbook in Excel or LibreOffice and save it "
                                         "again."),
    "not_a_number": lambda d: _("“{value}” is not a number of points (e.g. 1,5).").format(
        value=d.get("value", "")),
    "negative": lambda d: _("Points cannot be negative ({value}).").format(
        value=d.get("value", "")),
    "too_many_decimals": lambda d: _("Points have at most two decimals; found {value}.").format(
        value=fmt.number(d.get("value"), 4) if isinstance(d.get("value"), float)
        else d.get("value")),
    "bad_unit_code": lambda d: _("“{value}” is not a unit code (1 to 16 letters, digits, "
                                 "'.', '_' or '-').").format(value=d.get("value", "")),
    "bad_criterion_code": lambda d: _("“{value}” is not a criterion code such as "
                                      "3.2.1.").format(value=d.get("value", "")),
    "bad_level": lambda d: _("“{value}” is not a unit level; use one of: {allowed}.").format(
        value=d.get("value", ""), allowed=", ".join(d.get("allowed") or ())),
    "too_long": lambda d: _("The text is too long: {length} characters, at most "
                            "{limit}.").format(length=fmt.number(d.get("length")),
                                               limit=fmt.number(d.get("limit"))),
    "control_character": lambda d: _("The text holds a control character, which is not "
                                     "allowed."),
    "not_text": lambda d: _("A date or a true/false value ({value}) where a text is "
                            "expected.").format(value=d.get("value", "")),
    "unit_name_differs": lambda d: _("Unit {unit} is named “{first}” at {first_cell} but "
                                     "otherwise here.").format(
        unit=d.get("unit"), first=d.get("first"), first_cell=d.get("first_cell")),
    "unit_level_differs": lambda d: _("Unit {unit} is at level “{first}” at {first_cell} but "
                                      "at another level here.").format(
        unit=d.get("unit"), first=d.get("first"), first_cell=d.get("first_cell")),
    "duplicate_criterion": lambda d: _("Criterion {code} of unit {unit} appears a second "
                                       "time; the first is at {first_cell}.").format(
        code=d.get("code"), unit=d.get("unit"), first_cell=d.get("first_cell")),
    "missing_parent": lambda d: _("Criterion {code} of unit {unit} has no row for its parent "
                                  "criterion {parent}.").format(
        code=d.get("code"), unit=d.get("unit"), parent=d.get("parent")),
    "score_above_max": lambda d: _("The score {score} is above the maximum {max}.").format(
        score=fmt.points(d.get("score")), max=fmt.points(d.get("max"))),
    "too_many_criteria": lambda d: _("Unit {unit} has more than {limit} criteria from this "
                                     "row on; one assignment holds at most {limit}.").format(
        unit=d.get("unit"), limit=fmt.number(d.get("limit"))),
    "no_points": lambda d: _("The domains of unit {unit} total 0 points.").format(
        unit=d.get("unit")),
}

_WORKBOOK_WARNINGS: dict[str, Callable[[dict[str, Any]], str]] = {
    "commune_code": lambda d: _("The code {unit} of a commune or ward is not 5 digits (in a "
                                "number cell, leading zeros are lost).").format(
        unit=d.get("unit")),
    "number_code": lambda d: _("The criterion code {value} is a number cell: check that it "
                               "is not 3.10 read as 3.1.").format(value=d.get("value")),
    "points_sum_mismatch": lambda d: _("Criterion {code} of unit {unit}: its maximum {max} "
                                       "differs from the sum of its sub-criteria "
                                       "({sum}).").format(
        code=d.get("code"), unit=d.get("unit"), max=fmt.points(d.get("max")),
        sum=fmt.points(d.get("sum"))),
}


def workbook_problem(problem: Any, warning: bool = False) -> str:
    """A WorkbookProblem (store.assign.workbook) in words, after its cell."""
    table = _WORKBOOK_WARNINGS if warning else _WORKBOOK_PROBLEMS
    words = table.get(problem.code)
    text = words(problem.details) if words else problem.code
    return f"{problem.cell}: {text}" if problem.cell else text


def workbook_error_lines(read: Any, file_name: str) -> list[str]:
    """Every error of a WorkbookRead (up to SHOWN_PROBLEMS, then how many more)."""
    lines = [_("{file}: error: {text}").format(file=file_name, text=workbook_problem(problem))
             for problem in read.errors[:SHOWN_PROBLEMS]]
    hidden = read.errors_total - min(len(read.errors), SHOWN_PROBLEMS)
    if hidden > 0:
        lines.append(ngettext("… and {n} more error.", "… and {n} more errors.", hidden).format(
            n=fmt.number(hidden)))
    return lines


def workbook_warning_lines(read: Any, file_name: str) -> list[str]:
    lines = [_("{file}: warning: {text}").format(
        file=file_name, text=workbook_problem(problem, warning=True))
        for problem in read.warnings[:SHOWN_PROBLEMS]]
    hidden = len(read.warnings) - SHOWN_PROBLEMS
    if hidden > 0:
        lines.append(ngettext("… and {n} more warning.", "… and {n} more warnings.",
                              hidden).format(n=fmt.number(hidden)))
    return lines


_OPTIONS = {"title": "--title", "issuer_name": "--issuer-name", "letter": "--letter",
            "letter_title": "--letter-title", "issuer_code": "--issuer-code",
            "index": "--index", "year": "--year", "assessment_id": "--assessment-id"}


def option_problem(problem: Any, named: bool = True) -> str:
    """An OptionProblem (store.assign.issue) in words, naming the option (not named:
    for the form's field it is shown under)."""
    option = _OPTIONS.get(problem.option, problem.option)
    d = problem.details
    if problem.code == "required" or (problem.code == "bad_issuer_code"
                                      and not d.get("value")):
        text = _("it is required")
    elif problem.code == "too_long":
        text = _("at most {limit} characters").format(limit=fmt.number(d.get("limit")))
    elif problem.code == "bad_issuer_code":
        text = _("“{value}” is not an issuer code (1 to 16 letters, digits, '.', '_' or "
                 "'-', e.g. SNV-87)").format(value=d.get("value", ""))
    elif problem.code == "bad_index":
        text = _("“{value}” is not one of {allowed}").format(
            value=d.get("value", ""), allowed=", ".join(d.get("allowed") or ()))
    elif problem.code == "year_out_of_range":
        text = _("{value} is not a year from 2000 to 2100").format(value=d.get("value"))
    elif problem.code == "bad_assessment_id":
        text = _("“{value}” is not an id of letters, digits, '.', '_' or '-' (at most "
                 "64)").format(value=d.get("value", ""))
    else:
        text = problem.code
    return f"{option}: {text}." if named else f"{text[:1].upper()}{text[1:]}."


def issue_line(unit: Any, written: bool = False) -> str:
    """One unit of the issuing preview (a UnitIssue); once written, with the check code
    the supervisor's letter may quote (the unit's import shows the same)."""
    line = _("{code} {name}: {criteria} criteria, {lost} points lost, {tasks} tasks").format(
        code=unit.unit_code, name=unit.unit_name, criteria=fmt.number(unit.criteria),
        lost=fmt.points(unit.points_lost), tasks=fmt.number(unit.tasks))
    if unit.notes:
        line += ", " + ngettext("{n} note", "{n} notes", unit.notes).format(
            n=fmt.number(unit.notes))
    if unit.rank is not None:
        line += ", " + _("rank {rank}/{of}").format(rank=unit.rank, of=unit.rank_of)
    line = f"{line} → {unit.file_name}"
    if written:
        line += " " + _("(check code {code})").format(code=check_code(unit.sha256))
    return line


def issue_totals(preview: Any) -> str:
    units = preview.units
    return _("{units}, {tasks} tasks, {notes} notes.").format(
        units=ngettext("{n} unit", "{n} units", len(units)).format(n=fmt.number(len(units))),
        tasks=fmt.number(sum(u.tasks for u in units)),
        notes=fmt.number(sum(u.notes for u in units)))


# Where the progress bundle's sentence (words.bundle.REFUSAL) speaks of a progress bundle.
_ASSIGNMENT_REFUSALS: dict[str, Callable[[dict[str, Any]], str]] = {
    "archive": lambda d: _("This is a ZIP or Office file (such as XLSX or DOCX) with a "
                           "changed name, not an assignment."),
    "wrong_encoding": lambda d: _("The file is encoded in {encoding}; an assignment must be "
                                  "UTF-8.").format(encoding=d.get("encoding", "")),
    "not_utf8": lambda d: _("The file is not UTF-8 text; it is damaged or not an "
                            "assignment."),
    "too_deep": lambda d: _("The file is nested too deeply to be an assignment."),
    "not_an_object": lambda d: _("The file holds no object; it is not an assignment."),
    "wrong_format": lambda d: _("This is not a CCHC Tracker file (format: {found}).").format(
        found=d.get("found")),
    "digest_mismatch": lambda d: _("The file was damaged or altered after the supervisor "
                                   "wrote it: its content does not match its integrity code. "
                                   "Ask for it to be sent again."),
}


def assignment_refusal(refusal: Any) -> str:
    """A refusal of an assignment: where the progress bundle's words speak of a
    progress bundle, an assignment's; else the one table's (words.bundle.REFUSAL)."""
    words = _ASSIGNMENT_REFUSALS.get(refusal.code)
    if words is None:
        return refusal_sentence(refusal)
    text = words(refusal.details)
    if refusal.path and refusal.path not in ("$", "$.unit.code"):
        text += " " + _("(at {path})").format(path=refusal.path)
    return text


def assignment_warning(warning: Any) -> str:
    """A warning of an assignment: the issuer's sequence told as such, others as for
    any bundle (words.bundle.WARNING)."""
    d = warning.details
    if warning.code == "gap":
        if d.get("first") == d.get("last"):
            return _("Assignment {first} of this issuer never arrived.").format(
                first=d.get("first"))
        return _("Assignments {first} to {last} of this issuer never arrived.").format(
            first=d.get("first"), last=d.get("last"))
    if warning.code == "fork":
        return _("This assignment does not follow the last one held from this issuer: the "
                 "issuer's record forked (perhaps restored from a backup).")
    if warning.code == "key_taken_on_first_use":
        return _("No key was held for this issuer, so the key {fingerprint} was taken from "
                 "this file. Compare it with the fingerprint on the supervisor's signed "
                 "letter.").format(fingerprint=d.get("fingerprint"))
    if warning.code == "demo_data":
        return _("Sample data: {code} is the demo's unit code, so this is not an assignment "
                 "for a real unit.").format(code=d.get("code", ""))
    return warning_sentence(warning)


def assignment_summary(assignment: Any) -> str:
    """A valid assignment in one line (cchc check)."""
    tasks = sum(len(a.tasks) for a in assignment.assessments)
    return _("assignment {sequence} of {date} from {issuer} {issuer_name} for unit {code} "
             "{name}, {tasks} tasks, {notes} notes").format(
        sequence=assignment.sequence, date=_created_date(assignment.created_at),
        issuer=assignment.issuer.code, issuer_name=assignment.issuer.name,
        code=assignment.unit.code, name=assignment.unit.name, tasks=fmt.number(tasks),
        notes=fmt.number(len(assignment.notes)))


def import_verdict(result: Any) -> str:
    """An ImportResult (store.assign.importing) in one sentence."""
    known = dict(sequence=result.sequence, issuer=result.issuer_code,
                 issuer_name=result.issuer_name, date=_created_date(result.created_at))
    if result.verdict == "accepted" and result.applied:
        return _("Imported: assignment {sequence} of {date} from {issuer} "
                 "{issuer_name}.").format(**known)
    if result.verdict == "accepted":
        return _("Dry run: assignment {sequence} of {date} from {issuer} {issuer_name} would "
                 "be imported; nothing was changed.").format(**known)
    if result.verdict == "already_imported":
        return _("Already imported: assignment {sequence} from {issuer}; nothing "
                 "changed.").format(**known)
    if result.verdict == "conflicting_id":
        return _("Refused: another assignment with the same id was imported before; this "
                 "file may have been altered.")
    if result.verdict == "older_than_held":
        return _("Refused as older: this is assignment {sequence} from {issuer}, but "
                 "assignment {held} of {held_date} is already held.").format(
            held=result.held_sequence, held_date=_created_date(result.held_created_at),
            **known)
    return _("Refused: {reason}").format(reason=assignment_refusal(result.refusal))


def _codes(codes: tuple[str, ...], shown: int = 8) -> str:
    text = ", ".join(codes[:shown])
    return text + (", …" if len(codes) > shown else "")


def summary_lines(summary: Any) -> list[str]:
    """An ImportSummary: what the file changes, one line per kind of thing."""
    n = fmt.number
    lines = [
        _("Assessments: {new} new, {updated} updated, {unchanged} unchanged.").format(
            new=n(summary.assessments_new), updated=n(summary.assessments_updated),
            unchanged=n(summary.assessments_unchanged)),
        _("Criteria: {new} new, {updated} updated, {unchanged} unchanged, {removed} removed, "
          "{kept} kept (no longer in the assignment).").format(
            new=n(summary.criteria_new), updated=n(summary.criteria_updated),
            unchanged=n(summary.criteria_unchanged), removed=n(len(summary.criteria_removed)),
            kept=n(len(summary.criteria_kept))),
        _("Tasks: {new} new, {updated} updated, {withdrawn} withdrawn, {unchanged} "
          "unchanged.").format(new=n(summary.tasks_new), updated=n(summary.tasks_updated),
                               withdrawn=n(summary.tasks_withdrawn),
                               unchanged=n(summary.tasks_unchanged)),
        _("Notes: {new} new, {held} already held.").format(new=n(summary.notes_new),
                                                           held=n(summary.notes_held)),
    ]
    if summary.criteria_removed:
        lines.append("  " + _("removed: {codes}").format(codes=_codes(summary.criteria_removed)))
    if summary.criteria_kept:
        lines.append("  " + _("no longer in the assignment but kept, as tasks cite them: "
                              "{codes}").format(codes=_codes(summary.criteria_kept)))
    if summary.notes_without_task:
        lines.append("  " + ngettext(
            "{n} note is about a task this unit does not hold; it was not stored.",
            "{n} notes are about tasks this unit does not hold; they were not stored.",
            len(summary.notes_without_task)).format(n=n(len(summary.notes_without_task))))
    return lines


def import_preview_lines(preview: Any) -> list[str]:
    """What a dry run of an ImportResult says the file changes (nothing when it is
    refused or already held): `cchc import` prints it, the app's import screen shows it."""
    if preview.summary is None:
        return []
    return [_("{file}: this assignment changes:").format(file=preview.file_name),
            *("  " + line for line in summary_lines(preview.summary))]


def import_changed_meanwhile_lines(preview: Any, result: Any) -> list[str]:
    """What was applied, when it differs from what the dry run showed (another window
    changed the database in between)."""
    if result is preview or result.summary is None or result.summary == preview.summary:
        return []
    return [_("It changed meanwhile; what was applied:"),
            *("  " + line for line in summary_lines(result.summary))]


def import_detail_lines(result: Any) -> list[str]:
    """The lines below an import's verdict: check code, warnings, the backup taken."""
    lines = []
    if result.sha256 is not None and result.verdict in ("accepted", "already_imported"):
        lines.append("  " + _("Check code: {code}").format(code=check_code(result.sha256)))
    lines.extend("  " + _("warning: {text}").format(text=assignment_warning(warning))
                 for warning in result.warnings)
    if result.backup is not None:
        lines.append(_("Backup taken before: {path}").format(path=result.backup))
    return lines


def issuer_key_card(card: Any) -> str:
    """A supervisor's key card (store.bundle.keycard.KeyCard) before it is enrolled."""
    return _("Key card of {code} {name}; its fingerprint is {fingerprint}.").format(
        code=card.code, name=card.name, fingerprint=card.fingerprint)


def issuer_key_outcome(outcome: Any, shown: str) -> str:
    """What enrolling a supervisor's key card did in the unit's database (a
    store.review.senders.KeyOutcome: the same rules as a review's, for an issuer)."""
    o = outcome
    issuer = o.code + (f" {o.name}" if o.name else "")
    sentences = {
        "enrolled": lambda: _("{file}: the key of {issuer} is held now: {fingerprint}. Its "
                              "assignments signed with another key are refused; compare it "
                              "with the fingerprint on the supervisor's signed letter."),
        "confirmed": lambda: _("{file}: the key of {issuer} taken from its first assignment "
                               "is this card's key; it is confirmed now ({fingerprint})."),
        "already_held": lambda: _("{file}: the key of {issuer} ({fingerprint}) was already "
                                  "held and confirmed; nothing changed."),
        "other_key_held": lambda: _(
            "{file}: refused — another key is held for {issuer} ({held}); the card's is "
            "{fingerprint}. Nothing changed: ask the supervisor which key is theirs."),
        "key_of_another_sender": lambda: _("{file}: refused — this key is already held for "
                                           "{other}; nothing changed."),
    }
    words = sentences.get(o.outcome, lambda: o.outcome)
    return words().format(file=shown, issuer=issuer, fingerprint=o.fingerprint, held=o.held,
                          other=o.other)


def cli_date(text: str) -> dt.date:
    """A date given on the command line: 2026-06-16 or 16/06/2026."""
    import argparse

    from tui.words import parse

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        value = parse.date(text)
    except parse.InputProblem as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    if value is None:
        raise argparse.ArgumentTypeError(fmt.date_problem())
    return value


# -- assigned against reported (the review's overview and a unit's detail) -------------

def sent_cell(state: Any) -> str:
    """The newest assignment sent to a unit (a store.assign.overview.UnitAssignments):
    its number and date."""
    return f"{state.sent_sequence} · {_created_date(state.sent_at)}"


def held_cell(state: Any) -> str:
    """The number the unit reports holding; a mark when it is not the newest."""
    held = "—" if state.held_sequence is None else str(state.held_sequence)
    return held if state.up_to_date else f"✗ {held}"


def assignment_line(state: Any) -> str:
    """A unit's assignments in one line, under its detail's summary."""
    parts = [_("assignment {n} of {date} sent").format(
        n=state.sent_sequence, date=_created_date(state.sent_at))]
    if state.held_sequence is None:
        parts.append(_("the unit reports holding none"))
    elif state.up_to_date:
        parts.append(_("the unit holds it"))
    else:
        parts.append(_("the unit holds assignment {n}: not the newest").format(
            n=state.held_sequence))
    if state.missing_tasks:
        parts.append(ngettext("{n} assigned task missing from its bundle",
                              "{n} assigned tasks missing from its bundle",
                              len(state.missing_tasks)).format(
            n=fmt.number(len(state.missing_tasks))))
    if state.withdrawn_tasks:
        parts.append(ngettext("{n} task withdrawn", "{n} tasks withdrawn",
                              len(state.withdrawn_tasks)).format(
            n=fmt.number(len(state.withdrawn_tasks))))
    return " · ".join(parts)
