"""The criteria of an assessment, entered by hand: the tree of codes, points and
findings. Tasks citing a criterion follow its changes (points at stake, search)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..causes import CAUSE_FIELD, CAUSE_KIND_FIELD, CAUSE_KINDS, history_field
from ..clock import now_utc
from ..derive import code_sort_key, parent_code, points_lost
from ..errors import EditRefused
from ..models import Assessment, Criterion, Task, TaskCriterion
from ..text import fold
from ..vocab import TITLE_LIMIT, EditRefusal, RemovalKind
from .history import as_utc, record_change
from .removals import record_removal
from .rules import CRITERION_CODE, check_points, clean_text
from .tasks import refresh_task_derived

CRITERION_FIELDS = ("code", "title", "max_points", "score", "finding")


def save_criterion(session: Session, assessment_id: int, values: dict[str, Any],
                   criterion_id: int | None = None) -> int:
    """Create or update a criterion. The code must match the pattern of bundle-v1,
    be unique in the assessment, and have its parent present; 0 <= score <= max.
    Tasks citing it get their points at stake and search text recomputed."""
    unknown = set(values) - set(CRITERION_FIELDS)
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    if session.get(Assessment, assessment_id) is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, assessment_id)
    code = clean_text("code", values.get("code"), required=True, limit=20)
    assert code is not None
    if not CRITERION_CODE.match(code):
        raise EditRefused(EditRefusal.BAD_CODE, "code", code)
    title = clean_text("title", values.get("title"), required=True, limit=TITLE_LIMIT)
    max_points = check_points("max_points", values.get("max_points"), required=True)
    assert max_points is not None
    score = check_points("score", values.get("score"))
    if score is not None and score > max_points:
        raise EditRefused(EditRefusal.SCORE_ABOVE_MAX, "score", (score, max_points))
    finding = clean_text("finding", values.get("finding"))
    same_code = session.execute(select(Criterion).where(
        Criterion.assessment_id == assessment_id, Criterion.code == code)).scalars().first()
    if same_code is not None and same_code.id != criterion_id:
        raise EditRefused(EditRefusal.DUPLICATE_CODE, "code", code)
    parent = parent_code(code)
    if parent is not None and session.execute(select(Criterion.id).where(
            Criterion.assessment_id == assessment_id, Criterion.code == parent)).first() is None:
        raise EditRefused(EditRefusal.PARENT_MISSING, "code", parent)
    if criterion_id is None:
        criterion = Criterion(assessment_id=assessment_id, code=code, title="", max_points=0)
    else:
        found = session.get(Criterion, criterion_id)
        if found is None or found.assessment_id != assessment_id:
            raise EditRefused(EditRefusal.NOT_FOUND, None, criterion_id)
        criterion = found
        if code != criterion.code and _has_children(session, assessment_id, criterion.code):
            raise EditRefused(EditRefusal.HAS_CHILDREN, "code", criterion.code)
    criterion.code, criterion.sort_key, criterion.title = code, code_sort_key(code), title
    criterion.max_points, criterion.score, criterion.finding = max_points, score, finding
    criterion.search_key = fold(code, title, finding)
    session.add(criterion)
    session.flush()
    assert criterion.id is not None
    citing = list(session.execute(select(TaskCriterion.task_id)
                                  .where(TaskCriterion.criterion_id == criterion.id)).scalars())
    refresh_task_derived(session, citing)
    return criterion.id


def _has_children(session: Session, assessment_id: int, code: str) -> bool:
    return session.execute(select(Criterion.id).where(
        Criterion.assessment_id == assessment_id,
        Criterion.code.like(f"{code}.%"))).first() is not None


def remove_criterion(session: Session, criterion_id: int, *, by: str | None = None) -> None:
    """Delete a criterion that has no sub-criteria and no task citing it, and
    record the removal (store.write.removals)."""
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, criterion_id)
    if criterion.assigned_by is not None:
        raise EditRefused(EditRefusal.ASSIGNED, None, criterion.code)
    if _has_children(session, criterion.assessment_id, criterion.code):
        raise EditRefused(EditRefusal.HAS_CHILDREN, "code", criterion.code)
    if session.execute(select(TaskCriterion.task_id).where(
            TaskCriterion.criterion_id == criterion_id)).first() is not None:
        raise EditRefused(EditRefusal.CITED_BY_TASKS, "code", criterion.code)
    record_removal(session, RemovalKind.CRITERION, f"{criterion.code} {criterion.title}",
                   by=by, assessment_id=criterion.assessment_id)
    session.delete(criterion)
    session.flush()


def set_criterion_cause(session: Session, criterion_id: int, values: dict[str, Any], *,
                        by: str | None) -> bool:
    """Record the unit's cause for a criterion (store.causes): values "cause" (text,
    line feeds allowed, at most 10,000 characters; empty clears it) and "cause_kind"
    (one of CAUSE_KINDS or None). A cause is only written for a criterion that lost
    points, and a kind only with a cause. Each change goes into the history of every
    task citing the criterion. Returns whether anything changed."""
    unknown = set(values) - {CAUSE_FIELD, CAUSE_KIND_FIELD}
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, criterion_id)
    cause = clean_text(CAUSE_FIELD, values.get(CAUSE_FIELD))
    kind = values.get(CAUSE_KIND_FIELD) or None
    if kind is not None and kind not in CAUSE_KINDS:
        raise EditRefused(EditRefusal.UNKNOWN_CAUSE_KIND, CAUSE_KIND_FIELD, kind)
    if kind is not None and cause is None:
        raise EditRefused(EditRefusal.KIND_NEEDS_CAUSE, CAUSE_FIELD)
    if cause is not None and points_lost(criterion.max_points, criterion.score) <= 0:
        raise EditRefused(EditRefusal.NO_POINTS_LOST, CAUSE_FIELD, criterion.code)
    changed = [(name, old, new) for name, old, new in (
        (CAUSE_FIELD, criterion.cause, cause), (CAUSE_KIND_FIELD, criterion.cause_kind, kind))
        if old != new]
    if not changed:
        return False
    at = as_utc(now_utc())
    citing = session.execute(select(Task).join(TaskCriterion, TaskCriterion.task_id == Task.id)
                             .where(TaskCriterion.criterion_id == criterion_id)
                             .order_by(Task.id)).scalars().all()
    for task in citing:
        for name, old, new in changed:
            record_change(session, task.id, by, history_field(name, criterion.code), old, new,
                          at)
        task.updated_at = at  # the task's remediation record changed, as with evidence
        session.add(task)
    criterion.cause, criterion.cause_kind = cause, kind
    session.add(criterion)
    session.flush()
    return True
