"""Backups of a database, made with SQLite's backup API (never a file copy, which
can miss what is still in the -wal file or catch a half-written page).

Names say what a backup is, so the folder explains itself and rotation needs no
index file:  <stem>-<yyyymmdd>-<hhmmss>[-<n>]-<kind>[-<reason>].db
  stem    the database's file stem ("cchc", "review")
  n       2, 3... when two backups fall in the same second
  kind    daily   - the first start of a day; the last keep_daily are kept
          event   - before a migration, a receive, a restore; the last keep_events kept
          manual  - taken by hand (`cchc backup`, the Backups screen); never rotated
          damaged - a damaged database set aside by a restore; never rotated
  reason  what the event was: "migration-v1-v2", "receive", "before-restore"...

Every backup is written to a temp file beside it (store.safe_write.temp_name_for),
checked, switched to a self-contained rollback journal (so it can be read from a
stick or read-only media), then renamed.

The database's private signing key (store.keys: cchc.key beside cchc.db) goes with
it: <name>.key beside <name>.db, private like the original, rotated with it, and
put back by a restore, so that a restored unit keeps the identity its supervisor
holds.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import vocab
from .connect import connect
from .errors import BackupNotVerified, BackupRefused, DatabaseBusy, DatabaseDamaged
from .safe_write import fsync_directory, temp_name_for
from .mode import refuse_in_read_only
from .safety import DatabaseHealth, check_database
from .vocab import DatabaseKind, HealthProblem, RestoreMismatch, WriteKind

ROTATED_KINDS = ("daily", "event")
_KINDS = ("daily", "event", "manual", "damaged")
_NAME = re.compile(
    r"^(?P<stem>.+?)-(?P<date>\d{8})-(?P<time>\d{6})(?:-(?P<n>\d{1,4}))?"
    r"-(?P<kind>" + "|".join(_KINDS) + r")(?:-(?P<reason>[a-z0-9-]+))?\.db$")
_REASON = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    stem: str | None  # None for a .db file not named by us ("other")
    taken_at: dt.datetime  # local time (Vietnam) of the name, or the file's mtime
    kind: str  # daily | event | manual | damaged | other
    reason: str | None
    size: int
    counter: int = 1

    @property
    def sort_key(self) -> tuple[dt.datetime, int]:
        return (self.taken_at, self.counter)


@dataclass
class RestoreResult:
    restored_from: Path
    database: Path
    # The database as it was before the restore: an event backup, or (if it was
    # damaged) the damaged file set aside with its -wal/-shm. None if there was none.
    previous_kept_at: Path | None
    # The backup carried the database's private key and it was put back.
    key_restored: bool = False
    # Evidence copies the restored database records, brought back from the store
    # beside the backup into the data folder's (those it lacked).
    evidence_restored: int = 0


@dataclass(frozen=True)
class DatabaseIdentity:
    """Whose data a database file holds: its kind (None when it holds nothing that
    tells yet: no unit, no export, no received bundle) and its units' (code, name),
    by code."""

    kind: DatabaseKind | None
    units: tuple[tuple[str, str], ...] = ()

    @property
    def unit_codes(self) -> frozenset[str]:
        return frozenset(code for code, _name in self.units)


def _identity_tables() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tables only a review database fills, and those only a unit's fills."""
    from .assign.tables import IssuedAssignment, ReceivedAssignment, ReviewNote, SupervisorNote
    from .models import ExportRecord, ReceivedBundle, SenderKey

    return (tuple(model.__tablename__ for model in (ReceivedBundle, SenderKey,
                                                    IssuedAssignment, ReviewNote)),
            tuple(model.__tablename__ for model in (ExportRecord, ReceivedAssignment,
                                                    SupervisorNote)))


def database_identity(path: Path) -> DatabaseIdentity:
    """Read (mode=ro) whether path is a unit's database or a review database. A unit's
    and a review's share one schema: a review holds received bundles, senders' keys,
    the assignments it issued; a unit's holds its unit, its exports, the assignments
    it accepted. Raises sqlite3.Error."""
    from .models import Unit

    review_tables, unit_tables = _identity_tables()
    connection = connect(path, read_only=True)
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}

        def holds(table: str) -> bool:  # an older schema may not have the table yet
            return table in tables and bool(connection.execute(
                f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0])

        units = tuple((str(code), str(name)) for code, name in connection.execute(
            f"SELECT code, name FROM {Unit.__tablename__} ORDER BY code"))
        if any(holds(table) for table in review_tables):
            kind: DatabaseKind | None = DatabaseKind.REVIEW
        elif units or any(holds(table) for table in unit_tables):
            kind = DatabaseKind.UNIT
        else:
            kind = None
    finally:
        connection.close()
    return DatabaseIdentity(kind, units)


def _slug(reason: str) -> str:
    return _REASON.sub("-", reason.lower()).strip("-")[:40]


def backup_name(stem: str, when: dt.datetime, kind: str, reason: str | None = None,
                counter: int = 1) -> str:
    assert kind in _KINDS, kind
    number = f"-{counter}" if counter > 1 else ""
    tail = f"-{_slug(reason)}" if reason and _slug(reason) else ""
    return f"{stem}-{when:%Y%m%d-%H%M%S}{number}-{kind}{tail}.db"


def parse_backup_name(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    from .clock import LOCAL_ZONE

    taken_at = dt.datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M%S")
    return BackupInfo(path=path, stem=match["stem"], taken_at=taken_at.replace(tzinfo=LOCAL_ZONE),
                      kind=match["kind"], reason=match["reason"], size=0,
                      counter=int(match["n"] or 1))


def list_backups(backups_dir: Path, stem: str | None = None) -> list[BackupInfo]:
    """The .db files in backups_dir, newest first. With stem, only that database's
    backups, plus any .db not named by us (a copy the user put there)."""
    from .clock import LOCAL_ZONE

    found: list[BackupInfo] = []
    try:
        entries = list(os.scandir(backups_dir))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.endswith(".db"):
            continue
        try:
            if not entry.is_file():
                continue
            stat = entry.stat()
        except OSError:
            continue
        info = parse_backup_name(Path(entry.path))
        if info is None:
            modified = dt.datetime.fromtimestamp(stat.st_mtime, LOCAL_ZONE)
            info = BackupInfo(path=Path(entry.path), stem=None, taken_at=modified,
                              kind="other", reason=None, size=stat.st_size)
        elif stem is not None and info.stem != stem:
            continue
        else:
            info = BackupInfo(**{**info.__dict__, "size": stat.st_size})
        found.append(info)
    found.sort(key=lambda info: info.sort_key, reverse=True)
    return found


def _unique_target(backups_dir: Path, stem: str, kind: str, reason: str | None) -> Path:
    from .clock import now_local

    when = now_local()
    counter = 1
    while True:
        target = backups_dir / backup_name(stem, when, kind, reason, counter)
        if not target.exists():
            return target
        counter += 1


def _copy_key(source_db: Path, target_db: Path) -> Path | None:
    """The private key of source_db, copied beside target_db (0600); None if it has
    none. Raises OSError."""
    from .keys import key_path_for, write_key_file

    source = key_path_for(source_db)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return None
    target = key_path_for(target_db)
    write_key_file(target, data)
    return target


def backup_database(source: Path, target: Path, *, with_key: bool = True) -> Path:
    """Write a consistent, checked copy of source to target (replaced if present),
    and (with_key) the database's private key beside it.

    The source is opened read-only and may be in use by the app; the copy is one
    snapshot. Raises BackupNotVerified if the copy fails its quick_check, OSError
    and sqlite3.Error as they come.
    """
    target = Path(target)
    refuse_in_read_only(WriteKind.BACKUP, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = temp_name_for(target)
    try:
        src = connect(source, read_only=True)
        try:
            dst = connect(partial)
            try:
                src.backup(dst)
                # A WAL-mode copy would need -wal/-shm beside it to be read; a
                # backup must be one self-contained file.
                dst.execute("PRAGMA journal_mode=DELETE")
                result = [row[0] for row in dst.execute("PRAGMA quick_check")]
            finally:
                dst.close()
        finally:
            src.close()
        if result != ["ok"]:
            raise BackupNotVerified(target, "; ".join(result[:3]))
        os.replace(partial, target)
    except BaseException:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        raise
    if with_key:
        _copy_key(source, target)
    fsync_directory(target.parent)
    return target


def take_backup(db_path: Path, backups_dir: Path, kind: str,
                reason: str | None = None, *, evidence_dir: Path | None = None) -> Path:
    """A new backup of db_path in backups_dir, named by kind and reason; with
    evidence_dir (the data folder's evidence store), the copies backups_dir's own
    evidence store does not hold yet are added to it (one that cannot be read is
    passed over: the backup of the database stands). Raises what backup_database()
    and copy_store() raise."""
    from .evidence_files import copy_store

    target = _unique_target(backups_dir, Path(db_path).stem, kind, reason)
    written = backup_database(db_path, target)
    if evidence_dir is not None:
        copy_store(evidence_dir, backups_dir, skip_unreadable=True)
    return written


def rotate_backups(backups_dir: Path, stem: str, *, keep_daily: int,
                   keep_events: int) -> list[Path]:
    """Remove all but the newest keep_daily daily and keep_events event backups of
    stem (at least one of each is always kept). Manual and damaged ones stay."""
    keep = {"daily": max(keep_daily, 1), "event": max(keep_events, 1)}
    removed: list[Path] = []
    for kind in ROTATED_KINDS:
        of_kind = [info for info in list_backups(backups_dir, stem) if info.kind == kind]
        for info in of_kind[keep[kind]:]:
            try:
                info.path.unlink()
            except OSError:
                continue
            removed.append(info.path)
            _remove_key_of(info.path)
    return removed


def _remove_key_of(backup: Path) -> None:
    from .keys import key_path_for

    try:
        key_path_for(backup).unlink(missing_ok=True)
    except OSError:
        pass


def backup_before_event(db_path: Path, backups_dir: Path, reason: str, *,
                        keep_events: int | None = None) -> Path | None:
    """Take an event backup before something that changes the database in bulk
    (a migration, receiving bundles, a restore). Call it before the event's
    transaction; if it raises, do not go on with the event.

    Returns the backup's path, or None if there is no database yet. With
    keep_events (Config.backup.keep_events), older event backups are rotated out.
    """
    db_path = Path(db_path)
    refuse_in_read_only(WriteKind.BACKUP, backups_dir)
    if not db_path.exists():
        return None
    target = take_backup(db_path, backups_dir, "event", reason)
    if keep_events is not None:
        rotate_backups(backups_dir, db_path.stem, keep_daily=10**6, keep_events=keep_events)
    return target


def take_daily_backup(db_path: Path, backups_dir: Path, *, keep_daily: int,
                      keep_events: int, evidence_dir: Path | None = None) -> Path | None:
    """The first start of a day backs the database up (and, with evidence_dir, the
    evidence copies new since: take_backup); later starts that day do nothing.
    Rotates daily and event backups; the evidence store beside them is never thinned
    (a copy may be named by any backup kept). Returns the new backup or None."""
    from .clock import today

    db_path = Path(db_path)
    refuse_in_read_only(WriteKind.BACKUP, backups_dir)  # rotation deletes, too
    if not db_path.exists():
        return None
    stem = db_path.stem
    day = today()
    taken_today = any(info.kind == "daily" and info.taken_at.date() == day
                      for info in list_backups(backups_dir, stem))
    target = None if taken_today else take_backup(db_path, backups_dir, "daily",
                                                  evidence_dir=evidence_dir)
    rotate_backups(backups_dir, stem, keep_daily=keep_daily, keep_events=keep_events)
    return target


def check_backup(path: Path) -> DatabaseHealth:
    """A full integrity_check of a backup, plus: it is a CCHC database with tables,
    and its schema is not newer than this code."""
    return check_database(path, thorough=True, allow_fresh=False)


def newest_good_backup(backups_dir: Path, stem: str) -> BackupInfo | None:
    """The newest backup of stem that passes check_backup (damaged ones skipped)."""
    for info in list_backups(backups_dir, stem):
        if info.kind != "damaged" and info.stem == stem and check_backup(info.path).ok:
            return info
    return None


def _set_aside_damaged(db_path: Path, backups_dir: Path) -> Path:
    """Move a damaged database out of the way, its -wal/-shm/-journal with it
    (they belong to it; separating them is what loses data)."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = _unique_target(backups_dir, db_path.stem, "damaged", None)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = db_path.with_name(db_path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    os.replace(db_path, target)
    _copy_key(db_path, target)  # a copy: the key itself is not damaged
    fsync_directory(db_path.parent)
    return target


def _restore_key(backup: Path, db_path: Path, backups_dir: Path,
                 current_kept: bool) -> Path | None:
    """Put the backup's private key in place of the database's. A backup without
    one (taken before keys existed) leaves the current key as it is. The current
    key is kept with the "before-restore" backup or the damaged copy (current_kept),
    else, when it differs, as a dated file in backups_dir."""
    from .clock import now_local
    from .keys import KEY_FILE_SUFFIX, key_path_for, write_key_file

    restored = key_path_for(backup)
    if not restored.exists():
        return None
    live = key_path_for(db_path)
    if not current_kept and live.exists() and live.read_bytes() != restored.read_bytes():
        write_key_file(backups_dir / f"{db_path.stem}-{now_local():%Y%m%d-%H%M%S}-replaced"
                                     f"{KEY_FILE_SUFFIX}", live.read_bytes())
    return _copy_key(backup, db_path)


def _copy_into_live(backup: Path, db_path: Path) -> None:
    """Write backup's content into the database at db_path with the backup API:
    one write transaction on the live file, so other connections (another
    window) see either the old or the restored content, and a crash leaves the
    old. The write lock is taken first so that a busy database is reported
    (DatabaseBusy) instead of waited on forever."""
    src = connect(backup, read_only=True)
    try:
        dst = connect(db_path)
        try:
            try:
                dst.execute("BEGIN IMMEDIATE")
                dst.execute("ROLLBACK")
            except sqlite3.OperationalError as error:
                raise DatabaseBusy(db_path) from error
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _refuse_a_stranger(backup: Path, current: DatabaseIdentity | None,
                       kind: DatabaseKind | None, unit_code: str | None) -> None:
    """BackupRefused (a RestoreMismatch) if backup holds a database of the other kind
    than `kind` or of another unit than `unit_code`; each falls back on what the
    current database (its identity, when it could be read) tells."""
    found = database_identity(backup)
    kind = kind or (current.kind if current is not None else None)
    codes = frozenset({unit_code}) if unit_code else frozenset()
    if not codes and current is not None and current.kind == DatabaseKind.UNIT:
        codes = current.unit_codes
    names = dict(current.units) if current is not None else {}
    expected = DatabaseIdentity(kind, tuple((code, names.get(code, "")) for code in sorted(codes)))
    if kind is not None and found.kind is not None and found.kind != kind:
        raise BackupRefused(backup, RestoreMismatch.OTHER_KIND, found.kind, found, expected)
    if kind != DatabaseKind.REVIEW and codes and found.units and found.unit_codes != codes:
        raise BackupRefused(backup, RestoreMismatch.OTHER_UNIT, ", ".join(
            sorted(found.unit_codes)), found, expected)


def _identity_or_none(db_path: Path) -> DatabaseIdentity | None:
    try:
        return database_identity(db_path)
    except sqlite3.Error:
        return None


def _staged_upgrade(backup: Path, backups_dir: Path,
                    upgrade: Callable[[Path], None]) -> Path:
    """A copy of backup in backups_dir (named as the app's temp files are, so a kill
    leaves nothing the start-up cleanup does not remove), brought to the current
    schema by upgrade(path). The caller removes it."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    staged = temp_name_for(backups_dir / backup.name)
    try:
        backup_database(backup, staged, with_key=False)
        upgrade(staged)
    except BaseException:
        _remove_staged(staged)
        raise
    return staged


def _remove_staged(staged: Path) -> None:
    for leftover in (staged, *(staged.with_name(staged.name + suffix)
                               for suffix in ("-journal", "-wal", "-shm"))):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


def _keep_current(db_path: Path, current: DatabaseHealth | None, backups_dir: Path,
                  keep_events: int | None) -> Path | None:
    """Keep the database a restore replaces: a healthy one as an event backup
    "before-restore", a damaged one set aside as is (None: there is none). Raises
    DatabaseBusy, or DatabaseDamaged when it cannot be read to be kept."""
    if current is None:
        return None
    if current.damaged:
        return _set_aside_damaged(db_path, backups_dir)
    if current.problem in (None, HealthProblem.TOO_NEW):
        return backup_before_event(db_path, backups_dir, "before-restore",
                                   keep_events=keep_events)
    if current.problem == HealthProblem.BUSY:
        raise DatabaseBusy(db_path)
    # unreadable: the current database cannot be kept, so stop here
    raise DatabaseDamaged(db_path, current.problem or "", current.detail)


def restore_backup(backup: Path, db_path: Path, backups_dir: Path, *,
                   keep_events: int | None = None, kind: DatabaseKind | None = None,
                   unit_code: str | None = None,
                   upgrade: Callable[[Path], None] | None = None,
                   evidence_dir: Path | None = None) -> RestoreResult:
    """Replace the database at db_path with the content of backup.

    The backup is checked first (BackupRefused, nothing touched): it must be
    healthy, and of the database's kind (kind: a unit's or a review; default: what
    the current database holds) and, for a unit's, of its unit (unit_code: the
    configured unit; default: the current database's). The current database is
    kept: a healthy one as an event backup "before-restore", a damaged one set
    aside as is. Raises DatabaseBusy if another program holds the write lock.

    The content goes into the live file with the backup API, in one transaction:
    a window that has the database open sees the restored data on its next read
    and its edits land in it (never in a file moved away). upgrade
    (store.migrations.upgrade_file): a backup of an older schema is brought to the
    current one on a copy first, so that the open windows never read an old
    schema.
    """
    backup, db_path = Path(backup), Path(db_path)
    refuse_in_read_only(WriteKind.BACKUP, db_path)
    health = check_backup(backup)
    if not health.ok:
        raise BackupRefused(backup, health.problem or "", health.detail)
    current = check_database(db_path) if db_path.exists() else None
    readable = current is not None and current.ok and not current.fresh
    _refuse_a_stranger(backup, _identity_or_none(db_path) if readable else None, kind,
                       unit_code)
    # Upgraded before anything is kept or moved: a failing upgrade changes nothing.
    staged = (_staged_upgrade(backup, backups_dir, upgrade)
              if upgrade is not None and (health.user_version or 0) < vocab.SCHEMA_VERSION
              else None)
    try:
        kept = _keep_current(db_path, current, backups_dir, keep_events)
        if db_path.exists():
            _copy_into_live(staged or backup, db_path)
        else:
            backup_database(staged or backup, db_path, with_key=False)
    finally:
        if staged is not None:
            _remove_staged(staged)
    key = _restore_key(backup, db_path, backups_dir, current_kept=kept is not None)
    return RestoreResult(restored_from=backup, database=db_path, previous_kept_at=kept,
                         key_restored=key is not None,
                         evidence_restored=_bring_back_copies(backup, db_path, evidence_dir))


def _bring_back_copies(backup: Path, db_path: Path, evidence_dir: Path | None) -> int:
    from .evidence_files import bring_back_copies

    if evidence_dir is None:
        return 0
    try:
        return bring_back_copies(backup, db_path, evidence_dir)
    except (OSError, sqlite3.Error):
        return 0  # the database is restored; a copy not brought back shows as missing
