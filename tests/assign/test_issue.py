"""Issuing assignments: one file per unit with the spec's name, the issuer's sequence and
previous digest per unit, the same task ids when issued again, notes sent once, and
nothing written (files or records) on any error or in a dry run."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.assign.issue import (IssueDone, IssuePreview, IssueRefused, issue_assignments,
                                issue_notes_only, rank_units)
from store.assign.notes import add_note, find_tasks, notes_of_task
from store.assign.tables import IssuedAssignment, ReviewNote
from store.assign.template import TemplateDone, TemplateRefused, write_template
from store.assign.workbook import read_workbook
from store.bundle.assignment_read import read_assignment_file
from store.bundle.export import ExportFailed
from store.errors import EditRefused
from tests.assign.conftest import SENDER, UNIT, commune_rows, file_for, issue_options
from tests.assign.factory import signer, unit_rows, workbook_bytes
from tests.bundle.factory import example_paths


def _document(path: Path) -> dict:
    return json.loads(path.read_bytes())


def _issued(review_db) -> int:  # noqa: ANN001
    with review_db.read() as session:
        return session.execute(select(func.count()).select_from(IssuedAssignment)).scalar_one()


def test_one_file_per_unit_named_by_the_spec(issue) -> None:  # noqa: ANN001
    done = issue()
    assert sorted(p.name for p in done.paths) == [
        "cchc-assign-30001-20261121-0001.json", "cchc-assign-30002-20261121-0001.json",
        "cchc-assign-30316-20261121-0001.json"]
    document = _document(file_for(done))
    assert document["unit"]["code"] == UNIT["code"]
    assert document["issuer"] == {"code": "SNV-87", "name": "Sở Nội vụ tỉnh Đồng Tháp"}
    assert (document["sequence"], document["previous_sha256"]) == (1, None)
    assert document["sender"]["name"] == SENDER["name"]
    assessment = document["assessments"][0]
    assert assessment["id"] == "snv-87-par-2025"
    assert assessment["documents"] == [{"number": "2231/SNV-CCHC", "date": "2026-05-20",
                                        "title": None}]
    report = assessment["tasks"][-1]
    assert (report["title"], report["criteria"], report["due"]) == (
        "Báo cáo kết quả khắc phục", [], "2026-06-20")
    fixes = assessment["tasks"][:-1]
    assert fixes and all(t["due"] == "2026-06-16" for t in fixes)
    first = fixes[0]
    criterion = next(c for c in assessment["criteria"] if c["code"] == first["criteria"][0])
    assert first["title"] == f"Khắc phục tiêu chí {criterion['code']}: {criterion['title']}"
    assert first["detail"] == criterion["finding"]


def test_the_preview_gives_criteria_points_lost_and_tasks_per_unit(issue) -> None:  # noqa: ANN001
    unit = next(u for u in issue().preview.units if u.unit_code == UNIT["code"])
    document = _document(file_for(issue()))
    assessment = document["assessments"][0]
    assert unit.criteria == len(assessment["criteria"]) == 50
    assert unit.tasks == len(assessment["tasks"])
    assert unit.points_lost == round(assessment["max_points"] - assessment["score"], 2)


def test_units_are_ranked_among_the_workbook_with_ties_sharing_a_rank() -> None:
    rows = (unit_rows("1", "A", seed=1) + unit_rows("2", "B", seed=1)
            + unit_rows("3", "C", seed=2))
    read = read_workbook(workbook_bytes(rows))
    ranks = rank_units(read.units)
    assert ranks["1"] == ranks["2"] and ranks["1"][1] == 3
    assert sorted(r for r, _ in ranks.values()) in ([1, 1, 3], [1, 2, 2])


def test_issuing_again_keeps_task_ids_and_chains_the_sequence(issue) -> None:  # noqa: ANN001
    first = _document(file_for(issue()))
    second = _document(file_for(issue(due="2026-07-01")))
    assert second["sequence"] == 2
    assert second["previous_sha256"] == first["integrity"]["sha256"]
    assert second["bundle_id"] != first["bundle_id"]
    ids = [t["id"] for t in first["assessments"][0]["tasks"]]
    assert [t["id"] for t in second["assessments"][0]["tasks"]] == ids
    assert {t["due"] for t in second["assessments"][0]["tasks"][:-1]} == {"2026-07-01"}


def test_an_assessment_issued_before_travels_with_the_next(issue) -> None:  # noqa: ANN001
    issue()
    sipas = _document(file_for(issue(index="SIPAS", title="Chỉ số SIPAS năm 2025")))
    assert [a["id"] for a in sipas["assessments"]] == ["snv-87-par-2025", "snv-87-sipas-2025"]
    corrected = _document(file_for(issue(title="Chỉ số CCHC năm 2025 (đính chính)")))
    assert [a["id"] for a in corrected["assessments"]] == ["snv-87-sipas-2025",
                                                          "snv-87-par-2025"]
    assert corrected["assessments"][1]["title"] == "Chỉ số CCHC năm 2025 (đính chính)"


def test_a_note_goes_with_the_units_next_file_once(issue, review_db) -> None:  # noqa: ANN001
    first = _document(file_for(issue()))
    task_id = first["assessments"][0]["tasks"][0]["id"]
    with review_db.write() as session:
        assert [t.unit_code for t in find_tasks(session, task_id[:8])] == [UNIT["code"]]
        add_note(session, UNIT["code"], task_id, "Thiếu tài liệu kiểm chứng", by="Trần Thị Mai")
    done = issue()
    assert next(u for u in done.preview.units if u.unit_code == UNIT["code"]).notes == 1
    notes = _document(file_for(done))["notes"]
    assert [(n["task_id"], n["by"], n["text"]) for n in notes] == [
        (task_id, "Trần Thị Mai", "Thiếu tài liệu kiểm chứng")]
    assert notes[0]["at"] == "2026-11-21T09:00:00+07:00"
    assert _document(file_for(done, "30001"))["notes"] == []
    assert _document(file_for(issue()))["notes"] == []
    with review_db.read() as session:
        (note,) = notes_of_task(session, UNIT["code"], task_id)
        assert note.sent_in == _document(file_for(done))["bundle_id"]


def test_notes_only_writes_a_file_for_each_unit_with_notes(issue, review_db,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    first = _document(file_for(issue()))
    task_id = first["assessments"][0]["tasks"][1]["id"]
    with review_db.write() as session:
        add_note(session, UNIT["code"], task_id, "Bổ sung báo cáo;\nghi rõ số liệu", by="Mai")
    out = tmp_path / "notes"
    done = issue_notes_only(review_db, out, generator="cchc test", sender=SENDER,
                              sign=signer())
    assert isinstance(done, IssueDone)
    (path,) = done.paths
    document = _document(path)
    assert document["sequence"] == 2 and document["previous_sha256"] == \
        first["integrity"]["sha256"]
    assert document["assessments"] == first["assessments"]
    assert [n["text"] for n in document["notes"]] == ["Bổ sung báo cáo;\nghi rõ số liệu"]
    assert read_assignment_file(path).ok
    again = issue_notes_only(review_db, out, generator="cchc test", sender=SENDER,
                              sign=signer())
    assert isinstance(again, IssueDone) and again.paths == ()


def test_a_note_needs_a_task_of_that_unit_and_a_text(issue, review_db) -> None:  # noqa: ANN001
    task_id = _document(file_for(issue()))["assessments"][0]["tasks"][0]["id"]
    with review_db.write() as session:
        with pytest.raises(EditRefused) as refused:
            add_note(session, "30001", task_id, "x", by="Mai")
        assert refused.value.code == "not_found"
        with pytest.raises(EditRefused) as refused:
            add_note(session, UNIT["code"], task_id, "   ", by="Mai")
        assert refused.value.code == "required"
        with pytest.raises(EditRefused) as refused:
            add_note(session, UNIT["code"], task_id, "x" * 10_001, by="Mai")
        assert refused.value.code == "too_long"
    with review_db.read() as session:
        assert session.execute(select(func.count()).select_from(ReviewNote)).scalar_one() == 0


def test_a_note_on_a_task_of_the_units_own_bundle(review_db, tmp_path: Path) -> None:  # noqa: ANN001
    from store.bundle.receive import receive_file

    assert receive_file(review_db, example_paths()[0]).accepted
    task_id = _document(example_paths()[0])["assessments"][0]["tasks"][2]["id"]
    with review_db.write() as session:
        add_note(session, UNIT["code"], task_id, "Đã xem", by="Mai")
    done = issue_notes_only(review_db, tmp_path, generator="cchc test", sender=SENDER,
                              sign=signer())
    assert done.paths == () and done.preview.without_assignment == (UNIT["code"],)


def test_a_dry_run_writes_neither_files_nor_records(review_db, tmp_path: Path) -> None:  # noqa: ANN001
    read = read_workbook(workbook_bytes(commune_rows()))
    before = review_db.path.read_bytes()
    out = tmp_path / "out"
    preview = issue_assignments(review_db, read, issue_options(), out, generator="cchc test",
                                sender=SENDER, sign=signer(), dry_run=True)
    assert isinstance(preview, IssuePreview) and len(preview.units) == 3
    assert not out.exists()
    assert review_db.path.read_bytes() == before


def test_a_file_that_cannot_be_written_leaves_no_file_and_no_record(
        review_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from store.assign import issue as module

    real = module.write_atomically
    calls = []

    def third_fails(path, data, **kwargs: object):  # noqa: ANN001, ANN202
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, **kwargs)

    monkeypatch.setattr(module, "write_atomically", third_fails)
    read = read_workbook(workbook_bytes(commune_rows()))
    out = tmp_path / "out"
    failed = issue_assignments(review_db, read, issue_options(), out, generator="cchc test",
                               sender=SENDER, sign=signer())
    assert isinstance(failed, ExportFailed) and failed.code == "no_space"
    assert list(out.iterdir()) == []
    assert _issued(review_db) == 0


def test_bad_options_are_refused_before_anything_is_read(review_db, tmp_path: Path) -> None:  # noqa: ANN001
    read = read_workbook(workbook_bytes(commune_rows()))
    refused = issue_assignments(review_db, read, issue_options(issuer_code="SNV 87", year=1999,
                                                               title=" "),
                                tmp_path, generator="cchc test", sender=SENDER,
                              sign=signer())
    assert isinstance(refused, IssueRefused)
    assert [(p.code, p.option) for p in refused.problems] == [
        ("required", "title"), ("bad_issuer_code", "issuer_code"),
        ("year_out_of_range", "year"), ("bad_assessment_id", "assessment_id")]
    assert list(tmp_path.glob("*.json")) == []


def test_a_workbook_with_errors_is_refused(review_db, tmp_path: Path) -> None:  # noqa: ANN001
    bad = read_workbook(workbook_bytes(commune_rows() + [commune_rows()[0]]))
    refused = issue_assignments(review_db, bad, issue_options(), tmp_path,
                                generator="cchc test", sender=SENDER,
                              sign=signer())
    assert isinstance(refused, IssueRefused) and refused.workbook_errors == 1


def test_a_signer_given_signs_every_file(review_db, tmp_path: Path) -> None:  # noqa: ANN001
    from store.bundle.digest import canonical_bytes

    seen = []

    def sign(canonical: bytes) -> dict[str, str]:
        seen.append(canonical)
        return {"alg": "ed25519", "public_key": "A" * 44, "value": "B" * 88}

    read = read_workbook(workbook_bytes(commune_rows()))
    done = issue_assignments(review_db, read, issue_options(), tmp_path, generator="cchc test",
                             sender=SENDER, sign=sign)
    document = _document(file_for(done))
    assert document["signature"]["alg"] == "ed25519"
    assert canonical_bytes(document) in seen and len(seen) == 3


def test_the_template_holds_the_latest_tree_for_every_known_unit(review_db,  # noqa: ANN001
                                                                 tmp_path: Path) -> None:
    from store.bundle.receive import receive_file

    assert receive_file(review_db, example_paths()[0]).accepted
    target = tmp_path / "mau.xlsx"
    done = write_template(review_db, target)
    assert isinstance(done, TemplateDone)
    example = _document(example_paths()[0])["assessments"][0]
    assert done.source.unit_code == UNIT["code"] and done.source.year == example["year"]
    read = read_workbook(target.read_bytes())
    assert read.ok, read.errors
    (unit,) = read.units
    assert [c.code for c in unit.sorted_criteria()] == [c["code"] for c in example["criteria"]]
    assert [c.max_points for c in unit.sorted_criteria()] == [
        c["max_points"] for c in example["criteria"]]
    assert isinstance(write_template(review_db, target, year=1990), TemplateRefused)


def test_the_template_takes_the_newest_year_the_par_index_and_the_fullest_tree(
        review_db) -> None:  # noqa: ANN001
    from store.assign.template import latest_tree
    from store.snapshot import replace_unit_snapshot

    def assessment(index: str, year: int, codes: list[str]) -> dict:
        return {"id": f"{index}-{year}", "title": f"{index} {year}", "index": index,
                "year": year, "issuer": "Sở", "documents": [], "max_points": 100.0,
                "score": None, "rank": None, "rank_of": None, "tasks": [],
                "criteria": [{"code": c, "title": f"TC {c}", "max_points": 1.0, "score": None,
                              "finding": None} for c in codes]}

    with review_db.write() as session:
        replace_unit_snapshot(session, {"code": "1", "name": "A", "level": "xa"}, [
            assessment("PAR", 2024, ["1", "2", "3"]), assessment("SIPAS", 2025, ["1"]),
            assessment("PAR", 2025, ["1", "1.1"])])
        replace_unit_snapshot(session, {"code": "2", "name": "B", "level": "xa"}, [
            assessment("PAR", 2025, ["1", "1.1", "1.2"])])
    with review_db.read() as session:
        source, tree = latest_tree(session)
        assert (source.unit_code, source.index, source.year) == ("2", "PAR", 2025)
        assert [code for code, _title, _max in tree] == ["1", "1.1", "1.2"]
        source, tree = latest_tree(session, 2024)
        assert (source.unit_code, len(tree)) == ("1", 3)
        assert latest_tree(session, 2020) == (None, [])
