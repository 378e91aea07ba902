"""The rules of bundle-v1 (and of bundle-v2's progress bundle) that involve more
than one value.

Run on a bundle the models accepted; each rule names the exact path it breaks.
The checks of an assessment, its criteria tree and its tasks' citations are also
those of an assignment (check_assignment_rules).
"""

from __future__ import annotations

from collections.abc import Callable

from ..derive import is_demo_code, unusual_unit_code
from .models import MULTI_LINE_FIELDS, ProgressBundle
from .results import BundleWarning, Refusal

# A parent's max may differ from its children's sum by rounding only.
POINTS_SUM_TOLERANCE = 0.005
_LINE_BREAKS = ("\n", "\t")


def check_rules(bundle: ProgressBundle) -> tuple[Refusal | None, list[BundleWarning]]:
    """The first broken rule (or None) and the warnings of a valid bundle."""
    warnings = demo_warnings(bundle)
    if unusual_unit_code(bundle.unit.code, bundle.unit.level):
        warnings.append(BundleWarning("unusual_unit_code", "$.unit.code",
                                      {"code": bundle.unit.code, "level": bundle.unit.level}))
    issuers: set[str] = set()
    for h_index, held in enumerate(getattr(bundle, "assignments_held", ())):
        if held.issuer in issuers:  # the newest assignment of each issuer: one each
            return Refusal("duplicate_issuer", f"$.assignments_held[{h_index}].issuer",
                           {"value": held.issuer}), warnings
        issuers.add(held.issuer)
    evidence_ids: set[str] = set()

    def check_progress_task(task, t_at: str) -> Refusal | None:  # noqa: ANN001
        if task.status == "done":
            if task.done_on is None:
                return Refusal("done_without_date", f"{t_at}.done_on")
            if task.progress != 100:
                return Refusal("done_not_complete", f"{t_at}.progress",
                               {"progress": task.progress})
        elif task.done_on is not None:
            return Refusal("date_without_done", f"{t_at}.done_on", {"status": task.status})
        for e_index, evidence in enumerate(task.evidence):
            if evidence.id in evidence_ids:
                return Refusal("duplicate_id", f"{t_at}.evidence[{e_index}].id",
                               {"value": evidence.id})
            evidence_ids.add(evidence.id)
        for h_index, change in enumerate(task.history):
            if change.field in MULTI_LINE_FIELDS:
                continue
            for member in ("old", "new"):
                value = getattr(change, member)
                if value is not None and any(mark in value for mark in _LINE_BREAKS):
                    return Refusal("control_character", f"{t_at}.history[{h_index}].{member}")
        return None

    return _walk_assessments(bundle.assessments, warnings, check_progress_task), warnings


def _walk_assessments(assessments, warnings: list[BundleWarning],  # noqa: ANN001
                      check_task: Callable[..., Refusal | None] | None = None,
                      ) -> Refusal | None:
    """The checks a progress bundle and an assignment share, in order: each
    assessment's head, its criteria tree, then each task's citations followed by
    check_task(task, path) of the bundle's kind (if given). The first refusal or None;
    warnings are appended to."""
    assessment_ids: set[str] = set()
    task_ids: set[str] = set()
    for a_index, assessment in enumerate(assessments):
        at = f"$.assessments[{a_index}]"
        refusal = check_assessment_head(assessment, at, assessment_ids)
        if refusal is not None:
            return refusal
        refusal, criteria_max = check_criteria_tree(assessment.criteria, at, warnings)
        if refusal is not None:
            return refusal
        for t_index, task in enumerate(assessment.tasks):
            t_at = f"{at}.tasks[{t_index}]"
            refusal = check_task_citations(task, t_at, task_ids, criteria_max)
            if refusal is None and check_task is not None:
                refusal = check_task(task, t_at)
            if refusal is not None:
                return refusal
    return None


def check_assessment_head(assessment, at: str,  # noqa: ANN001 - v1 or assigned assessment
                          seen_ids: set[str]) -> Refusal | None:
    """An assessment's own values: its id unique in the bundle (seen_ids is filled),
    score not above max_points, rank not beyond rank_of."""
    if assessment.id in seen_ids:
        return Refusal("duplicate_id", f"{at}.id", {"value": assessment.id})
    seen_ids.add(assessment.id)
    if assessment.score is not None and assessment.score > assessment.max_points:
        return _score_above_max(f"{at}.score", assessment.score, assessment.max_points)
    if (assessment.rank is not None and assessment.rank_of is not None
            and assessment.rank_of < assessment.rank):
        return Refusal("rank_above_rank_of", f"{at}.rank_of",
                       {"rank": assessment.rank, "rank_of": assessment.rank_of})
    return None


def check_criteria_tree(criteria, at: str,  # noqa: ANN001 - a list of Criterion
                        warnings: list[BundleWarning]) -> tuple[Refusal | None,
                                                                dict[str, float]]:
    """The criteria of one assessment form a tree: codes unique, each parent present,
    scores not above max. Appends a warning per parent whose max differs from its
    children's sum. Returns the first refusal (or None) and max_points by code."""
    criteria_max: dict[str, float] = {}
    for c_index, criterion in enumerate(criteria):
        c_at = f"{at}.criteria[{c_index}]"
        if criterion.code in criteria_max:
            return Refusal("duplicate_code", f"{c_at}.code", {"value": criterion.code}), \
                criteria_max
        criteria_max[criterion.code] = criterion.max_points
        if criterion.score is not None and criterion.score > criterion.max_points:
            return _score_above_max(f"{c_at}.score", criterion.score,
                                    criterion.max_points), criteria_max
    children_sum: dict[str, float] = {}
    for c_index, criterion in enumerate(criteria):
        parent = criterion.code.rpartition(".")[0]
        if not parent:
            continue
        if parent not in criteria_max:
            return Refusal("missing_parent", f"{at}.criteria[{c_index}].code",
                           {"code": criterion.code, "parent": parent}), criteria_max
        children_sum[parent] = children_sum.get(parent, 0.0) + criterion.max_points
    for c_index, criterion in enumerate(criteria):
        total = children_sum.get(criterion.code)
        if total is not None and abs(total - criterion.max_points) > POINTS_SUM_TOLERANCE:
            warnings.append(BundleWarning(
                "points_sum_mismatch", f"{at}.criteria[{c_index}].max_points",
                {"code": criterion.code, "max": criterion.max_points,
                 "sum": round(total, 2)}))
    return None, criteria_max


def check_task_citations(task, at: str, seen_ids: set[str],  # noqa: ANN001 - any task
                         criteria_max: dict[str, float]) -> Refusal | None:
    """A task's id unique in the bundle (seen_ids is filled) and each criterion it
    cites present in its assessment."""
    if task.id in seen_ids:
        return Refusal("duplicate_id", f"{at}.id", {"value": task.id})
    seen_ids.add(task.id)
    for k, code in enumerate(task.criteria):
        if code not in criteria_max:
            return Refusal("unknown_criterion", f"{at}.criteria[{k}]", {"code": code})
    return None


def _score_above_max(path: str, score: float, maximum: float) -> Refusal:
    return Refusal("score_above_max", path, {"score": score, "max": maximum})


def demo_warnings(bundle) -> list[BundleWarning]:  # noqa: ANN001
    """A bundle's or an assignment's unit has the demo's code: sample data."""
    code = bundle.unit.code
    return [BundleWarning("demo_data", "$.unit.code", {"code": code})] \
        if is_demo_code(code) else []


def check_assignment_rules(assignment) -> tuple[Refusal | None,  # noqa: ANN001
                                                list[BundleWarning]]:
    """The first broken rule (or None) and the warnings of a valid assignment
    (store.bundle.assignment.AssignmentBundle): the progress bundle's checks of each
    assessment, its criteria tree and its tasks' citations; made for a demo unit,
    the same sample-data warning as a demo bundle."""
    warnings = demo_warnings(assignment)
    return _walk_assessments(assignment.assessments, warnings), warnings
