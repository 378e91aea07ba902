"""Strict models of every object in bundle-v1 and the progress bundle of bundle-v2.

Strict means JSON types are taken as they are: no "12" or 12.0 for an integer, no
true for a number, no number for a string; unknown members are refused at every
level. Every string is NFC-normalised before its length and pattern are checked,
so a title typed on a keyboard that sends decomposed Vietnamese counts the same.

The rules that involve more than one value (parents present, task criteria exist,
done <=> done_on, unique ids) are in rules.py, where they can name the exact path.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      StringConstraints, WithJsonSchema)
from pydantic_core import PydanticCustomError

from ..clock import FIRST_YEAR, LAST_YEAR, checked_instant
from ..vocab import MAX_BUNDLE_BYTES  # noqa: F401 - the format's limit, named here too

FORMAT = "cchc-bundle"
# The version writers write; readers accept every version in VERSIONS.
VERSION = 2
VERSIONS = (1, 2)
KIND = "progress"
KIND_ASSIGNMENT = "assignment"
# The kinds each version knows (spec/bundle-v2.md, Versions).
KINDS = {1: (KIND,), 2: (KIND, KIND_ASSIGNMENT)}

TITLE_MAX_CHARS = 500
TEXT_MAX_CHARS = 10_000
MAX_ASSESSMENTS = 50
MAX_CRITERIA = 2_000
MAX_TASKS = 5_000
MAX_EVIDENCE = 200
MAX_HISTORY = 10_000
# No index scores in the thousands; a bound keeps sums and differences finite
# (1.7e308 parses as a double, but its hundredfold, for the two-decimals check, does not).
MAX_POINTS = 10_000
MAX_ASSIGNMENTS_HELD = 50
CAUSE_KINDS = ("objective", "subjective", "both")

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ASSESSMENT_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
UNIT_CODE_PATTERN = r"^[A-Za-z0-9._-]{1,16}$"
CRITERION_CODE_PATTERN = r"^[0-9]{1,3}(\.[0-9]{1,3}){0,4}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
BASE64_PATTERN = r"^[A-Za-z0-9+/]*={0,2}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
INSTANT_PATTERN = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
                   r"(Z|[+-][0-9]{2}:[0-9]{2})$")
# Unicode category Cc: C0 controls, DEL and C1 controls.
SINGLE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
# detail, result and finding may also hold line feeds and tabs.
MULTI_LINE_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
MULTI_LINE_FIELDS = ("detail", "result", "finding")

_DATE = re.compile(DATE_PATTERN)
_INSTANT = re.compile(INSTANT_PATTERN)
_INSTANT_WITHOUT_OFFSET = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$")


def _nfc(value: Any) -> Any:
    # Non-strings pass through so the strict str check reports their real type.
    if type(value) is str and not unicodedata.is_normalized("NFC", value):
        return unicodedata.normalize("NFC", value)
    return value


def _text(max_chars: int, pattern: str = SINGLE_LINE_PATTERN) -> Any:
    return Annotated[str, StringConstraints(max_length=max_chars, pattern=pattern),
                     BeforeValidator(_nfc)]


def _token(pattern: str) -> Any:
    """An identifier-like string: ASCII by its pattern, so NFC cannot change it."""
    return Annotated[str, StringConstraints(pattern=pattern)]


Title = _text(TITLE_MAX_CHARS)
Text = _text(TEXT_MAX_CHARS)
MultiLineText = _text(TEXT_MAX_CHARS, MULTI_LINE_PATTERN)
Uuid = _token(UUID_PATTERN)
Sha256 = _token(SHA256_PATTERN)
CriterionCode = _token(CRITERION_CODE_PATTERN)


def _must_exist(parse: Any, value: str) -> str:
    """A well-formed date or date-time that names no real moment (2023-02-30, 24:30)."""
    try:
        parse(value)
    except ValueError:
        raise PydanticCustomError("impossible_date", "No such date: {value}",
                                  {"value": value}) from None
    return value


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise PydanticCustomError("bad_date", "Expected a date YYYY-MM-DD", {"value": value})
    return _must_exist(dt.date.fromisoformat, value)


def _check_instant(value: str) -> str:
    if _INSTANT_WITHOUT_OFFSET.match(value):
        raise PydanticCustomError("datetime_without_offset",
                                  "Date-time without a UTC offset: {value}", {"value": value})
    if not _INSTANT.match(value):
        raise PydanticCustomError("bad_datetime", "Expected an RFC 3339 date-time",
                                  {"value": value[:64]})
    _must_exist(dt.datetime.fromisoformat, value)
    if checked_instant(value) is None:
        raise PydanticCustomError(
            "instant_out_of_range", "Date-time outside {first}-{last} in UTC or local time",
            {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR})
    return value


# Checked in Python (for distinct error codes); the schema states the same as a pattern.
Date = Annotated[str, StringConstraints(max_length=10), AfterValidator(_check_date),
                 WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
Instant = Annotated[str, StringConstraints(max_length=40), AfterValidator(_check_instant),
                    WithJsonSchema({"type": "string", "format": "date-time",
                                    "pattern": INSTANT_PATTERN})]


def _two_decimals(value: float) -> float:
    scaled = value * 100
    if abs(scaled - round(scaled)) > 1e-6 * max(1.0, abs(scaled)):
        raise PydanticCustomError("too_many_decimals", "Points have at most two decimals",
                                  {"value": value})
    return value


_POINTS_NOTE = "Points: at most two decimals."
Points = Annotated[float, Field(ge=0, le=MAX_POINTS, description=_POINTS_NOTE),
                   AfterValidator(_two_decimals)]
PositivePoints = Annotated[float, Field(gt=0, le=MAX_POINTS, description=_POINTS_NOTE),
                           AfterValidator(_two_decimals)]


def _no_default_in_schema(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="rust-regex")


class Unit(_Strict):
    """The sending unit."""

    code: _token(UNIT_CODE_PATTERN)  # type: ignore[valid-type]
    name: Title
    level: Literal["xa", "phuong", "dac_khu", "other"]
    supervisor: Text


class Sender(_Strict):
    """Who exported the bundle."""

    name: Title
    position: Text | None
    phone: Text | None
    email: Text | None


class DocumentRef(_Strict):
    """A document that published the result or set the remediation."""

    number: Text
    date: Date | None
    title: Title | None


class Criterion(_Strict):
    """A node of the criteria tree: domain 3, criterion 3.2, sub-criterion 3.2.1."""

    code: CriterionCode
    title: Title
    max_points: Points
    score: Points | None
    finding: MultiLineText | None


class EvidenceFile(_Strict):
    """The file of an evidence document; the file itself does not travel."""

    name: Title
    size: Annotated[int, Field(ge=0)]
    sha256: Sha256


class Evidence(_Strict):
    """An evidence document (tài liệu kiểm chứng)."""

    id: Uuid
    title: Title
    number: Text | None
    date: Date | None
    issuer: Text | None
    locator: Text | None
    file: EvidenceFile | None


class Change(_Strict):
    """One change of a task field. old and new may hold line feeds only when the field
    is detail, result or finding (checked in rules.py)."""

    at: Instant
    by: Text | None
    field: Text
    old: MultiLineText | None
    new: MultiLineText | None


class Task(_Strict):
    """A remediation task, or a reporting duty with a deadline."""

    id: Uuid
    title: Title
    detail: MultiLineText | None
    criteria: list[CriterionCode]
    owner: Text | None
    due: Date | None
    status: Literal["todo", "in_progress", "done", "cancelled"]
    progress: Annotated[int, Field(ge=0, le=100)]
    result: MultiLineText | None
    done_on: Date | None
    updated_at: Instant
    evidence: Annotated[list[Evidence], Field(max_length=MAX_EVIDENCE)]
    history: Annotated[list[Change], Field(max_length=MAX_HISTORY)]


class AssessmentHead(_Strict):
    """An assessment's own members, before its criteria and tasks (shared with the
    assignment's AssignedAssessment, store.bundle.assignment)."""

    id: _token(ASSESSMENT_ID_PATTERN)  # type: ignore[valid-type]
    title: Title
    index: Literal["PAR", "SIPAS", "OTHER"]
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    issuer: Text
    documents: list[DocumentRef]
    max_points: PositivePoints
    score: Points | None
    rank: Annotated[int, Field(ge=1)] | None
    rank_of: Annotated[int, Field(ge=1)] | None


class Assessment(AssessmentHead):
    """One evaluation the unit was scored in, e.g. the PAR Index of 2022."""

    criteria: Annotated[list[Criterion], Field(max_length=MAX_CRITERIA)]
    tasks: Annotated[list[Task], Field(max_length=MAX_TASKS)]


class Integrity(_Strict):
    """SHA-256 of the RFC 8785 form of the bundle without integrity and signature."""

    sha256: Sha256


class Signature(_Strict):
    """Optional Ed25519 signature over the same canonical bytes."""

    alg: Literal["ed25519"]
    public_key: _token(BASE64_PATTERN)  # type: ignore[valid-type]
    value: _token(BASE64_PATTERN)  # type: ignore[valid-type]


def _version(number: int) -> Any:
    return Annotated[int, Field(ge=number, le=number),
                     WithJsonSchema({"type": "integer", "const": number})]


class Bundle(_Strict):
    """A progress bundle of format version 1: a full snapshot of one unit's
    remediation work."""

    format: Literal["cchc-bundle"]
    version: _version(1)  # type: ignore[valid-type]
    kind: Literal["progress"]
    bundle_id: Uuid
    created_at: Instant
    generator: Text
    sequence: Annotated[int, Field(ge=1)]
    previous_sha256: Sha256 | None
    unit: Unit
    sender: Sender
    assessments: Annotated[list[Assessment], Field(max_length=MAX_ASSESSMENTS)]
    integrity: Integrity
    # Optional, but never null: absent or an object.
    signature: Signature = Field(default=None,  # type: ignore[assignment]
                                 json_schema_extra=_no_default_in_schema)


# -- format version 2: progress bundles ----------------------------------------------------

class CriterionV2(Criterion):
    """A criterion with the unit's own analysis of why its points were lost."""

    cause: MultiLineText | None
    cause_kind: Literal["objective", "subjective", "both"] | None


class AssessmentV2(Assessment):
    criteria: Annotated[list[CriterionV2], Field(max_length=MAX_CRITERIA)]


class HeldAssignment(_Strict):
    """The newest assignment the unit accepted from one issuer."""

    issuer: _token(UNIT_CODE_PATTERN)  # type: ignore[valid-type]
    sequence: Annotated[int, Field(ge=1)]
    sha256: Sha256


class BundleV2(Bundle):
    """A progress bundle of format version 2: version 1's snapshot with the unit's
    causes, the assignments it holds, and a signature, always."""

    version: _version(2)  # type: ignore[valid-type]
    assessments: Annotated[list[AssessmentV2], Field(max_length=MAX_ASSESSMENTS)]
    signature: Signature  # required
    assignments_held: Annotated[list[HeldAssignment], Field(max_length=MAX_ASSIGNMENTS_HELD)]


ProgressBundle = Bundle | BundleV2

# The model of each (version, kind) a reader knows; the reader dispatches on it.
# Assignment bundles (kind "assignment") join it with their own model.
MODELS: dict[tuple[int, str], type[_Strict]] = {(1, KIND): Bundle, (2, KIND): BundleV2}
