"""The tables of assignments (schema 3). The same schema serves both databases: the
review database fills IssuedAssignment and ReviewNote, a unit's database fills
ReceivedAssignment and SupervisorNote; the other two stay empty.

The columns that mark what an assignment brought into a unit's own tables are on
those tables (store.models): assessment.assigned_by, criterion.assigned_by and
criterion.withdrawn_at, task.assigned_by, task.lead and task.withdrawn_at.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class IssuedAssignment(SQLModel, table=True):
    """One assignment file a supervising body wrote for a unit (review database).
    The highest sequence per (issuer, unit) is the counter; content is what was sent."""

    __table_args__ = (UniqueConstraint("issuer_code", "unit_code", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer_code: str
    issuer_name: str
    unit_code: str = Field(index=True)
    sequence: int
    bundle_id: str = Field(unique=True)
    sha256: str
    created_at: str  # RFC 3339 as written, offset kept
    file_name: str
    tasks: int
    notes: int
    # The canonical bytes of the assignment (without integrity and signature),
    # zlib-compressed: a notes-only issue and the next issue carry its assessments on.
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ReviewNote(SQLModel, table=True):
    """A supervisor's remark on one of a unit's tasks (review database). sent_in is
    the bundle_id of the assignment that carried it to the unit, None until sent."""

    id: int | None = Field(default=None, primary_key=True)
    unit_code: str = Field(index=True)
    task_uid: str
    at: dt.datetime
    by: str
    text: str
    sent_in: str | None = Field(default=None, index=True)


class ReceivedAssignment(SQLModel, table=True):
    """One assignment a unit accepted (unit's database); the highest sequence per
    issuer is what the unit reports holding (assignments_held)."""

    id: int | None = Field(default=None, primary_key=True)
    issuer_code: str = Field(index=True)
    issuer_name: str
    bundle_id: str = Field(unique=True)
    sequence: int
    sha256: str
    previous_sha256: str | None = None
    created_at: str  # RFC 3339 as sent
    file_name: str
    imported_at: dt.datetime
    warnings: str = ""  # JSON list of warning records


class SupervisorNote(SQLModel, table=True):
    """A supervisor's note kept with the unit's task it is about (unit's database)."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    issuer_code: str
    at: dt.datetime
    by: str
    text: str
