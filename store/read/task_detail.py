"""One task as the detail view and the form read it: its fields, the criteria it
cites, its evidence and its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field, make_dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..models import Change, Criterion, Evidence, Task, TaskCriterion
from ..overdue import Deadline
from ..task_fields import DETAIL_COLUMNS, RELATIONS
from .criteria import CitedCriterion


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    title: str
    number: str | None
    date: dt.date | None
    issuer: str | None
    locator: str | None
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    file_path: str | None


@dataclass(frozen=True)
class ChangeRow:
    at: dt.datetime
    by: str | None
    field: str
    old: str | None
    new: str | None


# The rows each relation of TaskDetail holds.
_RELATION_ROWS: dict[str, type] = {"criteria": CitedCriterion, "evidence": EvidenceRow,
                                   "history": ChangeRow}


def _detail_class() -> type:
    """Made from the registry, so a new task field needs no change here."""
    columns = [(column.name, column.python_type if column.required
                else column.python_type | None) for column in DETAIL_COLUMNS]
    relations = [(relation.name, list[_RELATION_ROWS[relation.name]],
                  field(default_factory=list)) for relation in RELATIONS]
    # A task of a review database that the supervisor withdrew (store.overdue.Deadline).
    listed = [("listed_withdrawn", bool, field(default=False))]
    doc = ("One task as plain values: every column of store.task_fields.DETAIL_COLUMNS, "
           "then its relations; open / overdue / due soon from store.overdue.Deadline.")
    return make_dataclass("TaskDetail", [*columns, *relations, *listed], bases=(Deadline,),
                          frozen=True, namespace={"__module__": __name__, "__doc__": doc})


TaskDetail = _detail_class()


def task_detail(session: Session, task_id: int, *,
                withdrawn: Collection[int] = ()) -> TaskDetail | None:
    """withdrawn: a unit of a review, the ids of its tasks the supervisor withdrew
    (the row's withdrawn_at cannot say it there)."""
    task = session.get(Task, task_id)
    if task is None:
        return None
    criteria = session.execute(
        select(Criterion).join(TaskCriterion, TaskCriterion.criterion_id == Criterion.id)
        .where(TaskCriterion.task_id == task_id).order_by(Criterion.sort_key)).scalars().all()
    evidence = session.execute(select(Evidence).where(Evidence.task_id == task_id)
                               .order_by(Evidence.position, Evidence.id)).scalars().all()
    history = session.execute(select(Change).where(Change.task_id == task_id)
                              .order_by(Change.at.desc(), Change.id.desc())).scalars().all()
    return TaskDetail(
        **{column.name: getattr(task, column.name) for column in DETAIL_COLUMNS},
        criteria=[CitedCriterion(c.id, c.code, c.title, c.max_points, c.score, c.finding)
                  for c in criteria],
        evidence=[EvidenceRow(e.id, e.title, e.number, e.date, e.issuer, e.locator,
                              e.file_name, e.file_size, e.file_sha256, e.file_path)
                  for e in evidence],
        history=[ChangeRow(h.at, h.by, h.field, h.old, h.new) for h in history],
        listed_withdrawn=task_id in withdrawn)
