from pathlib import Path

import pytest

from store.config import Config, OfficerConfig, UnitConfig, load_config, save_config
from store.errors import BrokenConfigFile


def test_missing_file_gives_defaults_without_a_problem(tmp_path: Path) -> None:
    config, problem = load_config(tmp_path / "config.toml")
    assert problem is None
    assert config.language == "vi"
    assert not config.unit.configured


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(language="en", theme="nord", last_export_dir="/media/lan/USB",
                    unit=UnitConfig("30316", "Phường 1", "phuong", "UBND thành phố Sa Đéc"),
                    officer=OfficerConfig("Nguyễn Thị Lan", "Công chức", "0277 3861 234", ""),
                    keymap={"app.help": "f1,ctrl+h"})
    save_config(config, path)
    loaded, problem = load_config(path)
    assert problem is None
    assert loaded == config


def test_broken_file_names_the_line_and_keeps_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('language = "en"\n[unit]\ncode = "30316\n', encoding="utf-8")
    config, problem = load_config(path)
    assert problem is not None and problem.code == "syntax"
    assert problem.line == 3
    assert problem.path == path
    assert config == Config()


def test_broken_file_is_never_overwritten_silently(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = b'language = "en\n'
    path.write_bytes(broken)
    with pytest.raises(BrokenConfigFile):
        save_config(Config(), path)
    assert path.read_bytes() == broken
    moved = save_config(Config(), path, replace_broken=True)
    assert moved is not None and moved.read_bytes() == broken
    assert load_config(path) == (Config(), None)


def test_values_of_the_wrong_type_are_ignored_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('language = "fr"\n[unit]\ncode = 30316\nname = "Phường 1"\n',
                    encoding="utf-8")
    config, problem = load_config(path)
    assert problem is not None and problem.code == "value"
    assert "language" in problem.detail and "unit.code" in problem.detail
    assert config.language == "vi"
    assert config.unit.name == "Phường 1" and config.unit.code == ""
