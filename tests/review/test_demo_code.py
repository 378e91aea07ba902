"""The demo looks like the demo (issue 15, item 10): its unit code is one no real unit
has, its bundles say they are sample data on check, on receipt and in the review's
overview, and they get that warning instead of the unusual-code one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from store.bundle.reader import read_bundle
from store.demo import DEMO_UNIT
from store.derive import is_demo_code, unusual_unit_code
from tests.bundle.factory import v2_example_paths
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_receive_ui import _receive_from_dialog
from tests.review.test_review_ui import cells, make_app, ready
from tests.tui.screen_text import screen_text
from tui.cli import main
from tui.widgets.virtual_table import VirtualTable

DEMO_SENTENCE_VI = ("Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu, đây không phải báo cáo "
                    "của một đơn vị thật.")
DEMO_SENTENCE_EN = ("Sample data: DEMO-30316 is the demo's unit code, so this is not a real "
                    "unit's report.")


def _demo_example() -> Path:
    """The demo's own export (tests/examples/v2, made by make_examples.py)."""
    [path] = v2_example_paths()
    return path


def _with_unit(index: int, code: str, level: str = "xa") -> dict:
    bundle = factory.bundle_of(index, FIXED_TODAY)
    bundle["unit"].update(code=code, level=level)
    bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return bundle


def test_the_demo_unit_code_is_no_real_unit_s() -> None:
    assert DEMO_UNIT["code"] == "DEMO-30316"
    assert is_demo_code(DEMO_UNIT["code"])
    assert not unusual_unit_code(DEMO_UNIT["code"], DEMO_UNIT["level"])


@pytest.mark.parametrize("code, demo", [
    ("DEMO-30316", True), ("demo-1", True), ("Demo-X", True),
    ("30316", False), ("DEMO", False), ("DEMO30316", False), ("X-DEMO-1", False),
    ("", False)])
def test_what_is_a_demo_code(code: str, demo: bool) -> None:
    assert is_demo_code(code) is demo


def test_the_demo_s_database_holds_the_demo_code(demo_db) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from store.models import Unit

    with demo_db.read() as session:
        assert list(session.execute(select(Unit.code)).scalars()) == ["DEMO-30316"]


@pytest.mark.parametrize("level", ["xa", "phuong", "dac_khu", "other"])
def test_a_demo_bundle_gets_the_demo_warning_and_not_the_unusual_code_one(level: str) -> None:
    read = read_bundle(json.dumps(_with_unit(1, "DEMO-30316", level)).encode("utf-8"))
    assert read.ok
    assert [(w.code, w.path, w.details) for w in read.warnings] == [
        ("demo_data", "$.unit.code", {"code": "DEMO-30316"})]


def test_the_demo_s_own_export_is_marked_as_sample_data() -> None:
    read = read_bundle(_demo_example().read_bytes())
    assert read.ok and read.bundle.unit.code == "DEMO-30316"
    assert [w.code for w in read.warnings] == ["demo_data"]


def test_check_says_sample_data_in_both_languages(capsys) -> None:  # noqa: ANN001
    example = _demo_example()
    assert main(["check", str(example)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{example}: hợp lệ — đơn vị DEMO-30316 Phường 1")
    assert lines[1:] == ["  lưu ý: " + DEMO_SENTENCE_VI]
    assert main(["--lang", "en", "check", str(example)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == ["  warning: " + DEMO_SENTENCE_EN]
    assert "5 digits" not in "\n".join(lines)


def test_receiving_on_the_command_line_says_sample_data(tmp_path: Path,
                                                        capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(_demo_example(), folder)
    factory.write_bundle(folder, _with_unit(2, "30316"))
    assert main(["review", "--no-ui", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count(DEMO_SENTENCE_VI) == 1
    assert "không gồm 5 chữ số" not in out


async def test_the_receive_screen_says_it_and_the_overview_marks_the_unit(
        tmp_path: Path, locations) -> None:  # noqa: ANN001
    from store.review import ensure_review_database
    from tui.words.review import unit_warnings

    ensure_review_database(locations.review_db_path)
    inbox = tmp_path / "usb"
    inbox.mkdir()
    shutil.copy(_demo_example(), inbox)
    factory.write_bundle(inbox, _with_unit(2, "30316"))
    app = make_app(locations.review_db_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(app, pilot)
        await _receive_from_dialog(app, pilot, inbox)
        shown = "\n".join(str(n.message) for n in app._notifications)
        assert "lưu ý: " + DEMO_SENTENCE_VI in shown, shown
        table = app.screen.query_one("#review-units", VirtualTable)
        rows = {cells(table, i)[1]: cells(table, i) for i in range(table.row_count)}
        demo_row = rows["Phường 1"]
        assert "mẫu" in demo_row[-1] and "mã lạ" not in demo_row[-1]
        assert not any("mẫu" in row[-1] for name, row in rows.items() if name != "Phường 1")
        demo = next(row for row in app.overview.all_rows if row.code == "DEMO-30316")
        assert demo.warnings[0] == "demo" and "code" not in demo.warnings
        assert DEMO_SENTENCE_VI in unit_warnings(demo)
        # The unit's detail says it in words, under the workspace's summary.
        table.focus()
        await pilot.press("end", "enter")  # by code, DEMO-30316 comes last
        await ready(app, pilot)
        drawn = " ".join(screen_text(app).split())
        assert "Phường 1 (DEMO-30316)" in drawn
        assert "⚠ Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu" in drawn, drawn
