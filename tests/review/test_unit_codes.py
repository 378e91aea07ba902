"""Unit codes that look alike (issue 10, item 9): a commune's or ward's code that is
not 5 ASCII digits is warned about on receipt and marked in the overview; letters
from another script do not pass the format at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.bundle.reader import read_bundle
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_ui import cells, make_app, ready
from tui.cli import main
from tui.widgets.virtual_table import VirtualTable


def _with_unit(index: int, code: str, level: str = "xa") -> dict:
    bundle = factory.bundle_of(index, FIXED_TODAY)
    bundle["unit"].update(code=code, level=level)
    bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return bundle


def _read(bundle: dict):  # noqa: ANN202
    return read_bundle(json.dumps(bundle, ensure_ascii=False).encode("utf-8"))


@pytest.mark.parametrize("code, level", [("3O316", "xa"), ("3031", "phuong"),
                                         ("303160", "xa"), ("30.16", "phuong")])
def test_a_commune_code_that_is_not_five_digits_is_warned_about(code: str, level: str) -> None:
    read = _read(_with_unit(1, code, level))
    assert read.ok
    assert [(w.code, w.path) for w in read.warnings] == [("unusual_unit_code", "$.unit.code")]


@pytest.mark.parametrize("code, level", [("30316", "xa"), ("00001", "phuong"),
                                         ("PQ-01", "dac_khu"), ("SNV", "other")])
def test_other_codes_pass_quietly(code: str, level: str) -> None:
    read = _read(_with_unit(1, code, level))
    assert read.ok and read.warnings == ()


@pytest.mark.parametrize("code", ["3О316", "٣٠٣١٦", "３０３１６"])  # Cyrillic O, Arabic, fullwidth
def test_letters_and_digits_of_other_scripts_are_refused(code: str) -> None:
    read = _read(_with_unit(1, code))
    assert read.refusal is not None
    assert (read.refusal.code, read.refusal.path) == ("bad_format", "$.unit.code")


def test_check_and_receive_say_so_and_the_overview_marks_it(
        tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "in"
    folder.mkdir()
    odd = folder / "odd.json"
    odd.write_text(json.dumps(_with_unit(1, "3O316")), encoding="utf-8")
    factory.write_bundle(folder, _with_unit(2, "30316"))
    assert main(["check", str(odd)]) == 0
    assert main(["review", "--no-ui", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("Mã đơn vị 3O316 không gồm 5 chữ số") == 2
    # both: version 1 files are unsigned (sign-v2), the odd one has its code's warning too
    assert "2 có cảnh báo" in out.splitlines()[-1]


async def test_the_overview_marks_the_unit_and_its_detail_says_why(locations) -> None:  # noqa: ANN001
    from tests.review.conftest import build_review_db

    path = build_review_db(locations.review_db_path,
                           [_with_unit(1, "3O316"), _with_unit(2, "30316")])
    app = make_app(path)
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#review-units", VirtualTable)
        rows = {cells(table, i)[0]: cells(table, i) for i in range(table.row_count)}
        assert "mã lạ" in rows["3O316"][-1] and "mã lạ" not in rows["30316"][-1]
        odd = next(row for row in app.overview.all_rows if row.code == "3O316")
        assert "code" in odd.warnings
        from tui.words.review import unit_warnings

        assert any("3O316" in sentence for sentence in unit_warnings(odd))
