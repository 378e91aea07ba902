"""Subcommands of `cchc`. Each module defines NAME, register(subparsers) and
run(args, context) -> exit code, and imports nothing heavy at module level, so
that `cchc --help` stays fast. Add a module here to add a command."""

from __future__ import annotations

import importlib
from types import ModuleType

COMMAND_MODULES: tuple[str, ...] = ("backup", "restore", "export", "check", "review",
                                     "report", "key", "import_assignment")


def load_commands() -> dict[str, ModuleType]:
    modules = [importlib.import_module(f"tui.cli_commands.{name}") for name in COMMAND_MODULES]
    return {module.NAME: module for module in modules}


def open_workspace_or_say_why(context):  # noqa: ANN001, ANN201 - AppContext -> Workspace | None
    """The unit's database for a command, or None once a known problem (damaged, busy,
    too new...) has been told on stderr in words; anything else is raised."""
    import sys

    from tui.services.workspace import open_workspace
    from tui.words.errors import error_sentence
    from tui.words.keys import own_key_notice
    from tui.words.visible import say

    try:
        workspace = open_workspace(context)
    except Exception as error:
        message = error_sentence(error)
        if message is None:
            raise
        say(message, file=sys.stderr)
        return None
    # A key made now, or made private again, is told once; a key problem is the
    # command's to tell (export and key say what to do).
    notice = own_key_notice(workspace.key)
    if notice is not None and workspace.key.ok:
        say(notice, file=sys.stderr)
    return workspace
