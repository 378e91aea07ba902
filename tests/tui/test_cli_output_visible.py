"""What the command line prints from a file or a file name never acts on the terminal:
escapes, bidi controls and undecodable bytes are shown as text (issue 10, item 2)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tui.cli import main

FORGED_OK = "\x1b]52;c;SGFja2Vk\x07\x1b[2K\x1b[1G\x1b[32mOK"


def _only_visible(text: str) -> None:
    raw = text.encode("utf-8")
    assert all(byte >= 0x20 or byte == 0x0A for byte in raw), text
    assert not any(char in text for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                   "\u2068\u2069\u200e\u200f\u061c")


def _sealed(bundle: dict) -> dict:
    bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return bundle


def test_check_shows_a_forged_bundle_id_as_text(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    bundle = factory.bundle_of(1, FIXED_TODAY)
    bundle["bundle_id"] = FORGED_OK
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(_sealed(bundle)), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    _only_visible(out)
    assert "\\x1b]52;c;SGFja2Vk\\x07\\x1b[2K" in out


def test_check_shows_bidi_and_zero_width_in_a_valid_bundle(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    bundle = factory.bundle_of(1, FIXED_TODAY)
    bundle["unit"]["name"] = "Xã \u202eĐỎ\u202c\u200b"
    path = tmp_path / "bidi.json"
    path.write_text(json.dumps(_sealed(bundle), ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    _only_visible(out)
    assert "Xã <U+202E>ĐỎ<U+202C><U+200B>" in out


def test_a_file_name_that_sets_the_window_title_is_shown_as_text(
        tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "in"
    folder.mkdir()
    name = "\x1b]0;T\x07\u202e.json"
    (folder / name).write_text(json.dumps(factory.bundle_of(1, FIXED_TODAY)),
                               encoding="utf-8")
    assert main(["check", str(folder / name)]) == 0
    assert main(["review", "--no-ui", str(folder)]) == 0
    out = capsys.readouterr().out
    _only_visible(out)
    assert out.count("\\x1b]0;T\\x07<U+202E>.json") == 2


def test_argparse_errors_show_typed_names_visibly(capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as stop:
        main(["check", "a.json", "--\x1b[31mred"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    _only_visible(err)
    assert "\\x1b[31mred" in err


def test_restore_and_backup_name_paths_visibly(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    odd = tmp_path / "\x1b[2Jbackup\u202e.db"
    odd.write_bytes(b"not a database")
    assert main(["restore", str(odd)]) == 1
    assert main(["backup", "--out", str(tmp_path / "\x07bell")]) == 1
    captured = capsys.readouterr()
    for text in (captured.out, captured.err):
        _only_visible(text)
    assert "\\x1b[2Jbackup<U+202E>.db" in captured.err


def test_log_lines_show_file_data_visibly(data_dir: Path) -> None:
    from tui.cli import _start_logging

    log_file = _start_logging(data_dir / "logs")
    assert log_file is not None
    root = logging.getLogger()
    handler = root.handlers[-1]
    try:
        logging.getLogger("cchc.test").warning("bundle %s from %s", FORGED_OK,
                                               os.fsdecode(b"ok\xff.json"))
        logging.getLogger("cchc.test").warning("title %s", "x\n2026-01-01 ERROR forged")
        try:
            raise ValueError("found \x1b[2J")
        except ValueError:
            logging.getLogger("cchc.test").exception("failed")
        handler.flush()
    finally:
        root.removeHandler(handler)
        handler.close()
    text = log_file.read_bytes().decode("utf-8")
    _only_visible(text)
    assert "\\x1b]52;c;SGFja2Vk\\x07" in text and "ok\\xff.json" in text
    assert "title x\\n2026-01-01 ERROR forged" in text  # one line, not a forged second
    assert "ValueError: found \\x1b[2J" in text and "Traceback" in text
