"""Reading untrusted bytes into an assignment bundle, safely.

read_assignment() never raises: whatever the bytes, it returns a BundleRead (as the
progress reader does) whose bundle is an AssignmentBundle, or a Refusal. It goes
the progress reader's way (reader.py):
size -> encoding -> JSON with the same refusal hooks (read_document) -> format,
version and kind -> strict models (NFC first) -> the rules between values (the
progress bundle's own checks of an assessment, its criteria tree and its tasks'
citations) -> the integrity digest of the values as written. Every hostile case
the progress reader refuses is refused here with the same code and path.

The signature is checked by whoever knows the keys held (the unit's import, per
issuer code, bundle-v2's table), after the digest.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .assignment import KIND, VERSION, AssignmentBundle
from .digest import canonical_bytes, sha256_hex
from .models import FORMAT
from .reader import json_type, read_document, read_file_limited, refusal_from_validation
from .results import BundleRead, BundleWarning, Refusal
from .rules import check_assessment_head, check_criteria_tree, check_task_citations

log = logging.getLogger(__name__)

_SHOWN_CHARS = 64

# Codes beyond the progress reader's (store.bundle.results.REFUSAL_CODES).
ASSIGNMENT_REFUSAL_CODES = {
    "not_an_assignment": "a progress bundle (or another kind) where an assignment was "
                         "expected (details: found)",
    "wrong_version": "an assignment of a version other than 2 (details: found, supported)",
}


def read_assignment(data: bytes) -> BundleRead:
    """Untrusted bytes -> a valid assignment (with warnings) or a refusal. Never raises."""
    try:
        return _read(data)
    except Exception as error:  # the boundary: a refusal, never a crash
        log.exception("reading an assignment failed unexpectedly")
        return BundleRead(refusal=Refusal("reader_error", "",
                                              {"error": type(error).__name__}))


def read_assignment_file(path: str | os.PathLike[str]) -> BundleRead:
    """Like read_assignment(), for a file whose size is checked before it is read."""
    refusal, data = read_file_limited(Path(path))
    if refusal is not None:
        return BundleRead(refusal=refusal)
    return read_assignment(data)


def document_kind(document: Any) -> str | None:
    """The kind a parsed document claims ("progress", "assignment", ...), or None."""
    if isinstance(document, dict) and isinstance(document.get("kind"), str):
        return document["kind"]
    return None


def _read(data: bytes) -> BundleRead:
    document = read_document(data)
    if isinstance(document, Refusal):
        return BundleRead(refusal=document)
    refusal = _check_envelope(document)
    if refusal is not None:
        return BundleRead(refusal=refusal)
    try:
        assignment = AssignmentBundle.model_validate(document)
    except ValidationError as error:
        return BundleRead(refusal=refusal_from_validation(error))
    refusal, warnings = check_assignment_rules(assignment)
    if refusal is not None:
        return BundleRead(refusal=refusal)
    canonical = canonical_bytes(document)
    digest = sha256_hex(canonical)
    if digest != assignment.integrity.sha256:
        return BundleRead(refusal=Refusal("digest_mismatch", "$.integrity.sha256",
                                              {"written": assignment.integrity.sha256,
                                               "computed": digest}))
    return BundleRead(bundle=assignment, warnings=tuple(warnings), sha256=digest,
                          canonical=canonical)


def _shown(value: Any) -> Any:
    if isinstance(value, str):
        return value[:_SHOWN_CHARS]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return json_type(value)


def _check_envelope(document: Any) -> Refusal | None:
    """What the file claims to be: a progress bundle given as an assignment is told
    as such, a newer version asks to update the app."""
    if not isinstance(document, dict):
        return Refusal("not_an_object", "$", {"found": json_type(document)})
    if document.get("format") != FORMAT:
        return Refusal("wrong_format", "$.format", {"found": _shown(document.get("format"))})
    version = document.get("version")
    if type(version) is int and version > VERSION:
        return Refusal("version_too_new", "$.version", {"found": version, "supported": VERSION})
    kind = document.get("kind")
    if "kind" in document and kind != KIND:
        if kind == "progress":
            return Refusal("not_an_assignment", "$.kind", {"found": kind})
        return Refusal("unknown_kind", "$.kind", {"found": _shown(kind)})
    if type(version) is int and version != VERSION:
        return Refusal("wrong_version", "$.version", {"found": version, "supported": VERSION})
    return None


def check_assignment_rules(assignment: AssignmentBundle) -> tuple[Refusal | None,
                                                                  list[BundleWarning]]:
    """The first broken rule (or None) and the warnings of a valid assignment: the
    progress bundle's checks of each assessment, its criteria tree and its tasks."""
    warnings: list[BundleWarning] = []
    assessment_ids: set[str] = set()
    task_ids: set[str] = set()
    for a_index, assessment in enumerate(assignment.assessments):
        at = f"$.assessments[{a_index}]"
        refusal = check_assessment_head(assessment, at, assessment_ids)
        if refusal is not None:
            return refusal, warnings
        refusal, criteria_max = check_criteria_tree(assessment.criteria, at, warnings)
        if refusal is not None:
            return refusal, warnings
        for t_index, task in enumerate(assessment.tasks):
            refusal = check_task_citations(task, f"{at}.tasks[{t_index}]", task_ids,
                                           criteria_max)
            if refusal is not None:
                return refusal, warnings
    return None, warnings
