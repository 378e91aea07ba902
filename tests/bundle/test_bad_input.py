"""Every bad input of shared/guide/quality.md is refused with its reason and path."""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from store.bundle.models import MAX_BUNDLE_BYTES
from store.bundle.reader import read_bundle, read_bundle_file
from tests.bundle.factory import example_document, first_task, sealed_bytes, to_bytes

EXAMPLE = to_bytes(example_document())
TASK = "$.assessments[0].tasks[0]"
CRITERIA = "$.assessments[0].criteria"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def _changed(change: Callable[[dict], object]) -> bytes:
    """The example with one change, sealed again, so only the change is wrong."""
    document = example_document()
    change(document)
    return sealed_bytes(document)


def _set(path: str, value: object) -> Callable[[dict], None]:
    """A change that sets one member: path like 'assessments.0.tasks.0.progress'."""
    *parents, last = path.split(".")

    def change(document: dict) -> None:
        target = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return change


def _delete(path: str) -> Callable[[dict], None]:
    *parents, last = path.split(".")

    def change(document: dict) -> None:
        target = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]
    return change


def _raw(old: bytes, new: bytes) -> bytes:
    """The example's text with one literal replaced (no sealing: a parse-level fault)."""
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


# The example's own digest, and a well-formed digest of some other content.
_SEALED_DIGEST = f'"sha256": "{example_document()["integrity"]["sha256"]}"'.encode()
_OTHER_DIGEST = f'"sha256": "{"0" * 64}"'.encode()


def _duplicate_parent(document: dict) -> None:
    criteria = document["assessments"][0]["criteria"]
    criteria[:] = [c for c in criteria if c["code"] != "1.1"]


def _duplicate_task(document: dict) -> None:
    tasks = document["assessments"][0]["tasks"]
    tasks[1]["id"] = tasks[0]["id"]


def _duplicate_code(document: dict) -> None:
    criteria = document["assessments"][0]["criteria"]
    criteria.append(dict(criteria[1]))


def _done_without_date(document: dict) -> None:
    first_task(document)["done_on"] = None


def _second_assessment_same_id(document: dict) -> None:
    second = dict(document["assessments"][0], criteria=[], tasks=[])
    document["assessments"].append(second)


_DEEP_IN_MEMBER = to_bytes(example_document()).replace(
    b'"name": "Ph', b'"name": ' + b"[" * 100_000 + b"]" * 100_000 + b', "x": "Ph', 1)

CASES: list[tuple[str, bytes, str, str]] = [
    # id, bytes, code, path ("" = the file as a whole)
    ("empty file", b"", "empty", ""),
    ("only white space", b" \n\t ", "empty", ""),
    ("binary garbage", random.Random(7).randbytes(4096), "not_utf8", ""),
    ("zip renamed", _zip("bundle.json"), "archive", ""),
    ("xlsx renamed", _zip("[Content_Types].xml", "xl/workbook.xml"), "archive", ""),
    ("cut after 1 byte", EXAMPLE[:1], "truncated", ""),
    ("cut in a string", EXAMPLE[:EXAMPLE.index(b"UBND th") + 4], "truncated", ""),
    ("cut in the middle", EXAMPLE[:len(EXAMPLE) // 2], "truncated", ""),
    ("cut before the end", EXAMPLE[:-2], "truncated", ""),
    ("cut inside a letter", EXAMPLE[:EXAMPLE.index("ờ".encode()) + 1], "truncated", ""),
    ("not json", b"cchc-bundle version 1", "not_json", ""),
    ("top-level null", b"null", "not_an_object", "$"),
    ("top-level array", b"[" + EXAMPLE + b"]", "not_an_object", "$"),
    ("wrong format", _changed(_set("format", "cchc-backup")), "wrong_format", "$.format"),
    ("no format", _changed(_delete("format")), "wrong_format", "$.format"),
    ("version from the future", _changed(_set("version", 3)), "version_too_new",
     "$.version"),
    ("unknown kind", _changed(_set("kind", "delta")), "unknown_kind", "$.kind"),
    ("utf-16 with bom", EXAMPLE.decode().encode("utf-16"), "wrong_encoding", ""),
    ("utf-16 without bom", EXAMPLE.decode().encode("utf-16-le"), "wrong_encoding", ""),
    ("invalid utf-8", _raw(b"Ph", b"P\xff"), "not_utf8", ""),
    ("encoded surrogate", _raw(b"Ph", b"\xed\xa0\x80"), "not_utf8", ""),
    ("lone surrogate escape", _raw(b'"Ph', b'"\\ud800Ph'), "invalid_text", "$.unit.name"),
    ("raw NUL byte", _raw(b"Ph", b"P\x00"), "control_character", ""),
    ("raw control byte", _raw(b"Ph", b"P\x07"), "control_character", ""),
    ("escaped NUL", _changed(_set("unit.name", "Phường\u00001")), "control_character",
     "$.unit.name"),
    ("escaped bell in a title", _changed(_set("assessments.0.tasks.0.title", "a\u0007b")),
     "control_character", f"{TASK}.title"),
    ("line feed in a title", _changed(_set("assessments.0.tasks.0.title", "a\nb")),
     "control_character", f"{TASK}.title"),
    ("C1 control", _changed(_set("sender.name", "a\u0085b")), "control_character",
     "$.sender.name"),
    ("line feed in a status change", _changed(_set(
        "assessments.0.tasks.0.history.0.new", "do\nne")),
     "control_character", f"{TASK}.history[0].new"),
    ("duplicate key at the top", _raw(b'"kind": "progress",',
                                      b'"kind": "progress", "kind": "progress",'),
     "duplicate_key", "$.kind"),
    ("duplicate key deep", _raw(b'"progress": 100,', b'"progress": 100, "progress": 90,'),
     "duplicate_key", f"{TASK}.progress"),
    ("NaN", _raw(b'"score": 86.1', b'"score": NaN'), "non_finite_number",
     "$.assessments[0].score"),
    ("Infinity", _raw(b'"score": 86.1', b'"score": Infinity'), "non_finite_number",
     "$.assessments[0].score"),
    ("-Infinity", _raw(b'"score": 86.1', b'"score": -Infinity'), "non_finite_number",
     "$.assessments[0].score"),
    ("1e400", _raw(b'"score": 86.1', b'"score": 1e400'), "number_too_large",
     "$.assessments[0].score"),
    ("5000-digit integer", _raw(b'"sequence": 1', b'"sequence": 1' + b"7" * 4999),
     "number_too_large", "$.sequence"),
    ("integer beyond 2^53", _raw(b'"sequence": 1', b'"sequence": 9007199254740993'),
     "number_too_large", "$.sequence"),
    ("string for a number", _changed(_set("assessments.0.max_points", "100")), "wrong_type",
     "$.assessments[0].max_points"),
    ("number for a string", _changed(_set("assessments.0.tasks.0.title", 42)), "wrong_type",
     f"{TASK}.title"),
    ("12.0 for an integer", _changed(_set("sequence", 12.0)), "wrong_type", "$.sequence"),
    ("boolean for a number", _changed(_set("assessments.0.score", True)), "wrong_type",
     "$.assessments[0].score"),
    ("boolean for an integer", _changed(_set("version", True)), "wrong_type", "$.version"),
    ("missing member", _changed(_delete("assessments.0.tasks.0.status")), "missing_member",
     f"{TASK}.status"),
    ("missing integrity", to_bytes(
        {k: v for k, v in example_document().items() if k != "integrity"}),
     "missing_member", "$.integrity"),
    ("extra member at the top", _changed(_set("comment", "x")), "unknown_member",
     "$.comment"),
    ("extra member deep", _changed(_set("assessments.0.tasks.0.priority", 1)),
     "unknown_member", f"{TASK}.priority"),
    ("unknown status", _changed(_set("assessments.0.tasks.0.status", "finished")),
     "not_allowed_value", f"{TASK}.status"),
    ("unknown level", _changed(_set("unit.level", "huyen")), "not_allowed_value",
     "$.unit.level"),
    ("score above max", _changed(_set("assessments.0.criteria.3.score", 1.5)),
     "score_above_max", f"{CRITERIA}[3].score"),
    ("assessment score above max", _changed(_set("assessments.0.score", 100.5)),
     "score_above_max", "$.assessments[0].score"),
    ("negative points", _changed(_set("assessments.0.criteria.3.max_points", -1)),
     "out_of_range", f"{CRITERIA}[3].max_points"),
    ("zero assessment max", _changed(_set("assessments.0.max_points", 0)), "out_of_range",
     "$.assessments[0].max_points"),
    ("three decimals", _changed(_set("assessments.0.criteria.3.score", 0.125)),
     "too_many_decimals", f"{CRITERIA}[3].score"),
    ("progress 101", _changed(_set("assessments.0.tasks.1.progress", 101)), "out_of_range",
     "$.assessments[0].tasks[1].progress"),
    ("progress -1", _changed(_set("assessments.0.tasks.1.progress", -1)), "out_of_range",
     "$.assessments[0].tasks[1].progress"),
    ("year 1999", _changed(_set("assessments.0.year", 1999)), "out_of_range",
     "$.assessments[0].year"),
    ("sequence 0", _changed(_set("sequence", 0)), "out_of_range", "$.sequence"),
    ("rank above rank_of", _changed(_set("assessments.0.rank", 10)), "rank_above_rank_of",
     "$.assessments[0].rank_of"),
    ("done without done_on", _changed(_done_without_date), "done_without_date",
     f"{TASK}.done_on"),
    ("done at 90 percent", _changed(_set("assessments.0.tasks.0.progress", 90)),
     "done_not_complete", f"{TASK}.progress"),
    ("done_on while cancelled", _changed(_set("assessments.0.tasks.1.done_on", "2023-06-01")),
     "date_without_done", "$.assessments[0].tasks[1].done_on"),
    ("criterion that does not exist", _changed(_set("assessments.0.tasks.0.criteria",
                                                    ["1.1.2", "9.9"])),
     "unknown_criterion", f"{TASK}.criteria[1]"),
    ("criterion without its parent", _changed(_duplicate_parent), "missing_parent",
     f"{CRITERIA}[1].code"),
    ("duplicate task id", _changed(_duplicate_task), "duplicate_id",
     "$.assessments[0].tasks[1].id"),
    ("duplicate assessment id", _changed(_second_assessment_same_id), "duplicate_id",
     "$.assessments[1].id"),
    ("duplicate criterion code", _changed(_duplicate_code), "duplicate_code",
     f"{CRITERIA}[49].code"),
    ("impossible date", _changed(_set("assessments.0.tasks.0.due", "2023-02-30")),
     "impossible_date", f"{TASK}.due"),
    ("not a date", _changed(_set("assessments.0.tasks.0.due", "15/06/2023")), "bad_date",
     f"{TASK}.due"),
    ("date-time without offset", _changed(_set("created_at", "2023-06-15T16:30:00")),
     "datetime_without_offset", "$.created_at"),
    ("impossible date-time", _changed(_set("created_at", "2023-06-15T24:30:00+07:00")),
     "impossible_date", "$.created_at"),
    ("upper-case uuid", _changed(_set("bundle_id", "BAB44423-CC87-46FA-968A-6F536DB8E4B6")),
     "bad_format", "$.bundle_id"),
    ("bad criterion code", _changed(_set("assessments.0.criteria.0.code", "1a")),
     "bad_format", f"{CRITERIA}[0].code"),
    ("nesting 100,000 deep", b"[" * 100_000 + b"]" * 100_000, "too_deep", ""),
    ("nesting 100,000 deep inside a bundle", _DEEP_IN_MEMBER, "too_deep", ""),
    ("a 10 MB string", _changed(_set("assessments.0.tasks.0.detail", "x" * 10_000_000)),
     "too_long", f"{TASK}.detail"),
    ("too many assessments", _changed(lambda d: d.__setitem__(
        "assessments", [dict(d["assessments"][0], id=f"a{i}", criteria=[], tasks=[])
                        for i in range(51)])),
     "too_many_items", "$.assessments"),
    ("one character changed after export", _raw("Phường 1".encode(), "Phường 2".encode()),
     "digest_mismatch", "$.integrity.sha256"),
    ("digest of another bundle", _raw(_SEALED_DIGEST, _OTHER_DIGEST),
     "digest_mismatch", "$.integrity.sha256"),
]


@pytest.mark.parametrize(("data", "code", "path"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_refused_with_its_reason(data: bytes, code: str, path: str) -> None:
    read = read_bundle(data)
    assert not read.ok
    assert (read.refusal.code, read.refusal.path) == (code, path)


def test_the_cases_start_from_a_valid_bundle() -> None:
    assert read_bundle(EXAMPLE).ok
    assert read_bundle(_changed(lambda d: None)).ok


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    assert read_bundle(b"\xef\xbb\xbf" + EXAMPLE).ok


def test_details_carry_the_values_for_the_sentence() -> None:
    refusal = read_bundle(_changed(_set("version", 3))).refusal
    assert refusal.details == {"found": 3, "supported": 2}
    refusal = read_bundle(_changed(_set("assessments.0.criteria.3.score", 1.5))).refusal
    assert refusal.details == {"score": 1.5, "max": 1.0}
    refusal = read_bundle(_changed(_set("assessments.0.tasks.0.progress", 12.0))).refusal
    assert refusal.details == {"expected": "integer", "found": "number"}
    refusal = read_bundle(b"\xff\xfe{\x00}\x00").refusal
    assert refusal.details == {"encoding": "UTF-16"}


def test_bytes_over_16_mib_are_refused_by_their_length() -> None:
    refusal = read_bundle(b" " * (MAX_BUNDLE_BYTES + 1)).refusal
    assert refusal.code == "too_large"
    assert refusal.details == {"size": MAX_BUNDLE_BYTES + 1, "limit": MAX_BUNDLE_BYTES}


def test_a_file_over_16_mib_is_refused_before_it_is_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BUNDLE_BYTES + 1)  # sparse: no 16 MiB written to disk

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("store.bundle.reader.open", no_open, raising=False)
    assert read_bundle_file(path).refusal.code == "too_large"


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    assert read_bundle_file(tmp_path / "missing.json").refusal.code == "unreadable"
    assert read_bundle_file(tmp_path).refusal.code == "unreadable"


def test_a_valid_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(EXAMPLE)
    assert read_bundle_file(path).ok


def test_the_deep_case_really_is_deep() -> None:
    # Guards the test itself: json would need 100,000 levels to read it.
    assert _DEEP_IN_MEMBER.count(b"[") >= 100_000
    assert json.loads(EXAMPLE)["unit"]["name"] == "Phường 1"
