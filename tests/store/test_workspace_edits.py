"""The write side used by the workspace: every edit one transaction, with history;
refused edits change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select

from store.errors import EditRefused, StaleEdit
from store.models import Change, Criterion, Evidence, Task
from store.read.task_detail import task_detail
from store.write.assessments import save_assessment
from store.write.criteria import remove_criterion, save_criterion
from store.write.evidence import add_evidence, describe_file, remove_evidence, update_evidence
from store.write.tasks import create_task, set_task_criteria, update_task

TODAY = dt.date(2026, 11, 21)


def _changes(db, task_id):  # noqa: ANN001, ANN202
    with db.read() as session:
        return session.execute(select(Change.field, Change.old, Change.new, Change.by)
                               .where(Change.task_id == task_id)
                               .order_by(Change.id)).all()


def _criterion_id(db, code):  # noqa: ANN001, ANN202
    with db.read() as session:
        return session.execute(select(Criterion.id).where(Criterion.code == code)).scalar_one()


def test_update_records_history_and_refuses_a_stale_edit(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        before = session.get(Task, 2)
        read_at = before.updated_at
    with demo_db.write() as session:
        changed = update_task(session, 2, {"status": "done", "done_on": TODAY - dt.timedelta(1)},
                              by="Nguyễn Thị Lan", expected_updated_at=read_at)
    assert changed == ["status", "progress", "done_on"]
    history = _changes(demo_db, 2)[-3:]
    assert [h.field for h in history] == ["status", "progress", "done_on"]
    assert history[0].old == "in_progress" and history[0].new == "done"
    assert history[1].new == "100"
    assert {h.by for h in history} == {"Nguyễn Thị Lan"}
    with pytest.raises(StaleEdit), demo_db.write() as session:
        update_task(session, 2, {"owner": "X"}, by="B", expected_updated_at=read_at)
    with demo_db.read() as session:
        assert session.get(Task, 2).owner == "Trần Văn Bình"


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"progress": 101}, "progress_range", "progress"),
    ({"title": "  "}, "required", "title"),
    ({"title": "x" * 501}, "too_long", "title"),
    ({"owner": "a\x07b"}, "control_characters", "owner"),
    ({"status": "done", "progress": 50}, "done_needs_full_progress", "progress"),
    ({"status": "done", "done_on": TODAY + dt.timedelta(1)}, "date_in_future", "done_on"),
])
def test_refused_task_edits_change_nothing(demo_db, changes, code, field) -> None:  # noqa: ANN001
    before = _changes(demo_db, 3)
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        update_task(session, 3, changes, by="x")
    assert (refused.value.code, refused.value.field) == (code, field)
    assert _changes(demo_db, 3) == before


def test_criteria_links_and_points_at_stake(demo_db) -> None:  # noqa: ANN001
    ids = [_criterion_id(demo_db, "7.1"), _criterion_id(demo_db, "7.3")]
    with demo_db.write() as session:
        assert set_task_criteria(session, 5, ids, by="Lan")
        assert not set_task_criteria(session, 5, ids, by="Lan")
    with demo_db.read() as session:
        task = session.get(Task, 5)
        assert task.points_at_stake == 2.0
        assert "ky so" in task.search_key
    assert _changes(demo_db, 5)[-1][:3] == ("criteria", "2.2", "7.1, 7.3")
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        set_task_criteria(session, 5, [99999], by="Lan")
    assert refused.value.code == "unknown_criterion"


def test_create_task_with_criteria(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment_id = session.execute(select(Task.assessment_id)).scalars().first()
    with demo_db.write() as session:
        task_id = create_task(session, assessment_id,
                              {"title": "Cài phần mềm diệt virus", "owner": "Võ Minh Tuấn",
                               "due": TODAY + dt.timedelta(10)},
                              [_criterion_id(demo_db, "7.5")], by="Lan")
    with demo_db.read() as session:
        detail = task_detail(session, task_id)
    assert detail.status == "todo" and detail.progress == 0
    assert [c.code for c in detail.criteria] == ["7.5"]
    assert detail.points_at_stake == 1.0
    assert [(h.field, h.new) for h in detail.history] == [("created", "Cài phần mềm diệt virus")]


def test_evidence_with_a_file_keeps_its_hash_and_history(demo_db, tmp_path) -> None:  # noqa: ANN001
    file = tmp_path / "Báo cáo 45.pdf"
    file.write_bytes(b"%PDF-1.4 test" * 1000)
    facts = describe_file(file)
    assert facts.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
    assert facts.size == 13000 and facts.name == "Báo cáo 45.pdf"
    with demo_db.write() as session:
        evidence_id = add_evidence(session, 5, {"title": "Báo cáo rà soát", "number": "45/BC-UBND",
                                                "date": TODAY, "issuer": "UBND Phường 1",
                                                "locator": "trang 2, mục II", "file": facts},
                                   by="Lan")
    with demo_db.read() as session:
        stored = session.get(Evidence, evidence_id)
        assert (stored.file_sha256, stored.file_size, stored.file_path) == (
            facts.sha256, 13000, str(file.absolute()))
    assert file.exists()  # the file stays where it is
    with demo_db.write() as session:
        update_evidence(session, evidence_id, {"title": "Báo cáo rà soát (bổ sung)",
                                               "number": "45/BC-UBND"}, by="Lan")
    with demo_db.read() as session:
        assert session.get(Evidence, evidence_id).file_sha256 == facts.sha256
    with demo_db.write() as session:
        remove_evidence(session, evidence_id, by="Lan")
    history = [h[:3] for h in _changes(demo_db, 5) if h.field == "evidence"]
    assert history == [("evidence", None, "45/BC-UBND Báo cáo rà soát"),
                       ("evidence", "45/BC-UBND Báo cáo rà soát",
                        "45/BC-UBND Báo cáo rà soát (bổ sung)"),
                       ("evidence", "45/BC-UBND Báo cáo rà soát (bổ sung)", None)]


def test_evidence_refusals(demo_db, tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(EditRefused) as refused:
        describe_file(tmp_path / "missing.pdf")
    assert refused.value.code == "file_missing"
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        add_evidence(session, 5, {"title": "X", "date": TODAY + dt.timedelta(3)}, by="Lan")
    assert refused.value.code == "date_in_future"
    with demo_db.read() as session:
        assert session.execute(select(func.count()).select_from(Evidence)
                               .where(Evidence.task_id == 5)).scalar() == 0


def _assessment_id(db) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.execute(select(Task.assessment_id)).scalars().first()


@pytest.mark.parametrize(("values", "code", "field"), [
    ({"code": "9.a", "title": "X", "max_points": 1}, "bad_code", "code"),
    ({"code": "9.1", "title": "X", "max_points": 1}, "parent_missing", "code"),
    ({"code": "3.2", "title": "X", "max_points": 1}, "duplicate_code", "code"),
    ({"code": "3.9", "title": "X", "max_points": 1, "score": 1.5}, "score_above_max", "score"),
    ({"code": "3.9", "title": "X", "max_points": 1.005}, "too_many_decimals", "max_points"),
    ({"code": "3.9", "title": "", "max_points": 1}, "required", "title"),
    ({"code": "3.9", "title": "X", "max_points": -1}, "negative", "max_points"),
])
def test_bad_criteria_are_refused_and_nothing_saved(demo_db, values, code, field) -> None:  # noqa: ANN001
    assessment_id = _assessment_id(demo_db)
    with demo_db.read() as session:
        before = session.execute(select(func.count()).select_from(Criterion)).scalar()
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        save_criterion(session, assessment_id, values)
    assert (refused.value.code, refused.value.field) == (code, field)
    with demo_db.read() as session:
        assert session.execute(select(func.count()).select_from(Criterion)).scalar() == before


def test_criterion_score_change_updates_points_at_stake(demo_db) -> None:  # noqa: ANN001
    assessment_id = _assessment_id(demo_db)
    criterion_id = _criterion_id(demo_db, "7.5")
    with demo_db.write() as session:
        save_criterion(session, assessment_id, {"code": "7.5", "title": "Phần mềm chống mã độc",
                                                "max_points": 2, "score": 0.5,
                                                "finding": "Chưa cài"}, criterion_id)
        new_id = save_criterion(session, assessment_id, {"code": "7.5.1", "title": "Máy chủ",
                                                         "max_points": 1, "score": 1})
    with demo_db.read() as session:
        task = session.execute(
            select(Task).where(Task.title.like("Cài đặt phần mềm%"))).scalar_one()
        assert task.points_at_stake == 1.5
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        remove_criterion(session, criterion_id)
    assert refused.value.code == "has_children"
    with demo_db.write() as session:
        remove_criterion(session, new_id)
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        remove_criterion(session, criterion_id)
    assert refused.value.code == "cited_by_tasks"


def test_assessment_by_hand(demo_db) -> None:  # noqa: ANN001
    with demo_db.write() as session:
        new_id = save_assessment(session, 1, {
            "title": "Chỉ số CCHC năm 2026", "year": 2026, "issuer": "UBND tỉnh Đồng Tháp",
            "max_points": 100, "score": 82.5, "rank": 5, "rank_of": 9,
            "document_number": "174/BC-SNV", "document_date": dt.date(2026, 3, 2)})
        save_criterion(session, new_id, {"code": "1", "title": "Chỉ đạo", "max_points": 10,
                                         "score": 9})
    from store.read.assessments import assessment_rows
    from store.read.units import unit_summary

    with demo_db.read() as session:
        rows = assessment_rows(session, 1)
        summary = unit_summary(session, 1, TODAY)
    assert rows[0].title == "Chỉ số CCHC năm 2026" and rows[0].document_number == "174/BC-SNV"
    assert summary.assessment_id == new_id and summary.tasks_total == 0
    for values, code in (({"title": "X", "year": 2026, "score": 101}, "score_above_max"),
                         ({"title": "X", "year": 1990}, "out_of_range"),
                         ({"title": "X", "year": 2026, "rank": 5, "rank_of": 3},
                          "rank_above_count")):
        with pytest.raises(EditRefused) as refused, demo_db.write() as session:
            save_assessment(session, 1, values)
        assert refused.value.code == code
    with demo_db.read() as session:
        assert len(assessment_rows(session, 1)) == 2
