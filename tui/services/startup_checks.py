"""The start-up work around opening the unit's database (no Textual): before it,
remove what a killed export or backup left behind and look at the data folder's
drive; after it, take the day's first backup. Problems come back as sentences
for the app to show once the data is on screen; none stops the start."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from tui.context import AppContext
from tui.words.backup import backup_failed, storage_risk_sentence

log = logging.getLogger(__name__)


def before_open_checks(context: AppContext) -> list[str]:
    """Remove temp files a killed export, backup or evidence copy left behind (only
    the app's own, and never in read-only mode), and warn about a data folder on
    unsafe storage."""
    from store.mode import is_read_only
    from store.paths import EVIDENCE_DIR_NAME
    from store.safety import clean_leftover_temp_files, storage_risk

    locations = context.locations
    if not is_read_only():
        # evidence/ and the backups' evidence/: a copy being written when the app
        # was killed (k, or a backup carrying the store; up to 512 MiB each)
        folders = [locations.data_dir, locations.backups_dir, locations.evidence_dir,
                   locations.backups_dir / EVIDENCE_DIR_NAME]
        if context.config.last_export_dir:
            folders.append(Path(context.config.last_export_dir))
        removed = clean_leftover_temp_files(folders)
        if removed:
            log.info("removed leftover temp files: %s", removed)
    risk = storage_risk(locations.data_dir)
    return [storage_risk_sentence(risk)] if risk is not None else []


def after_open_checks(context: AppContext) -> list[str]:
    """Once the database passed its check and opened: the day's first backup,
    and rotation. A failed backup is a warning, not a reason to stop."""
    from store.backup import take_daily_backup
    from store.errors import BackupNotVerified

    if context.read_only:
        return []
    locations, keep = context.locations, context.config.backup
    try:
        take_daily_backup(locations.db_path, locations.backups_dir,
                          keep_daily=keep.keep_daily, keep_events=keep.keep_events,
                          evidence_dir=locations.evidence_dir)
    except (OSError, sqlite3.Error, BackupNotVerified) as error:
        log.exception("daily backup failed")
        return [backup_failed(error, locations.backups_dir)]
    return []
