"""What changed between two bundles of a unit, from the bundles kept on record
(ReceivedBundle.content: the bundle's canonical JSON, zlib-compressed).

A task is matched by its id across the two bundles. For a task in both, the
fields a supervisor follows up are compared: status, progress, result, deadline
and evidence (by evidence id: added, removed, edited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from store.bundle.receive import received_content
from store.models import ReceivedBundle

COMPARED_FIELDS = ("status", "progress", "result", "due")

KIND_NEW = "new"
KIND_REMOVED = "removed"
KIND_CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    field: str  # one of COMPARED_FIELDS; values as in the bundle (ISO dates, status codes)
    old: str | int | None
    new: str | int | None


@dataclass(frozen=True)
class TaskChange:
    kind: str  # KIND_NEW, KIND_REMOVED or KIND_CHANGED
    task_id: str
    title: str
    criteria: tuple[str, ...]
    status: str  # the newer status (the older one for a removed task)
    fields: tuple[FieldChange, ...] = ()
    evidence_added: tuple[str, ...] = ()  # titles
    evidence_removed: tuple[str, ...] = ()
    evidence_edited: tuple[str, ...] = ()


@dataclass(frozen=True)
class BundleChanges:
    unit_code: str
    older_sequence: int
    older_created_at: str
    newer_sequence: int
    newer_created_at: str
    tasks: tuple[TaskChange, ...]

    def count(self, kind: str) -> int:
        return sum(1 for change in self.tasks if change.kind == kind)


def _tasks(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {task["id"]: task for assessment in bundle.get("assessments", [])
            for task in assessment.get("tasks", [])}


def _summary(kind: str, task: dict[str, Any]) -> TaskChange:
    return TaskChange(kind=kind, task_id=task["id"], title=task["title"],
                      criteria=tuple(task.get("criteria", [])), status=task["status"])


def compare_tasks(older: dict[str, Any], newer: dict[str, Any]) -> list[TaskChange]:
    """Changed tasks in the newer bundle's order, then new ones, then removed ones."""
    before, after = _tasks(older), _tasks(newer)
    changed, new = [], []
    for task_id, task in after.items():
        previous = before.get(task_id)
        if previous is None:
            new.append(_summary(KIND_NEW, task))
            continue
        fields = tuple(FieldChange(name, previous.get(name), task.get(name))
                       for name in COMPARED_FIELDS if previous.get(name) != task.get(name))
        old_evidence = {e["id"]: e for e in previous.get("evidence", [])}
        new_evidence = {e["id"]: e for e in task.get("evidence", [])}
        added = tuple(e["title"] for i, e in new_evidence.items() if i not in old_evidence)
        removed = tuple(e["title"] for i, e in old_evidence.items() if i not in new_evidence)
        edited = tuple(e["title"] for i, e in new_evidence.items()
                       if i in old_evidence and old_evidence[i] != e)
        if fields or added or removed or edited:
            changed.append(TaskChange(
                kind=KIND_CHANGED, task_id=task_id, title=task["title"],
                criteria=tuple(task.get("criteria", [])), status=task["status"],
                fields=fields, evidence_added=added, evidence_removed=removed,
                evidence_edited=edited))
    removed_tasks = [_summary(KIND_REMOVED, task) for task_id, task in before.items()
                     if task_id not in after]
    return changed + new + removed_tasks


def bundle_changes(session: Session, unit_code: str,
                   record_id: int | None = None) -> BundleChanges | None:
    """What changed from the bundle received before `record_id` (default: the
    unit's current one) to it. None when there is no earlier bundle to compare with.
    Set-aside bundles are skipped, unless one is asked for by record_id."""
    statement = (select(ReceivedBundle.id, ReceivedBundle.sequence)
                 .where(ReceivedBundle.unit_code == unit_code,
                        (ReceivedBundle.set_aside_at.is_(None))
                        | (ReceivedBundle.id == (record_id or 0)))
                 .order_by(ReceivedBundle.sequence.desc()))
    chain = session.execute(statement).all()
    position = 0
    if record_id is not None:
        position = next((i for i, row in enumerate(chain) if row.id == record_id), len(chain))
    if position + 1 >= len(chain):
        return None
    newer_id, older_id = chain[position].id, chain[position + 1].id
    records = {row.id: row for row in session.execute(
        select(ReceivedBundle.id, ReceivedBundle.sequence, ReceivedBundle.created_at,
               ReceivedBundle.content).where(ReceivedBundle.id.in_((newer_id, older_id))))}
    older, newer = records[older_id], records[newer_id]
    return BundleChanges(
        unit_code=unit_code, older_sequence=older.sequence, older_created_at=older.created_at,
        newer_sequence=newer.sequence, newer_created_at=newer.created_at,
        tasks=tuple(compare_tasks(received_content(older.content),
                                  received_content(newer.content))))
