"""The key commands end to end: a unit's key card enrolled by its supervisor, files
received signed, a lost key replaced by its new fingerprint, a forged file set aside,
all through `cchc` as a user types it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from store.bundle.keycard import read_key_card
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tui.cli import main


def _unit_folder(tmp_path: Path) -> Path:
    """A unit's own data folder (the demo commune), apart from the supervisor's."""
    return tmp_path / "unit"


def _as_unit(tmp_path: Path, *argv: str) -> int:
    return main(["--data-dir", str(_unit_folder(tmp_path)), "--demo", *argv])


def _held_keys(data_dir: Path) -> dict[str, tuple[str, str, int]]:
    connection = sqlite3.connect(f"{(data_dir / 'review.db').as_uri()}?mode=ro", uri=True)
    try:
        return {code: (fingerprint, source, confirmed) for code, fingerprint, source, confirmed
                in connection.execute(
                    "SELECT sender_code, fingerprint, source, confirmed FROM senderkey")}
    finally:
        connection.close()


def test_a_unit_exports_its_key_card_and_the_supervisor_enrols_it_before_the_first_file(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    stick = tmp_path / "stick"
    stick.mkdir()
    assert _as_unit(tmp_path, "key", "export", "--out", str(stick)) == 0
    out = capsys.readouterr()
    [card_path] = stick.glob("key-*.json")
    card = read_key_card(card_path.read_bytes()).card
    assert card.code == "DEMO-30316" and f"Dấu vân tay: {card.fingerprint}" in out.out
    assert "Đã tạo khóa ký" in out.err  # the demo workspace had no key: made, said once
    assert _as_unit(tmp_path, "key", "show") == 0
    shown = capsys.readouterr()
    assert shown.out.strip() == f"Dấu vân tay khóa ký: {card.fingerprint}" and not shown.err

    assert main(["review", "enrol", str(card_path)]) == 0
    assert f"đã giữ khóa của DEMO-30316 Phường 1: {card.fingerprint}" in capsys.readouterr().out
    assert _held_keys(data_dir) == {"DEMO-30316": (card.fingerprint, "enrolled", 1)}

    assert _as_unit(tmp_path, "export", "--out", str(stick)) == 0
    exported = capsys.readouterr().out
    assert f"Đã ký bằng khóa {card.fingerprint}" in exported
    assert main(["review", "--no-ui", str(stick)]) == 1  # the card itself is refused...
    lines = capsys.readouterr().out.splitlines()
    bundle_line = next(line for line in lines if "cchc-DEMO-30316-" in line)
    assert "Đã nhận: tệp số 1 của đơn vị DEMO-30316" in bundle_line
    # ...and the bundle has no warning but the demo's own (its key was enrolled)
    assert [line for line in lines if "lưu ý" in line] == [
        "  lưu ý: Dữ liệu mẫu: DEMO-30316 là mã đơn vị của bản mẫu, đây không phải báo cáo "
        "của một đơn vị thật."]
    assert any("thẻ khóa" in line and "key-DEMO-30316.json" in line for line in lines)


def test_check_says_who_signed_a_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert _as_unit(tmp_path, "export", "--out", str(tmp_path)) == 0
    capsys.readouterr()
    [exported] = tmp_path.glob("cchc-*.json")
    assert _as_unit(tmp_path, "key", "show") == 0
    fingerprint = capsys.readouterr().out.split(": ", 1)[1].strip()
    assert main(["--lang", "en", "check", str(exported)]) == 0
    verdict, *warnings = capsys.readouterr().out.splitlines()
    assert verdict.endswith(f"signed by {fingerprint}")
    assert [w.split(":")[1].strip() for w in warnings] == ["Sample data"]  # the demo's
    altered = json.loads(exported.read_bytes())
    altered["sender"]["name"] = "Người khác"
    from tests.bundle.factory import seal

    exported.write_text(json.dumps(seal(altered)), encoding="utf-8")
    assert main(["--lang", "en", "check", str(exported)]) == 1
    assert "forged" in capsys.readouterr().out


def test_a_lost_key_is_replaced_only_with_its_new_fingerprint_typed(
        tmp_path: Path, data_dir: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LOGNAME", "can-bo-so")  # no officer set up: the login name records it
    cards = tmp_path / "cards"
    cards.mkdir()
    assert _as_unit(tmp_path, "key", "export", "--out", str(cards)) == 0
    assert main(["review", "enrol", str(cards / "key-DEMO-30316.json")]) == 0
    old_fingerprint = _held_keys(data_dir)["DEMO-30316"][0]
    assert _as_unit(tmp_path, "key", "new") == 1  # the key is in order: refused
    assert "--force" in capsys.readouterr().err
    assert _as_unit(tmp_path, "key", "new", "--force") == 0
    assert _as_unit(tmp_path, "key", "export", "--out", str(cards)) == 0
    new_card = cards / "key-DEMO-30316.json"
    new_fingerprint = read_key_card(new_card.read_bytes()).card.fingerprint
    assert new_fingerprint != old_fingerprint
    capsys.readouterr()

    assert main(["review", "enrol", str(new_card)]) == 1
    assert "--replace DEMO-30316" in capsys.readouterr().out
    assert main(["review", "enrol", "--replace", "DEMO-30316", str(new_card)]) == 2
    assert "--fingerprint" in capsys.readouterr().err
    assert main(["review", "enrol", "--replace", "30317", str(new_card), "--fingerprint",
                 new_fingerprint]) == 1
    assert "không phải của 30317" in capsys.readouterr().out
    assert main(["review", "enrol", "--replace", "DEMO-30316", str(new_card), "--fingerprint",
                 old_fingerprint]) == 1
    assert _held_keys(data_dir)["DEMO-30316"][0] == old_fingerprint
    capsys.readouterr()
    assert main(["--lang", "en", "review", "enrol", "--replace", "DEMO-30316", str(new_card),
                 "--fingerprint", new_fingerprint.replace(" ", "").upper()]) == 0
    assert f"{old_fingerprint} → {new_fingerprint}" in capsys.readouterr().out
    assert _held_keys(data_dir)["DEMO-30316"] == (new_fingerprint, "replaced", 1)
    connection = sqlite3.connect(data_dir / "review.db")
    try:
        events = connection.execute(
            "SELECT action, by, at, previous_fingerprint FROM keyevent ORDER BY id").fetchall()
    finally:
        connection.close()
    assert events[-1][0] == "replaced" and events[-1][1] == "can-bo-so"
    assert events[-1][2].startswith("2026-11-21 02:00") and events[-1][3] == old_fingerprint


def test_keys_lists_the_held_keys_and_marks_the_ones_not_confirmed(
        tmp_path: Path, capsys) -> None:  # noqa: ANN001
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for index in (1, 2):
        factory.write_bundle(inbox, factory.signed(factory.bundle_of(index, FIXED_TODAY)))
    factory.write_bundle(inbox, factory.bundle_of(3, FIXED_TODAY))
    assert main(["review", "--no-ui", str(inbox)]) == 0
    out = capsys.readouterr().out
    assert out.count("Chưa giữ khóa nào của đơn vị này nên đã nhận khóa") == 2
    assert "Tệp không có chữ ký" in out
    second = factory.unit_key(2).fingerprint
    assert main(["review", "confirm", factory.unit_code(2), "--fingerprint", second]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "review", "keys"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("This review's own key: ")
    first_line = next(line for line in lines if factory.unit_code(1) in line)
    second_line = next(line for line in lines if factory.unit_code(2) in line)
    assert first_line.startswith("⚠ ") and "not confirmed yet" in first_line
    assert factory.unit_key(1).fingerprint in first_line
    assert second_line.startswith("  ") and "confirmed by" in second_line
    assert "21/11/2026 09:00" in second_line
    assert lines[-1].startswith("2 keys held · 1 not confirmed")
    assert not any(factory.unit_code(3) in line for line in lines)


def test_set_aside_by_file_then_the_genuine_file_is_received(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    forger = factory.unit_key(99)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    forged = factory.signed(factory.bundle_of(1, FIXED_TODAY, sequence=2**53 - 1), forger)
    forged_path = factory.write_bundle(inbox, forged)
    assert main(["--lang", "en", "review", "--no-ui", str(forged_path)]) == 0
    out = capsys.readouterr().out
    assert "jumps by 9,007,199,254,740,991" in out
    genuine = factory.signed(factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=1)))
    genuine_path = tmp_path / "genuine.json"
    genuine_path.write_text(json.dumps(genuine), encoding="utf-8")
    assert main(["--lang", "en", "review", "--no-ui", str(genuine_path)]) == 1
    assert "Signed with another key than the one held for" in capsys.readouterr().out

    assert main(["--lang", "en", "review", "set-aside", str(forged_path)]) == 0
    said = capsys.readouterr().out
    assert "Set aside: bundle 9007199254740991 of unit" in said
    assert f"The key {forger.fingerprint} taken from it was let go" in said
    backups = sorted(p.name for p in (data_dir / "backups").glob("review-*-set-aside.db"))
    assert len(backups) == 1
    assert main(["--lang", "en", "review", "set-aside", forged["bundle_id"][:8]]) == 1
    assert "already set aside" in capsys.readouterr().out
    assert main(["--lang", "en", "review", "--no-ui", str(genuine_path)]) == 0
    assert "Accepted: bundle 1" in capsys.readouterr().out


def test_the_key_words_refuse_in_read_only_mode_and_explain_their_usage(capsys) -> None:  # noqa: ANN001
    assert main(["--read-only", "review", "set-aside", "abcdefgh"]) == 1
    assert "chỉ xem" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["review", "confirm", "30316"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as shown:
        main(["review", "set-aside", "--help"])
    assert shown.value.code == 0
    assert "cchc review set-aside" in capsys.readouterr().out


def test_receiving_still_takes_options_after_the_paths(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    factory.write_bundle(inbox, factory.bundle_of(1, FIXED_TODAY))
    assert main(["review", str(inbox), "--no-ui"]) == 0
    assert "Đã nhận" in capsys.readouterr().out



def test_a_bad_key_card_is_refused_in_words_and_nothing_is_held(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    assert _as_unit(tmp_path, "key", "export", "--out", str(tmp_path)) == 0
    card_path = tmp_path / "key-DEMO-30316.json"
    card = json.loads(card_path.read_bytes())
    card["holder"]["code"] = "30317"  # edited to speak for another unit
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(card), encoding="utf-8")
    short_key = tmp_path / "short.json"
    short_key.write_text(json.dumps({**json.loads(card_path.read_bytes()),
                                     "public_key": "AAAA"}), encoding="utf-8")
    capsys.readouterr()
    assert main(["review", "enrol", str(edited), str(short_key), str(tmp_path / "none.json")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "Chữ ký của chính thẻ khóa không hợp lệ" in lines[0]
    assert "Khóa công khai không phải là khóa 32 byte" in lines[1]
    assert "bị từ chối" in lines[2] and "Traceback" not in "".join(lines)
    assert _held_keys(data_dir) == {}
