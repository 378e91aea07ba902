"""One unit's remediation as the plan, the results report and the task workbook
show it: the assessment and its letter, the criteria that lost points with the
unit's causes, the tasks (with evidence) grouped by the criteria they remedy, and
the reporting duties. Read in one transaction, so one document shows one state."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..derive import code_sort_key, parent_code
from ..models import Assessment, Criterion, Evidence, Task, Unit
from ..overdue import Deadline
from ..read.assessments import AssessmentRow, assessment_rows, current_assessment
from ..read.criteria import criteria_rows
from ..read.task_detail import EvidenceRow
from ..read.tasks import criteria_codes
from ..vocab import TaskStatus


@dataclass(frozen=True)
class CriterionFacts:
    id: int
    code: str
    title: str
    max_points: float
    score: float | None
    finding: str | None
    cause: str | None
    cause_kind: str | None
    points_lost: float
    depth: int
    has_children: bool
    tasks: int  # tasks (not cancelled) working on it, as in the criteria tab
    lost_in_children: bool  # a criterion below it lost points (the loss is told there)

    @property
    def lost_here(self) -> bool:
        """It lost points and no criterion below it accounts for them: a line of
        the plan."""
        return self.points_lost > 0 and not self.lost_in_children


@dataclass(frozen=True)
class TaskFacts(Deadline):
    id: int
    title: str
    detail: str | None
    owner: str | None
    due: dt.date | None
    status: str
    progress: int
    result: str | None
    done_on: dt.date | None
    points_at_stake: float
    criteria: tuple[str, ...]  # codes, in code order
    evidence: tuple[EvidenceRow, ...]
    withdrawn_at: dt.datetime | None = None  # by the supervisor: no longer open

    def days_late(self, today: dt.date) -> int | None:
        """Days past the deadline of an overdue task; None when it is not overdue."""
        if not self.overdue(today):
            return None
        assert self.due is not None
        return (today - self.due).days


@dataclass(frozen=True)
class RemedyGroup:
    """Tasks remedying the same criteria: the plan's rows for those criteria (the
    criteria cells span the group's rows). No task: the criteria lost points and no
    task works on them yet."""

    criteria: tuple[CriterionFacts, ...]
    tasks: tuple[TaskFacts, ...]

    @property
    def points_lost(self) -> float:
        return round(sum(c.points_lost for c in self.criteria), 2)


@dataclass(frozen=True)
class TaskCounts:
    total: int
    todo: int
    in_progress: int
    done: int
    cancelled: int
    overdue: int


@dataclass(frozen=True)
class RemediationFacts:
    unit_code: str
    unit_name: str
    supervisor: str
    today: dt.date
    assessment: AssessmentRow | None
    criteria: tuple[CriterionFacts, ...]  # every criterion, tree order
    tasks: tuple[TaskFacts, ...]  # every task, cancelled ones too, by deadline
    groups: tuple[RemedyGroup, ...]  # not cancelled, in criterion order
    duties: tuple[TaskFacts, ...]  # reporting duties (no criterion), not cancelled
    counts: TaskCounts

    @property
    def lost_criteria(self) -> tuple[CriterionFacts, ...]:
        """The criteria whose lost points the plan answers, tree order."""
        return tuple(c for c in self.criteria if c.lost_here)

    @property
    def points_lost(self) -> float:
        return round(sum(c.points_lost for c in self.lost_criteria), 2)

    @property
    def without_cause(self) -> tuple[CriterionFacts, ...]:
        return tuple(c for c in self.lost_criteria if not c.cause)

    @property
    def without_task(self) -> tuple[CriterionFacts, ...]:
        return tuple(c for group in self.groups if not group.tasks for c in group.criteria)

    @property
    def remedy_tasks(self) -> tuple[TaskFacts, ...]:
        """The tasks remedying criteria (not cancelled), in plan order; a task
        citing criteria of two groups is in one group only."""
        return tuple(t for group in self.groups for t in group.tasks)

    @property
    def open_tasks(self) -> tuple[TaskFacts, ...]:
        return tuple(t for t in self.remedy_tasks if t.is_open)

    @property
    def remedy_counts(self) -> TaskCounts:
        """The state of the remediation tasks (reporting duties not counted)."""
        return count_tasks(self.remedy_tasks, self.today)


def _deadline_order(task: TaskFacts) -> tuple:
    return (task.due is None, task.due or dt.date.min, task.id)


def remediation_facts(session: Session, unit_id: int, today: dt.date,
                      assessment_id: int | None = None) -> RemediationFacts:
    """The unit's remediation of its current assessment (or of the one given)."""
    unit = session.get(Unit, unit_id)
    assert unit is not None
    assessment = (session.get(Assessment, assessment_id) if assessment_id is not None
                  else current_assessment(session, unit_id))
    if assessment is None:
        return RemediationFacts(unit.code, unit.name, unit.supervisor, today, None, (), (), (),
                                (), TaskCounts(0, 0, 0, 0, 0, 0))
    facts = next(row for row in assessment_rows(session, unit_id) if row.id == assessment.id)
    criteria = _criteria(session, assessment.id)
    tasks = _tasks(session, assessment.id)
    by_code = {c.code: c for c in criteria}
    working = [t for t in tasks if t.status != TaskStatus.CANCELLED]
    grouped: dict[tuple[str, ...], list[TaskFacts]] = defaultdict(list)
    for task in working:
        if task.criteria:
            grouped[task.criteria].append(task)
    for criterion in criteria:
        if criterion.lost_here and criterion.tasks == 0:
            grouped.setdefault((criterion.code,), [])
    groups = tuple(
        RemedyGroup(tuple(by_code[code] for code in codes),
                    tuple(sorted(members, key=_deadline_order)))
        for codes, members in sorted(grouped.items(), key=lambda item: (
            [code_sort_key(code) for code in item[0]])))
    duties = tuple(t for t in working if not t.criteria)
    return RemediationFacts(unit.code, unit.name, unit.supervisor, today, facts, criteria,
                            tuple(sorted(tasks, key=_deadline_order)), groups, duties,
                            count_tasks(tasks, today))


def count_tasks(tasks: Iterable[TaskFacts], today: dt.date) -> TaskCounts:
    tasks = list(tasks)
    return TaskCounts(
        total=len(tasks), todo=sum(t.status == TaskStatus.TODO for t in tasks),
        in_progress=sum(t.status == TaskStatus.IN_PROGRESS for t in tasks),
        done=sum(t.status == TaskStatus.DONE for t in tasks),
        cancelled=sum(t.status == TaskStatus.CANCELLED for t in tasks),
        overdue=sum(t.days_late(today) is not None for t in tasks))


def _criteria(session: Session, assessment_id: int) -> tuple[CriterionFacts, ...]:
    rows = criteria_rows(session, assessment_id)
    causes = dict((row.id, (row.cause, row.cause_kind)) for row in session.execute(
        select(Criterion.id, Criterion.cause, Criterion.cause_kind)
        .where(Criterion.assessment_id == assessment_id)))
    lost_below: set[str] = set()
    for row in rows:
        if row.points_lost > 0:
            parent = parent_code(row.code)
            while parent is not None:
                lost_below.add(parent)
                parent = parent_code(parent)
    return tuple(CriterionFacts(
        id=row.id, code=row.code, title=row.title, max_points=row.max_points, score=row.score,
        finding=row.finding, cause=causes[row.id][0], cause_kind=causes[row.id][1],
        points_lost=row.points_lost, depth=row.depth, has_children=row.has_children,
        tasks=row.tasks, lost_in_children=row.code in lost_below) for row in rows)


def _tasks(session: Session, assessment_id: int) -> list[TaskFacts]:
    rows = session.execute(select(Task).where(Task.assessment_id == assessment_id)
                           .order_by(Task.id)).scalars().all()
    ids = [t.id for t in rows]
    codes = criteria_codes(session, ids) if ids else {}
    evidence: dict[int, list[EvidenceRow]] = defaultdict(list)
    if ids:
        for e in session.execute(select(Evidence).where(Evidence.task_id.in_(ids))
                                 .order_by(Evidence.task_id, Evidence.position,
                                           Evidence.id)).scalars():
            evidence[e.task_id].append(EvidenceRow(e.id, e.title, e.number, e.date, e.issuer,
                                                   e.locator, e.file_name, e.file_size,
                                                   e.file_sha256, e.file_path))
    return [TaskFacts(id=t.id, title=t.title, detail=t.detail, owner=t.owner, due=t.due,
                      status=t.status, progress=t.progress, result=t.result, done_on=t.done_on,
                      points_at_stake=t.points_at_stake, criteria=tuple(codes.get(t.id, ())),
                      evidence=tuple(evidence[t.id]), withdrawn_at=t.withdrawn_at)
            for t in rows]
