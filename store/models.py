"""SQLModel tables: the model of spec/bundle-v1.md plus bookkeeping.

The same schema serves the unit's own database (one unit) and the supervisor's
review database (many units, plus the record of received bundles).

Instants are aware datetimes, stored and returned in UTC by SQLModel; dates are plain dates.
Points lost is
derived (max - score) and never stored. Two columns on task are caches kept by
store.write.tasks.refresh_task_derived(), because a 100,000-row list must sort and search
without a join per row: search_key (folded text of the task and its criteria) and
points_at_stake (points lost on its criteria).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DDL, Column, Index, LargeBinary, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

from .vocab import TaskStatus


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str
    level: str = "xa"
    supervisor: str = ""
    search_key: str = ""


class Assessment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "ext_id"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    ext_id: str  # the bundle's assessment id, chosen by the issuer
    title: str
    index_kind: str = "PAR"
    year: int
    issuer: str = ""
    max_points: float = 100.0
    score: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    # The issuer code of the assignment that brought it (schema 3); None when the
    # unit entered it itself.
    assigned_by: str | None = None


class DocumentRef(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    position: int = 0
    number: str
    date: dt.date | None = None
    title: str | None = None


class Criterion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("assessment_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    code: str
    sort_key: str = ""  # "003.002.001" so codes sort as numbers
    title: str
    max_points: float
    score: float | None = None
    finding: str | None = None
    # The unit's own analysis of why the points were lost (nguyên nhân) and its kind,
    # a vocab.CauseKind (schema 2).
    cause: str | None = None
    cause_kind: str | None = None
    search_key: str = ""
    # Schema 3: the issuer code of the assignment that created it (None: the unit's
    # own, never removed by an assignment), and when a later assignment no longer
    # held it while a task still cited it (kept, shown as no longer assigned).
    assigned_by: str | None = None
    withdrawn_at: dt.datetime | None = None


# The orders the task list offers, as SQL over the task table. Each has an index on
# (assessment_id, <the same expressions>) so a page of a 100,000-task list is an
# index walk, not a sort; store.read.tasks orders by exactly these expressions, which
# is what lets SQLite use the expression indexes.
TASK_IS_CLOSED = f"status IN ('{TaskStatus.DONE}', '{TaskStatus.CANCELLED}')"
TASK_STATUS_RANK = (f"CASE status WHEN '{TaskStatus.TODO}' THEN 0 "
                    f"WHEN '{TaskStatus.IN_PROGRESS}' THEN 1 "
                    f"WHEN '{TaskStatus.DONE}' THEN 2 ELSE 3 END")
TASK_ORDERS: dict[str, tuple[str, ...]] = {
    "deadline": (TASK_IS_CLOSED, "due IS NULL", "due"),
    "points": ("points_at_stake DESC", TASK_IS_CLOSED, "due IS NULL", "due"),
    "status": (TASK_STATUS_RANK, "due IS NULL", "due"),
    "owner": ("owner_key = ''", "owner_key", TASK_IS_CLOSED, "due IS NULL", "due"),
}


class Task(SQLModel, table=True):
    __table_args__ = (
        *(Index(f"ix_task_by_{name}", "assessment_id", *(text(part) for part in parts))
          for name, parts in TASK_ORDERS.items()),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True, unique=True)  # the bundle's task id (UUID)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    title: str
    detail: str | None = None
    owner: str | None = None
    due: dt.date | None = Field(default=None, index=True)
    status: str = Field(default=TaskStatus.TODO.value, index=True)
    progress: int = 0
    result: str | None = None
    done_on: dt.date | None = None
    updated_at: dt.datetime
    search_key: str = ""
    owner_key: str = Field(default="", index=True)
    points_at_stake: float = 0.0
    # Schema 3: the issuer code of the assignment that brought the task (None: the
    # unit's own task, never touched by an assignment), the body expected to lead it
    # (chủ trì), and when a later assignment of that issuer no longer held it.
    assigned_by: str | None = None
    lead: str | None = None
    withdrawn_at: dt.datetime | None = None


# The supervisor's all-tasks list (up to ~150,000 tasks of every unit) pages in these
# orders; the indexes let SQLite read a page without sorting every task, and count
# the overdue tasks without reading the table.
_task = Task.__table__.c  # type: ignore[attr-defined]
Index("ix_task_points_order", _task.points_at_stake.desc(), _task.due.is_(None), _task.due,
      _task.id)
Index("ix_task_due_order", _task.due.is_(None), _task.due, _task.points_at_stake.desc(),
      _task.id)
Index("ix_task_status_due", _task.status, _task.due)


# Search as you type over 100,000 tasks: an FTS5 trigram index of Task.search_key
# (already folded) answers substring queries of 3+ characters in a few ms where a
# LIKE scan takes ~25 ms per pass. Triggers keep it in step with every write path
# (edits, snapshots, cascading deletes). Shorter queries fall back to LIKE.
TASK_SEARCH_TABLE = "task_search"
_TASK_SEARCH_DDL = (
    f"CREATE VIRTUAL TABLE {TASK_SEARCH_TABLE} USING fts5(search_key, content='task', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER task_search_insert AFTER INSERT ON task BEGIN "
    f"INSERT INTO {TASK_SEARCH_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
    f"CREATE TRIGGER task_search_delete AFTER DELETE ON task BEGIN "
    f"INSERT INTO {TASK_SEARCH_TABLE}({TASK_SEARCH_TABLE}, rowid, search_key) "
    f"VALUES ('delete', old.id, old.search_key); END",
    f"CREATE TRIGGER task_search_update AFTER UPDATE OF search_key ON task BEGIN "
    f"INSERT INTO {TASK_SEARCH_TABLE}({TASK_SEARCH_TABLE}, rowid, search_key) "
    f"VALUES ('delete', old.id, old.search_key); "
    f"INSERT INTO {TASK_SEARCH_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
)
for _statement in _TASK_SEARCH_DDL:
    event.listen(Task.__table__, "after_create", DDL(_statement))


class TaskCriterion(SQLModel, table=True):
    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    criterion_id: int = Field(foreign_key="criterion.id", primary_key=True, index=True,
                              ondelete="CASCADE")


class Evidence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    locator: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    file_sha256: str | None = None
    # Where the file was when it was attached; local only, never exported.
    file_path: str | None = None


class Change(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    at: dt.datetime
    by: str | None = None
    field: str
    old: str | None = None
    new: str | None = None


class ExportRecord(SQLModel, table=True):
    """One bundle this unit exported; the highest sequence is the counter."""

    id: int | None = Field(default=None, primary_key=True)
    sequence: int = Field(unique=True)
    bundle_id: str
    sha256: str
    created_at: dt.datetime
    path: str


class ReportDraft(SQLModel, table=True):
    """Text the unit writes itself for one section of a document (schema 3): the
    results report's "I. Tình hình triển khai" and "IV. Kiến nghị, đề xuất", the
    plan's purpose and organisation. Kept per assessment, so next year's report
    starts empty and last year's stays as it was sent."""

    __table_args__ = (UniqueConstraint("assessment_id", "document", "section"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    document: str  # store.report.drafts.DRAFT_SECTIONS names the documents and sections
    section: str
    text: str
    updated_at: dt.datetime
    updated_by: str | None = None


class ReceivedBundle(SQLModel, table=True):
    """One bundle accepted into a review database, kept on record."""

    id: int | None = Field(default=None, primary_key=True)
    unit_code: str = Field(index=True)
    bundle_id: str = Field(unique=True)
    sequence: int
    sha256: str
    previous_sha256: str | None = None
    created_at: str  # RFC 3339 as sent, offset kept
    file_name: str
    imported_at: dt.datetime
    warnings: str = ""  # JSON list of warning records
    # The canonical bytes of the bundle, zlib-compressed, for the change view.
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # Schema 3 (bundle v2, signatures):
    version: int = 1  # the bundle's format version
    public_key: str | None = None  # base64 of the key that signed it; None: unsigned
    key_fingerprint: str | None = None
    # JSON list of {"issuer", "sequence", "sha256"}: the assignments the unit held
    assignments_held: str = "[]"
    # A supervisor set it aside (a wrong acceptance): kept on record, no longer the
    # unit's current state, and later bundles are judged without it.
    set_aside_at: dt.datetime | None = None
    set_aside_by: str | None = None


class OwnKey(SQLModel, table=True):
    """The public half of this database's own signing key: the unit's in its
    database, the supervisor's in a review database. The private half is the file
    beside the database (store.keys.key_path_for). One row has retired_at None:
    the key in use; older ones are kept when a lost key is replaced."""

    id: int | None = Field(default=None, primary_key=True)
    public_key: str = Field(unique=True)  # base64 of the 32 raw bytes
    fingerprint: str
    created_at: dt.datetime
    retired_at: dt.datetime | None = None


class SenderKey(SQLModel, table=True):
    """The key a review database holds for a sender code (a unit's, or an issuer's
    for assignments): files from that code must be signed with it."""

    id: int | None = Field(default=None, primary_key=True)
    sender_code: str = Field(unique=True)
    public_key: str = Field(index=True)  # base64 of the 32 raw bytes
    fingerprint: str
    pinned_at: dt.datetime
    # a store.vocab.KeySource: FIRST_USE (from a bundle; not confirmed until the
    # fingerprint is compared with the sender's paper report), ENROLLED or REPLACED
    # (a card)
    source: str
    confirmed: bool = False
    confirmed_at: dt.datetime | None = None
    by: str | None = None  # who enrolled, replaced or confirmed it
    # The ReceivedBundle the key was taken from, when taken on first use.
    from_bundle_id: int | None = None


class KeyEvent(SQLModel, table=True):
    """What happened to a held key, with who and when: taken on first use,
    enrolled, confirmed, replaced, dropped (its bundle was set aside)."""

    id: int | None = Field(default=None, primary_key=True)
    sender_code: str = Field(index=True)
    at: dt.datetime
    by: str | None = None
    action: str
    fingerprint: str
    previous_fingerprint: str | None = None


class Removal(SQLModel, table=True):
    """What an official removed (schema 6): a task, a criterion, an assessment or a
    piece of evidence, so the removal stays on record when the rows that held its
    history are gone. `assessment_id` is kept as a plain number: the assessment
    itself may be what was removed."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    by: str | None = None
    kind: str  # vocab.RemovalKind
    label: str  # what it was, as the official knew it ("3.2 Công khai ...", a title)
    assessment_id: int | None = Field(default=None, index=True)
