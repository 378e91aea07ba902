"""store.task_fields is the one list of a task's fields: it must name exactly the
columns of the task table and the members of a bundle's task, with the same
types, nullability, limits and order, and the modules built from it must show it."""

from __future__ import annotations

import dataclasses
import types
import typing

from store.bundle import models as bundle
from store.models import Task
from store.read.task_detail import TaskDetail
from store.review.changes import COMPARED_FIELDS
from store.task_fields import (BUNDLE_MEMBERS, COLUMNS, DETAIL_COLUMNS, EDITABLE, RELATIONS,
                               TASK_FIELDS, FieldKind)
from store.vocab import TASK_STATUSES, TEXT_LIMIT, TITLE_LIMIT
from store.write.rules import MULTILINE_FIELDS
from store.write.tasks import EDITABLE_NAMES

TABLE = Task.__table__  # type: ignore[attr-defined]


def _allows_none(annotation: object) -> bool:
    return type(None) in typing.get_args(annotation) or annotation is type(None)


def test_the_columns_are_the_task_table_in_its_order() -> None:
    assert [field.name for field in COLUMNS] == [column.name for column in TABLE.columns]


def _without_none(annotation: object) -> object:
    kept = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return kept[0] if len(kept) == 1 else annotation


def test_each_column_has_the_model_type_and_the_table_nullability() -> None:
    for field in COLUMNS:
        annotation = Task.model_fields[field.name].annotation
        assert _without_none(annotation) is field.python_type, field.name
        assert TABLE.columns[field.name].nullable is not field.required, field.name


def test_the_bundle_members_are_the_bundle_task_model_in_its_order() -> None:
    assert [field.bundle for field in BUNDLE_MEMBERS] == list(bundle.Task.model_fields)


def test_a_bundle_member_may_be_null_exactly_when_the_column_may() -> None:
    for field in BUNDLE_MEMBERS:
        annotation = bundle.Task.model_fields[field.bundle].annotation
        expected_null = field.is_column and not field.required
        assert _allows_none(annotation) is expected_null, field.name


def test_kinds_agree_with_the_bundle_format() -> None:
    status = bundle.Task.model_fields["status"].annotation
    assert typing.get_args(status) == tuple(TASK_STATUSES)
    assert TITLE_LIMIT == bundle.TITLE_MAX_CHARS and TEXT_LIMIT == bundle.TEXT_MAX_CHARS
    long_texts = {field.name for field in TASK_FIELDS if field.kind is FieldKind.LONG_TEXT}
    assert long_texts == set(bundle.MULTI_LINE_FIELDS) - {"finding"}
    # and a criterion's cause, a long text of bundle-v2 (the v1 models do not carry it)
    assert MULTILINE_FIELDS == set(bundle.MULTI_LINE_FIELDS) | {"cause"}


def test_every_editable_text_has_a_limit_and_the_editor_takes_exactly_them() -> None:
    for field in EDITABLE:
        if field.kind in (FieldKind.TITLE, FieldKind.LONG_TEXT):
            assert field.limit in (TITLE_LIMIT, TEXT_LIMIT), field.name
    assert EDITABLE_NAMES == ("title", "detail", "owner", "due", "status", "progress",
                              "result", "done_on")


def test_the_detail_row_is_made_of_the_registry() -> None:
    fields = dataclasses.fields(TaskDetail)
    # listed_withdrawn: no column, a review's knowledge of the task (store.overdue.Deadline)
    assert [f.name for f in fields] == [c.name for c in (*DETAIL_COLUMNS, *RELATIONS)] + [
        "listed_withdrawn"]
    for column in DETAIL_COLUMNS:
        declared = next(f.type for f in fields if f.name == column.name)
        if column.required:
            assert declared is column.python_type, column.name
        else:
            assert isinstance(declared, types.UnionType), column.name
            assert set(typing.get_args(declared)) == {column.python_type, type(None)}


def test_the_review_compares_fields_a_bundle_carries() -> None:
    assert set(COMPARED_FIELDS) <= {field.bundle for field in BUNDLE_MEMBERS}
