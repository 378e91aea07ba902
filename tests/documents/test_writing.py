"""Writing documents: `cchc report ...` and `cchc review report`, the results report
with the bundle exported with it, no file replaced without asking, a failed write
leaving the previous file, the review database untouched."""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.documents.conftest import body_texts, read_docx
from tui.cli import main


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def _demo_context(data_dir: Path):  # noqa: ANN202 - the demo's AppContext, as `cchc --demo`
    import argparse

    from tui.cli import make_context

    return make_context(argparse.Namespace(data_dir=None, demo=True, lang=None,
                                           read_only=False))


def _exports(context) -> int:  # noqa: ANN001
    from store.migrations import open_database
    from store.models import ExportRecord

    db = open_database(context.locations.db_path)
    try:
        with db.read() as session:
            return session.execute(select(func.count()).select_from(ExportRecord)).scalar_one()
    finally:
        db.dispose()


def test_report_plan_writes_the_docx_and_never_replaces_it_unasked(
        data_dir: Path, stick: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "report", "plan", "--out", str(stick)]) == 0
    [path] = stick.iterdir()
    assert path.name == "ke-hoach-khac-phuc-DEMO-30316-20261121.docx"
    assert f"Đã ghi: {path}" in capsys.readouterr().out
    assert "KẾ HOẠCH" in body_texts(read_docx(path.read_bytes()))
    path.write_bytes(b"the clerk's edited copy")
    assert main(["--demo", "report", "plan", "--out", str(stick)]) == 1  # stdin is no terminal
    err = capsys.readouterr().err
    assert f"Đã có tệp {path}; tệp đó không bị thay." in err and "--replace" in err
    assert path.read_bytes() == b"the clerk's edited copy"
    assert main(["--demo", "report", "plan", "--out", str(stick), "--replace"]) == 0
    assert path.read_bytes().startswith(b"PK")


def test_report_results_exports_the_bundle_whose_check_code_it_prints(
        data_dir: Path, stick: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "report", "results", "--out", str(stick)]) == 0
    report = stick / "bao-cao-ket-qua-khac-phuc-DEMO-30316-20261121.docx"
    bundle = stick / "cchc-DEMO-30316-20261121-0001.json"
    assert sorted(stick.iterdir()) == sorted([report, bundle])
    digest = json.loads(bundle.read_bytes())["integrity"]["sha256"]
    code = f"{digest[:4]} {digest[4:8]} {digest[8:12]}"
    out = capsys.readouterr().out
    assert f"Mã kiểm tra (in cuối báo cáo): {code}" in out
    assert "lưu ý: Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu" in out  # the demo's file
    texts = body_texts(read_docx(report.read_bytes()))
    assert f"Mã kiểm tra dữ liệu: {code} (tệp {bundle.name})" in texts
    assert f"SHA-256: {digest}" in texts
    # the paper names the key that signed the file, for the supervisor to compare
    from store.bundle.reader import read_bundle
    from store.bundle.signing import fingerprint

    signer = fingerprint(read_bundle(bundle.read_bytes()).public_key)
    assert any(signer in text and "khóa" in text for text in texts), texts[-6:]


def test_report_tasks_writes_the_workbook(data_dir: Path, stick: Path) -> None:
    import openpyxl

    assert main(["--demo", "report", "tasks", "--format", "xlsx", "--out", str(stick)]) == 0
    [path] = stick.iterdir()
    assert path.name == "nhiem-vu-khac-phuc-DEMO-30316-20261121.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["Nhiệm vụ", "Tiêu chí"]


def test_an_edit_between_the_bundle_and_the_report_writes_no_report(
        data_dir: Path, stick: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The paper must vouch for the file: a change after the export is refused."""
    from store.write.tasks import update_task
    from tui.documents.writing import DocumentFailed, write_unit_document
    from tui.services import exporting
    from tui.services.workspace import open_workspace
    from tui.words.documents import failure_sentence

    context = _demo_context(data_dir)
    workspace = open_workspace(context)
    real_export = exporting.export_to

    def export_then_edit(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        done = real_export(*args, **kwargs)
        with workspace.db.write() as session:  # another window saves meanwhile
            update_task(session, 3, {"progress": 80}, by="Lê Hoàng Nam")
        return done

    monkeypatch.setattr(exporting, "export_to", export_then_edit)
    try:
        result = write_unit_document(context, workspace.db, workspace.unit_id, "results", stick)
    finally:
        workspace.db.dispose()
    assert isinstance(result, DocumentFailed) and result.code == "changed"
    assert [p.suffix for p in stick.iterdir()] == [".json"]  # the bundle, no report
    assert failure_sentence(result).endswith("hãy ghi lại.")


def test_a_failed_write_leaves_the_previous_file(data_dir: Path, stick: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from store import safe_write
    from tui.documents.writing import DocumentFailed, write_unit_document
    from tui.services.workspace import open_workspace
    from tui.words.documents import failure_sentence

    context = _demo_context(data_dir)
    target = stick / "ke-hoach-khac-phuc-DEMO-30316-20261121.docx"
    target.write_bytes(b"before")

    def full(path, data, **_options):  # noqa: ANN001, ANN003, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    workspace = open_workspace(context)  # first: its signing key is written on first start
    monkeypatch.setattr(safe_write, "write_atomically", full)
    try:
        result = write_unit_document(context, workspace.db, workspace.unit_id, "plan", stick,
                                     replace=True)
    finally:
        workspace.db.dispose()
    assert isinstance(result, DocumentFailed) and result.code == "no_space"
    assert target.read_bytes() == b"before"
    assert failure_sentence(result).endswith("Tệp có sẵn (nếu có) vẫn giữ nguyên.")


def test_without_an_assessment_nothing_is_written_and_no_bundle_is_used(
        data_dir: Path, stick: Path) -> None:
    from store.migrations import open_database
    from store.snapshot import upsert_unit
    from tui.documents.writing import DocumentFailed, write_unit_document

    context = _demo_context(data_dir)
    context.config.unit.code = "99002"
    db = open_database(context.locations.db_path)
    try:
        with db.write() as session:
            unit_id = upsert_unit(session, {"code": "99002", "name": "Xã Mới"})
        before = _exports(context)
        result = write_unit_document(context, db, unit_id, "results", stick)
    finally:
        db.dispose()
    assert isinstance(result, DocumentFailed) and result.code == "no_assessment"
    assert list(stick.iterdir()) == [] and _exports(context) == before


def test_review_report_writes_the_summary_and_leaves_the_review_database_as_it_was(
        data_dir: Path, stick: Path, review_db_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    from tui.documents import review_summary

    monkeypatch.setattr(review_summary, "LIST_LIMIT", 3)
    before = (hashlib.sha256(review_db_path.read_bytes()).hexdigest(),
              review_db_path.stat().st_mtime_ns)
    assert main(["review", "report", "--out", str(stick)]) == 0
    assert (hashlib.sha256(review_db_path.read_bytes()).hexdigest(),
            review_db_path.stat().st_mtime_ns) == before
    assert not list(review_db_path.parent.glob("review.db-*"))
    workbook = stick / "tong-hop-khac-phuc-cap-tren-20261121.xlsx"
    report = stick / "tong-hop-khac-phuc-cap-tren-20261121.docx"
    assert sorted(stick.iterdir()) == sorted([workbook, report])
    out = capsys.readouterr().out
    assert f"Đã ghi: {workbook}" in out and f"Đã ghi: {report}" in out
    assert openpyxl.load_workbook(workbook).sheetnames == ["Đơn vị", "Quá hạn", "Lĩnh vực"]
    document = read_docx(report.read_bytes())
    texts = body_texts(document)
    assert [t for t in texts if t[:4] in ("I. T", "II. ", "III.", "IV. ")] == [
        "I. TÌNH HÌNH CHUNG", "II. CÁC ĐƠN VỊ CHẬM TIẾN ĐỘ", "III. CÁC NHIỆM VỤ QUÁ HẠN",
        "IV. ĐIỂM BỊ TRỪ THEO LĨNH VỰC"]
    late, overdue, domains = document.tables[1:4]
    assert len(late.rows) == 1 + 3 and len(overdue.rows) == 1 + 3  # stopped at the limit
    assert any(t.startswith("… và 33 dòng khác") and "“Quá hạn”" in t for t in texts)
    assert len(domains.rows) == 1 + 8
    assert domains.rows[1].cells[0].text.startswith("1. Công tác chỉ đạo")
    assert main(["review", "report", "--out", str(stick)]) == 1  # not replaced unasked


def test_review_report_without_a_review_database_says_what_to_do(
        data_dir: Path, stick: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "report", "--out", str(stick)]) == 1
    assert "cchc review" in capsys.readouterr().err
    assert list(stick.iterdir()) == []


def test_the_opener_uses_startfile_on_windows_and_xdg_open_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    from tui.documents import opener

    document = tmp_path / "ke-hoach.docx"
    started: list = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, **kw: started.append(
        (command, kw.get("start_new_session"))))
    monkeypatch.setattr(os, "startfile", lambda path: started.append(("startfile", path)),
                        raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert opener.open_with_system(document) is None
    monkeypatch.setattr(sys, "platform", "linux")
    assert opener.open_with_system(document) is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert opener.open_with_system(document) is None
    assert started == [("startfile", str(document)),
                       (["xdg-open", str(document)], True), (["open", str(document)], True)]

    def missing(command, **kw):  # noqa: ANN001, ANN003, ANN202
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(subprocess, "Popen", missing)
    assert opener.open_with_system(document) == "No such file or directory"
