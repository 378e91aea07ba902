"""Subcommands of `cchc`. Each module defines NAME, register(subparsers) and
run(args, context) -> exit code, and imports nothing heavy at module level, so
that `cchc --help` stays fast. Add a module here to add a command.

A command under another (`cchc review assign`) is registered as "review-assign",
reached by route_nested() and left out of the list of commands (its parent's help
names it)."""

from __future__ import annotations

import argparse
import importlib
from types import ModuleType

COMMAND_MODULES: tuple[str, ...] = ("backup", "restore", "export", "check", "review",
                                     "report", "assign", "note", "import_assignment")
NESTED = {("review", "assign"): "review-assign", ("review", "note"): "review-note"}
# Global options that take a value: the word after them is not the command.
_OPTIONS_WITH_VALUE = ("--data-dir", "--lang")


def load_commands() -> dict[str, ModuleType]:
    modules = [importlib.import_module(f"tui.cli_commands.{name}") for name in COMMAND_MODULES]
    return {module.NAME: module for module in modules}


def route_nested(argv: list[str]) -> list[str]:
    """["--demo", "review", "assign", "x.xlsx"] -> ["--demo", "review-assign", "x.xlsx"]."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in _OPTIONS_WITH_VALUE:
            index += 2
            continue
        if word.startswith("-"):
            index += 1
            continue
        pair = (word, argv[index + 1] if index + 1 < len(argv) else "")
        if pair in NESTED:
            return [*argv[:index], NESTED[pair], *argv[index + 2:]]
        return argv
    return argv


def hide_nested(subparsers: argparse._SubParsersAction) -> None:
    """Leave the nested commands out of `cchc --help` (argparse lists every parser)."""
    hidden = set(NESTED.values())
    subparsers._choices_actions = [action for action in subparsers._choices_actions
                                   if action.dest not in hidden]


def open_workspace_or_say_why(context):  # noqa: ANN001, ANN201 - AppContext -> Workspace | None
    """The unit's database for a command, or None once a known problem (damaged, busy,
    too new...) has been told on stderr in words; anything else is raised."""
    import sys

    from tui.services.workspace import open_workspace
    from tui.words.errors import error_sentence

    try:
        return open_workspace(context)
    except Exception as error:
        message = error_sentence(error)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return None
