"""The supervisor's review database: every unit's latest received snapshot plus the
record of received bundles (store.models.ReceivedBundle), same schema as a unit's.

Only the receive step writes it. The review screens open it with mode=ro, which is
why the file is kept in journal_mode=DELETE: a mode=ro reader of a WAL file would
create -wal and -shm files beside it, so the review would not be truly read-only.

Submodules: overview (one row per unit, totals, chart data), tasks (every task of
every unit, paged), changes (what changed between a unit's last two bundles),
bundles (the record of bundles received from a unit).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

    from store.db import Database

REVIEW_JOURNAL_MODE = "DELETE"

# A unit whose newest bundle is older than this is flagged as stale.
STALE_AFTER_DAYS = 30


def open_review_for_receiving(path: Path, backups_dir: Path | None = None, *,
                              alone: bool = False) -> "Database":
    """The review database, writable, created or migrated if needed (the receive step).

    alone: no viewer has the file open (the command line receives before the review
    screens start). Then the batch is written in WAL mode, a third faster per bundle
    (one sync per commit instead of three); close_after_receiving() puts the file back
    in DELETE mode. A batch killed half-way leaves WAL mode behind, which
    ensure_review_database() repairs before the next read-only view."""
    from store.migrations import open_database

    return open_database(path, backups_dir=backups_dir,
                         journal_mode="WAL" if alone else REVIEW_JOURNAL_MODE)


def close_after_receiving(db: "Database") -> None:
    """Close the writer and leave the file in journal_mode=DELETE (checkpointing a
    WAL, which removes the -wal and -shm files)."""
    from store.connect import connect

    db.dispose()
    connection = connect(db.path)
    try:
        connection.execute(f"PRAGMA journal_mode={REVIEW_JOURNAL_MODE}")
    finally:
        connection.close()


def open_review_read_only(path: Path) -> "Database":
    """The review database for the review screens: mode=ro, nothing can be written."""
    from store.migrations import open_database

    return open_database(path, read_only=True)


def open_overview_connection(path: Path) -> "sqlite3.Connection":
    """A plain read-only (mode=ro) DB-API connection for the overview, the review's
    first frame: no SQLAlchemy import on that path. Raises sqlite3.Error if the
    file cannot be read; open_review_read_only() says why in store terms."""
    from store.connect import connect

    return connect(path, read_only=True)


def ensure_review_database(path: Path, backups_dir: Path | None = None, *,
                           on_wait: "Callable[[], None] | None" = None) -> None:
    """Create (or migrate) the review database so that a read-only view can open it.

    An existing file in the current schema and journal mode is left untouched (not
    even opened for writing), so starting a review never changes its bytes. Writing
    waits for a receive that is running (on_wait() is called once if it has to): its
    file is in WAL mode until it ends."""
    from .turn import receiving_turn

    if _ready_for_viewers(path):
        return
    with receiving_turn(path, on_wait=on_wait):
        if not _ready_for_viewers(path):
            close_after_receiving(open_review_for_receiving(path, backups_dir))


def _ready_for_viewers(path: Path) -> bool:
    """In the current schema and in journal_mode=DELETE, with no write cut off (a
    hot journal, which a mode=ro viewer cannot roll back: the writable open does)."""
    from store import vocab
    from store.connect import has_rollback_journal, read_user_version

    return (path.exists() and not has_rollback_journal(path)
            and read_user_version(path) == vocab.SCHEMA_VERSION
            and _journal_mode_is_delete(path))


def _journal_mode_is_delete(path: Path) -> bool:
    # The file header says 2 at offsets 18-19 for WAL, 1 for a rollback journal.
    with open(path, "rb") as handle:
        header = handle.read(20)
    return len(header) == 20 and header[18] == 1 and header[19] == 1
