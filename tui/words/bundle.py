"""Sentences for the bundle's typed results: refusals, warnings, export failures and
receive verdicts, for the screens and the command line alike.

Each table has one entry per code the store gives (REFUSAL_CODES, the warnings,
ExportFailed.code, the receive Verdict); tests/tui/test_words.py holds them to it.
Light imports only: the store types arrive as values, never imported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from pathlib import Path

from tui.i18n import _
from tui.words import format as fmt, labels
from tui.words.errors import busy

# Read out over the phone, so the supervisor can compare it with the file received.
DIGEST_PREFIX_CHARS = 12


def check_code(sha256: str) -> str:
    """The digest's first 12 hex digits in groups of four: '5617 06dd 5091'."""
    head = sha256[:DIGEST_PREFIX_CHARS]
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def _json_type(name: Any) -> str:
    return {"null": _("null"), "boolean": _("true/false"), "integer": _("a whole number"),
            "number": _("a number"), "string": _("a text"), "array": _("a list"),
            "object": _("an object")}.get(str(name), str(name))


def _expected_form(name: Any) -> str:
    return {"uuid": _("a lowercase UUID"),
            "assessment_id": _("an id of letters, digits, '.', '_' or '-' (at most 64)"),
            "unit_code": _("a unit code of letters, digits, '.', '_' or '-' (at most 16)"),
            "criterion_code": _("a criterion code such as 3.2.1"),
            "sha256": _("64 lowercase hexadecimal digits"),
            "base64": _("base64 text")}.get(str(name), str(name))


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return fmt.points(value) if isinstance(value, float) else fmt.number(value)
    return f"“{value}”"


REFUSAL: dict[str, Callable[[dict[str, Any]], str]] = {
    "too_large": lambda d: _(
        "The file is {size} bytes, over the limit of {limit} bytes (16 MiB); it was not "
        "read.").format(size=fmt.number(d.get("size")), limit=fmt.number(d.get("limit"))),
    "empty": lambda d: _("The file is empty."),
    "unreadable": lambda d: _("The file could not be read: {reason}.").format(
        reason=d.get("reason", "")),
    "not_regular_file": lambda d: not_a_file(d.get("kind", "")),
    "name_not_text": lambda d: _(
        "The file's name is not valid text (it was written in another encoding, as on some "
        "old USB sticks); rename the file, then receive it again."),
    "folder_unreadable": lambda d: _("This folder could not be read ({reason}); nothing in "
                                     "it was received.").format(reason=d.get("reason", "")),
    "folder_link": lambda d: _("This is a link to a folder; links inside a folder are not "
                               "followed. Give the folder itself to receive what it holds."),
    "archive": lambda d: _("This is a ZIP or Office file (such as XLSX or DOCX) with a "
                           "changed name, not a progress bundle."),
    "wrong_encoding": lambda d: _("The file is encoded in {encoding}; a progress bundle must "
                                  "be UTF-8.").format(encoding=d.get("encoding", "")),
    "not_utf8": lambda d: _("The file is not UTF-8 text (an invalid byte at position "
                            "{offset}); it is damaged or not a progress bundle.").format(
        offset=fmt.number(d.get("offset"))),
    "truncated": lambda d: _("The file ends too early: it was cut off, perhaps while being "
                             "copied. Copy it again."),
    "not_json": lambda d: _("The file is not valid JSON (line {line}, column {column}).").format(
        line=d.get("line"), column=d.get("column")),
    "control_character": lambda d: _("A text holds a control character, which is not "
                                     "allowed.") + _line_and_column(d),
    "duplicate_key": lambda d: _("The member “{key}” appears twice in the same object.").format(
        key=d.get("key", "")),
    "non_finite_number": lambda d: _("{value} is not a number a bundle may hold.").format(
        value=d.get("value", "")),
    "number_too_large": lambda d: _("A number is too large to be read exactly."),
    "too_deep": lambda d: _("The file is nested too deeply to be a progress bundle."),
    "not_an_object": lambda d: _("The file holds {found} instead of a progress bundle.").format(
        found=_json_type(d.get("found"))),
    "wrong_format": lambda d: _("This is a key card, not a progress bundle; enrol it with "
                                "`cchc review enrol`.") if d.get("found") == "cchc-key" else _(
        "This is not a CCHC Tracker progress bundle (format: {found}).").format(
        found=_shown(d.get("found"))),
    "version_too_new": lambda d: _(
        "This bundle uses format version {found}, newer than this app can read (version "
        "{supported}). Please update CCHC Tracker.").format(found=d.get("found"),
                                                            supported=d.get("supported")),
    "unknown_kind": lambda d: _("Unknown kind of bundle: {found}.").format(
        found=_shown(d.get("found"))),
    "missing_member": lambda d: _("A required member is missing."),
    "unknown_member": lambda d: _("The member “{member}” is not part of the format.").format(
        member=d.get("member", "")),
    "wrong_type": lambda d: _("Expected {expected}, found {found}.").format(
        expected=_json_type(d.get("expected")), found=_json_type(d.get("found"))),
    "not_allowed_value": lambda d: _("The value {found} is not allowed; allowed: "
                                     "{allowed}.").format(found=_shown(d.get("found")),
                                                          allowed=d.get("allowed", "")),
    "out_of_range": lambda d: _("The value {found} is out of range (it must be {relation} "
                                "{limit}).").format(found=_shown(d.get("found")),
                                                    relation=d.get("relation", ""),
                                                    limit=_shown(d.get("limit"))),
    "too_long": lambda d: _("The text is too long: {length} characters, at most "
                            "{limit}.").format(length=fmt.number(d.get("length")),
                                               limit=fmt.number(d.get("limit"))),
    "too_many_items": lambda d: _("The list has too many items (at most {limit}).").format(
        limit=fmt.number(d.get("limit"))),
    "bad_format": lambda d: _("{found} is not {expected}.").format(
        found=_shown(d.get("found")), expected=_expected_form(d.get("expected"))),
    "invalid_text": lambda d: _("A text holds an invalid character (a lone surrogate)."),
    "bad_date": lambda d: _("{value} is not a date in the form YYYY-MM-DD.").format(
        value=_shown(d.get("value"))),
    "bad_datetime": lambda d: _("{value} is not a date and time in RFC 3339 form.").format(
        value=_shown(d.get("value"))),
    "datetime_without_offset": lambda d: _(
        "The date and time {value} has no time-zone offset (such as +07:00).").format(
        value=_shown(d.get("value"))),
    "impossible_date": lambda d: _("The date {value} does not exist.").format(
        value=_shown(d.get("value"))),
    "instant_out_of_range": lambda d: _(
        "The date and time {value} falls outside the years {first}–{last} once converted "
        "to UTC or to Vietnam's time.").format(value=_shown(d.get("value")),
                                               first=d.get("first"), last=d.get("last")),
    "too_many_decimals": lambda d: _("Points have at most two decimals; found {value}.").format(
        value=d.get("value")),
    "score_above_max": lambda d: _("The score {score} is above the maximum {max}.").format(
        score=fmt.points(d.get("score")), max=fmt.points(d.get("max"))),
    "rank_above_rank_of": lambda d: _("Rank {rank} is beyond the number of units ranked "
                                      "({rank_of}).").format(rank=d.get("rank"),
                                                             rank_of=d.get("rank_of")),
    "duplicate_id": lambda d: _("The id {value} is used twice.").format(
        value=_shown(d.get("value"))),
    "duplicate_code": lambda d: _("The criterion code {value} appears twice.").format(
        value=_shown(d.get("value"))),
    "missing_parent": lambda d: _("Criterion {code} has no parent criterion {parent} in the "
                                  "bundle.").format(code=d.get("code"), parent=d.get("parent")),
    "unknown_criterion": lambda d: _("The task cites criterion {code}, which its assessment "
                                     "does not have.").format(code=d.get("code")),
    "done_without_date": lambda d: _("A task marked done has no completion date."),
    "date_without_done": lambda d: _("A task has a completion date but is not marked done."),
    "done_not_complete": lambda d: _("A task marked done is at {progress}% instead of "
                                     "100%.").format(progress=d.get("progress")),
    "invalid_value": lambda d: _("A value is not valid ({error}).").format(
        error=d.get("error", "")),
    "digest_mismatch": lambda d: _(
        "The file was damaged or altered after it was exported: its content does not match "
        "its integrity code. Ask the unit to export it and send it again."),
    "task_id_taken": lambda d: _("The task id {value} already belongs to another unit in "
                                 "this review database.").format(value=_shown(d.get("value"))),
    "reader_error": lambda d: _("The file could not be checked because of an unexpected "
                                "error; the details were written to the log."),
    "too_few_items": lambda d: _("The list must hold at least {limit} item(s).").format(
        limit=fmt.number(d.get("limit"))),
    # assignments (store.assign.importing)
    "wrong_unit": lambda d: " ".join(_(
        "This assignment is for unit {found} {found_name}, not for this unit {this} "
        "{this_name}.").format(found=d.get("found"), found_name=d.get("found_name", ""),
                               this=d.get("this"), this_name=d.get("this_name", "")).split()
    ).replace(" .", "."),
    "task_id_held_otherwise": lambda d: _("The task id {value} is already held by a task this "
                                          "assignment may not change (one the unit created, "
                                          "or of another assessment or issuer).").format(
        value=d.get("value")),
    # signatures and keys (spec/bundle-v2.md)
    "wrong_kind": lambda d: _("This file is an assignment from a supervisor, not a unit's "
                              "progress bundle.") if d.get("found") == "assignment" else _(
        "This is a progress bundle (a unit's report), not an assignment from the "
        "supervisor.") if d.get("found") == "progress" else _(
        "This file is a bundle of kind {found}; a {expected} bundle is expected here.").format(
        found=_shown(d.get("found")), expected=_shown(d.get("expected"))),
    "unsupported_signature": lambda d: _("The file is signed with {found}; only Ed25519 "
                                         "signatures are accepted.").format(
        found=_shown(d.get("found"))),
    "bad_public_key": lambda d: _("The public key is not a 32-byte key written in base64, so "
                                  "the signature cannot be checked."),
    "bad_signature_value": lambda d: _("The signature is not a 64-byte value written in "
                                       "base64, so it cannot be checked."),
    "forged": lambda d: _("The signature does not match the content: the file was forged, or "
                          "changed after it was signed."),
    "duplicate_issuer": lambda d: _("The assignments held name the issuer {value} twice.").format(
        value=_shown(d.get("value"))),
    "other_key": lambda d: _("Signed with another key than the one held for {code}: the key "
                             "held is {held}, this file's is {found}.").format(
        code=d.get("code"), held=d.get("held"), found=d.get("found")),
    "unsigned_with_key_held": lambda d: _(
        "The file is not signed, but a key is held for {code} ({held}): every file from it "
        "must be signed with that key.").format(code=d.get("code"), held=d.get("held")),
    "key_of_another_sender": lambda d: _(
        "The file claims to be from {code} but is signed with the key held for {other} "
        "({found}).").format(code=d.get("code"), other=d.get("other"), found=d.get("found")),
    "not_a_key_card": lambda d: _("This is not a key card (format: {found}).").format(
        found=_shown(d.get("found"))),
    "card_signature_invalid": lambda d: _("The key card's own signature does not verify: the "
                                          "card was altered or damaged."),
}


def not_a_file(kind: str) -> str:
    return _("This is {kind}, not a file; it was not read.").format(kind=labels.file_kind(kind))


def _line_and_column(details: dict[str, Any]) -> str:
    if "line" not in details:
        return ""
    return " " + _("(line {line}, column {column})").format(line=details["line"],
                                                             column=details.get("column"))


def refusal_sentence(refusal: Any) -> str:
    """A Refusal (store.bundle.results) in words, with its JSON path when it has one."""
    words = REFUSAL.get(refusal.code)
    text = words(refusal.details) if words else _("The bundle was refused ({code}).").format(
        code=refusal.code)
    if refusal.path and refusal.path != "$":
        text += " " + _("(at {path})").format(path=refusal.path)
    return text


def _gap(d: dict[str, Any]) -> str:
    if d.get("first") == d.get("last"):
        return _("Bundle {first} of this unit was never received.").format(first=d.get("first"))
    return _("Bundles {first} to {last} of this unit were never received.").format(
        first=d.get("first"), last=d.get("last"))


WARNING: dict[str, Callable[[dict[str, Any]], str]] = {
    "points_sum_mismatch": lambda d: _(
        "Criterion {code}: its maximum {max} differs from the sum of its sub-criteria "
        "({sum}).").format(code=d.get("code"), max=fmt.points(d.get("max")),
                           sum=fmt.points(d.get("sum"))),
    "gap": _gap,
    "unusual_unit_code": lambda d: unusual_unit_code(d.get("code", "")),
    "demo_data": lambda d: demo_data(d.get("code", "")),
    "fork": lambda d: _("This bundle does not follow the last one received from the unit: "
                        "its history forked (perhaps its database was restored from a "
                        "backup)."),
    "jump": lambda d: _("The sequence jumps by {jump} (from {held} to {received}): make sure "
                        "with the unit that this file is genuine, and set it aside if it is "
                        "not.").format(jump=fmt.number(d.get("jump")),
                                       held=fmt.number(d.get("held")),
                                       received=fmt.number(d.get("received"))),
    "unsigned": lambda d: _("The file is not signed (format version 1): nothing proves who "
                            "made it."),
    "key_taken_on_first_use": lambda d: _(
        "No key was held for this unit, so the key {fingerprint} was taken from this file. "
        "Compare it with the fingerprint on the unit's signed paper report, then confirm "
        "it.").format(fingerprint=d.get("fingerprint")),
}


def unusual_unit_code(code: str) -> str:
    return _("The unit code {code} is not 5 digits, as a commune's or ward's code is: check "
             "that it is not a look-alike of another unit's code (the letter O for a "
             "zero).").format(code=code)


def demo_data(code: str) -> str:
    """A demo unit's data (store.derive.is_demo_code), wherever it is read."""
    return _("Sample data: {code} is the demo's unit code, so this is not a real unit's "
             "report.").format(code=code)


def warning_sentence(warning: Any) -> str:
    """A BundleWarning (or a receive warning) in words."""
    words = WARNING.get(warning.code)
    if words is None:
        return _("A warning this version cannot describe ({code}).").format(code=warning.code)
    return words(warning.details)


EXPORT_FAILURE: dict[str, Callable[[Any], str]] = {
    "unit_not_configured": lambda f: _("Set up the unit (code and name) before exporting."),
    "unit_missing": lambda f: _("The database holds no data for unit {code}.").format(
        code=f.details.get("code")),
    "invalid_content": lambda f: _("A value breaks the bundle format, so nothing was "
                                   "exported: {reason}").format(
        reason=refusal_sentence(f.details["refusal"])),
    "no_space": lambda f: _("The drive is full: {path} could not be written.").format(
        path=f.path),
    "read_only": lambda f: _("The drive is read-only (write-protected): {path} could not be "
                             "written.").format(path=f.path),
    "target_missing": lambda f: _("{path} is not available (was the USB stick "
                                  "removed?).").format(path=f.path),
    "not_allowed": lambda f: _("Writing {path} is not allowed.").format(path=f.path),
    "io_error": lambda f: _("Writing {path} failed ({reason}); was the drive removed?").format(
        path=f.path, reason=f.details.get("reason", "")),
    "verify_failed": lambda f: _("The file written to {path} did not read back intact; the "
                                 "drive may be faulty.").format(path=f.path),
    "database_read_only": lambda f: _("Export is not available in read-only mode: it records "
                                      "the bundle's sequence number."),
    "database_busy": lambda f: busy(),
    "database_failed": lambda f: _database_failure(f.details.get("failure", "other")),
    "signing_key": lambda f: _export_key_failure(f.details["state"]),
    "names_taken": lambda f: _("Nothing was exported: {tries} file names for this bundle are "
                               "already taken by other files in {folder}, and an export never "
                               "writes over a file. Choose another folder.").format(
        tries=f.details.get("tries", ""), folder=Path(str(f.path)).parent if f.path else ""),
    "log_unreadable": lambda f: _("Nothing was exported: the export log {path} cannot be read "
                                  "({reason}), so the next bundle number is not known.").format(
        path=f.path, reason=f.details.get("reason", "")),
}


def _database_failure(failure: str) -> str:
    from tui.words.errors import database_failure_sentence

    return database_failure_sentence(failure)


def _export_key_failure(state: Any) -> str:
    from tui.words.keys import export_key_failure

    return export_key_failure(state)
_WRITE_FAILURES = {"no_space", "read_only", "target_missing", "not_allowed", "io_error",
                   "verify_failed"}


def write_failure_sentence(failure: Any) -> str | None:
    """Why a file could not be written (failure.code one of the write failures of
    store.bundle.export.write_failure or verify_failed, failure.path the file), or None
    for another code."""
    if failure.code not in _WRITE_FAILURES:
        return None
    return EXPORT_FAILURE[failure.code](failure)


def export_failure_sentence(failure: Any) -> str:
    """An ExportFailed (store.bundle.export) in words."""
    words = EXPORT_FAILURE.get(failure.code)
    text = words(failure) if words else _("Export failed ({code}).").format(code=failure.code)
    if failure.code in _WRITE_FAILURES:
        text += " " + _("Any earlier file was left as it was and no sequence number was used.")
    return text


def export_done_lines(done: Any) -> list[str]:
    """An ExportDone: where the file is, and the code to read out over the phone."""
    from tui.words.keys import signed_with

    return [_("Exported bundle {sequence} to {path}").format(sequence=done.sequence,
                                                             path=done.path),
            _("Check code: {code}").format(code=check_code(done.sha256)),
            signed_with(done.fingerprint),
            *(_("warning: {text}").format(text=warning_sentence(warning))
              for warning in done.warnings)]


def sent_bundle_cells(sent: Any) -> tuple[str, str, str, str]:
    """A store.bundle.export_log.SentBundle as the export screen lists it: number, date
    (dd/mm/yyyy, in Vietnam), check code, folder."""
    from store.clock import checked_instant, to_local

    instant = checked_instant(sent.created_at)
    day = fmt.date(to_local(instant).date()) if instant is not None else sent.created_at
    return (fmt.number(sent.sequence), day, check_code(sent.sha256), str(Path(sent.path).parent))


def _created_date(created_at: str | None) -> str:
    try:
        return fmt.date(dt.date.fromisoformat((created_at or "")[:10]))
    except ValueError:
        return created_at or ""


def bundle_summary(bundle: Any) -> str:
    """A valid bundle in one line: unit, sequence, date, tasks."""
    tasks = sum(len(assessment.tasks) for assessment in bundle.assessments)
    return _("unit {code} {name}, bundle {sequence} of {date}, {tasks} tasks").format(
        code=bundle.unit.code, name=bundle.unit.name, sequence=bundle.sequence,
        date=_created_date(bundle.created_at), tasks=fmt.number(tasks))


VERDICT: dict[str, Callable[[Any], str]] = {
    "accepted": lambda r: _("Accepted: bundle {sequence} of unit {unit}.").format(
        sequence=r.sequence, unit=r.unit_code),
    "already_imported": lambda r: (_(
        "Already imported and set aside since: bundle {sequence} of unit {unit}; nothing "
        "changed.") if r.set_aside else _(
        "Already imported: bundle {sequence} of unit {unit}; nothing changed.")).format(
        sequence=r.sequence, unit=r.unit_code),
    "conflicting_id": lambda r: _(
        "Refused: another bundle with the same id was imported before; this file may have "
        "been altered."),
    "older_than_held": lambda r: _(
        "Refused as older: this is bundle {sequence} of unit {unit}, but bundle {held} of "
        "{held_date} is already held.").format(
        sequence=r.sequence, unit=r.unit_code, held=r.held_sequence,
        held_date=_created_date(r.held_created_at)),
    "refused": lambda r: _("Refused: {reason}").format(
        reason=refusal_sentence(r.refusal) if r.refusal is not None
        else _("the file is not a valid progress bundle.")),
}


def receive_sentence(result: Any) -> str:
    """A ReceiveResult (store.bundle.receive) in words."""
    words = VERDICT.get(str(result.verdict))
    if words is None:
        return _("Not received ({verdict}).").format(verdict=result.verdict)
    return words(result)


def waiting_for_another_receive() -> str:
    return _("Another receive into the review database is running; this one waits for it "
             "to finish, then goes on. Nothing is lost either way.")


def no_receive_when_read_only() -> str:
    return _("Nothing can be received in read-only mode.")
