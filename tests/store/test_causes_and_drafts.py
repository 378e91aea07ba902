"""The unit's causes per criterion and its drafts of the documents: validated, one
transaction, history on the citing tasks; refused input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from store.causes import split_history_field
from store.read.criteria import criterion_causes
from store.write.criteria import set_criterion_cause
from store.errors import EditRefused
from store.models import Change, Criterion, ReportDraft, TaskCriterion
from store.report.drafts import DRAFT_SECTIONS, drafts_of, save_drafts


def _criterion(db, code):  # noqa: ANN001, ANN202
    with db.read() as session:
        return session.execute(select(Criterion).where(Criterion.code == code)).scalar_one()


def _cause_changes(db):  # noqa: ANN001, ANN202
    with db.read() as session:
        return session.execute(select(Change.task_id, Change.field, Change.old, Change.new,
                                      Change.by).where(Change.field.like("cause%"))
                               .order_by(Change.id)).all()


def test_a_cause_is_kept_and_told_in_the_history_of_every_task_citing_it(demo_db) -> None:  # noqa: ANN001
    criterion = _criterion(demo_db, "3.3")  # cited by two tasks in the demo
    with demo_db.read() as session:
        citing = set(session.execute(select(TaskCriterion.task_id).where(
            TaskCriterion.criterion_id == criterion.id)).scalars())
    assert len(citing) == 2
    text = "Công chức chưa nắm quy định.\nChưa có mẫu thư xin lỗi."
    with demo_db.write() as session:
        assert set_criterion_cause(session, criterion.id,
                                   {"cause": f"  {text}  ", "cause_kind": "both"}, by="Lan")
    after = _criterion(demo_db, "3.3")
    assert (after.cause, after.cause_kind) == (text, "both")
    changes = _cause_changes(demo_db)
    assert {c.task_id for c in changes} == citing
    assert {(c.field, c.new, c.by) for c in changes} == {
        ("cause:3.3", text, "Lan"), ("cause_kind:3.3", "both", "Lan")}
    assert {c.old for c in changes if c.field == "cause:3.3"} == {criterion.cause}
    assert split_history_field("cause_kind:3.3") == ("cause_kind", "3.3")
    assert split_history_field("owner") == ("owner", None)
    with demo_db.write() as session:  # the same again: nothing to record
        assert not set_criterion_cause(session, criterion.id,
                                       {"cause": text, "cause_kind": "both"}, by="Lan")
    assert len(_cause_changes(demo_db)) == len(changes)
    with demo_db.read() as session:
        (read,) = criterion_causes(session, [criterion.id]).values()
    assert read.objective and read.subjective


def test_clearing_a_cause_removes_its_kind_too(demo_db) -> None:  # noqa: ANN001
    criterion = _criterion(demo_db, "3.4")
    with demo_db.write() as session:
        set_criterion_cause(session, criterion.id, {"cause": "", "cause_kind": None}, by=None)
    after = _criterion(demo_db, "3.4")
    assert after.cause is None and after.cause_kind is None


@pytest.mark.parametrize(("code", "values", "refusal", "field"), [
    ("3.3", {"cause": "x" * 10_001}, "too_long", "cause"),
    ("3.3", {"cause": "a\x07b"}, "control_characters", "cause"),
    ("3.3", {"cause": "Lý do", "cause_kind": "external"}, "unknown_cause_kind", "cause_kind"),
    ("3.3", {"cause": "", "cause_kind": "objective"}, "kind_needs_cause", "cause"),
    ("4.1", {"cause": "Không bị trừ điểm"}, "no_points_lost", "cause"),
    ("3.3", {"score": 1}, "unknown_field", "score"),
])
def test_a_refused_cause_changes_nothing(demo_db, code, values, refusal, field) -> None:  # noqa: ANN001
    before = _criterion(demo_db, code)
    history = _cause_changes(demo_db)
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        set_criterion_cause(session, before.id, values, by="Lan")
    assert (refused.value.code, refused.value.field) == (refusal, field)
    after = _criterion(demo_db, code)
    assert (after.cause, after.cause_kind) == (before.cause, before.cause_kind)
    assert _cause_changes(demo_db) == history


def test_drafts_are_kept_per_assessment_and_section(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment_id = _criterion(demo_db, "1").assessment_id
        drafts = drafts_of(session, assessment_id, "results")
    assert list(drafts) == list(DRAFT_SECTIONS["results"])
    assert drafts["direction"].text.startswith("Ngay sau khi nhận")  # the demo's own
    with demo_db.write() as session:
        changed = save_drafts(session, assessment_id, "results",
                              {"direction": " Đã họp.\n\nĐã phân công. ", "proposals": ""},
                              by="Lan")
    assert changed == ["direction", "proposals"]
    with demo_db.read() as session:
        drafts = drafts_of(session, assessment_id, "results")
        rows = session.execute(select(ReportDraft.section).where(
            ReportDraft.document == "results")).scalars().all()
    assert drafts["direction"].text == "Đã họp.\n\nĐã phân công."
    assert drafts["direction"].updated_by == "Lan"
    assert drafts["proposals"].text == "" and drafts["proposals"].updated_at is None
    assert rows == ["direction"]  # an emptied section keeps no row


@pytest.mark.parametrize(("document", "texts", "refusal", "field"), [
    ("results", {"direction": "x" * 10_001}, "too_long", "direction"),
    # with a valid change beside the bad one: neither is saved
    ("results", {"direction": "Thay đổi", "proposals": "a\x00b"}, "control_characters",
     "proposals"),
    ("results", {"direction": "Thay đổi", "purpose": "Mục đích"}, "unknown_field", "purpose"),
    ("letter", {"direction": "x"}, "unknown_document", None),
])
def test_a_refused_draft_changes_nothing(demo_db, document, texts, refusal, field) -> None:  # noqa: ANN001
    assessment_id = _criterion(demo_db, "1").assessment_id
    with demo_db.read() as session:
        before = drafts_of(session, assessment_id, "results")
    with pytest.raises(EditRefused) as refused, demo_db.write() as session:
        save_drafts(session, assessment_id, document, texts, by="Lan")
    assert (refused.value.code, refused.value.field) == (refusal, field)
    with demo_db.read() as session:
        assert drafts_of(session, assessment_id, "results") == before
