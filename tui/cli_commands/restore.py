"""`cchc restore FILE`: put a backup back in place of the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.i18n import _

NAME = "restore"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("replace the database with a backup"),
        description=_("Check the backup, keep the current database as a backup, then put "
                      "the backup's content in its place."))
    parser.add_argument("file", metavar=_("FILE"), help=_("the backup file (.db)"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    import sqlite3

    from store.backup import restore_backup
    from store.migrations import upgrade_file
    from store.vocab import DatabaseKind
    from store.errors import BackupNotVerified, BackupRefused, DatabaseBusy, DatabaseDamaged
    from tui.words.errors import error_sentence
    from tui.words.visible import say

    if context.read_only:
        say(_("Nothing can be restored in read-only mode."), file=sys.stderr)
        return 1
    backup = Path(args.file).expanduser()
    locations = context.locations
    try:
        result = restore_backup(backup, locations.db_path, locations.backups_dir,
                                keep_events=context.config.backup.keep_events,
                                kind=DatabaseKind.UNIT,
                                unit_code=context.config.unit.code or None,
                                upgrade=upgrade_file, evidence_dir=locations.evidence_dir)
    except (BackupRefused, BackupNotVerified, DatabaseBusy, DatabaseDamaged) as error:
        say(error_sentence(error), file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as error:
        say(_("The restore failed: {reason}. The database was not replaced.").format(
            reason=getattr(error, "strerror", None) or error), file=sys.stderr)
        return 1
    say(_("The database {path} now holds the content of {backup}.").format(
        path=result.database, backup=result.restored_from))
    if result.previous_kept_at is not None:
        say(_("The previous database was kept as {path}.").format(
            path=result.previous_kept_at))
    if result.evidence_restored:
        from tui.words.backup import evidence_restored

        say(evidence_restored(result.evidence_restored))
    return 0
