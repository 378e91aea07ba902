"""A commune takes in its assignments: the verdicts, the dry run, and the merge rules
(held tasks keep their work, the unit's own rows are never touched, withdrawn tasks
are kept, notes stay with their task), in one transaction after a backup."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.assign.held import assignments_held, supervisor_notes
from store.assign.importing import import_assignment, import_assignment_file
from store.assign.notes import add_note
from store.assign.status import assignment_status
from store.assign.tables import ReceivedAssignment, SupervisorNote
from store.write.criteria import save_criterion
from store.write.evidence import add_evidence
from store.write.tasks import create_task, update_task
from store.models import Assessment, Change, Criterion, Evidence, Task, TaskCriterion
from tests.assign.conftest import UNIT, commune_rows, file_for
from tests.assign.factory import issuer_key, unit_rows
from tests.bundle.factory import database_bytes, fixed_key, sign

ISSUER_NAME = "Sở Nội vụ tỉnh Đồng Tháp"


def _import(unit_db, path: Path, **options: object):  # noqa: ANN001, ANN202
    return import_assignment_file(unit_db, path, unit_code=UNIT["code"], **options)


def _task(session, uid: str) -> Task:  # noqa: ANN001
    return session.execute(select(Task).where(Task.uid == uid)).scalars().one()


def _criterion(session, code: str) -> Criterion:  # noqa: ANN001
    return session.execute(select(Criterion).where(Criterion.code == code)).scalars().one()


def _history(session, task_id: int) -> list[tuple]:  # noqa: ANN001
    return [(c.by, c.field, c.old, c.new) for c in session.execute(
        select(Change).where(Change.task_id == task_id).order_by(Change.id)).scalars()]


def _rows_with(score_changes: dict[str, float] | None = None, drop: tuple[str, ...] = (),
               seed: int = 3) -> list[tuple]:
    """Phường 1's rows (and two other units') with some leaves' scores corrected (their
    parents' scores follow) or rows left out."""
    rows = commune_rows(seed)
    scores = {row[3]: row[6] for row in rows if row[0] == UNIT["code"]}
    delta: dict[str, float] = {}
    for code, score in (score_changes or {}).items():
        ancestor = code
        while ancestor:
            delta[ancestor] = delta.get(ancestor, 0.0) + score - scores[code]
            ancestor = ancestor.rpartition(".")[0]
    return [row[:6] + (round(row[6] + delta.get(row[3], 0.0), 2),) + row[7:]
            if row[0] == UNIT["code"] else row
            for row in rows if not (row[0] == UNIT["code"] and row[3] in drop)]


def _lost_leaves(seed: int = 3) -> list[tuple]:
    rows = unit_rows(UNIT["code"], UNIT["name"], seed=seed)
    codes = [r[3] for r in rows]
    return [r for r in rows if r[6] < r[5] and not any(c.startswith(r[3] + ".") for c in codes)]


def test_a_first_assignment_brings_its_assessment_criteria_and_tasks(issue, unit_db) -> None:  # noqa: ANN001
    path = file_for(issue())
    document = json.loads(path.read_bytes())
    result = _import(unit_db, path)
    assert result.verdict == "accepted" and result.applied
    summary = result.summary
    tasks = document["assessments"][0]["tasks"]
    assert (summary.assessments_new, summary.criteria_new, summary.tasks_new) == (
        1, 50, len(tasks))
    assert [(w.code, w.details) for w in result.warnings] == [
        ("key_taken_on_first_use", {"fingerprint": issuer_key().fingerprint})]
    with unit_db.read() as session:
        assessment = session.execute(select(Assessment)).scalars().one()
        assert (assessment.ext_id, assessment.assigned_by, assessment.index_kind) == (
            "snv-87-par-2025", "SNV-87", "PAR")
        first = _task(session, tasks[0]["id"])
        assert (first.status, first.progress, first.owner, first.result, first.done_on) == (
            "todo", 0, None, None, None)
        assert (first.assigned_by, first.lead, first.withdrawn_at) == ("SNV-87", None, None)
        assert first.due == dt.date(2026, 6, 16)
        assert first.points_at_stake > 0
        assert _history(session, first.id) == [(ISSUER_NAME, "created", None, first.title)]
        cited = session.execute(select(Criterion.code).join(
            TaskCriterion, TaskCriterion.criterion_id == Criterion.id).where(
            TaskCriterion.task_id == first.id)).scalars().all()
        assert cited == tasks[0]["criteria"]
        assert _criterion(session, "1").assigned_by == "SNV-87"
        assert assignments_held(session) == [
            {"issuer": "SNV-87", "sequence": 1, "sha256": document["integrity"]["sha256"]}]


def test_the_dry_run_shows_the_same_summary_and_changes_no_byte(issue, unit_db) -> None:  # noqa: ANN001
    path = file_for(issue())
    before = database_bytes(unit_db.path)
    dry = _import(unit_db, path, dry_run=True, backups_dir=unit_db.path.parent / "backups")
    assert dry.verdict == "accepted" and not dry.applied and dry.backup is None
    assert database_bytes(unit_db.path) == before
    assert not (unit_db.path.parent / "backups").exists()
    assert _import(unit_db, path).summary == dry.summary


def test_importing_again_changes_no_byte_and_takes_no_backup(issue, unit_db) -> None:  # noqa: ANN001
    path = file_for(issue())
    backups = unit_db.path.parent / "backups"
    first = _import(unit_db, path, backups_dir=backups)
    assert first.backup is not None and first.backup.exists()
    assert first.backup.name.endswith("-event-assignment.db")
    before = database_bytes(unit_db.path)
    again = _import(unit_db, path, backups_dir=backups)
    assert again.verdict == "already_imported" and not again.applied
    assert database_bytes(unit_db.path) == before
    assert len(list(backups.iterdir())) == 1


def test_reissue_with_a_new_due_date_and_a_corrected_score_keeps_the_units_work(
        issue, unit_db) -> None:  # noqa: ANN001
    """The commune has worked on a task; the supervisor corrects a score (still short
    of the maximum) and moves the deadline: the task and criterion take the new values,
    the commune's status, progress, owner, result, evidence, history and cause stay."""
    leaf = _lost_leaves()[0]
    code, maximum = leaf[3], leaf[5]
    first_done = issue()
    first = json.loads(file_for(first_done).read_bytes())
    assert _import(unit_db, file_for(first_done)).accepted
    uid = next(t["id"] for t in first["assessments"][0]["tasks"] if t["criteria"] == [code])
    with unit_db.write() as session:
        task = _task(session, uid)
        update_task(session, task.id, {"status": "in_progress", "progress": 60,
                                       "owner": "Nguyễn Văn An", "result": "Đã bổ sung 3 tin"},
                    by="Nguyễn Văn An")
        add_evidence(session, task.id, {"title": "Báo cáo bổ sung", "number": "45/BC-UBND"},
                     by="Nguyễn Văn An")
        criterion = _criterion(session, code)
        criterion.cause, criterion.cause_kind = "Thiếu cán bộ", "subjective"
        session.add(criterion)
    with unit_db.read() as session:
        task = _task(session, uid)
        kept_history = _history(session, task.id)
        stake_before = task.points_at_stake
    corrected = maximum - 0.25
    done = issue(rows=_rows_with({code: corrected}), due="2026-07-15")
    result = _import(unit_db, file_for(done))
    assert result.accepted, result.refusal
    # every task's due date moved; the leaf and its ancestors were rescored
    assert result.summary.tasks_updated == len(first["assessments"][0]["tasks"]) - 1
    assert result.summary.criteria_updated == code.count(".") + 1
    assert result.summary.assessments_updated == 1
    assert result.summary.tasks_new == 0 and result.summary.tasks_withdrawn == 0
    with unit_db.read() as session:
        task = _task(session, uid)
        assert task.due == dt.date(2026, 7, 15)
        assert (task.status, task.progress, task.owner, task.result) == (
            "in_progress", 60, "Nguyễn Văn An", "Đã bổ sung 3 tin")
        assert [e.number for e in session.execute(select(Evidence).where(
            Evidence.task_id == task.id)).scalars()] == ["45/BC-UBND"]
        history = _history(session, task.id)
        assert history[:len(kept_history)] == kept_history
        assert history[len(kept_history):] == [(ISSUER_NAME, "due", "2026-06-16", "2026-07-15")]
        criterion = _criterion(session, code)
        assert (criterion.score, criterion.cause, criterion.cause_kind) == (
            corrected, "Thiếu cán bộ", "subjective")
        assert task.points_at_stake == pytest.approx(stake_before - (corrected - leaf[6]))


def test_a_task_the_supervisor_no_longer_assigns_is_kept_and_marked_withdrawn(
        issue, unit_db) -> None:  # noqa: ANN001
    leaf = _lost_leaves()[0]
    code = leaf[3]
    path = file_for(issue())
    first = json.loads(path.read_bytes())
    _import(unit_db, path)
    uid = next(t["id"] for t in first["assessments"][0]["tasks"] if t["criteria"] == [code])
    with unit_db.write() as session:
        update_task(session, _task(session, uid).id, {"progress": 30}, by="An")
    result = _import(unit_db, file_for(issue(rows=_rows_with({code: leaf[5]}))))
    assert result.summary.tasks_withdrawn == 1
    with unit_db.read() as session:
        task = _task(session, uid)
        assert task.withdrawn_at is not None and task.progress == 30
        assert _history(session, task.id)[-1] == (ISSUER_NAME, "withdrawn", None, "2026-11-21")
        assert _criterion(session, code).score == leaf[5]
    again = _import(unit_db, file_for(issue()))  # the score is lost again: assigned again
    assert again.summary.tasks_withdrawn == 0 and again.summary.tasks_updated >= 1
    with unit_db.read() as session:
        task = _task(session, uid)
        assert task.withdrawn_at is None
        assert _history(session, task.id)[-1] == (ISSUER_NAME, "withdrawn", "2026-11-21", None)


def test_criteria_the_assignment_drops_are_removed_unless_a_task_cites_them(
        issue, unit_db) -> None:  # noqa: ANN001
    """8.5 (full score, no task) goes; 8.4 stays, cited by a task the unit made itself,
    and is marked as no longer assigned; the unit's own criterion 8.6 is untouched."""
    _import(unit_db, file_for(issue()))
    with unit_db.write() as session:
        assessment_id = session.execute(select(Assessment.id)).scalar_one()
        own_task = create_task(session, assessment_id, {"title": "Việc đơn vị tự đặt"},
                               [_criterion(session, "8.4").id], by="An")
        own_criterion = save_criterion(session, assessment_id, {
            "code": "8.6", "title": "Tiêu chí đơn vị tự thêm", "max_points": 1, "score": 1})
    result = _import(unit_db, file_for(issue(rows=_rows_with(drop=("8.4", "8.5")))))
    assert result.summary.criteria_removed == ("8.5",)
    assert result.summary.criteria_kept == ("8.4",)
    with unit_db.read() as session:
        codes = set(session.execute(select(Criterion.code)).scalars())
        assert "8.5" not in codes and {"8.4", "8.6"} <= codes
        assert _criterion(session, "8.4").withdrawn_at is not None
        assert _criterion(session, "8.6").id == own_criterion
        assert _criterion(session, "8.6").assigned_by is None
        own = session.get(Task, own_task)
        assert own.assigned_by is None and own.withdrawn_at is None
        assert _history(session, own.id) == [("An", "created", None, "Việc đơn vị tự đặt")]
    back = _import(unit_db, file_for(issue()))
    assert back.summary.criteria_new == 1 and back.summary.criteria_updated == 1
    with unit_db.read() as session:
        assert _criterion(session, "8.4").withdrawn_at is None


def test_notes_round_trip_to_the_task_newest_first(issue, review_db, unit_db) -> None:  # noqa: ANN001
    path = file_for(issue())
    _import(unit_db, path)
    uid = json.loads(path.read_bytes())["assessments"][0]["tasks"][0]["id"]
    with review_db.write() as session:
        add_note(session, UNIT["code"], uid, "Thiếu tài liệu kiểm chứng", by="Trần Thị Mai",
                 at=dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.timezone.utc))
        add_note(session, UNIT["code"], uid, "Đề nghị bổ sung;\nghi rõ số liệu", by="Phúc",
                 at=dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.timezone.utc))
    result = _import(unit_db, file_for(issue()))
    assert (result.summary.notes_new, result.summary.tasks_updated) == (2, 0)
    with unit_db.read() as session:
        notes = supervisor_notes(session, _task(session, uid).id)
        assert [(n.by, n.text, n.issuer_code) for n in notes] == [
            ("Phúc", "Đề nghị bổ sung;\nghi rõ số liệu", "SNV-87"),
            ("Trần Thị Mai", "Thiếu tài liệu kiểm chứng", "SNV-87")]


def test_a_note_on_a_task_the_unit_does_not_hold_is_listed_not_stored(issue, unit_db) -> None:  # noqa: ANN001
    document = json.loads(file_for(issue()).read_bytes())
    held_uid = document["assessments"][0]["tasks"][0]["id"]
    note = {"at": "2026-11-20T10:00:00+07:00", "by": "Mai", "text": "x"}
    document["notes"] = [dict(note, task_id=held_uid),
                         dict(note, task_id="00000000-0000-4000-8000-000000000000")]
    document["bundle_id"] = "11111111-1111-4111-8111-111111111111"
    sign(document, issuer_key())
    result = import_assignment(unit_db, json.dumps(document).encode(), "x.json",
                               unit_code=UNIT["code"])
    assert result.summary.notes_new == 1
    assert result.summary.notes_without_task == ("00000000-0000-4000-8000-000000000000",)
    with unit_db.read() as session:
        assert session.execute(select(func.count()).select_from(SupervisorNote)).scalar_one() == 1


def test_an_assignment_for_another_unit_is_refused_naming_both(issue, unit_db) -> None:  # noqa: ANN001
    path = file_for(issue(), "30001")
    before = database_bytes(unit_db.path)
    result = _import(unit_db, path)
    assert result.verdict == "wrong_unit"
    assert result.refusal.details == {"found": "30001", "found_name": "Xã Số 1",
                                      "this": UNIT["code"], "this_name": UNIT["name"]}
    assert database_bytes(unit_db.path) == before


def _resealed(path: Path, change) -> bytes:  # noqa: ANN001
    document = json.loads(path.read_bytes())
    change(document)
    sign(document, issuer_key())
    return json.dumps(document, ensure_ascii=False).encode()


def test_the_sequence_verdicts(issue, unit_db) -> None:  # noqa: ANN001
    one, two, three = (file_for(issue()) for _ in range(3))
    assert _import(unit_db, one).accepted
    gap = _import(unit_db, three)
    assert gap.accepted and [(w.code, w.details) for w in gap.warnings][0] == (
        "gap", {"first": 2, "last": 2})
    older = _import(unit_db, two)
    assert (older.verdict, older.held_sequence) == ("older_than_held", 3)
    altered = _resealed(three, lambda d: d["notes"].append(
        {"task_id": d["assessments"][0]["tasks"][0]["id"], "at": "2026-11-21T08:00:00+07:00",
         "by": "X", "text": "y"}))
    conflicting = import_assignment(unit_db, altered, "x.json", unit_code=UNIT["code"])
    assert conflicting.verdict == "conflicting_id"


def test_a_fork_in_the_issuers_sequence_is_accepted_with_a_warning(issue, unit_db) -> None:  # noqa: ANN001
    one, two = file_for(issue()), file_for(issue())
    assert _import(unit_db, one).accepted
    forked = _resealed(two, lambda d: d.__setitem__("previous_sha256", "0" * 64))
    result = import_assignment(unit_db, forked, two.name, unit_code=UNIT["code"])
    assert result.accepted and "fork" in [w.code for w in result.warnings]


def test_a_task_id_of_the_units_own_task_is_refused(issue, unit_db) -> None:  # noqa: ANN001
    path = file_for(issue())
    _import(unit_db, path)
    with unit_db.write() as session:
        assessment_id = session.execute(select(Assessment.id)).scalar_one()
        own = session.get(Task, create_task(session, assessment_id, {"title": "Của đơn vị"},
                                            by="An"))
        own_uid = own.uid
    forged = _resealed(path, lambda d: (d["assessments"][0]["tasks"][0].__setitem__(
        "id", own_uid), d.__setitem__("bundle_id", "22222222-2222-4222-8222-222222222222"),
        d.__setitem__("sequence", 2)))
    before = database_bytes(unit_db.path)
    result = import_assignment(unit_db, forged, "x.json", unit_code=UNIT["code"])
    assert (result.verdict, result.refusal.code) == ("refused", "task_id_held_otherwise")
    assert result.refusal.path == "$.assessments[0].tasks[0].id"
    assert database_bytes(unit_db.path) == before


def test_a_failure_half_way_leaves_the_database_as_it_was(issue, unit_db,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The failure comes once the assessment, criteria, tasks and history are written
    and before the record of the assignment: all of it is rolled back."""
    from store.assign import importing

    path = file_for(issue())

    def power_cut(*args: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(importing, "refresh_task_derived", power_cut)
    with pytest.raises(RuntimeError):
        _import(unit_db, path)
    with unit_db.read() as session:
        for table in (Assessment, Criterion, Task, Change, ReceivedAssignment):
            assert session.execute(select(func.count()).select_from(table)).scalar_one() == 0


def test_the_unit_reports_holding_what_the_review_sent(issue, review_db, unit_db) -> None:  # noqa: ANN001
    """workbook -> files -> import -> what the progress bundle will carry -> the review
    sees the unit holding the newest assignment (store level)."""
    path = file_for(issue())
    with review_db.read() as session:
        (status,) = assignment_status(session, UNIT["code"], held=[])
        assert (status.sent_sequence, status.held_sequence, status.up_to_date) == (1, None, False)
    _import(unit_db, path)
    with unit_db.read() as session:
        held = assignments_held(session)
    with review_db.read() as session:
        (status,) = assignment_status(session, UNIT["code"], held=held)
        assert status.up_to_date and status.issuer_code == "SNV-87"
    issue()
    with review_db.read() as session:
        assert not assignment_status(session, UNIT["code"], held=held)[0].up_to_date
        # A version 1 progress bundle reports no holding.
        assert assignment_status(session, UNIT["code"])[0].held_sequence is None


def test_the_spec_example_imports_into_the_demo_commune(demo_db) -> None:  # noqa: ANN001
    from tests.bundle.factory import shared_dir

    shared = shared_dir()
    if shared is None:
        pytest.skip("shared/spec is not beside the repository")
    path = shared / "spec" / "examples" / "v2" / "cchc-assign-30316-20230605-0001.json"
    with demo_db.read() as session:
        tasks_before = session.execute(select(func.count()).select_from(Task)).scalar_one()
    result = import_assignment_file(demo_db, path, unit_code="30316")
    assert result.accepted, result.refusal
    assert [w.code for w in result.warnings] == ["key_taken_on_first_use"]
    assert result.summary.notes_new == 2
    with demo_db.read() as session:
        assert session.execute(select(func.count()).select_from(Task)).scalar_one() == \
            tasks_before + result.summary.tasks_new


def test_the_same_note_twice_is_held_once(issue, unit_db) -> None:  # noqa: ANN001
    document = json.loads(file_for(issue()).read_bytes())
    note = {"task_id": document["assessments"][0]["tasks"][0]["id"],
            "at": "2026-11-20T10:00:00+07:00", "by": "Mai", "text": "x"}
    document["notes"] = [note, copy.deepcopy(note)]
    sign(document, issuer_key())
    result = import_assignment(unit_db, json.dumps(document).encode(), "x.json",
                               unit_code=UNIT["code"])
    assert (result.summary.notes_new, result.summary.notes_held) == (1, 1)


def test_workbook_files_import_progress_bundle_and_the_review_sees_it_held(
        issue, review_db, unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    """The loop closed: the review issues, the commune imports, its next progress bundle
    carries the assignment it holds (withdrawn tasks included in its tasks), the review
    receives it and sees the unit holding the newest assignment sent."""
    from store.bundle.export import ExportDone, export_bundle
    from store.bundle.receive import receive_file

    leaf = _lost_leaves()[0]
    _import(unit_db, file_for(issue()))
    latest = file_for(issue(rows=_rows_with({leaf[3]: leaf[5]})))
    _import(unit_db, latest)
    with review_db.read() as session:
        (status,) = assignment_status(session, UNIT["code"])
        assert (status.sent_sequence, status.held_sequence) == (2, None)
    done = export_bundle(unit_db, unit=UNIT, officer={"name": "An"}, target_dir=tmp_path / "x",
                         generator="cchc test", key=fixed_key(5), create_folder=True)
    assert isinstance(done, ExportDone), done
    document = json.loads(done.path.read_bytes())
    assert document["assignments_held"] == [{
        "issuer": "SNV-87", "sequence": 2,
        "sha256": json.loads(latest.read_bytes())["integrity"]["sha256"]}]
    fields = {h["field"] for t in document["assessments"][0]["tasks"] for h in t["history"]}
    assert {"created", "withdrawn"} <= fields
    received = receive_file(review_db, done.path)
    assert received.accepted, received.refusal
    with review_db.read() as session:
        (status,) = assignment_status(session, UNIT["code"])
        assert status.up_to_date and status.held_sequence == 2
    issue()
    with review_db.read() as session:
        assert not assignment_status(session, UNIT["code"])[0].up_to_date


def test_an_issuer_signing_with_another_key_is_refused_naming_both_keys(
        issue, unit_db) -> None:  # noqa: ANN001
    """Once a key is held for SNV-87, a file signed by another key in its name is
    refused, and nothing is stored."""
    first, second = file_for(issue()), file_for(issue())
    assert _import(unit_db, first).accepted
    document = json.loads(second.read_bytes())
    other = fixed_key(99)
    before = database_bytes(unit_db.path)
    result = import_assignment(unit_db, json.dumps(sign(document, other)).encode(), "x.json",
                               unit_code=UNIT["code"])
    assert (result.verdict, result.refusal.code) == ("refused", "other_key")
    assert result.refusal.details == {"code": "SNV-87", "held": issuer_key().fingerprint,
                                      "found": other.fingerprint}
    assert database_bytes(unit_db.path) == before
    assert _import(unit_db, second).accepted  # the genuine one still goes in


def test_a_key_held_for_another_sender_cannot_sign_for_this_issuer(issue, unit_db) -> None:  # noqa: ANN001
    from store.bundle.receive import keep_first_key
    from store.bundle.signing import b64
    from store.clock import now_utc

    key = fixed_key(42)
    with unit_db.write() as session:
        keep_first_key(session, "UBND-SD", b64(key.public_key), key.fingerprint, now_utc(),
                       None)
    document = json.loads(file_for(issue()).read_bytes())
    result = import_assignment(unit_db, json.dumps(sign(document, key)).encode(), "x.json",
                               unit_code=UNIT["code"])
    assert (result.verdict, result.refusal.code) == ("refused", "key_of_another_sender")
    assert result.refusal.details["other"] == "UBND-SD"


def test_the_first_signed_files_key_is_kept_for_its_issuer(issue, unit_db) -> None:  # noqa: ANN001
    from store.models import SenderKey

    first, second = file_for(issue()), file_for(issue())
    assert _import(unit_db, first, dry_run=True).accepted
    with unit_db.read() as session:
        assert session.execute(select(func.count()).select_from(SenderKey)).scalar_one() == 0
    assert _import(unit_db, first).accepted
    with unit_db.read() as session:
        (held,) = session.execute(select(SenderKey)).scalars().all()
        assert (held.sender_code, held.fingerprint, held.confirmed) == (
            "SNV-87", issuer_key().fingerprint, False)
    again = _import(unit_db, second)
    assert again.accepted and "key_taken_on_first_use" not in [w.code for w in again.warnings]
