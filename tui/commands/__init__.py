"""Subcommands of `cchc`. Each module defines NAME, register(subparsers) and
run(args, context) -> exit code, and imports nothing heavy at module level, so
that `cchc --help` stays fast. Add a module here to add a command."""

from __future__ import annotations

import importlib
from types import ModuleType

COMMAND_MODULES: tuple[str, ...] = ("backup", "restore", "export", "check", "review",
                                     "key")


def load_commands() -> dict[str, ModuleType]:
    modules = [importlib.import_module(f"tui.commands.{name}") for name in COMMAND_MODULES]
    return {module.NAME: module for module in modules}
