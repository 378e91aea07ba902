"""What reading a bundle gives: data, codes and values, never sentences.

Light on purpose (no pydantic): the UI imports these types to word them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assignment import AssignmentBundle
    from .models import ProgressBundle


@dataclass(frozen=True)
class Refusal:
    """Why a bundle was refused.

    code: a stable name (see REFUSAL_CODES); path: JSONPath of the offending value
    ("$.assessments[0].tasks[3].progress"), "" when the file is refused as a whole;
    details: the values a sentence needs (limit, found, expected, line, ...).
    """

    code: str
    path: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BundleWarning:
    """Something a reader accepts but a person should know (same shape as Refusal)."""

    code: str
    path: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BundleRead:
    """The outcome of reading untrusted bytes: a bundle, or a refusal.

    bundle: the validated bundle (a progress bundle, or an assignment from
    store.bundle.assignment_read) with every string NFC-normalised;
    sha256: the digest as recomputed (equal to bundle.integrity.sha256 when ok);
    canonical: the RFC 8785 bytes the digest was taken of (the bundle as written,
    without integrity and signature);
    public_key: the 32 raw bytes of the key whose signature verified, None for an
    unsigned (version 1) bundle.
    """

    bundle: ProgressBundle | AssignmentBundle | None = None
    refusal: Refusal | None = None
    warnings: tuple[BundleWarning, ...] = ()
    sha256: str | None = None
    canonical: bytes | None = None
    public_key: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None and self.bundle is not None


REFUSAL_CODES = {
    # the file as a whole
    "too_large": "over the size limit (details: size, limit)",
    "empty": "no content",
    "unreadable": "the file could not be read (details: reason, errno)",
    "not_regular_file": "a FIFO, device, socket or folder, not a file; never read "
                        "(details: kind, see store.files.file_kind)",
    # entries of a folder being received, refused before anything is read
    "name_not_text": "a file name holding bytes that are not UTF-8 (or a lone surrogate)",
    "folder_unreadable": "a folder that could not be listed (details: reason, errno)",
    "folder_link": "a link to a folder inside a folder being searched: not followed",
    "archive": "a ZIP container (XLSX, DOCX, ...) rather than JSON",
    "wrong_encoding": "UTF-16 or UTF-32 (details: encoding)",
    "not_utf8": "invalid UTF-8 (details: offset)",
    "truncated": "the JSON ends too early: a cut file (details: line, column)",
    "not_json": "not JSON (details: line, column)",
    "control_character": "a raw or escaped control character in a string",
    "duplicate_key": "an object has the same member twice (details: key)",
    "non_finite_number": "NaN or Infinity (details: value)",
    "number_too_large": "a number that does not fit a double, or an integer beyond "
                        "2^53 - 1 (details: digits)",
    "too_deep": "nested too deep to read",
    "not_an_object": "the top level is not an object (details: found)",
    "wrong_format": "format is not cchc-bundle (details: found)",
    "version_too_new": "written by a newer format version (details: found, supported)",
    "unknown_kind": "kind is not one the bundle's version knows (details: found)",
    "wrong_kind": "a kind of bundle the caller does not take, e.g. an assignment offered "
                  "as progress (details: found, expected)",
    # a value
    "missing_member": "a required member is missing",
    "unknown_member": "a member the format does not have",
    "wrong_type": "a value of the wrong JSON type (details: expected, found)",
    "not_allowed_value": "not one of the allowed values (details: allowed, found)",
    "out_of_range": "a number outside its range (details: limit, relation)",
    "too_long": "a string over its length limit (details: limit)",
    "too_many_items": "an array over its size limit (details: limit)",
    "too_few_items": "an array with fewer items than it needs (details: limit)",
    "bad_format": "a string not of its pattern: id, code, UUID, digest (details: pattern)",
    "invalid_text": "a string that is not valid Unicode (a lone surrogate)",
    "bad_date": "not a date YYYY-MM-DD (details: value)",
    "bad_datetime": "not an RFC 3339 date-time (details: value)",
    "datetime_without_offset": "a date-time without its UTC offset (details: value)",
    "impossible_date": "a date that does not exist, e.g. 2023-02-30 (details: value)",
    "instant_out_of_range": "a date-time outside 2000-2100 once converted to UTC or to "
                            "Vietnam's time (details: value, first, last)",
    "too_many_decimals": "points with more than two decimals (details: value)",
    # rules between values
    "score_above_max": "score greater than max_points (details: score, max)",
    "rank_above_rank_of": "rank greater than rank_of (details: rank, rank_of)",
    "duplicate_id": "an id used twice (details: value)",
    "duplicate_code": "a criterion code used twice in an assessment (details: value)",
    "duplicate_issuer": "assignments_held names an issuer twice (details: value)",
    "missing_parent": "a criterion whose parent code is absent (details: code, parent)",
    "unknown_criterion": "a task cites a criterion the assessment lacks (details: code)",
    "done_without_date": "status done without done_on",
    "date_without_done": "done_on given while status is not done (details: status)",
    "done_not_complete": "status done with progress below 100 (details: progress)",
    "invalid_value": "a value the models refused for another reason (details: error)",
    # the whole
    "digest_mismatch": "integrity digest differs: damaged or altered (details: written, "
                       "computed)",
    "reader_error": "the reader failed unexpectedly; logged (details: error)",
    # the signature (spec/bundle-v2.md, Signatures and keys)
    "unsupported_signature": "signature.alg is not ed25519 (details: found)",
    "bad_public_key": "signature.public_key is not base64 of 32 bytes (details: expected)",
    "bad_signature_value": "signature.value is not base64 of 64 bytes (details: expected)",
    "forged": "the signature does not verify over the canonical bytes: forged or damaged "
              "after signing (details: fingerprint of the key it names)",
    # key cards
    "not_a_key_card": "format is not cchc-key (details: found)",
    "card_signature_invalid": "the card's self-signature does not verify (details: "
                              "fingerprint)",
}

WARNING_CODES = {
    "demo_data": "the unit code is the demo's (store.derive.is_demo_code, e.g. DEMO-30316): "
                 "sample data, not a real unit's report (details: code)",
    "unusual_unit_code": "a commune's or ward's code that is not 5 ASCII digits, such as "
                         "3O316 for 30316 (details: code, level)",
    "points_sum_mismatch": "a parent's max_points differs from its children's sum by more "
                           "than 0.005 (details: code, max, sum)",
}
