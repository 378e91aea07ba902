"""Export for the screen and the command line: where to, with whose names, and
remembering the folder. Runs in a worker or a command (it imports the store)."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from pathlib import Path

from tui import __version__
from tui.context import AppContext

GENERATOR = f"cchc {__version__}"


def default_folder(context: AppContext) -> Path:
    from store.bundle.export import default_export_folder

    return default_export_folder(context.locations.data_dir)


def chosen_folder(context: AppContext, typed: str | None) -> tuple[Path, bool]:
    """The folder to export to, and whether it may be created: a typed folder, else
    the last one used, else the exports folder in the data folder (created)."""
    if typed:
        return Path(typed).expanduser(), False
    if context.config.last_export_dir:
        return Path(context.config.last_export_dir), False
    return default_folder(context), True


def export_to(context: AppContext, db, folder: Path, create_folder: bool):  # noqa: ANN001, ANN201
    """Export the configured unit from db into folder, signed with the unit's key
    (ExportDone or ExportFailed; "signing_key" with details["state"] when the key
    cannot sign); a successful export to another folder than the default is
    remembered."""
    from store.bundle.export import ExportDone, ExportFailed, export_bundle
    from tui.services.workspace import unit_key_state

    key = unit_key_state(context, db)
    if not key.ok:
        return ExportFailed("signing_key", None, {"state": key})
    result = export_bundle(db, unit=asdict(context.config.unit),
                           officer=asdict(context.config.officer), target_dir=folder,
                           generator=GENERATOR, key=key.key, create_folder=create_folder)
    if isinstance(result, ExportDone) and folder != default_folder(context):
        remember_folder(context, folder)
    return result


def remember_folder(context: AppContext, folder: Path) -> None:
    """Keep the folder as config.last_export_dir; a settings file with a problem is left
    alone (saving would drop the values the user still has to fix)."""
    folder_text = str(folder.absolute())
    if context.config.last_export_dir == folder_text:
        return
    context.config.last_export_dir = folder_text
    keep_settings(context)


def keep_settings(context: AppContext) -> None:
    """Save the settings after the app changed a convenience in them (a folder last
    used); a settings file with a problem is left alone, and a failure to save is
    no failure of the work that was done."""
    from store.config import save_config
    from store.errors import BrokenConfigFile

    if context.config_problem is not None:
        return
    try:
        save_config(context.config, context.locations.config_file)
    except (BrokenConfigFile, OSError):
        pass


def removable_drives() -> list[Path]:
    """Folders of removable drives: Windows drive letters of removable type, or the
    mount points under /media/$USER and /run/media/$USER on Linux."""
    if sys.platform == "win32":
        return _windows_removable_drives()
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
    found: list[Path] = []
    if not user:
        return found
    for base in (Path("/media") / user, Path("/run/media") / user):
        try:
            found.extend(sorted(p for p in base.iterdir() if p.is_dir()))
        except OSError:
            continue
    return found


def _windows_removable_drives() -> list[Path]:
    import ctypes
    import string

    drive_removable = 2
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    drives = []
    for index, letter in enumerate(string.ascii_uppercase):
        if mask & (1 << index):
            root = f"{letter}:\\"
            if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == drive_removable:
                drives.append(Path(root))
    return drives
