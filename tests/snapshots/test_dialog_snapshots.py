"""SVG snapshots at 80x24 of the two dialogs built on InputDialog (tui/screens/dialogs.py),
over the demo's task list: the completion date asked with its error line showing, and
the backup to a stick with no stick plugged in (conftest's empty machine).

Review a changed snapshot by eye (snapshot_report.html) before --snapshot-update.
"""

from __future__ import annotations

from tests.snapshots.test_workspace_snapshots import demo_app, loaded

SMALL = (80, 24)


def test_date_dialog_with_its_error_80x24(snap_compare) -> None:  # noqa: ANN001
    async def run_before(pilot) -> None:  # noqa: ANN001
        from store.clock import today
        from tui.screens.dialogs import DateDialog
        from tui.words import format as fmt

        await loaded(pilot)
        pilot.app.push_screen(DateDialog("Ngày hoàn thành", None, today()))
        await pilot.pause()
        await pilot.press(*fmt.date(today().replace(year=today().year + 1)), "enter")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=run_before)


def test_drive_backup_dialog_without_a_stick_80x24(snap_compare) -> None:  # noqa: ANN001
    async def run_before(pilot) -> None:  # noqa: ANN001
        from tui.screens.drive_backup import DriveBackupDialog

        await loaded(pilot)
        locations = pilot.app.context.locations
        pilot.app.push_screen(DriveBackupDialog(locations.db_path, locations.evidence_dir))
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=run_before)
