import subprocess
import sys
from pathlib import Path

from tui import __version__
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_version(capsys) -> None:  # noqa: ANN001
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cchc {__version__}"


def test_help_speaks_vietnamese_by_default(capsys) -> None:  # noqa: ANN001
    try:
        main(["--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    assert "cách dùng: cchc" in out and "chế độ chỉ xem" in out


def test_help_in_english_on_request(capsys) -> None:  # noqa: ANN001
    try:
        main(["--lang", "en", "--help"])
    except SystemExit:
        pass
    assert "usage: cchc" in capsys.readouterr().out


def test_a_wrong_option_is_told_in_words_without_a_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "--frobnicate"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "không hiểu các tham số: --frobnicate" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_language_setting_of_the_config_file_is_used(data_dir: Path, capsys) -> None:  # noqa: ANN001
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_text('language = "en"\n', encoding="utf-8")
    try:
        main(["--help"])
    except SystemExit:
        pass
    assert "usage: cchc" in capsys.readouterr().out


def test_a_broken_config_does_not_stop_help(data_dir: Path, capsys) -> None:  # noqa: ANN001
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_bytes(b"\xff\xfe garbage = = \n")
    try:
        main(["--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    assert "cách dùng" in capsys.readouterr().out
