"""`cchc import FILE [--dry-run]`: take in an assignment from the supervisor. What it
changes is shown first; a dry run stops there."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.i18n import _
from tui.words.visible import say

NAME = "import"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("import an assignment from the supervisor"),
        description=_("Check an assignment file from the supervisor, show what it changes "
                      "(assessments, criteria, tasks, notes), take a backup, then apply it in "
                      "one step. Your tasks' status, progress, owners, results and evidence "
                      "are never changed."))
    parser.add_argument("file", metavar=_("FILE"), help=_("the assignment file (.json)"))
    parser.add_argument("--dry-run", action="store_true",
                        help=_("only show what the file would change"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.assign.importing import import_assignment_file
    from tui.cli_commands import open_workspace_or_say_why
    from tui.words.assign import (import_changed_meanwhile_lines, import_detail_lines,
                                  import_preview_lines, import_verdict)

    unit = context.config.unit
    if not unit.configured:
        say(_("Set up the unit (code and name) before importing an assignment: run cchc "
                "once."), file=sys.stderr)
        return 1
    if context.read_only and not args.dry_run:
        say(_("Nothing can be imported in read-only mode; --dry-run shows what the file "
                "would change."), file=sys.stderr)
        return 1
    path = Path(args.file).expanduser()
    workspace = open_workspace_or_say_why(context)
    if workspace is None:
        return 1
    db = workspace.db
    locations = context.locations
    try:
        preview = import_assignment_file(db, path, unit_code=unit.code, dry_run=True)
        for line in import_preview_lines(preview):
            say(line)
        result = preview
        if preview.accepted and not args.dry_run:
            result = import_assignment_file(db, path, unit_code=unit.code,
                                            backups_dir=locations.backups_dir,
                                            keep_backups=context.config.backup.keep_events)
            for line in import_changed_meanwhile_lines(preview, result):
                say(line)
    finally:
        db.dispose()
    stream = sys.stdout if result.verdict in ("accepted", "already_imported") else sys.stderr
    say(import_verdict(result), file=stream)
    for line in import_detail_lines(result):
        say(line)
    return 0 if result.verdict in ("accepted", "already_imported") else 1
