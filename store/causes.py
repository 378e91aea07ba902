"""The unit's cause (nguyên nhân) for each criterion that lost points, and its kind:
objective (khách quan), subjective (chủ quan) or both (vocab.CauseKind), as the
supervisor's letters ask units to classify them (bundle-v2: Criterion.cause,
Criterion.cause_kind). Read with store.read.criteria.criterion_causes, written with
store.write.criteria.set_criterion_cause.

A cause belongs to the criterion, but the remediation history is kept per task: a
change of cause is recorded in the history of every task citing the criterion, as
field "cause:<code>" (or "cause_kind:<code>"), so the unit and the supervisor read it
where they read every other change of the work on that criterion.

Standard library only: the words of the history (tui.words.labels) name these
fields without loading the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocab import CauseKind

CAUSE_KINDS: tuple[CauseKind, ...] = tuple(CauseKind)
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
        return self.cause_kind in (CauseKind.OBJECTIVE, CauseKind.BOTH)

    @property
    def subjective(self) -> bool:
        return self.cause_kind in (CauseKind.SUBJECTIVE, CauseKind.BOTH)


def history_field(field: str, code: str) -> str:
    """The history's field name for a cause change: 'cause:3.2'."""
    return f"{field}:{code}"


def split_history_field(field: str) -> tuple[str, str | None]:
    """'cause:3.2' -> ('cause', '3.2'); any other field -> (field, None)."""
    name, _, code = field.partition(":")
    if name in (CAUSE_FIELD, CAUSE_KIND_FIELD) and code:
        return name, code
    return field, None
