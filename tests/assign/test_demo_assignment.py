"""An assignment file made for a demo unit (its code is the demo's, store.derive.
is_demo_code) carries the one sample-data warning a demo bundle carries, wherever an
assignment's warnings are shown: the reader's warnings, `cchc check`, `cchc import`'s
dry run and the app's import preview. A real unit's assignment carries none."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.demo import DEMO_UNIT
from tests.assign.conftest import UNIT, commune_rows, file_for
from tests.assign.test_unit_app import _demo_with_file_in_exports, _open_import
from tests.tui.screen_text import screen_text
from tests.tui.test_workspace import Args, until
from tui.cli import main, make_context

SAMPLE = "Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu"


@pytest.fixture
def files(issue) -> tuple[Path, Path]:  # noqa: ANN001
    """(the demo unit's assignment, a real unit's), of one issue each."""
    demo = file_for(issue(rows=commune_rows(unit=DEMO_UNIT)), DEMO_UNIT["code"])
    real = file_for(issue(rows=commune_rows()), UNIT["code"])
    return demo, real


def test_the_reader_warns_of_sample_data_once(files: tuple[Path, Path]) -> None:
    from store.bundle.models import KIND_ASSIGNMENT
    from store.bundle.reader import read_bundle

    demo, real = files
    read = read_bundle(demo.read_bytes(), kinds=(KIND_ASSIGNMENT,))
    assert read.ok and [(w.code, w.path, w.details) for w in read.warnings] == [
        ("demo_data", "$.unit.code", {"code": DEMO_UNIT["code"]})]
    read = read_bundle(real.read_bytes(), kinds=(KIND_ASSIGNMENT,))
    assert read.ok and not read.warnings


def test_check_and_the_import_dry_run_say_it(files: tuple[Path, Path], data_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    demo, real = files
    capsys.readouterr()
    assert main(["check", str(demo), str(real)]) == 0
    lines = capsys.readouterr().out.splitlines()
    [warned] = [i for i, line in enumerate(lines) if SAMPLE in line]
    assert lines[warned - 1].startswith(f"{demo}: hợp lệ")
    assert "tệp giao nhiệm vụ cho một đơn vị thật" in lines[warned]
    assert lines[warned].strip().startswith("lưu ý: ")
    assert main(["--demo", "import", str(demo), "--dry-run"]) == 0
    assert capsys.readouterr().out.count(SAMPLE) == 1


async def test_the_import_preview_says_it(issue, data_dir: Path) -> None:  # noqa: ANN001
    from tui.app import CchcApp

    _db_path, _mine, _other = _demo_with_file_in_exports(issue, data_dir)
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_import(app, pilot)
        files = screen.query_one("#import-files")
        files.highlighted = 1  # this unit's file, the first after ".."
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None)
        await pilot.pause()
        assert screen.preview.verdict == "accepted"
        assert [w.code for w in screen.preview.warnings].count("demo_data") == 1
        text = " ".join(screen_text(app).split())
        assert text.count(SAMPLE) == 1
