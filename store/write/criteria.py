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
from ..vocab import TITLE_LIMIT, EditRefusal
from .history import as_utc, record_change
from .rules import CRITERION_CODE, Problems, check_points, clean_text
from .tasks import refresh_task_derived

CRITERION_FIELDS = ("code", "title", "max_points", "score", "finding")


def criterion_limits(maxes: dict[str, float], code: str) -> tuple[tuple[str, float] | None,
                                                                   tuple[str, float] | None]:
    """What bounds a criterion's max points among its assessment's others (code ->
    max points, itself left out): its parent's (code, max) and its largest
    sub-criterion's (code, max), each None when there is none."""
    parent = parent_code(code)
    above = (parent, maxes[parent]) if parent is not None and parent in maxes else None
    below = max(((other, points) for other, points in maxes.items()
                 if other.startswith(f"{code}.")), key=lambda pair: pair[1], default=None)
    return above, below


def check_criterion(values: dict[str, Any], maxes: dict[str, float] | None = None
                    ) -> dict[str, Any]:
    """The criterion's fields as stored, or every refusal at once. `maxes` (code ->
    max points of the assessment's other criteria) bounds its max by its parent's
    and its sub-criteria's; no database needed, so a form asks it while typing."""
    problems = Problems()
    unknown = set(values) - set(CRITERION_FIELDS)
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    code = problems.take(clean_text, "code", values.get("code"), required=True, limit=20)
    if code is not None and not CRITERION_CODE.match(code):
        problems.add(EditRefused(EditRefusal.BAD_CODE, "code", code))
    title = problems.take(clean_text, "title", values.get("title"), required=True,
                          limit=TITLE_LIMIT)
    max_points = problems.take(check_points, "max_points", values.get("max_points"),
                               required=True)
    score = problems.take(check_points, "score", values.get("score"))
    if score is not None and max_points is not None and score > max_points:
        problems.add(EditRefused(EditRefusal.SCORE_ABOVE_MAX, "score", (score, max_points)))
    if code is not None and max_points is not None and not problems.at_fault("code"):
        above, below = criterion_limits(maxes or {}, code)
        if above is not None and max_points > above[1]:
            problems.add(EditRefused(EditRefusal.ABOVE_PARENT_MAX, "max_points", above))
        elif below is not None and max_points < below[1]:
            problems.add(EditRefused(EditRefusal.BELOW_CHILD_MAX, "max_points", below))
    finding = problems.take(clean_text, "finding", values.get("finding"))
    problems.raise_any()
    return {"code": code, "title": title, "max_points": max_points, "score": score,
            "finding": finding}


def criterion_maxes(session: Session, assessment_id: int,
                    leaving_out: int | None = None) -> dict[str, float]:
    """Code -> max points of an assessment's criteria, one of them left out (the
    one being edited): what check_criterion bounds a criterion's max by."""
    rows = session.execute(select(Criterion.id, Criterion.code, Criterion.max_points).where(
        Criterion.assessment_id == assessment_id)).all()
    return {code: points for row_id, code, points in rows if row_id != leaving_out}


def save_criterion(session: Session, assessment_id: int, values: dict[str, Any],
                   criterion_id: int | None = None) -> int:
    """Create or update a criterion. The code must match the pattern of bundle-v1,
    be unique in the assessment, and have its parent present; 0 <= score <= max,
    and its max within its parent's and at least its sub-criteria's.
    Tasks citing it get their points at stake and search text recomputed."""
    if session.get(Assessment, assessment_id) is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, assessment_id)
    checked = check_criterion(values, criterion_maxes(session, assessment_id, criterion_id))
    code, title, max_points, score, finding = (
        checked["code"], checked["title"], checked["max_points"], checked["score"],
        checked["finding"])
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


def remove_criterion(session: Session, criterion_id: int) -> None:
    """Delete a criterion that has no sub-criteria and no task citing it."""
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, criterion_id)
    if _has_children(session, criterion.assessment_id, criterion.code):
        raise EditRefused(EditRefusal.HAS_CHILDREN, "code", criterion.code)
    if session.execute(select(TaskCriterion.task_id).where(
            TaskCriterion.criterion_id == criterion_id)).first() is not None:
        raise EditRefused(EditRefusal.CITED_BY_TASKS, "code", criterion.code)
    session.delete(criterion)
    session.flush()


def check_cause(values: dict[str, Any]) -> tuple[str | None, str | None]:
    """A cause and its kind as stored, or every refusal at once; no database
    needed, so the cause form asks it while the official types."""
    unknown = set(values) - {CAUSE_FIELD, CAUSE_KIND_FIELD}
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    problems = Problems()
    cause = problems.take(clean_text, CAUSE_FIELD, values.get(CAUSE_FIELD))
    kind = values.get(CAUSE_KIND_FIELD) or None
    if kind is not None and kind not in CAUSE_KINDS:
        problems.add(EditRefused(EditRefusal.UNKNOWN_CAUSE_KIND, CAUSE_KIND_FIELD, kind))
    elif kind is not None and cause is None and not problems.at_fault(CAUSE_FIELD):
        problems.add(EditRefused(EditRefusal.KIND_NEEDS_CAUSE, CAUSE_FIELD))
    problems.raise_any()
    return cause, kind


def set_criterion_cause(session: Session, criterion_id: int, values: dict[str, Any], *,
                        by: str | None) -> bool:
    """Record the unit's cause for a criterion (store.causes): values "cause" (text,
    line feeds allowed, at most 10,000 characters; empty clears it) and "cause_kind"
    (one of CAUSE_KINDS or None). A cause is only written for a criterion that lost
    points, and a kind only with a cause. Each change goes into the history of every
    task citing the criterion. Returns whether anything changed."""
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, criterion_id)
    cause, kind = check_cause(values)
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
