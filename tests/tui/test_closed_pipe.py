"""`cchc review ... | head -1` and any closed pipe end quietly, with the exit code the
command has anyway, and nothing lost (issue 10, item 8)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_cli import _units_in_review_db

ROOT = Path(__file__).resolve().parents[2]
ENV = {"PYTHONPATH": str(ROOT)}


def _inbox(tmp_path: Path, units: int, damaged: bool = False) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(units):
        factory.write_bundle(folder, factory.bundle_of(index, FIXED_TODAY))
    if damaged:
        (folder / "damaged.json").write_text("{")
    return folder


def _run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """The command with stdout a pipe whose reader is already gone: its first line
    meets EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=300,
                              env={**os.environ, **ENV})
    finally:
        os.close(write_end)


def _noise(stderr: str) -> list[str]:
    """What stderr says besides the note that the supervisor's signing key was made
    (a review's first run makes it): a closed pipe must add nothing to it."""
    return [line for line in stderr.splitlines() if not line.startswith("Đã tạo khóa ký")]


@pytest.mark.parametrize("damaged, code", [(False, 0), (True, 1)])
def test_review_into_a_closed_pipe_is_quiet_receives_all_and_keeps_its_exit_code(
        tmp_path: Path, data_dir: Path, damaged: bool, code: int) -> None:
    folder = _inbox(tmp_path, 30 if damaged else 3, damaged)
    done = _run_into_closed_pipe("review", "--no-ui", str(folder))
    assert _noise(done.stderr) == [] and done.returncode == code
    assert len(_units_in_review_db(data_dir)) == (30 if damaged else 3)


def test_check_and_version_into_a_closed_pipe_are_quiet(tmp_path: Path) -> None:
    folder = _inbox(tmp_path, 2)
    checked = _run_into_closed_pipe("check", *map(str, sorted(folder.iterdir())))
    assert (checked.returncode, checked.stderr) == (0, "")
    version = _run_into_closed_pipe("--version")
    assert (version.returncode, version.stderr) == (0, "")


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell pipeline")
def test_review_piped_into_head(tmp_path: Path, data_dir: Path) -> None:
    folder = _inbox(tmp_path, 30)
    command = (f"{shlex.quote(sys.executable)} -m tui review --no-ui {shlex.quote(str(folder))}"
               f" | head -1; exit ${{PIPESTATUS[0]}}")
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **ENV})
    assert done.returncode == 0 and _noise(done.stderr) == []
    assert len(done.stdout.splitlines()) == 1
    assert len(_units_in_review_db(data_dir)) == 30
