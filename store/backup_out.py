"""A backup written to another folder (a USB stick, `cchc backup --out DIR`, the
backups screen's "to a stick"): the database's checked copy with its key, and the
evidence store's copies beside it, so that the stick holds what the data folder
holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .backup import take_backup
from .evidence_files import copy_store


@dataclass(frozen=True)
class BackupWritten:
    path: Path
    evidence_copied: int  # evidence copies added to the folder's evidence store


def backup_to_folder(db_path: Path, folder: Path, evidence_dir: Path | None) -> BackupWritten:
    """Raises what take_backup() and copy_store() raise (OSError, sqlite3.Error,
    BackupNotVerified, WriteNotVerified, EditRefused for an unreadable copy)."""
    target = take_backup(db_path, folder, "manual")
    copied = copy_store(evidence_dir, folder) if evidence_dir is not None else 0
    return BackupWritten(target, copied)
