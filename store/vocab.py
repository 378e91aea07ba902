"""The store's shared words and numbers: the codes it stores and returns, the schema
version, the limits, the busy timeout.

A leaf: standard library only, imports no other store module, so every module
(including the light ones on the review's first-frame path) can use it. Enum
values are the strings stored in the database and written in bundles; a StrEnum
member equals its string, so code that compares with "done" keeps working.
"""

from __future__ import annotations

from enum import StrEnum

# PRAGMA user_version of a database made by this code (store.migrations steps an
# older one forward to it).
SCHEMA_VERSION = 5

# How long a connection waits for a lock held by another program before it gives up.
BUSY_TIMEOUT_S = 5.0
BUSY_TIMEOUT_MS = round(BUSY_TIMEOUT_S * 1000)

# bundle-v1 limits: titles and names 500 characters, other text 10,000.
TITLE_LIMIT = 500
TEXT_LIMIT = 10_000


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


TASK_STATUSES: tuple[TaskStatus, ...] = tuple(TaskStatus)
# Still to be worked on; only open tasks can be overdue or due soon.
OPEN_STATUSES: tuple[TaskStatus, ...] = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class IndexKind(StrEnum):
    """Which index an assessment scores (PAR Index, SIPAS, another one)."""

    PAR = "PAR"
    SIPAS = "SIPAS"
    OTHER = "OTHER"


INDEX_KINDS: tuple[IndexKind, ...] = tuple(IndexKind)


class CauseKind(StrEnum):
    """The kind of a criterion's cause (nguyên nhân), schema 2."""

    OBJECTIVE = "objective"  # khách quan
    SUBJECTIVE = "subjective"  # chủ quan
    BOTH = "both"


class Verdict(StrEnum):
    """What receiving one bundle did (the verdict tables of bundle-v1 and -v2; the key
    refusals of v2 are REFUSED with their Refusal code)."""

    ACCEPTED = "accepted"
    ALREADY_IMPORTED = "already_imported"
    CONFLICTING_ID = "conflicting_id"
    OLDER_THAN_HELD = "older_than_held"
    REFUSED = "refused"


class KeySource(StrEnum):
    """How a review came to hold a sender's key (SenderKey.source), and what a
    KeyEvent records besides (confirmed, dropped)."""

    FIRST_USE = "first_use"  # from its first signed file; confirmed later, or not
    ENROLLED = "enrolled"  # from its key card
    REPLACED = "replaced"  # a held key replaced by an explicit command


class KeyStatus(StrEnum):
    """Whether a database's own signing key can sign (store.keys.own_key_state)."""

    READY = "ready"  # the key file matches the recorded key
    CREATED = "created"  # there was none: one was made now (say it once)
    NONE = "none"  # none yet, and none could be made (read-only)
    MISSING = "missing"  # the database records a key whose file is gone
    DAMAGED = "damaged"  # the file is there but is not a private key
    MISMATCH = "mismatch"  # the file holds another key than the one recorded
    UNREADABLE = "unreadable"  # the file could not be read (permissions, I/O)
    UNWRITABLE = "unwritable"  # none yet, and making one failed (disk full, no rights)


class HealthProblem(StrEnum):
    """What store.safety.check_database() can find wrong with a database file."""

    MISSING = "missing"  # no file at the path
    UNREADABLE = "unreadable"  # cannot be opened or read (permissions, I/O error)
    NOT_REGULAR = "not_regular"  # a FIFO, a device, a folder (detail: store.files.file_kind)
    EMPTY = "empty"  # 0 bytes
    NOT_SQLITE = "not_sqlite"  # another kind of file
    TRUNCATED = "truncated"  # shorter than its header says (cut off by a copy)
    CORRUPT = "corrupt"  # quick_check / integrity_check found damage
    NOT_CCHC = "not_cchc"  # a SQLite database of another program
    TOO_NEW = "too_new"  # written by a newer CCHC Tracker
    BUSY = "busy"  # another program holds a lock past the busy timeout


class DatabaseKind(StrEnum):
    """Whose database a file is (store.backup.database_identity): the two share one
    schema, so it is told by what the file holds."""

    UNIT = "unit"  # a unit's own database: its unit, its exports
    REVIEW = "review"  # a supervisor's review database: received bundles, held keys


class RestoreMismatch(StrEnum):
    """Why a healthy backup may not be restored over a database (BackupRefused.problem
    beside the HealthProblem codes)."""

    OTHER_KIND = "other_kind"  # a review database over a unit's, or the other way round
    OTHER_UNIT = "other_unit"  # a database of another unit


# The problems that mean the file itself is damaged (offer a backup); the others are
# about access or versions.
DAMAGE_PROBLEMS = frozenset({HealthProblem.EMPTY, HealthProblem.NOT_SQLITE,
                             HealthProblem.TRUNCATED, HealthProblem.CORRUPT,
                             HealthProblem.NOT_CCHC})


class EditRefusal(StrEnum):
    """The rule an edit broke (store.errors.EditRefused.code)."""

    NOT_FOUND = "not_found"
    UNKNOWN_FIELD = "unknown_field"
    REQUIRED = "required"
    NOT_TEXT = "not_text"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NOT_A_DATE = "not_a_date"
    DATE_IN_FUTURE = "date_in_future"
    UNKNOWN_STATUS = "unknown_status"
    PROGRESS_RANGE = "progress_range"
    DONE_NEEDS_FULL_PROGRESS = "done_needs_full_progress"
    DONE_NEEDS_DATE = "done_needs_date"
    DONE_ON_ONLY_WHEN_DONE = "done_on_only_when_done"
    UNKNOWN_CRITERION = "unknown_criterion"
    FILE_MISSING = "file_missing"
    NOT_A_FILE = "not_a_file"
    FILE_UNREADABLE = "file_unreadable"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_MANY_DECIMALS = "too_many_decimals"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_INDEX = "unknown_index"
    MUST_BE_POSITIVE = "must_be_positive"
    SCORE_ABOVE_MAX = "score_above_max"
    RANK_ABOVE_COUNT = "rank_above_count"
    MAX_BELOW_CRITERIA = "max_below_criteria"
    BAD_CODE = "bad_code"
    DUPLICATE_CODE = "duplicate_code"
    PARENT_MISSING = "parent_missing"
    HAS_CHILDREN = "has_children"
    CITED_BY_TASKS = "cited_by_tasks"
    NO_POINTS_LOST = "no_points_lost"  # a cause for a criterion that lost nothing
    KIND_NEEDS_CAUSE = "kind_needs_cause"
    UNKNOWN_CAUSE_KIND = "unknown_cause_kind"
    UNKNOWN_DOCUMENT = "unknown_document"  # a draft of a document the app does not write
