"""Schema versions in PRAGMA user_version.

A fresh file gets the whole schema and SCHEMA_VERSION (store.vocab). An older file
is backed up (backup API) and then stepped forward, each step in one transaction. A
file newer than this code is refused, and a read-only open never migrates.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from . import models  # noqa: F401 - registers the tables on SQLModel.metadata
from . import vocab
from .assign import tables as _assignment_tables  # noqa: F401 - and those of schema 3
from .backup import backup_before_event
from .connect import read_user_version
from .db import Database
from .errors import (DatabaseBusy, DatabaseDamaged, DatabaseMissing, DatabaseNeedsUpgrade,
                     DatabaseTooNew)
from .safety import check_database
from .vocab import HealthProblem

# vocab.SCHEMA_VERSION is read when a function runs, not bound here, so that a test
# can play a newer program by patching it once for every module.


def _add_criterion_cause(connection: Connection) -> None:
    """Schema 2: the unit's cause (nguyên nhân) per criterion that lost points."""
    connection.exec_driver_sql("ALTER TABLE criterion ADD COLUMN cause VARCHAR")
    connection.exec_driver_sql("ALTER TABLE criterion ADD COLUMN cause_kind VARCHAR")


def _add_report_drafts(connection: Connection) -> None:
    """Schema 3: the sections of the plan and the results report that the unit
    writes itself (store.models.ReportDraft). The DDL is written out, not taken from
    the model, so that this step stays what it was when the model changes later."""
    connection.exec_driver_sql(
        "CREATE TABLE reportdraft (id INTEGER NOT NULL, assessment_id INTEGER NOT NULL, "
        "document VARCHAR NOT NULL, section VARCHAR NOT NULL, text VARCHAR NOT NULL, "
        "updated_at DATETIME NOT NULL, updated_by VARCHAR, PRIMARY KEY (id), "
        "UNIQUE (assessment_id, document, section), "
        "FOREIGN KEY(assessment_id) REFERENCES assessment (id) ON DELETE CASCADE)")
    connection.exec_driver_sql(
        "CREATE INDEX ix_reportdraft_assessment_id ON reportdraft (assessment_id)")


_KEYS_DDL_4 = (
    "CREATE TABLE IF NOT EXISTS ownkey (id INTEGER NOT NULL, public_key VARCHAR NOT NULL, "
    "fingerprint VARCHAR NOT NULL, created_at DATETIME NOT NULL, retired_at DATETIME, "
    "PRIMARY KEY (id), UNIQUE (public_key))",
    "CREATE TABLE IF NOT EXISTS senderkey (id INTEGER NOT NULL, sender_code VARCHAR NOT NULL, "
    "public_key VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, pinned_at DATETIME NOT NULL, "
    "source VARCHAR NOT NULL, confirmed BOOLEAN NOT NULL, confirmed_at DATETIME, "
    "\"by\" VARCHAR, from_bundle_id INTEGER, PRIMARY KEY (id), UNIQUE (sender_code))",
    "CREATE INDEX IF NOT EXISTS ix_senderkey_public_key ON senderkey (public_key)",
    "CREATE TABLE IF NOT EXISTS keyevent (id INTEGER NOT NULL, sender_code VARCHAR NOT NULL, "
    "at DATETIME NOT NULL, \"by\" VARCHAR, action VARCHAR NOT NULL, "
    "fingerprint VARCHAR NOT NULL, previous_fingerprint VARCHAR, PRIMARY KEY (id))",
    "CREATE INDEX IF NOT EXISTS ix_keyevent_sender_code ON keyevent (sender_code)",
)
_RECEIVED_BUNDLE_COLUMNS_4 = (
    ("version", "INTEGER NOT NULL DEFAULT 1"), ("public_key", "VARCHAR"),
    ("key_fingerprint", "VARCHAR"), ("assignments_held", "VARCHAR NOT NULL DEFAULT '[]'"),
    ("set_aside_at", "DATETIME"), ("set_aside_by", "VARCHAR"))


def _add_keys_and_set_aside(connection: Connection) -> None:
    """Schema 4 (bundle v2): the database's own key, the keys held per sender and
    their history; per received bundle its version, signer, assignments held and
    whether it was set aside. The DDL is written out (the step stays what it was when
    the models change), and safe on a database that already has some of it."""
    for statement in _KEYS_DDL_4:
        connection.exec_driver_sql(statement)
    present = {row[1] for row in connection.exec_driver_sql(
        "PRAGMA table_info(receivedbundle)")}
    for name, declaration in _RECEIVED_BUNDLE_COLUMNS_4:
        if name not in present:
            connection.exec_driver_sql(
                f"ALTER TABLE receivedbundle ADD COLUMN {name} {declaration}")


def _add_assignments(connection: Connection) -> None:
    """Schema 5: assignments (bundle-v2). What an assignment brought is marked on the
    unit's own rows; issued and received assignments and notes get tables
    (store.assign.tables). The DDL is written out, not taken from the models, so that
    this step stays what it was when a model changes later."""
    for statement in (
            "ALTER TABLE assessment ADD COLUMN assigned_by VARCHAR",
            "ALTER TABLE criterion ADD COLUMN assigned_by VARCHAR",
            "ALTER TABLE criterion ADD COLUMN withdrawn_at DATETIME",
            "ALTER TABLE task ADD COLUMN assigned_by VARCHAR",
            "ALTER TABLE task ADD COLUMN lead VARCHAR",
            "ALTER TABLE task ADD COLUMN withdrawn_at DATETIME",
            "CREATE TABLE issuedassignment (id INTEGER NOT NULL, issuer_code VARCHAR NOT NULL, "
            "issuer_name VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, sequence INTEGER NOT "
            "NULL, bundle_id VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, created_at VARCHAR NOT "
            "NULL, file_name VARCHAR NOT NULL, tasks INTEGER NOT NULL, notes INTEGER NOT NULL, "
            "content BLOB NOT NULL, PRIMARY KEY (id), UNIQUE (issuer_code, unit_code, "
            "sequence), UNIQUE (bundle_id))",
            "CREATE INDEX ix_issuedassignment_unit_code ON issuedassignment (unit_code)",
            'CREATE TABLE reviewnote (id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, '
            'task_uid VARCHAR NOT NULL, at DATETIME NOT NULL, "by" VARCHAR NOT NULL, text '
            'VARCHAR NOT NULL, sent_in VARCHAR, PRIMARY KEY (id))',
            "CREATE INDEX ix_reviewnote_sent_in ON reviewnote (sent_in)",
            "CREATE INDEX ix_reviewnote_unit_code ON reviewnote (unit_code)",
            "CREATE TABLE receivedassignment (id INTEGER NOT NULL, issuer_code VARCHAR NOT "
            "NULL, issuer_name VARCHAR NOT NULL, bundle_id VARCHAR NOT NULL, sequence INTEGER "
            "NOT NULL, sha256 VARCHAR NOT NULL, previous_sha256 VARCHAR, created_at VARCHAR "
            "NOT NULL, file_name VARCHAR NOT NULL, imported_at DATETIME NOT NULL, warnings "
            "VARCHAR NOT NULL, PRIMARY KEY (id), UNIQUE (bundle_id))",
            "CREATE INDEX ix_receivedassignment_issuer_code ON receivedassignment "
            "(issuer_code)",
            'CREATE TABLE supervisornote (id INTEGER NOT NULL, task_id INTEGER NOT NULL, '
            'issuer_code VARCHAR NOT NULL, at DATETIME NOT NULL, "by" VARCHAR NOT NULL, text '
            'VARCHAR NOT NULL, PRIMARY KEY (id), FOREIGN KEY(task_id) REFERENCES task (id) '
            'ON DELETE CASCADE)',
            "CREATE INDEX ix_supervisornote_task_id ON supervisornote (task_id)"):
        connection.exec_driver_sql(statement)


# version N -> the step that takes a database from N to N+1
STEPS: dict[int, Callable[[Connection], None]] = {1: _add_criterion_cause,
                                                   2: _add_report_drafts,
                                                   3: _add_keys_and_set_aside,
                                                   4: _add_assignments}


def _has_tables(connection: Connection) -> bool:
    count = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type='table'").scalar_one()
    return count > 0


def migrate(db: Database, backups_dir: Path | None = None) -> int:
    """Bring the database to SCHEMA_VERSION. Returns the version it was found at."""
    assert db.writer is not None, "migrate() needs a writable database"
    latest = vocab.SCHEMA_VERSION
    with db.writer.connect() as connection:
        found = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
        if found > latest:
            raise DatabaseTooNew(db.path, found, latest)
        if found == latest:
            return found
        fresh = found == 0 and not _has_tables(connection)
        connection.rollback()  # end the autobegun read before our own transaction
        if fresh:
            with connection.begin():
                SQLModel.metadata.create_all(connection)
                connection.exec_driver_sql(f"PRAGMA user_version={latest}")
            return found
    if backups_dir is not None:
        backup_before_event(db.path, backups_dir, f"migration-v{found}-v{latest}")
    with db.writer.connect() as connection:
        for version in range(found, latest):
            with connection.begin():
                STEPS[version](connection)
                connection.exec_driver_sql(f"PRAGMA user_version={version + 1}")
    return found


def upgrade_file(path: Path) -> None:
    """Bring the database file at path to SCHEMA_VERSION, without an event backup:
    a restore's staged copy of a backup (store.backup.restore_backup's upgrade)."""
    db = Database(path, journal_mode="DELETE")
    try:
        migrate(db)
    finally:
        db.dispose()


def check_before_open(path: Path, *, read_only: bool) -> None:
    """The startup check (quick_check, read-only): a damaged database is never
    opened for writing. Raises DatabaseDamaged, DatabaseBusy, DatabaseTooNew,
    DatabaseNeedsUpgrade (read-only) or DatabaseMissing (read-only)."""
    latest = vocab.SCHEMA_VERSION
    health = check_database(path)
    if health.problem == HealthProblem.MISSING:
        if read_only:
            raise DatabaseMissing(path)
        return
    if health.problem == HealthProblem.TOO_NEW:
        raise DatabaseTooNew(path, health.user_version or 0, latest)
    if health.problem == HealthProblem.BUSY:
        raise DatabaseBusy(path)
    if health.problem is not None:
        raise DatabaseDamaged(path, health.problem, health.detail)
    if read_only and (health.user_version or 0) < latest:
        raise DatabaseNeedsUpgrade(path, health.user_version or 0, latest)


def open_database(path: Path, *, read_only: bool = False,
                  backups_dir: Path | None = None, journal_mode: str = "WAL") -> Database:
    """Check, then open (and, when writable, create or migrate) a database file.

    journal_mode: see store.db.make_engine (the review database uses DELETE)."""
    path = Path(path)
    check_before_open(path, read_only=read_only)
    if read_only:
        return Database(path, read_only=True)
    if path.exists() and path.stat().st_size > 0:
        # Checked before a writable connection switches the file to WAL mode:
        # a newer database must stay byte-for-byte as it was.
        found = read_user_version(path)
        if found > vocab.SCHEMA_VERSION:
            raise DatabaseTooNew(path, found, vocab.SCHEMA_VERSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path, journal_mode=journal_mode)
    try:
        migrate(db, backups_dir)
    except BaseException:
        db.dispose()
        raise
    return db


def table_names(db: Database) -> list[str]:
    with db.reader.connect() as connection:
        rows = connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"))
        return [row[0] for row in rows]
