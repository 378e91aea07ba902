"""`cchc export` and `cchc check`, in process and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store.bundle.reader import read_bundle_file
from store.config import load_config
from store.paths import resolve
from tests.bundle.factory import REPO_ROOT, example_document, example_paths, sealed_bytes
from tui.cli import main


def _exported(data_dir: Path) -> list[Path]:
    return sorted((resolve(data_dir, demo=True).data_dir / "exports").glob("*.json"))


def test_export_writes_to_the_exports_folder_and_prints_path_and_check_code(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "export"]) == 0
    [path] = _exported(data_dir)
    assert path.name == "cchc-DEMO-30316-20261121-0001.json"
    digest = read_bundle_file(path).sha256
    out = capsys.readouterr().out
    assert f"Đã xuất tệp số 1 vào {path}" in out
    assert f"Mã kiểm tra: {digest[:4]} {digest[4:8]} {digest[8:12]}" in out
    assert ("lưu ý: Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu, đây không phải báo "
            "cáo của một đơn vị thật.") in out


def test_export_out_writes_there_and_remembers_the_folder(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    assert main(["--demo", "--lang", "en", "export", "--out", str(stick)]) == 0
    assert "Exported bundle 1 to" in capsys.readouterr().out
    assert [p.name for p in stick.iterdir()] == ["cchc-DEMO-30316-20261121-0001.json"]
    config, _problem = load_config(resolve(data_dir, demo=True).config_file)
    assert config.last_export_dir == str(stick)
    assert main(["--demo", "export"]) == 0  # the remembered folder is the default now
    assert len(list(stick.iterdir())) == 2


def test_export_to_a_missing_folder_fails_in_words(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "export", "--out", str(tmp_path / "gone")]) == 1
    err = capsys.readouterr().err
    assert "USB đã bị rút ra?" in err and "số thứ tự chưa bị sử dụng" in err
    assert _exported(data_dir) == []


def test_export_in_read_only_mode_is_refused(data_dir: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "export"]) == 0
    assert main(["--demo", "--read-only", "export"]) == 1
    assert "chế độ chỉ xem" in capsys.readouterr().err
    assert len(_exported(data_dir)) == 1


def test_export_before_the_unit_is_set_up(data_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 1
    assert "Hãy khai báo đơn vị" in capsys.readouterr().err


def test_check_prints_one_verdict_per_file(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    example = example_paths()[0]
    broken = tmp_path / "broken.json"
    document = example_document()
    document["assessments"][0]["tasks"][0]["progress"] = 12.0
    broken.write_bytes(sealed_bytes(document))
    assert main(["check", str(example)]) == 0
    assert capsys.readouterr().out == (
        f"{example}: hợp lệ — đơn vị 30316 Phường 1, tệp số 1 ngày 21/11/2026, "
        "20 nhiệm vụ, không có chữ ký\n")
    assert main(["--lang", "en", "check", str(example), str(broken)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{example}: valid")
    assert lines[1] == (f"{broken}: refused — Expected a whole number, found a number. "
                        "(at $.assessments[0].tasks[0].progress)")


def test_check_shows_warnings_of_a_valid_bundle(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    document = example_document()
    document["assessments"][0]["criteria"][0]["max_points"] = 11.0
    path = tmp_path / "warned.json"
    path.write_bytes(sealed_bytes(document))
    assert main(["--lang", "en", "check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "  warning: Criterion 1: its maximum 11 differs from the sum of its sub-criteria (10).")


def test_check_as_a_process_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    future = tmp_path / "future.json"
    document = example_document()
    document["version"] = 3
    future.write_text(json.dumps(document), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tui", "check", str(empty), str(future)],
                            cwd=REPO_ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{empty}: bị từ chối — Tệp rỗng, không có nội dung.",
        f"{future}: bị từ chối — Tệp này dùng định dạng phiên bản 3, mới hơn phiên bản ứng "
        "dụng này đọc được (phiên bản 2). Hãy cập nhật CCHC Tracker. (tại $.version)"]
    assert "Traceback" not in result.stderr


def test_check_without_files_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check"])
    assert exit_.value.code == 2
