"""The one list of a task's fields. The edit rules (store.write.tasks), the detail
row (store.read.task_detail.TaskDetail) and both directions of the snapshot
(store.snapshot: bundle <-> table rows) are built from it; tests prove that it
names exactly the columns of store.models.Task and the members of a bundle's task
(store.bundle.models.Task), in the bundle's order.

A new task field is then: its column (models.Task, plus a migration step), one
line here, its member in the bundle models, and the form and detail view that
show it.

Standard library only (a leaf, like store.vocab).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .vocab import TEXT_LIMIT, TITLE_LIMIT


class FieldKind(StrEnum):
    """What a field holds; it decides the Python type, how an edit is checked and
    how the value crosses the bundle."""

    KEY = "key"  # a row id of this database (never exported)
    UUID = "uuid"  # the task's id in bundles
    TITLE = "title"  # one line of text, at most TITLE_LIMIT characters
    LONG_TEXT = "long_text"  # text that may hold line feeds and tabs, at most TEXT_LIMIT
    DATE = "date"  # a plain date (ISO in bundles)
    INSTANT = "instant"  # an aware instant, stored in UTC (RFC 3339 in bundles)
    STATUS = "status"  # a vocab.TaskStatus
    PERCENT = "percent"  # a whole number 0-100
    POINTS = "points"  # points, derived from the criteria the task cites
    SEARCH = "search"  # folded text kept for search and grouping (derived)
    RELATION = "relation"  # rows of another table (criteria, evidence, history)


PYTHON_TYPES: dict[FieldKind, type] = {
    FieldKind.KEY: int, FieldKind.UUID: str, FieldKind.TITLE: str, FieldKind.LONG_TEXT: str,
    FieldKind.DATE: dt.date, FieldKind.INSTANT: dt.datetime, FieldKind.STATUS: str,
    FieldKind.PERCENT: int, FieldKind.POINTS: float, FieldKind.SEARCH: str,
    FieldKind.RELATION: list,
}


@dataclass(frozen=True)
class TaskField:
    name: str  # the column of store.models.Task and the attribute of TaskDetail
    kind: FieldKind
    bundle: str | None = None  # its member in a bundle's task; None: local only
    required: bool = False  # never None (nor empty, for text)
    editable: bool = False  # an official changes it (update_task, create_task)
    limit: int | None = None  # the longest text an edit accepts

    @property
    def python_type(self) -> type:
        return PYTHON_TYPES[self.kind]

    @property
    def is_column(self) -> bool:
        return self.kind is not FieldKind.RELATION

    @property
    def multiline(self) -> bool:
        return self.kind is FieldKind.LONG_TEXT


K = FieldKind
# Members of a bundle's task in the bundle's order; local columns around them.
TASK_FIELDS: tuple[TaskField, ...] = (
    TaskField("id", K.KEY, required=True),
    TaskField("uid", K.UUID, "id", required=True),
    TaskField("assessment_id", K.KEY, required=True),
    TaskField("title", K.TITLE, "title", required=True, editable=True, limit=TITLE_LIMIT),
    TaskField("detail", K.LONG_TEXT, "detail", editable=True, limit=TEXT_LIMIT),
    TaskField("criteria", K.RELATION, "criteria"),
    TaskField("owner", K.TITLE, "owner", editable=True, limit=TITLE_LIMIT),
    TaskField("due", K.DATE, "due", editable=True),
    TaskField("status", K.STATUS, "status", required=True, editable=True),
    TaskField("progress", K.PERCENT, "progress", required=True, editable=True),
    TaskField("result", K.LONG_TEXT, "result", editable=True, limit=TEXT_LIMIT),
    TaskField("done_on", K.DATE, "done_on", editable=True),
    TaskField("updated_at", K.INSTANT, "updated_at", required=True),
    TaskField("evidence", K.RELATION, "evidence"),
    TaskField("history", K.RELATION, "history"),
    TaskField("search_key", K.SEARCH, required=True),
    TaskField("owner_key", K.SEARCH, required=True),
    TaskField("points_at_stake", K.POINTS, required=True),
    # Schema 3, local: the issuer code of the assignment that brought the task, the body
    # it names to lead it, and when a later assignment no longer held it.
    TaskField("assigned_by", K.TITLE),
    TaskField("lead", K.TITLE),
    TaskField("withdrawn_at", K.INSTANT),
)
del K

TASK_FIELD = {field.name: field for field in TASK_FIELDS}
COLUMNS = tuple(field for field in TASK_FIELDS if field.is_column)
EDITABLE = tuple(field for field in TASK_FIELDS if field.editable)
# In a bundle: the columns that travel, and every member in order (with relations).
BUNDLE_COLUMNS = tuple(field for field in COLUMNS if field.bundle is not None)
BUNDLE_MEMBERS = tuple(field for field in TASK_FIELDS if field.bundle is not None)
# What a task's detail view reads: every column but the search caches, then relations.
DETAIL_COLUMNS = tuple(field for field in COLUMNS if field.kind is not FieldKind.SEARCH)
RELATIONS = tuple(field for field in TASK_FIELDS if not field.is_column)
