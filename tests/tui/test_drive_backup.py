"""Backups to a stick from the backups screen (u): the removable drives plugged in
are listed (conftest points store.drives at an empty machine; a test plugs a stick
in there), a folder on the chosen one suggested; the backup and the evidence copies
land in it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from tests.tui.pane_host import settle
from tests.tui.test_panes import demo_app
from tests.tui.test_workspace import until


def _plug_stick(label: str) -> Path:
    """A stick mounted where udisks puts one: /media/$USER/<label>."""
    import store.drives

    stick = store.drives.MACHINE_ROOT / "media" / os.environ["USER"] / label
    stick.mkdir(parents=True)
    return stick


async def _submit(app, pilot) -> None:  # noqa: ANN001
    """Enter in the folder field (a click could land on a notice over the button)."""
    app.screen.query_one("#drive-folder", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def _open_dialog(app, pilot) -> None:  # noqa: ANN001
    await pilot.press("ctrl+b")
    await until(pilot, lambda: type(app.screen).__name__ == "BackupsScreen")
    await settle(app, pilot)
    await pilot.press("u")
    await until(pilot, lambda: type(app.screen).__name__ == "DriveBackupDialog")


async def test_u_lists_the_sticks_and_writes_the_backup_with_the_evidence_copies(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from store.evidence_files import keep_copy

    monkeypatch.setenv("USER", "lan")
    first = _plug_stick("KINGSTON")
    second = _plug_stick("SANDISK")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        source = tmp_path / "bb.pdf"
        source.write_bytes(b"bien ban")
        sha = hashlib.sha256(b"bien ban").hexdigest()
        keep_copy(source, app.workspace.evidence_dir, sha, "bb.pdf")
        await _open_dialog(app, pilot)
        drives = app.screen.query_one("#drive-list", OptionList)
        assert [str(drives.get_option_at_index(i).prompt) for i in range(drives.option_count)
                ] == [f"KINGSTON  ({first})", f"SANDISK  ({second})"]
        folder = app.screen.query_one("#drive-folder", Input)
        assert folder.value == str(first / "cchc-backups")
        drives.focus()
        await pilot.press("down")
        await pilot.pause()
        assert folder.value == str(second / "cchc-backups")
        await _submit(app, pilot)
        await until(pilot, lambda: type(app.screen).__name__ == "BackupsScreen")
        (backup,) = (second / "cchc-backups").glob("*.db")
        assert (second / "cchc-backups" / "evidence" / f"{sha}.pdf").read_bytes() == b"bien ban"
        assert any(str(backup) in n.message for n in app._notifications)
        assert not any(first.iterdir())


async def test_no_stick_says_so_and_a_folder_can_be_typed(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _open_dialog(app, pilot)
        said = str(app.screen.query_one("#no-drive", Static).render())
        assert said.startswith("Không thấy ổ USB nào")
        await _submit(app, pilot)
        await pilot.pause()
        assert str(app.screen.query_one("#drive-error", Static).render()) == (
            "Hãy chọn một ổ hoặc gõ một thư mục.")
        target = tmp_path / "elsewhere"
        app.screen.query_one("#drive-folder", Input).value = f'"{target}"'
        await _submit(app, pilot)
        await until(pilot, lambda: type(app.screen).__name__ == "BackupsScreen")
        assert len(list(target.glob("*.db"))) == 1


async def test_a_folder_that_cannot_be_written_is_told_and_the_dialog_stays(
        tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _open_dialog(app, pilot)
        app.screen.query_one("#drive-folder", Input).value = str(blocker / "inside")
        await _submit(app, pilot)
        error = app.screen.query_one("#drive-error", Static)
        from tui.words.backup import backup_failed

        expected = backup_failed(NotADirectoryError(20, os.strerror(20)), blocker / "inside")
        await until(pilot, lambda: str(error.render()) == expected)
        assert type(app.screen).__name__ == "DriveBackupDialog"


async def test_the_folder_field_has_the_focus_and_escape_or_cancel_writes_nothing(
        monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("USER", "lan")
    stick = _plug_stick("KINGSTON")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for leave in ("escape", "#drive-cancel"):
            await _open_dialog(app, pilot)
            assert app.focused is app.screen.query_one("#drive-folder", Input)
            if leave.startswith("#"):
                await pilot.click(leave)
            else:
                await pilot.press(leave)
            await until(pilot, lambda: type(app.screen).__name__ == "BackupsScreen")
    assert not any(stick.iterdir())
