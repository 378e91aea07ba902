"""Opening a written document with the system's own program (Word, LibreOffice,
Excel...). The one place that knows each platform: os.startfile on Windows, `open`
on macOS, xdg-open elsewhere. The program is started detached, its output
discarded, and the app does not wait for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def open_command(path: Path, platform: str | None = None) -> list[str] | None:
    """The command that opens path, or None on Windows (os.startfile opens it)."""
    platform = platform or sys.platform
    if platform == "win32":
        return None
    if platform == "darwin":
        return ["open", str(path)]
    return ["xdg-open", str(path)]


def open_with_system(path: Path) -> str | None:
    """Open path; returns None when started, else why not (the OS's words: no
    program for the file type, xdg-open missing...). The UI words the failure."""
    command = open_command(path)
    try:
        if command is None:
            os.startfile(str(path))  # type: ignore[attr-defined]  # Windows only
        else:
            subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as error:
        return error.strerror or str(error)
    return None
