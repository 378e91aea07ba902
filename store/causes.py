"""The unit's cause (nguyên nhân) for each criterion that lost points, and its kind:
objective (khách quan), subjective (chủ quan) or both, as the supervisor's letters
ask units to classify them (bundle-v2: Criterion.cause, Criterion.cause_kind).

A cause belongs to the criterion, but the remediation history is kept per task: a
change of cause is recorded in the history of every task citing the criterion, as
field "cause:<code>" (or "cause_kind:<code>"), so the unit and the supervisor read it
where they read every other change of the work on that criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

# The database is imported by the functions that use it: the words of the history
# (tui.words.labels) read the field names without loading SQLAlchemy.

CAUSE_KINDS = ("objective", "subjective", "both")
CAUSE_FIELD = "cause"
CAUSE_KIND_FIELD = "cause_kind"


@dataclass(frozen=True)
class CriterionCause:
    criterion_id: int
    code: str
    cause: str | None
    cause_kind: str | None

    @property
    def objective(self) -> bool:
        return self.cause_kind in ("objective", "both")

    @property
    def subjective(self) -> bool:
        return self.cause_kind in ("subjective", "both")


def history_field(field: str, code: str) -> str:
    """The history's field name for a cause change: 'cause:3.2'."""
    return f"{field}:{code}"


def split_history_field(field: str) -> tuple[str, str | None]:
    """'cause:3.2' -> ('cause', '3.2'); any other field -> (field, None)."""
    name, _, code = field.partition(":")
    if name in (CAUSE_FIELD, CAUSE_KIND_FIELD) and code:
        return name, code
    return field, None


def criterion_causes(session: Session, criterion_ids: list[int]) -> dict[int, CriterionCause]:
    """The cause of each of these criteria, by id (criteria without one included)."""
    from sqlalchemy import select

    from .models import Criterion

    if not criterion_ids:
        return {}
    rows = session.execute(select(Criterion.id, Criterion.code, Criterion.cause,
                                  Criterion.cause_kind)
                           .where(Criterion.id.in_(criterion_ids))).all()
    return {row.id: CriterionCause(row.id, row.code, row.cause, row.cause_kind)
            for row in rows}


def set_criterion_cause(session: Session, criterion_id: int, values: dict[str, Any], *,
                        by: str | None) -> bool:
    """Record the unit's cause for a criterion: values "cause" (text, line feeds
    allowed, at most 10,000 characters; empty clears it) and "cause_kind" (one of
    CAUSE_KINDS or None). A cause is only written for a criterion that lost points,
    and a kind only with a cause. Returns whether anything changed."""
    from sqlalchemy import select

    from .clock import now_utc
    from .derive import points_lost
    from .edits import EditRefused, as_utc, clean_text, record_change
    from .models import Criterion, Task, TaskCriterion

    unknown = set(values) - {CAUSE_FIELD, CAUSE_KIND_FIELD}
    if unknown:
        raise EditRefused("unknown_field", sorted(unknown)[0])
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise EditRefused("not_found", None, criterion_id)
    cause = clean_text(CAUSE_FIELD, values.get(CAUSE_FIELD))
    kind = values.get(CAUSE_KIND_FIELD) or None
    if kind is not None and kind not in CAUSE_KINDS:
        raise EditRefused("unknown_cause_kind", CAUSE_KIND_FIELD, kind)
    if kind is not None and cause is None:
        raise EditRefused("kind_needs_cause", CAUSE_FIELD)
    if cause is not None and points_lost(criterion.max_points, criterion.score) <= 0:
        raise EditRefused("no_points_lost", CAUSE_FIELD, criterion.code)
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
