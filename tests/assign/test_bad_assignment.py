"""Every hostile case the progress reader refuses is refused for assignments too, with
the same reason and path; and the assignment's own rules, each with its path."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from store.bundle.assignment_read import read_assignment, read_assignment_file
from store.bundle.models import MAX_BUNDLE_BYTES
from tests.assign.factory import assignment_document, issuer_key
from tests.bundle.factory import fixed_key, sign
from tests.bundle.test_bad_input import CASES as PROGRESS_CASES
from tests.bundle.test_bad_input import _delete, _set

# The progress reader's refusals that come before a file says what it is: the bytes,
# the encoding, the JSON. An assignment goes the same way, so the same bytes must be
# refused for the same reason at the same path.
# (A control character escaped inside a string is found later, by the models.)
_FILE_LEVEL = {"empty", "not_utf8", "archive", "truncated", "not_json", "wrong_encoding",
               "control_character", "too_deep", "too_large"}
_PARSE_HOOKS = {"duplicate_key", "non_finite_number", "number_too_large"}
_PARSE_LEVEL = [case for case in PROGRESS_CASES
                if (case[2] in _FILE_LEVEL and case[3] == "") or case[2] in _PARSE_HOOKS]


@pytest.mark.parametrize(("data", "code", "path"), [case[1:] for case in _PARSE_LEVEL],
                         ids=[case[0] for case in _PARSE_LEVEL])
def test_what_the_progress_reader_refuses_before_the_content_is_refused_alike(
        data: bytes, code: str, path: str) -> None:
    assert len(_PARSE_LEVEL) >= 25
    refusal = read_assignment(data).refusal
    assert refusal is not None
    assert (refusal.code, refusal.path) == (code, path)


@pytest.mark.parametrize("data", [case[1] for case in PROGRESS_CASES],
                         ids=[case[0] for case in PROGRESS_CASES])
def test_nothing_the_progress_reader_refuses_reads_as_an_assignment(data: bytes) -> None:
    assert not read_assignment(data).ok


@functools.cache
def _base() -> dict:
    return assignment_document(notes=[{
        "task_id": assignment_document()["assessments"][0]["tasks"][0]["id"],
        "at": "2026-05-20T10:00:00+07:00", "by": "Trần Thị Mai",
        "text": "Thiếu tài liệu kiểm chứng;\nbổ sung trước 30/5"}])


def _document() -> dict:
    return copy.deepcopy(_base())


def _bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


EXAMPLE = _bytes(_document())
A = "$.assessments[0]"
TASK = f"{A}.tasks[0]"


def _changed(change: Callable[[dict], object]) -> bytes:
    """The base assignment with one change, sealed and signed again, so only the change
    is wrong."""
    document = _document()
    change(document)
    return _bytes(sign(document, issuer_key()))


def _raw(old: bytes, new: bytes) -> bytes:
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


def _without_parent(document: dict) -> None:
    criteria = document["assessments"][0]["criteria"]
    criteria[:] = [c for c in criteria if c["code"] != "1.1"]


def _duplicate_task(document: dict) -> None:
    tasks = document["assessments"][0]["tasks"]
    tasks[1]["id"] = tasks[0]["id"]


def _duplicate_code(document: dict) -> None:
    criteria = document["assessments"][0]["criteria"]
    criteria.append(dict(criteria[1]))


def _second_assessment(same_id: bool) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        first = document["assessments"][0]
        document["assessments"].append(dict(first, id=first["id"] if same_id else "other",
                                            tasks=[]))
    return change


def _task_in_both(document: dict) -> None:
    first = document["assessments"][0]
    document["assessments"].append(dict(first, id="other", tasks=first["tasks"][:1]))


def _with_signature(*, public_key_of: int | None = None,
                    of_content_seed: int | None = None) -> bytes:
    """The base assignment (its digest right) with a signature that does not verify:
    its value with another key named, or the issuer's signature of other content."""
    document = _document()
    if public_key_of is not None:
        other = sign(_document(), fixed_key(public_key_of))["signature"]["public_key"]
        document["signature"] = dict(document["signature"], public_key=other)
    else:
        other = assignment_document(seed=of_content_seed)
        document["signature"] = sign(other, issuer_key())["signature"]
    return _bytes(document)


_DEEP = EXAMPLE.replace(b'"name": "Ph', b'"name": ' + b"[" * 100_000 + b"]" * 100_000
                        + b', "x": "Ph', 1)

CASES: list[tuple[str, bytes, str, str]] = [
    ("a progress bundle", _changed(_set("kind", "progress")), "wrong_kind", "$.kind"),
    ("unknown kind", _changed(_set("kind", "delta")), "unknown_kind", "$.kind"),
    ("version 1 (which has no assignments)", _changed(_set("version", 1)), "unknown_kind",
     "$.kind"),
    ("unsigned", _bytes({k: v for k, v in _document().items() if k != "signature"}),
     "missing_member", "$.signature"),
    ("signed by another key than the one it names", _with_signature(public_key_of=1),
     "forged", "$.signature"),
    ("a signature of other content", _with_signature(of_content_seed=4), "forged",
     "$.signature"),
    ("version from the future", _changed(_set("version", 3)), "version_too_new", "$.version"),
    ("wrong format", _changed(_set("format", "cchc-backup")), "wrong_format", "$.format"),
    ("top-level array", b"[" + EXAMPLE + b"]", "not_an_object", "$"),
    ("lone surrogate escape", _raw(b'"Ph', b'"\\ud800Ph'), "invalid_text", "$.unit.name"),
    ("escaped NUL", _changed(_set("unit.name", "Phường\u00001")), "control_character",
     "$.unit.name"),
    ("line feed in a task title", _changed(_set("assessments.0.tasks.0.title", "a\nb")),
     "control_character", f"{TASK}.title"),
    ("C1 control in the issuer", _changed(_set("issuer.name", "a\u0085b")),
     "control_character", "$.issuer.name"),
    ("line feed in a note's author", _changed(_set("notes.0.by", "Trần\nMai")),
     "control_character", "$.notes[0].by"),
    ("bell in a note", _changed(_set("notes.0.text", "a\u0007b")), "control_character",
     "$.notes[0].text"),
    ("duplicate key deep", _raw(b'"lead": null', b'"lead": null, "lead": "x"'),
     "duplicate_key", f"{TASK}.lead"),
    ("NaN", _raw(b'"rank": 1,', b'"rank": NaN,'), "non_finite_number", f"{A}.rank"),
    ("integer beyond 2^53", _raw(b'"sequence": 1', b'"sequence": 9007199254740993'),
     "number_too_large", "$.sequence"),
    ("string for a number", _changed(_set("assessments.0.max_points", "100")), "wrong_type",
     f"{A}.max_points"),
    ("number for a string", _changed(_set("assessments.0.tasks.0.title", 42)), "wrong_type",
     f"{TASK}.title"),
    ("12.0 for an integer", _changed(_set("sequence", 12.0)), "wrong_type", "$.sequence"),
    ("boolean for a number", _changed(_set("assessments.0.score", True)), "wrong_type",
     f"{A}.score"),
    ("missing member", _changed(_delete("assessments.0.tasks.0.due")), "missing_member",
     f"{TASK}.due"),
    ("no notes member", _changed(_delete("notes")), "missing_member", "$.notes"),
    ("missing integrity", _bytes({k: v for k, v in _document().items() if k != "integrity"}),
     "missing_member", "$.integrity"),
    ("extra member at the top", _changed(_set("comment", "x")), "unknown_member",
     "$.comment"),
    ("a progress member on an assigned task", _changed(_set("assessments.0.tasks.0.status",
                                                            "todo")),
     "unknown_member", f"{TASK}.status"),
    ("the unit's cause on an assigned criterion", _changed(_set(
        "assessments.0.criteria.0.cause", "x")), "unknown_member", f"{A}.criteria[0].cause"),
    ("unknown index", _changed(_set("assessments.0.index", "PCI")), "not_allowed_value",
     f"{A}.index"),
    ("unknown level", _changed(_set("unit.level", "huyen")), "not_allowed_value",
     "$.unit.level"),
    ("issuer code with a space", _changed(_set("issuer.code", "SNV 87")), "bad_format",
     "$.issuer.code"),
    ("issuer code too long", _changed(_set("issuer.code", "S" * 17)), "bad_format",
     "$.issuer.code"),
    ("upper-case task id", _changed(_set("assessments.0.tasks.0.id",
                                         "C2F2E00C-78CE-5EBF-BD23-144671F4CB76")),
     "bad_format", f"{TASK}.id"),
    ("note on no uuid", _changed(_set("notes.0.task_id", "task-1")), "bad_format",
     "$.notes[0].task_id"),
    ("note time without offset", _changed(_set("notes.0.at", "2026-05-20T10:00:00")),
     "datetime_without_offset", "$.notes[0].at"),
    ("impossible due date", _changed(_set("assessments.0.tasks.0.due", "2026-02-30")),
     "impossible_date", f"{TASK}.due"),
    ("not a date", _changed(_set("assessments.0.tasks.0.due", "16/06/2026")), "bad_date",
     f"{TASK}.due"),
    ("score above max", _changed(_set("assessments.0.criteria.3.score", 9.0)),
     "score_above_max", f"{A}.criteria[3].score"),
    ("assessment score above max", _changed(_set("assessments.0.score", 100.5)),
     "score_above_max", f"{A}.score"),
    ("negative points", _changed(_set("assessments.0.criteria.3.max_points", -1)),
     "out_of_range", f"{A}.criteria[3].max_points"),
    ("three decimals", _changed(_set("assessments.0.criteria.3.score", 0.125)),
     "too_many_decimals", f"{A}.criteria[3].score"),
    ("year 1999", _changed(_set("assessments.0.year", 1999)), "out_of_range", f"{A}.year"),
    ("sequence 0", _changed(_set("sequence", 0)), "out_of_range", "$.sequence"),
    ("rank above rank_of", _changed(_set("assessments.0.rank", 10)), "rank_above_rank_of",
     f"{A}.rank_of"),
    ("a task cites a criterion that does not exist",
     _changed(_set("assessments.0.tasks.0.criteria", ["9.9"])), "unknown_criterion",
     f"{TASK}.criteria[0]"),
    ("criterion without its parent", _changed(_without_parent), "missing_parent",
     f"{A}.criteria[1].code"),
    ("duplicate criterion code", _changed(_duplicate_code), "duplicate_code",
     f"{A}.criteria[50].code"),
    ("duplicate task id", _changed(_duplicate_task), "duplicate_id", f"{A}.tasks[1].id"),
    ("a task id in two assessments", _changed(_task_in_both), "duplicate_id",
     "$.assessments[1].tasks[0].id"),
    ("duplicate assessment id", _changed(_second_assessment(True)), "duplicate_id",
     "$.assessments[1].id"),
    ("no assessment", _changed(_set("assessments", [])), "too_few_items", "$.assessments"),
    ("too many assessments", _changed(lambda d: d.__setitem__(
        "assessments", [dict(d["assessments"][0], id=f"a{i}", tasks=[]) for i in range(51)])),
     "too_many_items", "$.assessments"),
    ("too many notes", _changed(lambda d: d.__setitem__("notes", d["notes"] * 5_001)),
     "too_many_items", "$.notes"),
    ("a note over 10,000 characters", _changed(_set("notes.0.text", "x" * 10_001)),
     "too_long", "$.notes[0].text"),
    ("nesting 100,000 deep inside an assignment", _DEEP, "too_deep", ""),
    ("one character changed after it was written", _raw("Phường 1".encode(),
                                                        "Phường 2".encode()),
     "digest_mismatch", "$.integrity.sha256"),
]


@pytest.mark.parametrize(("data", "code", "path"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_bad_assignment_is_refused_with_its_reason_and_path(data: bytes, code: str,
                                                              path: str) -> None:
    refusal = read_assignment(data).refusal
    assert refusal is not None
    assert (refusal.code, refusal.path) == (code, path)


def test_the_cases_start_from_a_valid_assignment() -> None:
    read = read_assignment(EXAMPLE)
    assert read.ok, read.refusal
    assert read_assignment(_changed(lambda d: None)).ok
    assert read_assignment(_changed(_second_assessment(False))).ok
    assert "\n" in read.bundle.notes[0].text  # line feeds allowed in a note


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    assert read_assignment(b"\xef\xbb\xbf" + EXAMPLE).ok


def test_decomposed_vietnamese_is_accepted_and_normalised() -> None:
    import unicodedata

    read = read_assignment(_changed(_set("issuer.name", unicodedata.normalize(
        "NFD", "Sở Nội vụ tỉnh Đồng Tháp"))))
    assert read.ok
    assert read.bundle.issuer.name == "Sở Nội vụ tỉnh Đồng Tháp"


def test_a_file_over_16_mib_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BUNDLE_BYTES + 1)
    refusal = read_assignment_file(path).refusal
    assert refusal.code == "too_large"
    assert read_assignment(b" " * (MAX_BUNDLE_BYTES + 1)).refusal.code == "too_large"
    assert read_assignment_file(tmp_path / "missing.json").refusal.code == "unreadable"


def test_an_unexpected_failure_is_a_refusal_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document):  # noqa: ANN001, ANN202
        raise RuntimeError("bug")

    monkeypatch.setattr("store.bundle.reader.check_assignment_rules", broken)
    assert read_assignment(EXAMPLE).refusal.code == "reader_error"
