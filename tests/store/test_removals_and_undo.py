"""Removing a task, a criterion and an assessment: each recorded in the removal
table, what the supervisor assigned refused; undo of the last edit puts the whole
database back only while nothing else changed it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from store.errors import EditRefused
from store.models import Assessment, Change, Criterion, Evidence, Removal, Task, TaskCriterion
from store.undo import UNDO_LIMIT_BYTES, capture, undo, undo_point
from store.write.criteria import remove_criterion
from store.write.removals import remove_assessment, remove_task, removals


def _count(db, model, *where: object) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)
                               ).scalar_one()


def _task_with_evidence(db) -> Task:  # noqa: ANN001
    with db.read() as session:
        task_id = session.execute(select(Evidence.task_id)).scalars().first()
        return session.get(Task, task_id)


def test_removing_a_task_takes_its_history_evidence_and_links_and_records_it(demo_db) -> None:  # noqa: ANN001
    task = _task_with_evidence(demo_db)
    assert _count(demo_db, Change, Change.task_id == task.id) > 0
    with demo_db.write() as session:
        remove_task(session, task.id, by="Nguyễn Thị Lan")
    for model in (Change, Evidence, TaskCriterion):
        assert _count(demo_db, model, model.task_id == task.id) == 0
    assert _count(demo_db, Task, Task.id == task.id) == 0
    with demo_db.read() as session:
        (record,) = removals(session)
    assert (record.kind, record.label, record.by, record.assessment_id) == (
        "task", task.title, "Nguyễn Thị Lan", task.assessment_id)


def test_a_criterion_a_task_works_on_is_kept_and_one_without_is_removed(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        cited = session.execute(select(TaskCriterion.criterion_id)).scalars().first()
        free = session.execute(
            select(Criterion).where(Criterion.id.not_in(select(TaskCriterion.criterion_id)),
                                    ~Criterion.code.in_(
                                        select(func.substr(Criterion.code, 1, 1))))
            .order_by(Criterion.sort_key.desc())).scalars().first()
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        remove_criterion(session, cited, by="Lan")
    assert refused.value.code == "cited_by_tasks"
    assert _count(demo_db, Removal) == 0
    with demo_db.write() as session:
        remove_criterion(session, free.id, by="Lan")
    with demo_db.read() as session:
        (record,) = removals(session)
    assert record.kind == "criterion" and record.label == f"{free.code} {free.title}"


def test_removing_the_assessment_takes_everything_under_it(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment = session.execute(select(Assessment)).scalars().one()
    with demo_db.write() as session:
        remove_assessment(session, assessment.id, by="Lan")
    for model in (Assessment, Criterion, Task, Change, Evidence):
        assert _count(demo_db, model) == 0
    with demo_db.read() as session:
        assert [(r.kind, r.label) for r in removals(session)] == [
            ("assessment", assessment.title)]


def test_what_the_supervisor_assigned_is_not_removed_here(demo_db) -> None:  # noqa: ANN001
    with demo_db.write() as session:
        task = session.execute(select(Task)).scalars().first()
        task.assigned_by = "SNV-87"
        session.add(task)
        assessment = session.execute(select(Assessment)).scalars().one()
        assessment.assigned_by = "SNV-87"
        session.add(assessment)
    for remove, key in ((remove_task, task.id), (remove_assessment, assessment.id)):
        with pytest.raises(EditRefused) as refused, demo_db.write() as session:
            remove(session, key, by="Lan")
        assert refused.value.code == "assigned"
    assert _count(demo_db, Removal) == 0 and _count(demo_db, Task, Task.id == task.id) == 1


def test_undo_puts_back_what_the_edit_changed(demo_db) -> None:  # noqa: ANN001
    task = _task_with_evidence(demo_db)
    evidence = _count(demo_db, Evidence)
    before = capture(demo_db.path)
    with demo_db.write() as session:
        remove_task(session, task.id, by="Lan")
    point = undo_point(demo_db.path, "Xóa nhiệm vụ", before)
    assert undo(demo_db.path, point)
    with demo_db.read() as session:
        assert session.get(Task, task.id).title == task.title
    assert _count(demo_db, Evidence) == evidence and _count(demo_db, Removal) == 0
    from store.read.tasks import search_condition

    with demo_db.read() as session:  # the task search index came back with the rows
        found = session.execute(select(Task.id).where(
            search_condition(task.title, trigram=True))).scalars().all()
    assert task.id in found


def test_undo_is_refused_once_something_else_changed_the_data(demo_db) -> None:  # noqa: ANN001
    task = _task_with_evidence(demo_db)
    before = capture(demo_db.path)
    with demo_db.write() as session:
        remove_task(session, task.id, by="Lan")
    point = undo_point(demo_db.path, "Xóa nhiệm vụ", before)
    with demo_db.write() as session:  # an export, an import, another window
        other = session.execute(select(Task)).scalars().first()
        other.owner = "Người khác"
        session.add(other)
    assert not undo(demo_db.path, point)
    assert _count(demo_db, Task, Task.id == task.id) == 0
    with demo_db.read() as session:
        assert session.get(Task, other.id).owner == "Người khác"


def test_a_database_too_large_keeps_no_undo_point(demo_db, monkeypatch) -> None:  # noqa: ANN001
    import store.undo

    assert capture(demo_db.path) is not None
    monkeypatch.setattr(store.undo, "UNDO_LIMIT_BYTES", 1024)
    assert capture(demo_db.path) is None and undo_point(demo_db.path, "x", None) is None
    assert UNDO_LIMIT_BYTES >= 16 * 1024 * 1024
