"""`cchc review assign`, `cchc review note`, `cchc import` and `cchc check` on
assignments: sentences in the user's language, cells named, nothing written on error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.demo import DEMO_UNIT
from store.paths import resolve
from tests.assign.factory import ISSUE_OPTIONS, province_rows, unit_rows, workbook_bytes
from tests.bundle.factory import database_bytes, shared_dir
from tui.cli import main

PHUONG_1 = unit_rows("30316", "Phường 1", "phường", seed=3)
# The same rows for the demo commune, which imports its assignment in these tests.
DEMO_ROWS = unit_rows(DEMO_UNIT["code"], "Phường 1", "phường", seed=3) + province_rows(2)


def _options(out: Path, **changes: str) -> list[str]:
    values = {**ISSUE_OPTIONS, **changes}
    options = []
    for name, value in values.items():
        options += [f"--{name.replace('_', '-')}", str(value)]
    return options + ["--out", str(out)]


def _workbook(tmp_path: Path, rows=None, name: str = "tham-dinh.xlsx") -> Path:  # noqa: ANN001
    path = tmp_path / name
    path.write_bytes(workbook_bytes(rows if rows is not None else PHUONG_1 + province_rows(2)))
    return path


MINE = "cchc-assign-30316-20261121-0001.json"  # Phường 1's first assignment
DEMO_MINE = "cchc-assign-DEMO-30316-20261121-0001.json"  # the demo's (DEMO_ROWS)


def _issue(tmp_path: Path, folder: str = "out", rows=None) -> Path:  # noqa: ANN001
    """`cchc review assign` of the workbook of Phường 1 (or rows: DEMO_ROWS, the demo's)
    and two other units into tmp_path/folder; that folder."""
    out = tmp_path / folder
    assert main(["review", "assign", str(_workbook(tmp_path, rows)), *_options(out)]) == 0
    return out


def _damaged(assignment: Path, tmp_path: Path) -> Path:
    """A copy of an assignment with one value changed after it was signed."""
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(assignment.read_bytes().replace("Phường 1".encode(),
                                                        "Phường 2".encode(), 1))
    return damaged


def _review_db(data_dir: Path) -> Path:
    return resolve(data_dir).review_db_path


def test_review_assign_previews_then_writes_one_file_per_unit(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook, out = _workbook(tmp_path), tmp_path / "out"
    assert main(["review", "assign", str(workbook), *_options(out), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "30316 Phường 1: 50 tiêu chí, bị trừ" in printed
    assert "→ cchc-assign-30316-20261121-0001.json" in printed
    assert "3 đơn vị" in printed and "Chạy thử: không có gì được ghi." in printed
    assert not out.exists() and not _review_db(data_dir).exists()
    assert main(["review", "assign", str(workbook), *_options(out)]) == 0
    printed = capsys.readouterr().out
    assert f"Đã ghi vào {out}." in printed
    digest = json.loads((out / "cchc-assign-30316-20261121-0001.json").read_bytes())[
        "integrity"]["sha256"]
    assert f"cchc-assign-30316-20261121-0001.json (mã kiểm tra {digest[:4]} {digest[4:8]}" \
        in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "cchc-assign-30001-20261121-0001.json", "cchc-assign-30002-20261121-0001.json",
        "cchc-assign-30316-20261121-0001.json"]


def test_a_bad_workbook_names_its_cells_and_writes_nothing(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = PHUONG_1 + [PHUONG_1[3], ("30316", "Phường 1", "phường", "9.1", "x", 1, 1, None)]
    workbook, out = _workbook(tmp_path, rows), tmp_path / "out"
    out.mkdir()
    assert main(["review", "assign", str(workbook), *_options(out)]) == 1
    err = capsys.readouterr().err
    assert "tham-dinh.xlsx: lỗi: Sheet1!D52: Tiêu chí" in err
    assert "xuất hiện lần thứ hai; lần đầu ở Sheet1!D5." in err
    assert "Sheet1!D53: Tiêu chí 9.1 của đơn vị 30316 không có dòng của tiêu chí cha 9." in err
    assert "Không có gì được ghi." in err
    assert list(out.iterdir()) == [] and not _review_db(data_dir).exists()


def test_a_sheet_without_headers_says_what_it_found_and_needs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sai.xlsx"
    path.write_bytes(workbook_bytes([("30316", "x")], ("STT", "Tên")))
    assert main(["--lang", "en", "review", "assign", str(path), *_options(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "No header row was recognised in the first 20 rows. Headers found: “STT”, " \
        "“Tên”." in err
    assert "missing: “Mã đơn vị”, “Tên đơn vị”, “Mã tiêu chí”, “Nội dung”, " \
        "“Điểm tối đa”." in err


@pytest.mark.parametrize(("content", "words"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "tệp Excel kiểu cũ (.xls)"),
    ("Mã đơn vị,Tên\n".encode(), "tệp văn bản (như CSV)"),
])
def test_a_file_that_is_no_xlsx_is_told_as_such(tmp_path: Path, content: bytes, words: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(content)
    assert main(["review", "assign", str(path), *_options(tmp_path)]) == 1
    assert words in capsys.readouterr().err


def test_missing_and_bad_options_are_named(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    workbook = _workbook(tmp_path)
    assert main(["--lang", "en", "review", "assign", str(workbook), "--out", str(tmp_path)]) == 2
    assert "Also needed: --title, --index, --year, --issuer-code, --issuer-name, --letter." \
        in capsys.readouterr().err
    assert main(["--lang", "en", "review", "assign", str(workbook),
                 *_options(tmp_path, issuer_code="SNV 87")]) == 1
    assert "--issuer-code: “SNV 87” is not an issuer code" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["review", "assign", str(workbook), *_options(tmp_path, due="31/02/2026")])
    assert "Không có ngày này." in capsys.readouterr().err


def test_the_template_then_an_issue_from_it(data_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.bundle.factory import example_paths

    assert main(["review", "--no-ui", str(example_paths()[0])]) == 0
    template = tmp_path / "mau.xlsx"
    assert main(["review", "assign", "--template", str(template)]) == 0
    printed = capsys.readouterr().out
    assert f"Đã ghi bảng tính mẫu: {template} (1 đơn vị," in printed
    assert "Cây tiêu chí: " in printed
    out = tmp_path / "out"
    assert main(["review", "assign", str(template), *_options(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["cchc-assign-30316-20261121-0001.json"]
    assert main(["review", "assign", "--template", str(template), "--from-year", "1999"]) == 1
    assert "không có kỳ đánh giá nào của năm 1999" in capsys.readouterr().err


def test_import_shows_the_summary_then_applies_it_once(data_dir: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _issue(tmp_path, rows=DEMO_ROWS) / DEMO_MINE
    capsys.readouterr()
    assert main(["--demo", "import", str(path), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "Kỳ đánh giá: 1 mới, 0 cập nhật, 0 không đổi." in printed
    assert "Tiêu chí: 50 mới" in printed
    assert "Chạy thử: tệp giao nhiệm vụ số 1 ngày 21/11/2026 của SNV-87" in printed
    db_path = resolve(data_dir, demo=True).db_path
    before = database_bytes(db_path)
    assert main(["--demo", "import", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "Đã nhập: tệp giao nhiệm vụ số 1 ngày 21/11/2026 của SNV-87 Sở Nội vụ" in printed
    signer = _signer_of(path)
    assert f"Chưa có khóa nào của cơ quan giao này, nên khóa {signer} được lấy" in printed
    assert "Mã kiểm tra: " in printed
    assert "Đã sao lưu trước: " in printed
    after = database_bytes(db_path)
    assert after != before
    assert main(["--demo", "import", str(path)]) == 0
    assert "Đã nhập trước đó" in capsys.readouterr().out
    assert database_bytes(db_path) == after


def test_import_of_another_units_assignment_names_both(data_dir: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = _issue(tmp_path)
    assert main(["--demo", "--lang", "en", "import",
                 str(out / "cchc-assign-30001-20261121-0001.json")]) == 1
    assert "This assignment is for unit 30001 Xã Số 1, not for this unit DEMO-30316 Phường 1." \
        in capsys.readouterr().err


def test_import_of_a_progress_bundle_says_what_it_is(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from tests.bundle.factory import example_paths

    assert main(["--demo", "import", str(example_paths()[0])]) == 1
    assert "Đây là tệp báo cáo tiến độ" in capsys.readouterr().err


def test_import_needs_a_unit_and_a_writable_database(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.json"
    path.write_text("{}")
    assert main(["import", str(path)]) == 1
    assert "Hãy thiết lập đơn vị" in capsys.readouterr().err
    assert main(["--demo", "--read-only", "import", str(path)]) == 1
    assert "chế độ chỉ xem" in capsys.readouterr().err


def test_check_reads_assignments_and_progress_bundles(data_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from tests.bundle.factory import example_paths

    out = _issue(tmp_path, rows=DEMO_ROWS)
    capsys.readouterr()
    mine = out / DEMO_MINE
    assert main(["check", str(mine), str(example_paths()[0])]) == 0
    printed = capsys.readouterr().out
    assert "hợp lệ — tệp giao nhiệm vụ số 1 ngày 21/11/2026 của SNV-87" in printed
    assert f"ký bởi khóa {_signer_of(mine)}" in printed
    assert main(["--demo", "check", str(mine)]) == 0
    capsys.readouterr()
    other = out / "cchc-assign-30001-20261121-0001.json"
    assert main(["--demo", "check", str(other)]) == 1
    assert "dành cho đơn vị 30001 Xã Số 1" in capsys.readouterr().out
    assert main(["check", str(_damaged(mine, tmp_path))]) == 1
    assert "bị sửa sau khi cấp trên tạo" in capsys.readouterr().out


def test_check_reads_a_refused_file_once_and_words_it_by_its_kind(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A refused file's wording (an assignment's or a unit bundle's) is decided from
    the bytes already read: each file is opened once."""
    import store.files
    from tests.bundle.factory import example_paths

    damaged = _damaged(_issue(tmp_path) / MINE, tmp_path)
    capsys.readouterr()
    progress = tmp_path / "progress.json"
    progress.write_bytes(example_paths()[0].read_bytes().replace(b'"title": "', b'"title": "X', 1))
    opened: list[Path] = []
    real_open = store.files.open_regular
    monkeypatch.setattr(store.files, "open_regular", lambda path, max_size=None: (
        opened.append(Path(path)), real_open(path, max_size))[1])
    assert main(["check", str(damaged), str(progress), str(tmp_path)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert opened == [damaged, progress, tmp_path]
    assert printed[0].startswith(f"{damaged}: ") and "bị sửa sau khi cấp trên tạo" in printed[0]
    assert printed[1].startswith(f"{progress}: ") and "bị sửa sau khi xuất" in printed[1]
    assert printed[2].startswith(f"{tmp_path}: ") and len(printed) == 3


def test_check_reads_the_spec_example(capsys: pytest.CaptureFixture[str]) -> None:
    shared = shared_dir()
    if shared is None:
        pytest.skip("shared/spec is not beside the repository")
    path = shared / "spec" / "examples" / "v2" / "cchc-assign-30316-20230605-0001.json"
    assert main(["--lang", "en", "check", str(path)]) == 0
    assert "valid — assignment 1 of 05/06/2023 from SNV-87" in capsys.readouterr().out


def test_a_note_goes_out_with_notes_only(data_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    task_id = json.loads((_issue(tmp_path) / MINE).read_bytes())[
        "assessments"][0]["tasks"][0]["id"]
    assert main(["review", "note", task_id[:8], "Thiếu tài liệu kiểm chứng"]) == 2
    assert "--by TÊN" in capsys.readouterr().err
    assert main(["review", "note", task_id[:8], "Thiếu tài liệu kiểm chứng", "--by", "Mai"]) == 0
    assert "Đã lưu ghi chú cho đơn vị 30316" in capsys.readouterr().out
    assert main(["review", "note", "ffffffff", "x", "--by", "Mai"]) == 1
    assert "Không có nhiệm vụ nào" in capsys.readouterr().err
    notes = tmp_path / "notes"
    assert main(["review", "assign", "--notes-only", "--out", str(notes)]) == 0
    (path,) = notes.iterdir()
    assert path.name == "cchc-assign-30316-20261121-0002.json"
    assert [n["text"] for n in json.loads(path.read_bytes())["notes"]] == [
        "Thiếu tài liệu kiểm chứng"]


def test_review_assign_and_note_are_words_of_review(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    printed = capsys.readouterr().out
    assert "import an assignment from the supervisor" in printed
    with pytest.raises(SystemExit):
        main(["--lang", "en", "review", "--help"])
    assert "cchc review assign --help" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--demo", "review", "note", "--help"])
    assert "usage: cchc review note" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "review", "assign", "--help"])
    assert "usage: cchc review assign" in capsys.readouterr().out


def _signer_of(path: Path) -> str:
    """The fingerprint of the key that signed a file."""
    from store.bundle.signing import decode_b64, fingerprint

    public_key = json.loads(path.read_bytes())["signature"]["public_key"]
    return fingerprint(decode_b64(public_key, 32))


def test_the_review_signs_with_its_own_key_made_once(data_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from store.keys import key_path_for

    path = _issue(tmp_path) / MINE
    captured = capsys.readouterr()
    signer = _signer_of(path)
    assert f"Đã ký bằng khóa {signer}" in captured.out or signer in captured.out
    assert signer in captured.err  # the key was made now: its fingerprint is told
    assert key_path_for(_review_db(data_dir)).exists()
    again = _issue(tmp_path, "again")
    assert _signer_of(again / "cchc-assign-30316-20261121-0002.json") == signer
    assert signer not in capsys.readouterr().err  # made once, not told again
