"""A unit takes in an assignment (bundle-v2, "What a unit does with an assignment").

    result = import_assignment(db, data, file_name, unit_code=..., dry_run=True)
    result.summary      # what it would change: shown first
    result = import_assignment(db, data, file_name, unit_code=..., backups_dir=...)

The verdict comes first, from reads only: refused (a broken rule, with its JSON
path, or a forged signature: the reader), wrong_unit (naming both units),
already_imported (same bundle_id and digest: nothing is written, the database file
keeps every byte), refused by the key rules per issuer code (signed with another key
than the one held, or with the key held for another sender: bundle-v2's table, the
same functions as the review's receiving), conflicting_id (same bundle_id, other
digest), older_than_held (a sequence not above the issuer's newest held). A jump, a
gap or a fork in the issuer's sequence is accepted with a warning; the key of an
issuer's first signed file is kept (trust on first use), with a warning showing its
fingerprint to compare with the supervisor's letter.

Then a plan, also from reads only (the dry run stops there), and for a real import
a backup (store.backup.backup_before_event) and one write transaction that checks
the verdict again, plans again under the write lock and applies the plan:

- assessment by id: created, or its title, index, year, issuer, documents, max
  points, score, rank and rank_of become the assignment's;
- criterion by code: created or updated (title, max points, score, finding), the
  unit's cause kept; one an earlier assignment of this issuer brought and this one
  lacks is removed when nothing cites it (nor a sub-criterion that stays), else
  kept and marked as no longer assigned; the unit's own criteria are never removed;
- task by id: a new one is created todo, 0 %, no owner, with a history entry by
  the issuer's name; a held one takes the assignment's title, detail, criteria, due
  date and lead, each change recorded by the issuer's name; status, progress,
  owner, result, done_on, evidence and history are never touched; the unit's own
  tasks are never touched; one an earlier assignment of this issuer brought and
  this one lacks is kept and marked withdrawn;
- note: kept with its task; one whose task the unit does not hold is listed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from ..bundle.assignment import AssignedAssessment, AssignedTask, AssignmentBundle
from ..bundle.assignment_read import read_assignment
from ..bundle.reader import read_file_limited
from ..bundle.receive import keep_first_key, key_refusal, keys_involved, sequence_warnings
from ..bundle.results import BundleRead, BundleWarning, Refusal
from ..bundle.signing import b64, fingerprint
from ..clock import now_utc, parse_instant
from ..db import Database
from ..derive import code_sort_key, leaf_points_at_stake, parent_code, task_search_key
from ..write.history import as_utc, record_change
from ..write.tasks import refresh_task_derived
from ..models import Assessment, Change, Criterion, DocumentRef, Task, TaskCriterion, Unit
from ..snapshot import upsert_unit
from ..text import fold
from .tables import ReceivedAssignment, SupervisorNote

Verdict = Literal["accepted", "already_imported", "conflicting_id", "older_than_held",
                  "wrong_unit", "refused"]
BACKUP_REASON = "assignment"
ASSESSMENT_FIELDS = ("title", "index_kind", "year", "issuer", "max_points", "score", "rank",
                     "rank_of")
CRITERION_FIELDS = ("title", "max_points", "score", "finding")
# What an assignment sets on a task it holds (and records in the task's history).
TASK_FIELDS = ("title", "detail", "due", "lead")


@dataclass(frozen=True)
class ImportSummary:
    """What an import changes (or, in a dry run, would change). Codes and ids are
    kept where a person may want to see which: criteria removed and kept (no longer
    in the assignment), notes whose task the unit does not hold."""

    assessments_new: int = 0
    assessments_updated: int = 0
    assessments_unchanged: int = 0
    criteria_new: int = 0
    criteria_updated: int = 0
    criteria_unchanged: int = 0
    criteria_removed: tuple[str, ...] = ()
    criteria_kept: tuple[str, ...] = ()
    tasks_new: int = 0
    tasks_updated: int = 0
    tasks_withdrawn: int = 0
    tasks_unchanged: int = 0
    notes_new: int = 0
    notes_held: int = 0
    notes_without_task: tuple[str, ...] = ()
    # Of criteria_kept, those this file marks as no longer assigned (the others were).
    criteria_newly_kept: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.assessments_new or self.assessments_updated or self.criteria_new
                    or self.criteria_updated or self.criteria_removed or self.tasks_new
                    or self.tasks_updated or self.tasks_withdrawn or self.notes_new
                    or self.criteria_newly_kept)


@dataclass(frozen=True)
class ImportResult:
    """What became of one assignment file.

    unit_code / unit_name: the file's receiving unit; this_unit: the unit of this
    database (they differ for wrong_unit). held_sequence / held_created_at name the
    newest assignment held from the issuer (older_than_held). summary: the plan (for
    an accepted file, dry run or not). applied: the database was changed. backup:
    the event backup taken before. The key rules of bundle-v2 apply per issuer code:
    refused other_key, key_of_another_sender (details code, held/other, found); a
    first signed file's key is kept (warning key_taken_on_first_use)."""

    verdict: Verdict
    file_name: str
    dry_run: bool = False
    issuer_code: str | None = None
    issuer_name: str | None = None
    sequence: int | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    this_unit: str | None = None
    bundle_id: str | None = None
    sha256: str | None = None
    created_at: str | None = None
    refusal: Refusal | None = None
    warnings: tuple[BundleWarning, ...] = ()
    summary: ImportSummary | None = None
    held_sequence: int | None = None
    held_created_at: str | None = None
    applied: bool = False
    backup: Path | None = None
    public_key: str | None = None  # base64 of the key whose signature verified
    fingerprint: str | None = None  # of that key
    key_held: bool = False  # a key was held for the issuer (else it is kept now)
    assessments: tuple[str, ...] = ()  # the ids (ext_id) of the file's assessments

    @property
    def accepted(self) -> bool:
        return self.verdict == "accepted"


def import_assignment_file(db: Database, path: str | os.PathLike[str], *, unit_code: str,
                           dry_run: bool = False, backups_dir: Path | None = None,
                           keep_backups: int | None = None) -> ImportResult:
    """import_assignment() of a file, its size checked before it is read."""
    refusal, data = read_file_limited(Path(path))
    if refusal is not None:
        return ImportResult("refused", Path(path).name, dry_run, refusal=refusal)
    return import_assignment(db, data, Path(path).name, unit_code=unit_code, dry_run=dry_run,
                             backups_dir=backups_dir, keep_backups=keep_backups)


def import_assignment(db: Database, data: bytes, file_name: str, *, unit_code: str,
                      dry_run: bool = False, backups_dir: Path | None = None,
                      keep_backups: int | None = None) -> ImportResult:
    """The verdict, the plan and (unless dry_run) the merge; see the module's doc."""
    read = read_assignment(data)
    if not read.ok:
        return ImportResult("refused", file_name, dry_run, refusal=read.refusal)
    with db.read() as session:
        result = _judge(session, read, file_name, unit_code, dry_run)
        if result.verdict != "accepted" or dry_run:
            if result.verdict == "accepted":
                result = replace(result, summary=_plan(session, read.bundle,
                                                       unit_code).summary)
            return result
    backup = None
    if backups_dir is not None:
        backup = _backup(db, backups_dir, keep_backups)
    with db.write() as session:
        again = _judge(session, read, file_name, unit_code, dry_run)
        if again.verdict != "accepted":  # another window took it in meanwhile
            return replace(again, backup=backup)
        plan = _plan(session, read.bundle, unit_code)
        _apply(session, plan, read, file_name, again.warnings, key_held=again.key_held)
    return replace(again, summary=plan.summary, applied=True, backup=backup)


def _backup(db: Database, backups_dir: Path, keep: int | None) -> Path | None:
    from ..backup import backup_before_event

    return backup_before_event(db.path, backups_dir, BACKUP_REASON, keep_events=keep)


def _this_unit(session: Session, unit_code: str) -> Unit | None:
    return session.execute(select(Unit).where(Unit.code == unit_code)).scalars().first()


def _judge(session: Session, read: BundleRead, file_name: str, unit_code: str,
           dry_run: bool) -> ImportResult:
    assignment = read.bundle
    assert assignment is not None and read.sha256 is not None
    this = _this_unit(session, unit_code)
    known = dict(file_name=file_name, dry_run=dry_run, issuer_code=assignment.issuer.code,
                 issuer_name=assignment.issuer.name, sequence=assignment.sequence,
                 unit_code=assignment.unit.code, unit_name=assignment.unit.name,
                 this_unit=unit_code, bundle_id=assignment.bundle_id, sha256=read.sha256,
                 created_at=assignment.created_at,
                 assessments=tuple(a.id for a in assignment.assessments),
                 public_key=None if read.public_key is None else b64(read.public_key),
                 fingerprint=None if read.public_key is None else fingerprint(read.public_key))
    if assignment.unit.code != unit_code:
        return ImportResult("wrong_unit", **known,
                            refusal=Refusal("wrong_unit", "$.unit.code", {
                                "found": assignment.unit.code, "found_name": assignment.unit.name,
                                "this": unit_code, "this_name": this.name if this else ""}))
    same = session.execute(select(ReceivedAssignment).where(
        ReceivedAssignment.bundle_id == assignment.bundle_id)).scalars().first()
    if same is not None and same.sha256 == read.sha256:  # changes nothing: said quietly
        return ImportResult("already_imported", **known)
    issuer = assignment.issuer.code
    held_key, holder_of_key = keys_involved(session, issuer, known["public_key"])
    refusal = key_refusal(issuer, held_key, holder_of_key, known["public_key"],
                          known["fingerprint"])
    if refusal is not None:
        return ImportResult("refused", **known, refusal=refusal)
    if same is not None:
        return ImportResult("conflicting_id", **known)
    held = newest_held(session, issuer)
    if held is not None and assignment.sequence <= held.sequence:
        return ImportResult("older_than_held", **known, held_sequence=held.sequence,
                            held_created_at=held.created_at)
    taken = _task_id_held_otherwise(session, this.id if this else None, assignment)
    if taken is not None:
        return ImportResult("refused", **known, refusal=taken)
    warnings = list(read.warnings)
    if held_key is None:
        warnings.append(BundleWarning("key_taken_on_first_use", "$.signature.public_key",
                                      {"fingerprint": known["fingerprint"]}))
    warnings.extend(sequence_warnings(held, assignment.sequence, assignment.previous_sha256))
    return ImportResult("accepted", **known, warnings=tuple(warnings),
                        key_held=held_key is not None)


def _task_id_held_otherwise(session: Session, unit_id: int | None,
                            assignment: AssignmentBundle) -> Refusal | None:
    """A task id the database already gives to a task this assignment cannot update:
    one the unit created itself, another issuer's, another assessment's or another
    unit's. An honest issuer's uuid5 ids never collide; a forged file is refused."""
    paths = {task.id: (f"$.assessments[{a}].tasks[{t}].id", assessment.id)
             for a, assessment in enumerate(assignment.assessments)
             for t, task in enumerate(assessment.tasks)}
    if not paths:
        return None
    found = session.execute(
        select(Task.uid, Task.assigned_by, Assessment.unit_id, Assessment.ext_id)
        .join(Assessment, Task.assessment_id == Assessment.id)
        .where(Task.uid.in_(list(paths)))).all()
    for row in sorted(found, key=lambda r: list(paths).index(r.uid)):
        path, assessment_id = paths[row.uid]
        if (row.unit_id != unit_id or row.assigned_by != assignment.issuer.code
                or row.ext_id != assessment_id):
            return Refusal("task_id_held_otherwise", path, {"value": row.uid})
    return None


def newest_held(session: Session, issuer_code: str) -> ReceivedAssignment | None:
    """The accepted assignment of the issuer with the highest sequence."""
    return session.execute(select(ReceivedAssignment).where(
        ReceivedAssignment.issuer_code == issuer_code)
        .order_by(ReceivedAssignment.sequence.desc()).limit(1)).scalars().first()


# -- the plan: reads only ----------------------------------------------------------------

@dataclass
class _CriterionPlan:
    new: list[dict[str, Any]] = field(default_factory=list)
    update: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    keep: list[int] = field(default_factory=list)  # newly marked as no longer assigned


@dataclass
class _TaskUpdate:
    task_id: int
    changes: dict[str, tuple[Any, Any]]  # field -> (old, new)
    criteria: tuple[list[str], list[str]] | None  # (old codes, new codes) when they change
    restore: bool  # it was withdrawn and is assigned again


@dataclass
class _AssessmentPlan:
    data: AssignedAssessment
    assessment_id: int | None  # None: new
    changes: dict[str, Any]
    documents: list[dict[str, Any]] | None  # the new list when it changes
    criteria: _CriterionPlan
    new_tasks: list[AssignedTask]
    task_updates: list[_TaskUpdate]


@dataclass
class _Plan:
    unit_id: int | None
    issuer_code: str
    issuer_name: str
    assessments: list[_AssessmentPlan]
    withdraw: list[int]
    notes: list[dict[str, Any]]  # task_uid, at, by, text
    summary: ImportSummary


def _plan(session: Session, assignment: AssignmentBundle | None, unit_code: str) -> _Plan:
    assert assignment is not None
    issuer = assignment.issuer.code
    unit = _this_unit(session, unit_code)
    unit_id = unit.id if unit is not None else None
    counts: dict[str, int] = defaultdict(int)
    removed: list[str] = []
    kept: list[str] = []
    plans: list[_AssessmentPlan] = []
    assigned_uids = {t.id for a in assignment.assessments for t in a.tasks}
    held_tasks = _held_tasks(session, unit_id)
    for data in assignment.assessments:
        plan = _plan_assessment(session, unit_id, issuer, data, held_tasks, counts,
                                removed, kept)
        plans.append(plan)
    withdraw = [row.id for row in held_tasks.values()
                if row.assigned_by == issuer and row.withdrawn_at is None
                and row.uid not in assigned_uids]
    notes, notes_held, without = _plan_notes(session, unit_id, assignment)
    summary = ImportSummary(
        assessments_new=counts["assessments_new"],
        assessments_updated=counts["assessments_updated"],
        assessments_unchanged=counts["assessments_unchanged"],
        criteria_new=counts["criteria_new"], criteria_updated=counts["criteria_updated"],
        criteria_unchanged=counts["criteria_unchanged"],
        criteria_removed=tuple(removed), criteria_kept=tuple(kept),
        tasks_new=counts["tasks_new"], tasks_updated=counts["tasks_updated"],
        tasks_withdrawn=len(withdraw), tasks_unchanged=counts["tasks_unchanged"],
        notes_new=len(notes), notes_held=notes_held, notes_without_task=tuple(without),
        criteria_newly_kept=counts["criteria_newly_kept"])
    return _Plan(unit_id, issuer, assignment.issuer.name, plans, withdraw, notes, summary)


@dataclass(frozen=True)
class _HeldTask:
    id: int
    uid: str
    assessment_id: int
    assigned_by: str | None
    withdrawn_at: dt.datetime | None


def _held_tasks(session: Session, unit_id: int | None) -> dict[str, _HeldTask]:
    if unit_id is None:
        return {}
    rows = session.execute(
        select(Task.id, Task.uid, Task.assessment_id, Task.assigned_by, Task.withdrawn_at)
        .join(Assessment, Task.assessment_id == Assessment.id)
        .where(Assessment.unit_id == unit_id))
    return {row.uid: _HeldTask(*row) for row in rows}


def _plan_assessment(session: Session, unit_id: int | None, issuer: str,
                     data: AssignedAssessment, held_tasks: dict[str, _HeldTask],
                     counts: dict[str, int], removed: list[str],
                     kept: list[str]) -> _AssessmentPlan:
    existing = None
    if unit_id is not None:
        existing = session.execute(select(Assessment).where(
            Assessment.unit_id == unit_id, Assessment.ext_id == data.id)).scalars().first()
    wanted = {"title": data.title, "index_kind": data.index, "year": data.year,
              "issuer": data.issuer, "max_points": data.max_points, "score": data.score,
              "rank": data.rank, "rank_of": data.rank_of}
    documents = [{"number": d.number, "date": _date(d.date), "title": d.title}
                 for d in data.documents]
    if existing is None:
        counts["assessments_new"] += 1
        criteria = _CriterionPlan(new=[_criterion_row(c, issuer) for c in data.criteria])
        counts["criteria_new"] += len(data.criteria)
        counts["tasks_new"] += len(data.tasks)
        return _AssessmentPlan(data, None, wanted, documents, criteria, list(data.tasks), [])
    changes = {name: value for name, value in wanted.items()
               if getattr(existing, name) != value}
    held_documents = [{"number": d.number, "date": d.date, "title": d.title}
                      for d in session.execute(select(DocumentRef).where(
                          DocumentRef.assessment_id == existing.id)
                          .order_by(DocumentRef.position)).scalars()]
    new_documents = documents if documents != held_documents else None
    counts["assessments_updated" if changes or new_documents is not None
           else "assessments_unchanged"] += 1
    assert existing.id is not None
    links = _links(session, existing.id)
    new_tasks: list[AssignedTask] = []
    updates: list[_TaskUpdate] = []
    citing_after: dict[int, set[str]] = {task_id: set(codes) for task_id, codes in links.items()}
    for task in data.tasks:
        held = held_tasks.get(task.id)
        if held is None:
            new_tasks.append(task)
            counts["tasks_new"] += 1
            continue
        update = _task_update(session, held, task, links.get(held.id, []))
        citing_after[held.id] = set(task.criteria)
        if update is None:
            counts["tasks_unchanged"] += 1
        else:
            updates.append(update)
            counts["tasks_updated"] += 1
    criteria = _plan_criteria(session, existing.id, issuer, data, citing_after, counts,
                              removed, kept)
    return _AssessmentPlan(data, existing.id, changes, new_documents, criteria, new_tasks,
                           updates)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _links(session: Session, assessment_id: int) -> dict[int, list[str]]:
    """Task id -> the codes it cites, for the tasks of one assessment."""
    cited: dict[int, list[str]] = defaultdict(list)
    for task_id, code in session.execute(
            select(TaskCriterion.task_id, Criterion.code)
            .join(Criterion, TaskCriterion.criterion_id == Criterion.id)
            .where(Criterion.assessment_id == assessment_id)):
        cited[task_id].append(code)
    return cited


def _task_update(session: Session, held: _HeldTask, task: AssignedTask,
                 codes: list[str]) -> _TaskUpdate | None:
    row = session.get(Task, held.id)
    assert row is not None
    wanted = {"title": task.title, "detail": task.detail, "due": _date(task.due),
              "lead": task.lead}
    changes = {name: (getattr(row, name), value) for name, value in wanted.items()
               if getattr(row, name) != value}
    old_codes = sorted(codes, key=code_sort_key)
    new_codes = sorted(dict.fromkeys(task.criteria), key=code_sort_key)
    criteria = (old_codes, new_codes) if old_codes != new_codes else None
    restore = held.withdrawn_at is not None
    if not changes and criteria is None and not restore:
        return None
    return _TaskUpdate(held.id, changes, criteria, restore)


def _criterion_row(criterion: Any, issuer: str) -> dict[str, Any]:
    return {"code": criterion.code, "sort_key": code_sort_key(criterion.code),
            "title": criterion.title, "max_points": criterion.max_points,
            "score": criterion.score, "finding": criterion.finding,
            "search_key": fold(criterion.code, criterion.title, criterion.finding),
            "assigned_by": issuer}


def _plan_criteria(session: Session, assessment_id: int, issuer: str,
                   data: AssignedAssessment, citing_after: dict[int, set[str]],
                   counts: dict[str, int], removed: list[str],
                   kept: list[str]) -> _CriterionPlan:
    plan = _CriterionPlan()
    held = {c.code: c for c in session.execute(select(Criterion).where(
        Criterion.assessment_id == assessment_id)).scalars()}
    for criterion in data.criteria:
        row = held.get(criterion.code)
        if row is None:
            plan.new.append(_criterion_row(criterion, issuer))
            counts["criteria_new"] += 1
            continue
        values = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
        changed = {name: value for name, value in values.items()
                   if getattr(row, name) != value}
        if row.withdrawn_at is not None:
            changed["withdrawn_at"] = None
        if changed:
            assert row.id is not None
            plan.update.append((row.id, changed))
            counts["criteria_updated"] += 1
        else:
            counts["criteria_unchanged"] += 1
    in_assignment = {c.code for c in data.criteria}
    cited = set().union(*citing_after.values()) if citing_after else set()
    staying = {code for code in held if code in in_assignment or held[code].assigned_by != issuer}
    # Deepest first: a parent goes only when none of its sub-criteria stays.
    dropped = sorted((code for code in held if code not in staying),
                     key=lambda code: (-code.count("."), code_sort_key(code)))
    for code in dropped:
        row = held[code]
        assert row.id is not None
        has_child = any(parent_code(other) == code for other in staying)
        if code in cited or has_child:
            staying.add(code)
            kept.append(code)
            if row.withdrawn_at is None:
                plan.keep.append(row.id)
                counts["criteria_newly_kept"] += 1
        else:
            plan.remove.append(row.id)
            removed.append(code)
    kept.sort(key=code_sort_key)
    removed.sort(key=code_sort_key)
    return plan


def _plan_notes(session: Session, unit_id: int | None, assignment: AssignmentBundle
                ) -> tuple[list[dict[str, Any]], int, list[str]]:
    """(notes to store, notes already held, task ids the unit does not hold)."""
    if not assignment.notes:
        return [], 0, []
    tasks = _held_tasks(session, unit_id)
    # Tasks the assignment itself brings are held once it is applied.
    coming = {t.id for a in assignment.assessments for t in a.tasks}
    held_keys = set()
    if unit_id is not None:
        held_keys = {(row.uid, as_utc(row.at), row.by, row.text) for row in session.execute(
            select(Task.uid, SupervisorNote.at, SupervisorNote.by, SupervisorNote.text)
            .join(Task, SupervisorNote.task_id == Task.id)
            .join(Assessment, Task.assessment_id == Assessment.id)
            .where(Assessment.unit_id == unit_id))}
    new: list[dict[str, Any]] = []
    held_count = 0
    without: list[str] = []
    seen: set[tuple[str, dt.datetime, str, str]] = set()
    for note in assignment.notes:
        key = (note.task_id, parse_instant(note.at), note.by, note.text)
        if key in held_keys or key in seen:
            held_count += 1
            continue
        seen.add(key)
        if note.task_id not in tasks and note.task_id not in coming:
            without.append(note.task_id)
            continue
        new.append({"task_uid": note.task_id, "at": key[1], "by": note.by, "text": note.text})
    return new, held_count, without


# -- applying the plan: one write transaction -----------------------------------------------

def _apply(session: Session, plan: _Plan, read: BundleRead, file_name: str,
           warnings: tuple[BundleWarning, ...], *, key_held: bool) -> None:
    assignment = read.bundle
    assert assignment is not None and read.sha256 is not None
    at = as_utc(now_utc())
    by = plan.issuer_name
    unit_id = plan.unit_id
    if unit_id is None:
        unit = assignment.unit
        unit_id = upsert_unit(session, {"code": unit.code, "name": unit.name,
                                        "level": unit.level, "supervisor": unit.supervisor})
    touched: list[int] = []
    for item in plan.assessments:
        assessment_id = _apply_assessment(session, unit_id, plan.issuer_code, item)
        code_ids = _apply_criteria(session, assessment_id, item.criteria, at)
        _create_tasks(session, assessment_id, item, code_ids, plan.issuer_code, by, at)
        for update in item.task_updates:
            _update_task(session, update, code_ids, by, at)
            touched.append(update.task_id)
        if item.criteria.update:
            touched.extend(session.execute(select(TaskCriterion.task_id).where(
                TaskCriterion.criterion_id.in_([cid for cid, _ in item.criteria.update])))
                .scalars())
    for task_id in plan.withdraw:
        task = session.get(Task, task_id)
        assert task is not None
        stamp = _later(task, at)
        record_change(session, task_id, by, "withdrawn", None, _local_date(at), stamp)
        task.withdrawn_at = at
        task.updated_at = stamp
        session.add(task)
    session.flush()
    refresh_task_derived(session, sorted(set(touched)))
    if plan.notes:
        uids = {values["task_uid"] for values in plan.notes}
        task_ids = dict(session.execute(select(Task.uid, Task.id).where(Task.uid.in_(uids))).all())
        session.execute(insert(SupervisorNote.__table__), [
            {"task_id": task_ids[values["task_uid"]], "issuer_code": plan.issuer_code,
             "at": values["at"], "by": values["by"], "text": values["text"]}
            for values in plan.notes])
    if not key_held and read.public_key is not None:  # trust on first use
        keep_first_key(session, assignment.issuer.code, b64(read.public_key),
                       fingerprint(read.public_key), at, None)
    session.add(ReceivedAssignment(
        issuer_code=assignment.issuer.code, issuer_name=assignment.issuer.name,
        bundle_id=assignment.bundle_id, sequence=assignment.sequence, sha256=read.sha256,
        previous_sha256=assignment.previous_sha256, created_at=assignment.created_at,
        file_name=file_name, imported_at=at,
        warnings=json.dumps([asdict(w) for w in warnings], ensure_ascii=False)))
    session.flush()


def _apply_assessment(session: Session, unit_id: int, issuer: str,
                      item: _AssessmentPlan) -> int:
    if item.assessment_id is None:
        assessment = Assessment(unit_id=unit_id, ext_id=item.data.id, assigned_by=issuer,
                                **item.changes)
        session.add(assessment)
        session.flush()
        assert assessment.id is not None
        assessment_id = assessment.id
    else:
        assessment_id = item.assessment_id
        if item.changes:
            row = session.get(Assessment, assessment_id)
            assert row is not None
            for name, value in item.changes.items():
                setattr(row, name, value)
            session.add(row)
    if item.documents is not None:
        session.execute(delete(DocumentRef).where(DocumentRef.assessment_id == assessment_id))
        if item.documents:
            session.execute(insert(DocumentRef.__table__), [
                {**d, "assessment_id": assessment_id, "position": i}
                for i, d in enumerate(item.documents)])
    session.flush()
    return assessment_id


def _apply_criteria(session: Session, assessment_id: int, plan: _CriterionPlan,
                    at: dt.datetime) -> dict[str, int]:
    """Apply the criteria plan; returns code -> criterion id of the assessment."""
    if plan.remove:
        session.execute(delete(Criterion).where(Criterion.id.in_(plan.remove)))
    for criterion_id, values in plan.update:
        row = session.get(Criterion, criterion_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        row.search_key = fold(row.code, row.title, row.finding)
        session.add(row)
    for criterion_id in plan.keep:
        row = session.get(Criterion, criterion_id)
        assert row is not None
        row.withdrawn_at = at
        session.add(row)
    if plan.new:
        session.execute(insert(Criterion.__table__),
                        [{**row, "assessment_id": assessment_id} for row in plan.new])
    session.flush()
    return dict(session.execute(select(Criterion.code, Criterion.id).where(
        Criterion.assessment_id == assessment_id)).all())


def _later(task: Task, at: dt.datetime) -> dt.datetime:
    """Strictly after the task's stamp, so a window holding the old task sees it changed."""
    return max(at, as_utc(task.updated_at) + dt.timedelta(microseconds=1))


def _create_tasks(session: Session, assessment_id: int, item: _AssessmentPlan,
                  code_ids: dict[str, int], issuer: str, by: str, at: dt.datetime) -> None:
    """The assessment's new tasks in a few inserts: todo, 0 %, no owner, the derived
    columns computed from the assignment's own criteria, a "created" history entry."""
    if not item.new_tasks:
        return
    criteria = {c.code: c for c in item.data.criteria}
    rows = []
    for task in item.new_tasks:
        cited = [criteria[code] for code in dict.fromkeys(task.criteria)]
        rows.append({
            "uid": task.id, "assessment_id": assessment_id, "title": task.title,
            "detail": task.detail, "owner": None, "due": _date(task.due), "status": "todo",
            "progress": 0, "result": None, "done_on": None, "updated_at": at,
            "assigned_by": issuer, "lead": task.lead, "owner_key": "",
            "search_key": task_search_key(task.title, task.detail, None, None,
                                          [(c.code, c.title, c.finding) for c in cited]),
            "points_at_stake": leaf_points_at_stake(
                (c.code, c.max_points, c.score) for c in cited)})
    table = Task.__table__
    ids = dict(session.execute(insert(table).returning(table.c.uid, table.c.id), rows).all())
    session.execute(insert(Change.__table__), [
        {"task_id": ids[task.id], "at": at, "by": by, "field": "created", "old": None,
         "new": task.title} for task in item.new_tasks])
    links = [{"task_id": ids[task.id], "criterion_id": code_ids[code]}
             for task in item.new_tasks for code in dict.fromkeys(task.criteria)]
    if links:
        session.execute(insert(TaskCriterion.__table__), links)


def _update_task(session: Session, update: _TaskUpdate, code_ids: dict[str, int], by: str,
                 at: dt.datetime) -> None:
    task = session.get(Task, update.task_id)
    assert task is not None
    stamp = _later(task, at)
    for name, (old, new) in update.changes.items():
        record_change(session, task.id, by, name, old, new, stamp)
        setattr(task, name, new)
    if update.criteria is not None:
        old_codes, new_codes = update.criteria
        session.execute(delete(TaskCriterion).where(TaskCriterion.task_id == task.id))
        if new_codes:
            session.execute(insert(TaskCriterion.__table__),
                            [{"task_id": task.id, "criterion_id": code_ids[code]}
                             for code in new_codes])
        record_change(session, task.id, by, "criteria", ", ".join(old_codes) or None,
                      ", ".join(new_codes) or None, stamp)
    if update.restore:
        record_change(session, task.id, by, "withdrawn", _local_date(task.withdrawn_at), None,
                      stamp)
        task.withdrawn_at = None
    task.updated_at = stamp
    session.add(task)


def _local_date(instant: dt.datetime | None) -> dt.date | None:
    from ..clock import to_local

    return to_local(instant).date() if instant is not None else None
