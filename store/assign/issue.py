"""Issuing assignments (supervisor side): a checked appraisal workbook and the
supervisor's command -> one assignment file per unit, written and recorded in the
review database (bundle-v2, "The appraisal workbook" and "Assignment bundles").

    preview = issue_assignments(db, read, options, out_dir, generator=..., sender=...,
                                dry_run=True)
    done = issue_assignments(db, read, options, out_dir, ...)   # IssueDone | IssueFailed

Each unit's sequence is the issuer's counter for that unit, kept in IssuedAssignment
with the digest the next file names as previous_sha256. An assignment is the
issuer's whole current word to the unit, as a progress bundle is the unit's whole
state: the assessments issued to it before under other ids travel again, so a unit
never reads a missing assessment as withdrawn. Task ids are uuid5 of the issuer,
assessment, unit and criterion, so issuing again after a correction updates the
same tasks. The supervisor's notes not yet sent go with the unit's next file.
Every file is signed (sign: the review database's own key).

Nothing is written unless every file can be: the sequences are taken, the files
written and the records stored in one write transaction; a file that cannot be
written removes those written before it and rolls the transaction back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from ..bundle.assignment import (KIND, MAX_NOTES, VERSION, AssignmentBundle,
                                 assignment_file_name)
from ..bundle.digest import canonical_bytes, sha256_hex
from ..bundle.export import ExportFailed, write_failure
from ..bundle.models import (ASSESSMENT_ID_PATTERN, FORMAT, MAX_ASSESSMENTS, TITLE_MAX_CHARS)
from ..bundle.reader import refusal_from_validation
from ..bundle.results import Refusal
from ..bundle.rules import check_assignment_rules
from ..clock import format_instant, now_local
from ..db import Database
from ..derive import parent_code, points_lost
from ..models import Unit
from ..safe_write import WriteNotVerified, fsync_directory, write_atomically
from .tables import IssuedAssignment, ReviewNote
from .workbook import UnitRows, WorkbookRead

TASK_TITLE = "Khắc phục tiêu chí {code}: {title}"
REPORT_TASK_TITLE = "Báo cáo kết quả khắc phục"
REPORT_TASK_KEY = "report"
INDEXES = ("PAR", "SIPAS", "OTHER")
ISSUER_CODE = re.compile(r"^[A-Za-z0-9._-]{1,16}$")
ASSESSMENT_ID = re.compile(ASSESSMENT_ID_PATTERN)
# Files written at once (threads: the time goes to the disk, not to Python).
WRITERS = 8

# sign(canonical bytes) -> the bundle's "signature" object: every version 2 writer signs
# (store.bundle.signing.signature_member with the review database's own key).
Signer = Callable[[bytes], dict[str, str]]


@dataclass(frozen=True)
class IssueOptions:
    """What the supervisor's command says; the sheet says the rest."""

    title: str
    index: str
    year: int
    issuer_code: str
    issuer_name: str
    letter: str
    letter_date: dt.date | None
    due: dt.date | None
    report_due: dt.date | None
    assessment_id: str | None = None
    letter_title: str | None = None

    @property
    def resolved_assessment_id(self) -> str:
        return self.assessment_id or default_assessment_id(self.issuer_code, self.index,
                                                           self.year)


def default_assessment_id(issuer_code: str, index: str, year: int) -> str:
    """<issuer code>-<index>-<year> in lower case: "snv-87-par-2025"."""
    return f"{issuer_code}-{index}-{year}".lower()


@dataclass(frozen=True)
class OptionProblem:
    """An option of the command that breaks a rule (code: required, bad_issuer_code,
    bad_assessment_id, bad_index, year_out_of_range, too_long)."""

    code: str
    option: str
    details: dict[str, Any] = field(default_factory=dict)


def check_options(options: IssueOptions) -> list[OptionProblem]:
    problems: list[OptionProblem] = []
    for option in ("title", "issuer_name", "letter"):
        value = getattr(options, option)
        if not value or not value.strip():
            problems.append(OptionProblem("required", option))
        elif len(value) > TITLE_MAX_CHARS:
            problems.append(OptionProblem("too_long", option, {"limit": TITLE_MAX_CHARS}))
    if options.letter_title is not None and len(options.letter_title) > TITLE_MAX_CHARS:
        problems.append(OptionProblem("too_long", "letter_title", {"limit": TITLE_MAX_CHARS}))
    if not ISSUER_CODE.match(options.issuer_code or ""):
        problems.append(OptionProblem("bad_issuer_code", "issuer_code",
                                      {"value": options.issuer_code}))
    if options.index not in INDEXES:
        problems.append(OptionProblem("bad_index", "index", {"value": options.index,
                                                             "allowed": list(INDEXES)}))
    if not 2000 <= options.year <= 2100:
        problems.append(OptionProblem("year_out_of_range", "year", {"value": options.year}))
    if not ASSESSMENT_ID.match(options.resolved_assessment_id):
        problems.append(OptionProblem("bad_assessment_id", "assessment_id",
                                      {"value": options.resolved_assessment_id}))
    return problems


def task_uid(issuer_code: str, assessment_id: str, unit_code: str,
             criterion_code: str | None) -> str:
    """uuid5(NAMESPACE_URL, "cchc:<issuer>:<assessment>:<unit>:<criterion or 'report'>")."""
    key = criterion_code or REPORT_TASK_KEY
    return str(uuid.uuid5(uuid.NAMESPACE_URL,
                          f"cchc:{issuer_code}:{assessment_id}:{unit_code}:{key}"))


def _task_title(code: str, title: str) -> str:
    text = TASK_TITLE.format(code=code, title=title)
    if len(text) <= TITLE_MAX_CHARS:
        return text
    return text[:TITLE_MAX_CHARS - 1].rstrip() + "…"


def _lost(max_points: float, score: float | None) -> bool:
    return points_lost(max_points, score) > 0


def unit_score(unit: UnitRows) -> tuple[float, float | None]:
    """(max points, score) of a unit: the sums over its domains; no score while a
    domain is not scored."""
    domains = [c for c in unit.criteria if "." not in c.code]
    maximum = round(sum(c.max_points for c in domains), 2)
    if not domains or any(c.score is None for c in domains):
        return maximum, None
    return maximum, round(sum(c.score for c in domains if c.score is not None), 2)


def rank_units(units: tuple[UnitRows, ...] | list[UnitRows]) -> dict[str, tuple[int, int]]:
    """Rank among the workbook's scored units, highest score first; equal scores share
    a rank (1, 2, 2, 4). Units without a score are not ranked."""
    scored = [(unit.code, score) for unit in units
              if (score := unit_score(unit)[1]) is not None]
    ranks: dict[str, tuple[int, int]] = {}
    ordered = sorted(scored, key=lambda item: -item[1])
    for position, (code, score) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        rank = ranks[previous[0]][0] if previous and previous[1] == score else position
        ranks[code] = (rank, len(ordered))
    return ranks


def assigned_assessment(unit: UnitRows, options: IssueOptions,
                        rank: tuple[int, int] | None) -> dict[str, Any]:
    """The unit's assessment in bundle shape: its criteria tree, one task per criterion
    that lost points and has no child that lost points, and the reporting task."""
    assessment_id = options.resolved_assessment_id
    criteria = unit.sorted_criteria()
    lost_parents = {parent_code(c.code) for c in criteria if _lost(c.max_points, c.score)}
    due = options.due.isoformat() if options.due else None
    tasks = [{
        "id": task_uid(options.issuer_code, assessment_id, unit.code, c.code),
        "title": _task_title(c.code, c.title), "detail": c.finding, "criteria": [c.code],
        "due": due, "lead": None,
    } for c in criteria if _lost(c.max_points, c.score) and c.code not in lost_parents]
    tasks.append({
        "id": task_uid(options.issuer_code, assessment_id, unit.code, None),
        "title": REPORT_TASK_TITLE, "detail": None, "criteria": [],
        "due": options.report_due.isoformat() if options.report_due else None, "lead": None,
    })
    maximum, score = unit_score(unit)
    return {
        "id": assessment_id, "title": options.title.strip(), "index": options.index,
        "year": options.year, "issuer": options.issuer_name.strip(),
        "documents": [{"number": options.letter.strip(),
                       "date": options.letter_date.isoformat() if options.letter_date else None,
                       "title": options.letter_title}],
        "max_points": maximum, "score": score,
        "rank": rank[0] if rank else None, "rank_of": rank[1] if rank else None,
        "criteria": [{"code": c.code, "title": c.title, "max_points": c.max_points,
                      "score": c.score, "finding": c.finding} for c in criteria],
        "tasks": tasks,
    }


@dataclass(frozen=True)
class UnitIssue:
    """One unit's file, as the preview shows it."""

    unit_code: str
    unit_name: str
    criteria: int
    points_lost: float
    tasks: int
    notes: int
    sequence: int
    file_name: str
    score: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    sha256: str = ""  # the file's integrity digest (its check code once written)


@dataclass(frozen=True)
class IssuePreview:
    """What issuing would write (a dry run), or wrote."""

    units: tuple[UnitIssue, ...]
    created_at: str
    assessment_id: str | None = None
    # Units with notes waiting but no assignment issued yet (notes only): unit codes.
    without_assignment: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueDone:
    preview: IssuePreview
    folder: Path
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class IssueRefused:
    """Nothing was written: the command's options or our own file broke a rule
    (refusal, for the unit unit_code), or the workbook has errors."""

    problems: tuple[OptionProblem, ...] = ()
    refusal: Refusal | None = None
    unit_code: str | None = None
    workbook_errors: int = 0


IssueResult = IssuePreview | IssueDone | IssueRefused | ExportFailed


@dataclass
class _Draft:
    issue: UnitIssue
    document: dict[str, Any]
    canonical: bytes  # what the digest (and a signature) cover, kept as the record
    note_ids: list[int]


def issue_assignments(db: Database, read: WorkbookRead, options: IssueOptions,
                      out_dir: Path, *, generator: str, sender: dict[str, Any],
                      sign: Signer, dry_run: bool = False) -> IssueResult:
    """One assignment per unit of the workbook (see the module's doc). dry_run:
    the preview only, nothing written anywhere."""
    if not read.ok:
        return IssueRefused(workbook_errors=read.errors_total)
    problems = check_options(options)
    if problems:
        return IssueRefused(problems=tuple(problems))
    ranks = rank_units(read.units)
    created_at = now_local().replace(microsecond=0).isoformat()
    issuer = {"code": options.issuer_code, "name": options.issuer_name.strip()}

    def drafts(session: Session) -> list[_Draft] | IssueRefused:
        known = _known_units(session)
        newest = _newest_issued(session, issuer["code"])
        waiting = _waiting_notes(session)
        made: list[_Draft] = []
        for unit in read.units:
            assessment = assigned_assessment(unit, options, ranks.get(unit.code))
            draft = _draft(unit.code, _receiving_unit(unit, known, issuer["name"]), issuer,
                           sender, assessment, newest.get(unit.code),
                           waiting.get(unit.code, []), created_at, generator, sign)
            if isinstance(draft, IssueRefused):
                return draft
            made.append(draft)
        return made

    return _run(db, drafts, out_dir, created_at, options.resolved_assessment_id, (), dry_run)


def issue_notes_only(db: Database, out_dir: Path, *, generator: str, sender: dict[str, Any],
                     sign: Signer, dry_run: bool = False) -> IssueResult:
    """A file for each unit with notes not yet sent: the assessments of its newest
    assignment again (nothing in them changes at the unit) and the notes."""
    created_at = now_local().replace(microsecond=0).isoformat()
    without: list[str] = []

    def drafts(session: Session) -> list[_Draft] | IssueRefused:
        waiting = _waiting_notes(session)
        made: list[_Draft] = []
        without.clear()
        for unit_code in sorted(waiting):
            last = _last_issued(session, unit_code)
            if last is None:
                without.append(unit_code)
                continue
            previous = json.loads(zlib.decompress(last.content))
            draft = _draft(unit_code, previous["unit"], previous["issuer"], sender, None, last,
                           waiting[unit_code], created_at, generator, sign)
            if isinstance(draft, IssueRefused):
                return draft
            made.append(draft)
        return made

    return _run(db, drafts, out_dir, created_at, None, without, dry_run)


def _run(db: Database, drafts: Callable[[Session], list[_Draft] | IssueRefused],
         out_dir: Path, created_at: str, assessment_id: str | None,
         without: list[str] | tuple[str, ...], dry_run: bool) -> IssueResult:
    if dry_run:
        with db.read() as session:
            made = drafts(session)
        if isinstance(made, IssueRefused):
            return made
        return IssuePreview(tuple(d.issue for d in made), created_at, assessment_id,
                            tuple(without))
    out_dir = Path(out_dir)
    try:
        if not out_dir.is_dir():
            if not out_dir.parent.is_dir():
                return ExportFailed("target_missing", out_dir)
            out_dir.mkdir()
        with db.write() as session:
            made = drafts(session)
            if isinstance(made, IssueRefused):
                return made
            paths = _write_files(out_dir, made)
            if isinstance(paths, ExportFailed):
                session.rollback()
                return paths
            for draft in made:
                _record(session, draft)
    except OSError as error:
        return write_failure(error, out_dir)
    preview = IssuePreview(tuple(d.issue for d in made), created_at, assessment_id,
                           tuple(without))
    return IssueDone(preview, out_dir, tuple(paths))


def _write_files(out_dir: Path, made: list[_Draft]) -> list[Path] | ExportFailed:
    """Every file written safely, or none: a failure removes the files written.

    Several at once: each file is synced to the disk before it replaces its target,
    and a file system commits the syncs of files written together in one go, which
    for 170 files is most of the time taken."""
    from concurrent.futures import ThreadPoolExecutor

    def write(draft: _Draft) -> ExportFailed | Path:
        target = out_dir / draft.issue.file_name
        data = (json.dumps(draft.document, ensure_ascii=False, indent=2) + "\n").encode()
        try:
            write_atomically(target, data, sync_folder=False)
        except WriteNotVerified:
            return ExportFailed("verify_failed", target)
        except OSError as error:
            return write_failure(error, target)
        return target

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        outcomes = list(pool.map(write, made))
    written = [outcome for outcome in outcomes if isinstance(outcome, Path)]
    failure = next((outcome for outcome in outcomes if isinstance(outcome, ExportFailed)), None)
    if failure is not None:
        for path in written:
            path.unlink(missing_ok=True)
        return failure
    fsync_directory(out_dir)  # once for all the renames
    return written


def _record(session: Session, draft: _Draft) -> None:
    document = draft.document
    session.add(IssuedAssignment(
        issuer_code=document["issuer"]["code"], issuer_name=document["issuer"]["name"],
        unit_code=document["unit"]["code"], sequence=document["sequence"],
        bundle_id=document["bundle_id"], sha256=document["integrity"]["sha256"],
        created_at=document["created_at"], file_name=draft.issue.file_name,
        tasks=draft.issue.tasks, notes=draft.issue.notes,
        content=zlib.compress(draft.canonical)))
    if draft.note_ids:
        session.execute(update(ReviewNote).where(ReviewNote.id.in_(draft.note_ids))
                        .values(sent_in=document["bundle_id"]))
    session.flush()


def _known_units(session: Session) -> dict[str, tuple[str, str]]:
    """Unit code -> (level, supervisor) of the units the review database holds."""
    return {code: (level, supervisor) for code, level, supervisor in session.execute(
        select(Unit.code, Unit.level, Unit.supervisor))}


def _receiving_unit(unit: UnitRows, known: dict[str, tuple[str, str]],
                    issuer_name: str) -> dict[str, Any]:
    """The bundle's unit: the sheet's code and name; its level from the sheet, else
    from the unit's own bundles, else "other"; its supervisor as its bundles say, else
    the issuer."""
    level, supervisor = known.get(unit.code, (None, None))
    return {"code": unit.code, "name": unit.name, "level": unit.level or level or "other",
            "supervisor": supervisor or issuer_name}


def _last_issued(session: Session, unit_code: str) -> IssuedAssignment | None:
    """The newest assignment to the unit, whichever issuer sent it."""
    return session.execute(select(IssuedAssignment).where(
        IssuedAssignment.unit_code == unit_code).order_by(
        IssuedAssignment.id.desc()).limit(1)).scalars().first()


def _newest_issued(session: Session, issuer_code: str) -> dict[str, IssuedAssignment]:
    """Unit code -> the issuer's newest assignment to it (one query for every unit)."""
    newest = (select(IssuedAssignment.unit_code,
                     func.max(IssuedAssignment.sequence).label("sequence"))
              .where(IssuedAssignment.issuer_code == issuer_code)
              .group_by(IssuedAssignment.unit_code).subquery())
    rows = session.execute(select(IssuedAssignment).join(
        newest, (newest.c.unit_code == IssuedAssignment.unit_code)
        & (newest.c.sequence == IssuedAssignment.sequence))
        .where(IssuedAssignment.issuer_code == issuer_code)).scalars()
    return {row.unit_code: row for row in rows}


def _waiting_notes(session: Session) -> dict[str, list[ReviewNote]]:
    """Unit code -> its notes not yet sent, oldest first (at most MAX_NOTES each)."""
    waiting: dict[str, list[ReviewNote]] = {}
    for note in session.execute(select(ReviewNote).where(ReviewNote.sent_in.is_(None))
                                .order_by(ReviewNote.at, ReviewNote.id)).scalars():
        notes = waiting.setdefault(note.unit_code, [])
        if len(notes) < MAX_NOTES:
            notes.append(note)
    return waiting


def _draft(unit_code: str, unit: dict[str, Any], issuer: dict[str, Any],
           sender: dict[str, Any], assessment: dict[str, Any] | None,
           last: IssuedAssignment | None, notes: list[ReviewNote], created_at: str,
           generator: str, sign: Signer) -> _Draft | IssueRefused:
    """One unit's document: its new assessment (None: the last ones again) after those
    the issuer's newest assignment `last` held under other ids, the notes waiting,
    sealed and checked."""
    carried: list[dict[str, Any]] = []
    if last is not None:
        carried = json.loads(zlib.decompress(last.content))["assessments"]
    if assessment is not None:
        carried = [a for a in carried if a["id"] != assessment["id"]] + [assessment]
    assessments = carried[-MAX_ASSESSMENTS:]
    sequence = 1 if last is None else last.sequence + 1
    document, canonical = build_assignment(
        unit=unit, issuer=issuer, sender=sender, assessments=assessments,
        notes=[{"task_id": n.task_uid, "at": format_instant(n.at), "by": n.by, "text": n.text}
               for n in notes],
        sequence=sequence, previous_sha256=None if last is None else last.sha256,
        created_at=created_at, generator=generator, sign=sign)
    refusal = check_document(document)
    if refusal is not None:
        return IssueRefused(refusal=refusal, unit_code=unit_code)
    latest = assessments[-1]
    domains = [c for c in latest["criteria"] if "." not in c["code"]]
    issue = UnitIssue(
        unit_code=unit_code, unit_name=unit["name"], criteria=len(latest["criteria"]),
        points_lost=round(sum(points_lost(c["max_points"], c["score"]) for c in domains), 2),
        tasks=sum(len(a["tasks"]) for a in assessments), notes=len(notes),
        sequence=sequence, file_name=assignment_file_name(unit_code, created_at, sequence),
        score=latest["score"], rank=latest["rank"], rank_of=latest["rank_of"],
        sha256=document["integrity"]["sha256"])
    return _Draft(issue, document, canonical, [n.id for n in notes if n.id is not None])


def build_assignment(*, unit: dict[str, Any], issuer: dict[str, Any], sender: dict[str, Any],
                     assessments: list[dict[str, Any]], notes: list[dict[str, Any]],
                     sequence: int, previous_sha256: str | None, created_at: str,
                     generator: str, sign: Signer,
                     bundle_id: str | None = None) -> tuple[dict[str, Any], bytes]:
    """The assignment object, sealed with its digest and signed over the same
    canonical bytes, and those bytes."""
    document = {
        "format": FORMAT, "version": VERSION, "kind": KIND,
        "bundle_id": bundle_id or str(uuid.uuid4()), "created_at": created_at,
        "generator": generator, "sequence": sequence, "previous_sha256": previous_sha256,
        "issuer": issuer, "sender": _sender(sender), "unit": unit, "assessments": assessments,
        "notes": notes,
    }
    canonical = canonical_bytes(document)
    document["integrity"] = {"sha256": sha256_hex(canonical)}
    document["signature"] = sign(canonical)
    return document, canonical


def _sender(officer: dict[str, Any]) -> dict[str, Any]:
    return {"name": officer.get("name") or "",
            **{key: officer.get(key) or None for key in ("position", "phone", "email")}}


def check_document(document: dict[str, Any]) -> Refusal | None:
    """Our own assignment must pass our own reader's models and rules before it leaves."""
    from pydantic import ValidationError

    try:
        assignment = AssignmentBundle.model_validate(document)
    except ValidationError as error:
        return refusal_from_validation(error)
    return check_assignment_rules(assignment)[0]

