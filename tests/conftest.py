"""Every test runs with its own data folder, a fixed date and a fixed language.

Nothing a test does may touch the user's real data: CCHC_DATA_DIR points at a
temporary folder for every test (and for subprocesses they start), and the
platformdirs locations are made unusable in case code bypasses the override.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

FIXED_TODAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    data_dir = tmp_path / "cchc-data"
    monkeypatch.setenv("CCHC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CCHC_TODAY", FIXED_TODAY.isoformat())
    # Anything that still asks platformdirs lands in the temp folder, not in ~.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "xdg-config"))
    # No USB stick of the machine running the tests shows in a file picker or a snapshot.
    monkeypatch.setattr("store.drives.MACHINE_ROOT", tmp_path / "machine")
    from store import mode
    from tui.i18n import set_language

    set_language("vi")
    # The read-only switch is the process's: each test starts in the writable mode
    # and leaves it so, whatever `cchc --read-only` it ran in-process.
    mode.set_read_only(False)
    yield data_dir
    mode.set_read_only(False)


@pytest.fixture
def data_dir(isolated_environment: Path) -> Path:
    return isolated_environment


@pytest.fixture
def locations(data_dir: Path):  # noqa: ANN201
    from store.paths import resolve

    return resolve(data_dir).ensure()


@pytest.fixture
def demo_db(tmp_path: Path):  # noqa: ANN201
    """A writable database holding the demo commune."""
    from store.demo import seed_demo
    from store.migrations import open_database

    path = tmp_path / "demo.db"
    seed_demo(path)
    db = open_database(path)
    yield db
    db.dispose()


@pytest.fixture
def empty_db(tmp_path: Path):  # noqa: ANN201
    from store.migrations import open_database

    db = open_database(tmp_path / "empty.db")
    yield db
    db.dispose()
