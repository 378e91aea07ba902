"""Read-only is read-only, everywhere: a scripted `--read-only` session runs every
command of the command line and presses every key of both apps; afterwards every
file and folder in the data and config folders has the same name, size, mtime and
content (no -wal, -shm or -journal, no log, no backup, no temp file appeared or
went), and each refused action said so in words.

The data folder is also the config folder here (CCHC_DATA_DIR moves both), so one
listing covers both.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from store.paths import resolve
from store.safe_write import temp_name_for
from tests.review.test_read_only import KEYS, press_quickly
from tests.review.test_review_ui import ready
from tests.tui.test_app_start import Args
from tui.cli import main

# "Read-only mode (--read-only): ..." in Vietnamese, the start of every refusal.
REFUSED = "Chế độ chỉ xem (--read-only)"
SAYS_READ_ONLY = "chỉ xem"  # every refusal names the mode
UNEXPECTED = "lỗi không mong muốn"
# A user's own files in the data folder and in the export folder: never removed.
USERS_FILES = ("draft.tmp", "video.mp4.partial", ".notes.txt.tmp-keep")


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry under folder: a folder's mtime; a file's size, mtime and SHA-256."""
    state: dict[str, tuple] = {}
    for root, folders, files in os.walk(folder):
        for name in folders:
            path = Path(root) / name
            state[str(path.relative_to(folder)) + "/"] = (path.stat().st_mtime_ns,)
        for name in files:
            path = Path(root) / name
            info = path.stat()
            state[str(path.relative_to(folder))] = (
                info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return state


def _old(path: Path) -> None:
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))


@pytest.fixture
def full_data_folder(data_dir: Path, tmp_path: Path) -> dict[str, Path]:
    """A data folder that has been used: the demo commune with its key, settings, an
    export, a backup, a review database holding that export, a leftover temp file of
    the app's own (old enough to be cleaned) and a user's look-alikes; the plain data
    folder with its own settings only."""
    stick = tmp_path / "stick"
    stick.mkdir()
    assert main(["--demo", "export", "--out", str(stick)]) == 0
    assert main(["--demo", "backup"]) == 0
    bundle = next(stick.glob("cchc-*.json"))
    assert main(["--demo", "review", str(bundle), "--no-ui"]) == 0
    assert main(["--demo", "key", "export", "--out", str(stick)]) == 0
    demo = resolve(data_dir, demo=True)
    for folder in (demo.data_dir, stick):
        own = temp_name_for(folder / "bundle.json")
        own.write_bytes(b"{ half")
        _old(own)
        for name in USERS_FILES:
            (folder / name).write_bytes(b"mine")
            _old(folder / name)
    from store.config import load_config, save_config

    config, _problem = load_config(demo.config_file)
    config.last_export_dir = str(stick)
    save_config(config, demo.config_file)
    # From here on this process logs where a read-only run does (outside the data
    # folder), as `cchc --read-only` does from its start.
    assert main(["--demo", "--read-only", "key", "show"]) == 0
    backup = next(demo.backups_dir.glob("cchc-*.db"))
    return {"stick": stick, "bundle": bundle, "backup": backup,
            "card": next(stick.glob("key-*.json")), "demo": demo.data_dir}


def _commands(files: dict[str, Path], out: Path) -> list[tuple[list[str], bool]]:
    """(arguments after `cchc --read-only`, whether it must be refused in words)."""
    bundle, backup, card = str(files["bundle"]), str(files["backup"]), str(files["card"])
    workbook = str(out / "tham-dinh.xlsx")
    unit = [
        (["backup"], True),
        (["restore", backup], False),  # refused with its own sentence
        (["export"], True),
        (["export", "--out", str(out)], True),
        (["check", bundle], False),
        (["key", "show"], False),
        (["key", "export", "--out", str(out)], False),
        (["key", "new", "--force"], False),
        (["report", "plan"], False),  # into the last export folder: not the data folder
        (["report", "plan", "--out", str(out), "--replace"], False),
        (["report", "results", "--out", str(out)], True),
        (["report", "tasks", "--format", "xlsx"], False),
        (["import", bundle], False),
        (["import", bundle, "--dry-run"], False),
    ]
    review = [
        (["review", bundle, "--no-ui"], True),
        (["review", str(files["stick"]), "--no-ui"], True),
        (["review", "--no-ui"], False),
        (["review", "keys"], False),
        (["review", "enrol", card], False),
        (["review", "confirm", "30316", "--fingerprint", "0000"], False),
        (["review", "set-aside", bundle], False),
        (["review", "report"], False),
        (["review", "assign", "--template", workbook], False),
        (["review", "assign", "--notes-only", "--out", str(out)], False),
        (["review", "note", "T1", "a remark"], False),
    ]
    # The demo's folder holds everything; the plain data folder only its settings (its
    # commands say there is nothing yet); in English the words differ.
    sessions = []
    for prefix in (["--demo"], [], ["--demo", "--lang", "en"]):
        sessions += [(prefix + argv, refused and prefix == ["--demo"])
                     for argv, refused in unit + review]
    return sessions


def test_every_command_in_read_only_mode_changes_nothing(
        data_dir: Path, tmp_path: Path, full_data_folder: dict[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "elsewhere"
    out.mkdir()
    capsys.readouterr()
    before, stick_before = tree_state(data_dir), tree_state(full_data_folder["stick"])
    for argv, refused in _commands(full_data_folder, out):
        code = main(["--read-only", *argv])
        printed = capsys.readouterr()
        said = printed.out + printed.err
        assert isinstance(code, int), argv
        assert UNEXPECTED not in said, (argv, said)
        if refused:
            assert code == 1 and SAYS_READ_ONLY in said.lower(), (argv, said)
        assert tree_state(data_dir) == before, argv
    # The export folder (where the documents went): the user's files and even the
    # app's own leftover temp file are as they were.
    stick_after = tree_state(full_data_folder["stick"])
    assert {name: stick_after.get(name) for name in stick_before} == stick_before


def test_a_read_only_backup_elsewhere_is_written(data_dir: Path, tmp_path: Path,
                                                 full_data_folder: dict[str, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from store.backup import check_backup

    out = tmp_path / "usb"
    out.mkdir()
    before = tree_state(data_dir)
    assert main(["--demo", "--read-only", "backup", "--out", str(out)]) == 0
    written = list(out.glob("cchc-*.db"))
    assert len(written) == 1 and check_backup(written[0]).ok
    assert tree_state(data_dir) == before
    # Into the data folder is not elsewhere.
    inside = full_data_folder["demo"] / "copies"
    assert main(["--demo", "--read-only", "backup", "--out", str(inside)]) == 1
    assert REFUSED in capsys.readouterr().err and not inside.exists()
    assert tree_state(data_dir) == before


def test_read_only_on_a_first_run_creates_no_folder(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    fresh = tmp_path / "never-used"
    for argv in (["backup"], ["export"], ["review", "--no-ui"], ["key", "show"],
                 ["--demo", "backup"], ["--lang", "en", "key", "show"]):
        main(["--read-only", "--data-dir", str(fresh), *argv])
        said = capsys.readouterr()
        assert UNEXPECTED not in said.out + said.err and "unexpected" not in said.err
        assert not fresh.exists(), argv


def test_lang_on_a_first_run_is_not_saved(data_dir: Path) -> None:
    from store.config import load_config
    from tui.cli import make_context
    from tui.services.exporting import remember_folder

    context = make_context(Args(lang="en"))
    remember_folder(context, data_dir / "somewhere")  # a save that is not the settings'
    saved, _problem = load_config(context.locations.config_file)
    assert saved.last_export_dir.endswith("somewhere") and saved.language == "vi"
    assert context.config.language == "en"


# -- every key of both apps ------------------------------------------------------------

# Keys that open a screen or a field (each pressed on a fresh screen, then more keys);
# the others go in one burst per section, the overlays (help, palette) at its end.
MOVING = {"enter", "escape", "slash", "f2", "ctrl+b", "ctrl+e", "ctrl+r", "d"}
OVERLAYS = ["f1", "question_mark", "ctrl+p"]


async def _settle(app, pilot) -> None:  # noqa: ANN001
    await ready(app, pilot)
    await pilot.pause()


async def test_every_key_of_the_commune_app_in_read_only_mode_changes_nothing(
        data_dir: Path, full_data_folder: dict[str, Path]) -> None:
    from textual.widgets import Static

    from tui.app import CchcApp
    from tui.cli import make_context
    from tui.screens.settings import SettingsScreen
    from tui.screens.workspace import WorkspaceScreen

    before = tree_state(data_dir)
    app = CchcApp(make_context(Args(demo=True, read_only=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)

        async def home() -> WorkspaceScreen:
            while not isinstance(app.screen, WorkspaceScreen):
                app.pop_screen()
                await pilot.pause()
            return app.screen

        burst = [k for k in KEYS if k not in MOVING and k not in OVERLAYS] + OVERLAYS
        for section in ("1", "2", "3", "4", "5"):
            await home()
            await pilot.press(section)
            await press_quickly(app, pilot, burst)
        for key in sorted(MOVING):  # each from the tasks, on a fresh screen
            await home()
            await pilot.press("1")
            await press_quickly(app, pilot, [key, "down", "x", "ctrl+s", "enter"])
        assert tree_state(data_dir) == before
        # A task's own screen, each of its keys.
        await home()
        await pilot.press("1")
        await _settle(app, pilot)
        app.screen.query_one("#task-table").focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "TaskScreen"
        await press_quickly(app, pilot, burst)
        # F2 then Ctrl+S: the settings are not saved, and it says so.
        await home()
        await pilot.press("f2")
        await _settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert REFUSED in shown
    assert tree_state(data_dir) == before


async def test_every_key_of_the_review_app_in_read_only_mode_changes_nothing(
        data_dir: Path, full_data_folder: dict[str, Path]) -> None:
    from textual.widgets import Input

    from tui.cli import make_context
    from tui.review.app import ReviewApp
    from tui.review.unit import UnitScreen
    from tui.widgets.virtual_table import VirtualTable

    before = tree_state(data_dir)
    context = make_context(Args(demo=True, read_only=True))
    app = ReviewApp(context, context.locations.review_db_path)
    notices: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        original_notify = app.notify

        def remember(message: str, **kwargs: object) -> None:
            notices.append(message)
            original_notify(message, **kwargs)  # type: ignore[arg-type]

        app.notify = remember  # type: ignore[method-assign]
        overview = app.overview

        async def fresh(section: str | None) -> None:
            while len(app.screen_stack) > 2:
                app.pop_screen()
            await pilot.pause()
            overview.query_one("#review-search", Input).value = ""
            overview.query_one("#review-units", VirtualTable).focus()
            if section is not None:
                app.push_screen(UnitScreen(overview.all_rows[0], overview.today,
                                           app.review_db))
                await _settle(app, pilot)
                await pilot.pause(0.1)  # its bundles and changes tabs are added on mount
                app.screen.action_section(section)
            await _settle(app, pilot)

        burst = [k for k in KEYS if k not in MOVING and k not in OVERLAYS] + OVERLAYS
        for section in (None, "tasks", "bundles", "changes"):
            await fresh(section)
            await press_quickly(app, pilot, burst)
        for key in ("i", "t", "enter", "slash"):
            await fresh(None)
            await press_quickly(app, pilot, [key, "down", "x", "enter"])
        assert tree_state(data_dir) == before
        await fresh(None)
        await pilot.press("i")
        await _settle(app, pilot)
        await fresh("bundles")
        app.screen.query_one("#bundles-pane").query_one(VirtualTable).focus()
        await pilot.press("x")
        await _settle(app, pilot)
    assert tree_state(data_dir) == before
    said = "\n".join(str(n) for n in notices)
    assert "chỉ xem" in said.lower(), said
