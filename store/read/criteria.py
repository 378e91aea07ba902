"""The criteria tree of an assessment, with how many tasks work on each criterion."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..causes import CriterionCause
from ..derive import parent_code, points_lost
from ..models import Criterion, Task, TaskCriterion
from ..vocab import TaskStatus


@dataclass(frozen=True)
class CitedCriterion:
    id: int
    code: str
    title: str
    max_points: float
    score: float | None
    finding: str | None

    @property
    def points_lost(self) -> float:
        return points_lost(self.max_points, self.score)


@dataclass(frozen=True)
class CriterionRow(CitedCriterion):
    depth: int  # 0 domain, 1 criterion, 2 sub-criterion...
    tasks: int  # tasks (not cancelled) citing it, a criterion above it or one below it
    has_children: bool

    @property
    def needs_task(self) -> bool:
        """Lost points, and no task works on it: the unit has not planned a fix."""
        return self.points_lost > 0 and self.tasks == 0


def criteria_rows(session: Session, assessment_id: int) -> list[CriterionRow]:
    """The assessment's criteria in tree order (3, 3.1, 3.1.1, 3.2 ...)."""
    criteria = session.execute(
        select(Criterion.id, Criterion.code, Criterion.title, Criterion.max_points,
               Criterion.score, Criterion.finding)
        .where(Criterion.assessment_id == assessment_id)
        .order_by(Criterion.sort_key)).all()
    cited = session.execute(
        select(Criterion.code, TaskCriterion.task_id)
        .join(TaskCriterion, TaskCriterion.criterion_id == Criterion.id)
        .join(Task, Task.id == TaskCriterion.task_id)
        .where(Criterion.assessment_id == assessment_id,
               Task.status != TaskStatus.CANCELLED)).all()
    # Whoever fixes 3.2 works on 3 and on 3.2.1 too: a task counts for the criterion
    # it cites, every criterion above it and every one below it.
    direct: dict[str, set[int]] = defaultdict(set)
    under: dict[str, set[int]] = defaultdict(set)
    for code, task_id in cited:
        direct[code].add(task_id)
        ancestor: str | None = code
        while ancestor is not None:
            under[ancestor].add(task_id)
            ancestor = parent_code(ancestor)
    parents = {parent_code(row.code) for row in criteria}
    rows = []
    for row in criteria:
        working = set(under.get(row.code, ()))
        ancestor = parent_code(row.code)
        while ancestor is not None:
            working |= direct.get(ancestor, set())
            ancestor = parent_code(ancestor)
        rows.append(CriterionRow(
            id=row.id, code=row.code, title=row.title, max_points=row.max_points,
            score=row.score, finding=row.finding, depth=row.code.count("."),
            tasks=len(working), has_children=row.code in parents))
    return rows


@dataclass(frozen=True)
class DomainComparison:
    """The domains (top-level criteria) of the previous year's assessment of the same
    index, by code, to set beside this year's."""

    assessment_id: int
    title: str
    year: int
    domains: dict[str, CitedCriterion]


def domain_comparison(session: Session, assessment_id: int) -> DomainComparison | None:
    """The previous year's domains, when the unit holds that assessment (None: not)."""
    from .assessments import previous_year_assessment

    previous = previous_year_assessment(session, assessment_id)
    if previous is None or previous.id is None:
        return None
    rows = session.execute(
        select(Criterion.id, Criterion.code, Criterion.title, Criterion.max_points,
               Criterion.score, Criterion.finding)
        .where(Criterion.assessment_id == previous.id, Criterion.code.not_like("%.%"))).all()
    return DomainComparison(previous.id, previous.title, previous.year,
                            {row.code: CitedCriterion(*row) for row in rows})


def domains(session: Session, assessment_id: int) -> list[tuple[str, str]]:
    """(code, title) of the top-level criteria."""
    rows = session.execute(select(Criterion.code, Criterion.title)
                           .where(Criterion.assessment_id == assessment_id,
                                  Criterion.code.not_like("%.%"))
                           .order_by(Criterion.sort_key)).all()
    return [(code, title) for code, title in rows]


def criterion_causes(session: Session, criterion_ids: list[int]) -> dict[int, CriterionCause]:
    """The unit's cause of each of these criteria, by id (criteria without one
    included, with cause None)."""
    if not criterion_ids:
        return {}
    rows = session.execute(select(Criterion.id, Criterion.code, Criterion.cause,
                                  Criterion.cause_kind)
                           .where(Criterion.id.in_(criterion_ids))).all()
    return {row.id: CriterionCause(row.id, row.code, row.cause, row.cause_kind)
            for row in rows}
