"""The workstation's own signing key: made once, private (0600 on POSIX; Windows
simulated), told in words when missing or damaged (the app still opens, export says
what to do), carried by backups and put back by a restore, and never written into a
bundle or a log."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Static

from store import keys
from store.backup import list_backups, restore_backup, rotate_backups, take_backup
from store.bundle.signing import SigningKey
from store.migrations import open_database
from store.models import OwnKey
from store.paths import resolve
from tests.tui.test_app_start import Args
from tui.app import CchcApp
from tui.cli import main, make_context

POSIX = sys.platform != "win32"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def unit_db(tmp_path: Path):  # noqa: ANN201
    db = open_database(tmp_path / "cchc.db")
    yield db
    db.dispose()


def _key_path(db) -> Path:  # noqa: ANN001
    return keys.key_path_for(db.path)


def _state_after_restore(db_path: Path) -> keys.OwnKeyState:
    """The key state of a database opened again (after a restore replaced it)."""
    db = open_database(db_path)
    try:
        return keys.own_key_state(db, keys.key_path_for(db_path))
    finally:
        db.dispose()


# -- made once, private ---------------------------------------------------------------------

def test_a_database_without_a_key_gets_one_once_and_it_is_recorded(unit_db) -> None:  # noqa: ANN001
    made = keys.own_key_state(unit_db, _key_path(unit_db))
    assert made.status == keys.KEY_CREATED and made.ok
    assert _key_path(unit_db) == unit_db.path.with_name("cchc.key")
    again = keys.own_key_state(unit_db, _key_path(unit_db))
    assert again.status == keys.KEY_READY and again.fingerprint == made.fingerprint
    assert again.key.public_key == made.key.public_key
    with unit_db.read() as session:
        [row] = session.execute(select(OwnKey)).scalars().all()
    assert (row.fingerprint, row.retired_at) == (made.fingerprint, None)


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_the_key_file_is_private_from_its_first_byte_whatever_the_umask(unit_db) -> None:  # noqa: ANN001
    old = os.umask(0)
    try:
        keys.own_key_state(unit_db, _key_path(unit_db))
    finally:
        os.umask(old)
    assert _mode(_key_path(unit_db)) == 0o600


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_a_key_file_readable_by_others_is_made_private_again(unit_db) -> None:  # noqa: ANN001
    keys.own_key_state(unit_db, _key_path(unit_db))
    os.chmod(_key_path(unit_db), 0o644)
    state = keys.own_key_state(unit_db, _key_path(unit_db))
    assert state.ok and state.tightened and _mode(_key_path(unit_db)) == 0o600
    from tui.words.keys import own_key_notice

    assert "đã đặt lại quyền riêng tư" in own_key_notice(state)


def test_on_windows_no_posix_mode_is_set_or_asked(unit_db, monkeypatch) -> None:  # noqa: ANN001
    """Simulated Windows: the key is made and read, chmod is never called, and file
    modes (meaningless there) never count as readable by others."""
    calls = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "chmod", lambda *args, **kw: calls.append(args))
    made = keys.own_key_state(unit_db, _key_path(unit_db))
    assert made.status == keys.KEY_CREATED
    assert keys.own_key_state(unit_db, _key_path(unit_db)).status == keys.KEY_READY
    assert not keys.readable_by_others(_key_path(unit_db))
    keys.restrict_to_owner(_key_path(unit_db))
    assert calls == []
    monkeypatch.setattr(sys, "platform", "linux")
    keys.restrict_to_owner(_key_path(unit_db))
    assert calls == [(_key_path(unit_db), 0o600)]


def test_a_read_only_database_without_a_key_makes_none(tmp_path: Path, unit_db) -> None:  # noqa: ANN001
    reader = open_database(unit_db.path, read_only=True)
    try:
        assert keys.own_key_state(reader, _key_path(unit_db)).status == keys.KEY_NONE
    finally:
        reader.dispose()
    assert not _key_path(unit_db).exists()


# -- missing, damaged, another key -------------------------------------------------------

def test_a_missing_key_of_a_database_that_had_one_is_told_not_remade(unit_db) -> None:  # noqa: ANN001
    made = keys.own_key_state(unit_db, _key_path(unit_db))
    _key_path(unit_db).unlink()
    state = keys.own_key_state(unit_db, _key_path(unit_db))
    assert (state.status, state.fingerprint, state.ok) == (keys.KEY_MISSING, made.fingerprint,
                                                           False)
    assert not _key_path(unit_db).exists()


@pytest.mark.parametrize("content", [b"", b"garbage", b"-----BEGIN PRIVATE KEY-----\nAAAA\n",
                                     b"\xff" * 200, b"x" * 5000])
def test_a_damaged_key_file_is_told_never_raised(unit_db, content: bytes) -> None:  # noqa: ANN001
    keys.own_key_state(unit_db, _key_path(unit_db))
    _key_path(unit_db).write_bytes(content)
    state = keys.own_key_state(unit_db, _key_path(unit_db))
    assert state.status == keys.KEY_DAMAGED and _key_path(unit_db).read_bytes() == content


def test_a_key_of_another_algorithm_is_damaged(unit_db) -> None:  # noqa: ANN001
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption,
                                                              PrivateFormat)

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    _key_path(unit_db).write_bytes(other)
    assert keys.own_key_state(unit_db, _key_path(unit_db)).status == keys.KEY_DAMAGED


def test_another_valid_key_than_the_recorded_one_is_a_mismatch(unit_db) -> None:  # noqa: ANN001
    keys.own_key_state(unit_db, _key_path(unit_db))
    keys.write_key_file(_key_path(unit_db), keys.key_file_bytes(SigningKey.generate()))
    assert keys.own_key_state(unit_db, _key_path(unit_db)).status == keys.KEY_MISMATCH


def test_a_new_key_retires_the_old_one_and_keeps_its_file(unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    old = keys.own_key_state(unit_db, _key_path(unit_db))
    old_bytes = _key_path(unit_db).read_bytes()
    new = keys.make_new_key(unit_db, _key_path(unit_db), tmp_path / "backups")
    assert new.fingerprint != old.fingerprint
    assert keys.own_key_state(unit_db, _key_path(unit_db)).fingerprint == new.fingerprint
    [kept] = (tmp_path / "backups").glob("cchc-*-replaced.key")
    assert kept.read_bytes() == old_bytes
    with unit_db.read() as session:
        rows = session.execute(select(OwnKey).order_by(OwnKey.id)).scalars().all()
    assert [(r.fingerprint, r.retired_at is None) for r in rows] == [
        (old.fingerprint, False), (new.fingerprint, True)]


# -- backups and restore ------------------------------------------------------------------

def test_a_backup_carries_the_key_and_rotation_removes_it(unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    keys.own_key_state(unit_db, _key_path(unit_db))
    backups = tmp_path / "backups"
    taken = take_backup(unit_db.path, backups, "event", "receive")
    companion = keys.key_path_for(taken)
    assert companion.read_bytes() == _key_path(unit_db).read_bytes()
    if POSIX:
        assert _mode(companion) == 0o600
    assert [info.path for info in list_backups(backups)] == [taken]  # the key is no backup
    second = take_backup(unit_db.path, backups, "event", "receive")
    rotate_backups(backups, "cchc", keep_daily=1, keep_events=1)
    assert not companion.exists() and keys.key_path_for(second).exists()


def test_a_restore_puts_the_key_back_and_keeps_the_current_one(unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    first = keys.own_key_state(unit_db, _key_path(unit_db))
    backups = tmp_path / "backups"
    with_first_key = take_backup(unit_db.path, backups, "manual")
    second = keys.make_new_key(unit_db, _key_path(unit_db), backups)
    second_bytes = _key_path(unit_db).read_bytes()
    unit_db.dispose()
    result = restore_backup(with_first_key, unit_db.path, backups)
    assert result.key_restored
    state = _state_after_restore(unit_db.path)
    assert (state.status, state.fingerprint) == (keys.KEY_READY, first.fingerprint)
    assert keys.key_path_for(result.previous_kept_at).read_bytes() == second_bytes
    assert second.fingerprint != first.fingerprint


def test_a_lost_key_comes_back_with_the_backup(unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    made = keys.own_key_state(unit_db, _key_path(unit_db))
    backup = take_backup(unit_db.path, tmp_path / "backups", "manual")
    _key_path(unit_db).unlink()
    assert keys.own_key_state(unit_db, _key_path(unit_db)).status == keys.KEY_MISSING
    unit_db.dispose()
    restore_backup(backup, unit_db.path, tmp_path / "backups")
    assert _state_after_restore(unit_db.path).fingerprint == made.fingerprint


def test_a_backup_from_before_keys_leaves_the_current_key(unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    backup = take_backup(unit_db.path, tmp_path / "backups", "manual")  # no key yet
    made = keys.own_key_state(unit_db, _key_path(unit_db))
    unit_db.dispose()
    result = restore_backup(backup, unit_db.path, tmp_path / "backups")
    assert not result.key_restored
    state = _state_after_restore(unit_db.path)
    assert (state.status, state.fingerprint) == (keys.KEY_READY, made.fingerprint)


def test_restoring_onto_a_missing_database_keeps_a_different_live_key(
        unit_db, tmp_path: Path) -> None:  # noqa: ANN001
    backups = tmp_path / "backups"
    keys.own_key_state(unit_db, _key_path(unit_db))
    backup = take_backup(unit_db.path, backups, "manual")
    keys.make_new_key(unit_db, _key_path(unit_db))
    live = _key_path(unit_db).read_bytes()
    unit_db.dispose()
    for leftover in unit_db.path.parent.glob("cchc.db*"):
        leftover.unlink()
    restore_backup(backup, unit_db.path, backups)
    assert _key_path(unit_db).read_bytes() == keys.key_path_for(backup).read_bytes()
    [kept] = backups.glob("cchc-*-replaced.key")
    assert kept.read_bytes() == live


def test_cchc_backup_and_restore_carry_the_key(data_dir: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    stick = tmp_path / "stick"
    assert main(["--demo", "key", "show"]) == 0
    fingerprint = capsys.readouterr().out.split(": ", 1)[1].strip()
    assert main(["--demo", "backup", "--out", str(stick)]) == 0
    [copy] = stick.glob("cchc-*-manual.db")
    assert keys.key_path_for(copy).exists()
    demo = resolve(data_dir, demo=True)
    keys.key_path_for(demo.db_path).unlink()
    assert main(["--demo", "key", "show"]) == 1
    assert "Không tìm thấy tệp khóa ký bí mật" in capsys.readouterr().out
    assert main(["--demo", "restore", str(copy)]) == 0
    capsys.readouterr()
    assert main(["--demo", "key", "show"]) == 0
    assert capsys.readouterr().out.strip().endswith(fingerprint)


# -- never in a bundle, a log or a report ----------------------------------------------

def test_the_private_key_is_never_in_a_bundle_or_the_log(data_dir: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption,
                                                              PrivateFormat)

    from store.bundle.signing import b64

    assert main(["--demo", "export", "--out", str(tmp_path)]) == 0
    assert main(["--demo", "key", "export", "--out", str(tmp_path)]) == 0
    demo = resolve(data_dir, demo=True)
    read = keys.read_key_file(keys.key_path_for(demo.db_path))
    raw = read.key.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    pem_body = keys.key_file_bytes(read.key).decode().splitlines()[1]
    logging.getLogger("store.keys").info("a key in a log line would be %r", read.key)
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = [*tmp_path.glob("*.json"), *demo.logs_dir.glob("*")]
    assert len(written) >= 3
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert b64(raw) not in text and raw.hex() not in text and pem_body not in text, path


# -- the app at start ---------------------------------------------------------------------

def _workspace_key_path(data_dir: Path) -> Path:
    return keys.key_path_for(resolve(data_dir, demo=True).db_path)


async def _start(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_damaged_key_is_told_the_app_opens_and_export_says_what_to_do(
        data_dir: Path, tmp_path: Path) -> None:
    assert main(["--demo", "key", "show"]) == 0  # the demo workspace and its key
    _workspace_key_path(data_dir).write_bytes(b"not a key")
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _start(app, pilot)
        assert app.screen.query_one("#task-table").row_count == 20  # the data is there
        messages = " ".join(n.message for n in app._notifications)
        assert "bị hỏng, nên không ký được tệp nào" in messages
        assert "Các chức năng khác vẫn dùng bình thường" in messages
        app.action_export()
        await _start(app, pilot)
        assert "cchc key new" in str(app.screen.query_one("#export-what", Static).render())
        app.screen.query_one("#export-folder").value = str(tmp_path)
        await pilot.press("ctrl+s")
        await _start(app, pilot)
        result = str(app.screen.query_one("#export-result", Static).render())
        assert result.startswith("Chưa xuất tệp:") and "bản sao lưu" in result
    assert list(tmp_path.glob("*.json")) == []


async def test_a_missing_key_is_told_and_cchc_export_explains(data_dir: Path, capsys) -> None:  # noqa: ANN001
    assert main(["--demo", "key", "show"]) == 0
    _workspace_key_path(data_dir).unlink()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _start(app, pilot)
        messages = " ".join(n.message for n in app._notifications)
        assert "Không tìm thấy tệp khóa ký bí mật" in messages
    capsys.readouterr()
    assert main(["--demo", "export"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Chưa xuất tệp:") and "cchc restore" in err and "cchc key new" in err
    assert not _workspace_key_path(data_dir).exists()  # never silently remade


async def test_an_existing_workspace_without_a_key_gets_one_said_once(data_dir: Path) -> None:
    """A unit set up before keys existed (not the demo, whose key is made silently)."""
    from store.config import Config, OfficerConfig, UnitConfig, save_config

    locations = resolve(data_dir).ensure()
    config = Config(unit=UnitConfig(code="30317", name="Phường 2"),
                    officer=OfficerConfig(name="Lê Hoàng Nam"))
    save_config(config, locations.config_file)
    open_database(locations.db_path).dispose()  # the workspace exists, without a key
    said = []
    for _start_number in range(2):
        app = CchcApp(make_context(Args()))
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await _start(app, pilot)
            said.append([n.message for n in app._notifications if "khóa ký" in n.message])
            fingerprint = app.workspace.key.fingerprint
            await pilot.press("f2")
            await pilot.pause()
            shown = str(app.screen.query_one("#s-key", Static).render())
            assert shown == f"Dấu vân tay khóa ký: {fingerprint}"
    assert len(said[0]) == 1 and fingerprint in said[0][0] and said[1] == []
    if POSIX:
        assert _mode(keys.key_path_for(locations.db_path)) == 0o600


async def test_the_export_screen_shows_the_fingerprint_and_the_result_line(
        data_dir: Path, tmp_path: Path) -> None:
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _start(app, pilot)
        fingerprint = app.workspace.key.fingerprint
        app.action_export()
        await _start(app, pilot)
        assert f"Dấu vân tay khóa ký: {fingerprint}" in str(
            app.screen.query_one("#export-what", Static).render())
        app.screen.query_one("#export-folder").value = str(tmp_path)
        await pilot.press("ctrl+s")
        await _start(app, pilot)
        result = str(app.screen.query_one("#export-result", Static).render())
        assert f"Đã ký bằng khóa {fingerprint}" in result.replace("\n", " ")
    [written] = tmp_path.glob("cchc-*.json")
    assert json.loads(written.read_bytes())["signature"]["alg"] == "ed25519"


def test_every_key_status_is_told_in_both_languages() -> None:
    from store.vocab import KeyStatus
    from tui.i18n import set_language
    from tui.words.keys import export_key_failure, fingerprint_line, own_key_notice

    told: dict[str, set[str]] = {"vi": set(), "en": set()}
    for language in ("vi", "en"):
        set_language(language)
        for status in KeyStatus:
            state = keys.OwnKeyState(status, Path("/d/cchc.key"), fingerprint="3f2a 9c1b 77d0 "
                                     "e5a1 0b44", detail="EACCES")
            line = fingerprint_line(state)
            told[language].add(line)
            if state.ok:
                assert "3f2a 9c1b 77d0 e5a1 0b44" in line
            else:
                assert export_key_failure(state) != line
            notice = own_key_notice(state)
            assert (notice is None) == (status in (KeyStatus.READY, KeyStatus.NONE)), status
    set_language("vi")
    assert len(told["vi"]) == len(KeyStatus) - 1  # ready and created both show the fingerprint
    assert told["vi"].isdisjoint(told["en"])


def test_a_key_that_cannot_be_written_leaves_the_app_usable(unit_db, monkeypatch) -> None:  # noqa: ANN001
    import errno

    from store import safe_write

    def full(path, data, **options):  # noqa: ANN001, ANN003, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write, "write_atomically", full)
    state = keys.own_key_state(unit_db, _key_path(unit_db))
    assert (state.status, state.ok, state.detail) == (keys.KEY_UNWRITABLE, False,
                                                      "No space left on device")
    with unit_db.read() as session:
        assert session.execute(select(OwnKey)).first() is None  # nothing recorded: try again
    from tui.words.keys import export_key_failure

    assert "Hãy dành chỗ trống trên đĩa" in export_key_failure(state)
