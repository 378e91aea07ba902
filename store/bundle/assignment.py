"""Strict models of an assignment bundle (bundle-v2, kind "assignment"): what a
supervising body sends each unit, the criteria that lost points, the remediation
tasks and deadlines, and its review notes.

The same text rules as the progress bundle (store.bundle.models): strict JSON
types, unknown members refused at every level, every string NFC-normalised before
its length and pattern are checked. The shared objects (Unit, Sender, DocumentRef,
Criterion, Integrity, Signature) are the progress bundle's own.

The rules between values (criteria tree, task citations, unique ids) are in
rules.py. The model joins the reader's table (models.MODELS) at version 2, kind
"assignment", so an assignment is read, checked and its signature verified by the
one reader (store.bundle.reader.read_bundle with kinds=("assignment",)).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .models import (KIND_ASSIGNMENT, MAX_ASSESSMENTS, MAX_CRITERIA, MAX_TASKS, MODELS,
                     UNIT_CODE_PATTERN, AssessmentHead, Criterion, CriterionCode, Date, Instant,
                     Integrity, MultiLineText, Sender, Sha256, Signature, Text, Title, Unit,
                     Uuid, _Strict, _token, _version)

KIND = KIND_ASSIGNMENT
VERSION = 2
MAX_NOTES = 5_000
# The issuer code: the same alphabet and length as a unit code ("SNV-87").
ISSUER_CODE_PATTERN = UNIT_CODE_PATTERN


class Issuer(_Strict):
    """The supervising body that issues the assignment."""

    code: _token(ISSUER_CODE_PATTERN)  # type: ignore[valid-type]
    name: Title


class AssignedTask(_Strict):
    """A remediation task as the supervisor assigns it: no status, progress or
    evidence, which are the unit's own."""

    id: Uuid
    title: Title
    detail: MultiLineText | None
    criteria: list[CriterionCode]
    due: Date | None
    lead: Title | None


class AssignedAssessment(AssessmentHead):
    """The members of a v1 Assessment with assigned criteria and tasks."""

    # v1 Criterion: the unit's cause is its own and never travels this way.
    criteria: Annotated[list[Criterion], Field(max_length=MAX_CRITERIA)]
    tasks: Annotated[list[AssignedTask], Field(max_length=MAX_TASKS)]


class Note(_Strict):
    """The supervisor's review remark on one of the unit's tasks."""

    task_id: Uuid
    at: Instant
    by: Title
    text: MultiLineText


class AssignmentBundle(_Strict):
    """An assignment: one file per receiving unit."""

    format: Literal["cchc-bundle"]
    version: _version(VERSION)  # type: ignore[valid-type]
    kind: Literal["assignment"]
    bundle_id: Uuid
    created_at: Instant
    generator: Text
    sequence: Annotated[int, Field(ge=1)]
    previous_sha256: Sha256 | None
    issuer: Issuer
    sender: Sender
    unit: Unit
    assessments: Annotated[list[AssignedAssessment],
                           Field(min_length=1, max_length=MAX_ASSESSMENTS)]
    notes: Annotated[list[Note], Field(max_length=MAX_NOTES)]
    integrity: Integrity
    signature: Signature  # required: every version 2 writer signs


MODELS[(VERSION, KIND)] = AssignmentBundle


def assignment_file_name(unit_code: str, created_at: str, sequence: int) -> str:
    """cchc-assign-<unit code>-<YYYYMMDD>-<sequence, 4 digits>.json."""
    day = created_at[:10].replace("-", "")
    return f"cchc-assign-{unit_code}-{day}-{sequence:04d}.json"
