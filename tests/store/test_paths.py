from pathlib import Path

from store.paths import resolve


def test_override_moves_all_state(tmp_path: Path) -> None:
    locations = resolve(tmp_path / "d")
    for path in (locations.db_path, locations.review_db_path, locations.backups_dir,
                 locations.logs_dir, locations.config_file):
        assert path.is_relative_to(tmp_path / "d")


def test_environment_variable_is_the_override(tmp_path: Path) -> None:
    locations = resolve(environ={"CCHC_DATA_DIR": str(tmp_path / "env")})
    assert locations.data_dir == tmp_path / "env"
    assert locations.config_file == tmp_path / "env" / "config.toml"


def test_demo_lives_apart_from_real_data(tmp_path: Path) -> None:
    real = resolve(tmp_path)
    demo = resolve(tmp_path, demo=True)
    assert demo.demo and not real.demo
    assert demo.db_path != real.db_path
    assert demo.config_file != real.config_file


def test_resolving_creates_nothing(tmp_path: Path) -> None:
    resolve(tmp_path / "not-yet")
    assert not (tmp_path / "not-yet").exists()
