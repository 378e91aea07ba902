import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select

from store.errors import EditRefused, StaleEdit
from store.models import Change, Task
from store.write.tasks import update_task


def _task_id(db, title_start: str) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.execute(select(Task.id).where(Task.title.startswith(title_start))
                               ).scalar_one()


def test_every_changed_field_is_recorded_with_who_when_old_new(demo_db) -> None:  # noqa: ANN001
    task_id = _task_id(demo_db, "Bổ sung danh mục")
    with demo_db.write() as session:
        changed = update_task(session, task_id, {"progress": 40, "owner": "Trần Văn Bình"},
                              by="Nguyễn Thị Lan")
    assert set(changed) == {"progress", "owner"}
    with demo_db.read() as session:
        task = session.get(Task, task_id)
        history = session.execute(select(Change).where(Change.task_id == task_id)
                                  .order_by(Change.id)).scalars().all()
    assert task.progress == 40 and task.owner == "Trần Văn Bình"
    recent = {c.field: c for c in history[-2:]}
    assert recent["progress"].old == "0" and recent["progress"].new == "40"
    assert recent["owner"].old == "Võ Minh Tuấn" and recent["owner"].by == "Nguyễn Thị Lan"
    assert recent["owner"].at.date() == dt.date(2026, 11, 21)
    assert task.owner_key == "tran van binh"


def test_done_sets_full_progress_and_the_completion_date(demo_db) -> None:  # noqa: ANN001
    task_id = _task_id(demo_db, "Bổ sung danh mục")
    with demo_db.write() as session:
        update_task(session, task_id, {"status": "done"}, by="Lan")
    with demo_db.read() as session:
        task = session.get(Task, task_id)
    assert (task.status, task.progress, task.done_on) == ("done", 100, dt.date(2026, 11, 21))


def test_a_refused_edit_changes_nothing(demo_db) -> None:  # noqa: ANN001
    task_id = _task_id(demo_db, "Bổ sung danh mục")
    with pytest.raises(EditRefused) as refused:
        with demo_db.write() as session:
            update_task(session, task_id, {"progress": 140}, by="Lan")
    assert refused.value.code == "progress_range" and refused.value.field == "progress"
    with demo_db.read() as session:
        assert session.get(Task, task_id).progress == 0
        count = len(session.execute(select(Change).where(Change.task_id == task_id)).all())
    assert count == 1  # only the demo's assignment


def test_text_is_stored_in_nfc_and_found_by_folded_key(demo_db) -> None:  # noqa: ANN001
    task_id = _task_id(demo_db, "Bổ sung danh mục")
    decomposed = unicodedata.normalize("NFD", "Đã khắc phục xong")
    with demo_db.write() as session:
        update_task(session, task_id, {"result": decomposed}, by="Lan")
    with demo_db.read() as session:
        task = session.get(Task, task_id)
    assert task.result == unicodedata.normalize("NFC", decomposed)
    assert "da khac phuc xong" in task.search_key


def test_a_stale_edit_is_refused(demo_db) -> None:  # noqa: ANN001
    task_id = _task_id(demo_db, "Bổ sung danh mục")
    with demo_db.read() as session:
        seen = session.get(Task, task_id).updated_at
    with demo_db.write() as session:
        update_task(session, task_id, {"progress": 10}, by="Bình")
    with pytest.raises(StaleEdit):
        with demo_db.write() as session:
            update_task(session, task_id, {"progress": 20}, by="Lan", expected_updated_at=seen)
    with demo_db.read() as session:
        assert session.get(Task, task_id).progress == 10
