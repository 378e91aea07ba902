"""`cchc backup [--out DIR]`: take a backup of the database by hand."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.i18n import _, ngettext

NAME = "backup"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("take a backup of the database now"),
        description=_("Write a checked copy of the database (SQLite backup API) into the "
                      "backups folder, or into DIR, for example a USB stick."))
    parser.add_argument("--out", metavar=_("DIR"),
                        help=_("write the backup into DIR instead of the backups folder"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    import sqlite3

    from store.backup_out import backup_to_folder
    from store.errors import BackupNotVerified, DatabaseDamaged, EditRefused, WriteNotVerified
    from store.paths import EVIDENCE_DIR_NAME
    from tui.words.edits import edit_refusal
    from store.safety import check_database
    from tui.words import backup as backup_words, errors
    from tui.words.format import file_size
    from tui.words.visible import say

    db_path = context.locations.db_path
    if context.demo:
        from store.demo import seed_demo

        seed_demo(db_path)
    health = check_database(db_path)
    if health.problem == "missing":
        say(_("There is no database at {path} yet; there is nothing to back up.").format(
            path=db_path), file=sys.stderr)
        return 1
    if health.problem == "busy":
        say(errors.busy(), file=sys.stderr)
        return 1
    if health.problem not in (None, "too_new"):
        error = DatabaseDamaged(db_path, health.problem, health.detail)
        say(errors.error_sentence(error), file=sys.stderr)
        return 1
    out = Path(args.out).expanduser() if args.out else context.locations.backups_dir
    # Into another folder (a stick), the evidence copies go along: the data folder
    # itself holds them beside its own backups.
    evidence = context.locations.evidence_dir if args.out else None
    try:
        written = backup_to_folder(db_path, out, evidence)
    except (OSError, sqlite3.Error, BackupNotVerified, WriteNotVerified) as error:
        say(backup_words.backup_failed(error, out), file=sys.stderr)
        return 1
    except EditRefused as refused:
        say(edit_refusal(refused), file=sys.stderr)
        return 1
    target = written.path
    say(_("Backup written: {path} ({size}).").format(
        path=target, size=file_size(target.stat().st_size)))
    if written.evidence_copied:
        say(ngettext("{n} evidence copy written to {folder}.",
                     "{n} evidence copies written to {folder}.",
                     written.evidence_copied).format(
            n=written.evidence_copied, folder=target.parent / EVIDENCE_DIR_NAME))
    return 0
