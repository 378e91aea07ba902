"""The rules of bundle-v1 (and of bundle-v2's progress bundle) that involve more
than one value.

Run on a bundle the models accepted; each rule names the exact path it breaks.
"""

from __future__ import annotations

from ..derive import unusual_unit_code
from .models import MULTI_LINE_FIELDS, ProgressBundle
from .results import BundleWarning, Refusal

# A parent's max may differ from its children's sum by rounding only.
POINTS_SUM_TOLERANCE = 0.005
_LINE_BREAKS = ("\n", "\t")


def check_rules(bundle: ProgressBundle) -> tuple[Refusal | None, list[BundleWarning]]:
    """The first broken rule (or None) and the warnings of a valid bundle."""
    warnings: list[BundleWarning] = []
    if unusual_unit_code(bundle.unit.code, bundle.unit.level):
        warnings.append(BundleWarning("unusual_unit_code", "$.unit.code",
                                      {"code": bundle.unit.code, "level": bundle.unit.level}))
    issuers: set[str] = set()
    for h_index, held in enumerate(getattr(bundle, "assignments_held", ())):
        if held.issuer in issuers:  # the newest assignment of each issuer: one each
            return Refusal("duplicate_issuer", f"$.assignments_held[{h_index}].issuer",
                           {"value": held.issuer}), warnings
        issuers.add(held.issuer)
    assessment_ids: set[str] = set()
    task_ids: set[str] = set()
    evidence_ids: set[str] = set()
    for a_index, assessment in enumerate(bundle.assessments):
        at = f"$.assessments[{a_index}]"
        if assessment.id in assessment_ids:
            return Refusal("duplicate_id", f"{at}.id", {"value": assessment.id}), warnings
        assessment_ids.add(assessment.id)
        if assessment.score is not None and assessment.score > assessment.max_points:
            return _score_above_max(f"{at}.score", assessment.score,
                                    assessment.max_points), warnings
        if (assessment.rank is not None and assessment.rank_of is not None
                and assessment.rank_of < assessment.rank):
            return Refusal("rank_above_rank_of", f"{at}.rank_of",
                           {"rank": assessment.rank, "rank_of": assessment.rank_of}), warnings

        criteria_max: dict[str, float] = {}
        for c_index, criterion in enumerate(assessment.criteria):
            c_at = f"{at}.criteria[{c_index}]"
            if criterion.code in criteria_max:
                return Refusal("duplicate_code", f"{c_at}.code", {"value": criterion.code}), \
                    warnings
            criteria_max[criterion.code] = criterion.max_points
            if criterion.score is not None and criterion.score > criterion.max_points:
                return _score_above_max(f"{c_at}.score", criterion.score,
                                        criterion.max_points), warnings
        children_sum: dict[str, float] = {}
        for c_index, criterion in enumerate(assessment.criteria):
            parent = criterion.code.rpartition(".")[0]
            if not parent:
                continue
            if parent not in criteria_max:
                return Refusal("missing_parent", f"{at}.criteria[{c_index}].code",
                               {"code": criterion.code, "parent": parent}), warnings
            children_sum[parent] = children_sum.get(parent, 0.0) + criterion.max_points
        for c_index, criterion in enumerate(assessment.criteria):
            total = children_sum.get(criterion.code)
            if total is not None and abs(total - criterion.max_points) > POINTS_SUM_TOLERANCE:
                warnings.append(BundleWarning(
                    "points_sum_mismatch", f"{at}.criteria[{c_index}].max_points",
                    {"code": criterion.code, "max": criterion.max_points,
                     "sum": round(total, 2)}))

        for t_index, task in enumerate(assessment.tasks):
            t_at = f"{at}.tasks[{t_index}]"
            if task.id in task_ids:
                return Refusal("duplicate_id", f"{t_at}.id", {"value": task.id}), warnings
            task_ids.add(task.id)
            for k, code in enumerate(task.criteria):
                if code not in criteria_max:
                    return Refusal("unknown_criterion", f"{t_at}.criteria[{k}]",
                                   {"code": code}), warnings
            if task.status == "done":
                if task.done_on is None:
                    return Refusal("done_without_date", f"{t_at}.done_on"), warnings
                if task.progress != 100:
                    return Refusal("done_not_complete", f"{t_at}.progress",
                                   {"progress": task.progress}), warnings
            elif task.done_on is not None:
                return Refusal("date_without_done", f"{t_at}.done_on",
                               {"status": task.status}), warnings
            for e_index, evidence in enumerate(task.evidence):
                if evidence.id in evidence_ids:
                    return Refusal("duplicate_id", f"{t_at}.evidence[{e_index}].id",
                                   {"value": evidence.id}), warnings
                evidence_ids.add(evidence.id)
            for h_index, change in enumerate(task.history):
                if change.field in MULTI_LINE_FIELDS:
                    continue
                for member in ("old", "new"):
                    value = getattr(change, member)
                    if value is not None and any(mark in value for mark in _LINE_BREAKS):
                        return Refusal("control_character",
                                       f"{t_at}.history[{h_index}].{member}"), warnings
    return None, warnings


def _score_above_max(path: str, score: float, maximum: float) -> Refusal:
    return Refusal("score_above_max", path, {"score": score, "max": maximum})
