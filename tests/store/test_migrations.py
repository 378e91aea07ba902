import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from store import migrations, vocab
from store.connect import read_user_version
from store.errors import DatabaseNeedsUpgrade, DatabaseTooNew
from store.migrations import open_database, table_names
from store.vocab import SCHEMA_VERSION


def test_empty_file_gets_the_whole_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "cchc.db")
    try:
        assert read_user_version(db.path) == SCHEMA_VERSION
        assert {"unit", "assessment", "criterion", "task", "evidence", "change",
                "taskcriterion", "documentref", "exportrecord",
                "receivedbundle"} <= set(table_names(db))
    finally:
        db.dispose()


def test_a_database_newer_than_the_code_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cchc.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as raised:
        open_database(path)
    assert raised.value.found == SCHEMA_VERSION + 1
    with pytest.raises(DatabaseTooNew):
        open_database(path, read_only=True)
    assert path.read_bytes() == before


def test_an_older_database_is_backed_up_then_stepped_in_one_transaction(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cchc.db"
    open_database(path).dispose()

    def add_note_table(connection) -> None:  # noqa: ANN001
        connection.exec_driver_sql("CREATE TABLE note (body TEXT)")

    monkeypatch.setattr(vocab, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(migrations, "STEPS", {SCHEMA_VERSION: add_note_table})
    backups = tmp_path / "backups"
    db = open_database(path, backups_dir=backups)
    try:
        assert read_user_version(path) == SCHEMA_VERSION + 1
        assert "note" in table_names(db)
    finally:
        db.dispose()
    (backup,) = backups.glob("*.db")
    assert read_user_version(backup) == SCHEMA_VERSION


def test_a_failing_step_leaves_the_old_version(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cchc.db"
    open_database(path).dispose()

    def broken_step(connection) -> None:  # noqa: ANN001
        connection.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(vocab, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(migrations, "STEPS", {SCHEMA_VERSION: broken_step})
    with pytest.raises(RuntimeError):
        open_database(path, backups_dir=tmp_path / "backups")
    assert read_user_version(path) == SCHEMA_VERSION
    connection = sqlite3.connect(path)
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert "half_done" not in names


def test_read_only_open_of_an_older_database_is_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cchc.db"
    open_database(path).dispose()
    monkeypatch.setattr(vocab, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(DatabaseNeedsUpgrade):
        open_database(path, read_only=True)


def test_the_read_only_engine_refuses_writes(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    from store.errors import ReadOnlyDatabase

    path = tmp_path / "cchc.db"
    open_database(path).dispose()
    before = path.read_bytes()
    db = open_database(path, read_only=True)
    try:
        with pytest.raises(OperationalError, match="readonly"):
            with db.reader.begin() as connection:
                connection.execute(text("INSERT INTO unit (code, name, level, supervisor, "
                                        "search_key) VALUES ('1', 'x', 'xa', '', '')"))
        with pytest.raises(ReadOnlyDatabase):
            db.write()
    finally:
        db.dispose()
    assert path.read_bytes() == before


def test_connections_enforce_foreign_keys_and_wal(tmp_path: Path) -> None:
    db = open_database(tmp_path / "cchc.db")
    try:
        with db.writer.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        db.dispose()


def test_a_schema_1_database_gains_the_criterion_cause_and_keeps_its_data(
        tmp_path: Path, demo_db) -> None:  # noqa: ANN001
    """Schema 1 (before causes) steps to 2: every row kept, cause empty, backup first."""
    path = demo_db.path
    demo_db.dispose()
    connection = sqlite3.connect(path)
    criteria_before = connection.execute(
        "SELECT id, code, title, max_points, score, finding FROM criterion ORDER BY id").fetchall()
    _before_assignments(connection)
    tasks_before = connection.execute(f"SELECT {_TASK_BEFORE_ASSIGNMENTS} FROM task ORDER BY id"
                                      ).fetchall()
    connection.execute("ALTER TABLE criterion DROP COLUMN cause")
    connection.execute("ALTER TABLE criterion DROP COLUMN cause_kind")
    connection.execute("DROP TABLE reportdraft")  # schema 3
    connection.execute("PRAGMA user_version=1")
    connection.commit()
    connection.close()

    backups = tmp_path / "backups"
    open_database(path, backups_dir=backups).dispose()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute(
            "SELECT id, code, title, max_points, score, finding FROM criterion ORDER BY id"
        ).fetchall() == criteria_before
        assert connection.execute(f"SELECT {_TASK_BEFORE_ASSIGNMENTS} FROM task ORDER BY id"
                                  ).fetchall() == tasks_before
        assert connection.execute(
            "SELECT count(*) FROM criterion WHERE cause IS NOT NULL OR cause_kind IS NOT NULL"
        ).fetchone()[0] == 0
    finally:
        connection.close()
    (backup,) = backups.glob("*.db")
    assert read_user_version(backup) == 1


# What the assignments step added, to take a fresh database back to the version before.
_ASSIGNMENT_COLUMNS = {"assessment": ("assigned_by",),
                       "criterion": ("assigned_by", "withdrawn_at"),
                       "task": ("assigned_by", "lead", "withdrawn_at")}
_ASSIGNMENT_TABLES = ("issuedassignment", "reviewnote", "receivedassignment", "supervisornote")
_TASK_BEFORE_ASSIGNMENTS = ("id, uid, assessment_id, title, detail, owner, due, status, "
                            "progress, result, done_on, updated_at, search_key, owner_key, "
                            "points_at_stake")


# the version the assignments step starts from, whatever its number once others land
_ASSIGNMENTS_FROM = next(v for v, step in migrations.STEPS.items()
                         if step is migrations._add_assignments)


_REMOVALS_FROM = next(v for v, step in migrations.STEPS.items()
                      if step is migrations._add_removals)


def _before_removals(connection: sqlite3.Connection) -> None:
    connection.execute("DROP TABLE removal")
    connection.execute(f"PRAGMA user_version={_REMOVALS_FROM}")
    connection.commit()


def _before_assignments(connection: sqlite3.Connection) -> None:
    _before_removals(connection)  # the steps after it undone too
    for table in _ASSIGNMENT_TABLES:
        connection.execute(f"DROP TABLE {table}")
    for table, columns in _ASSIGNMENT_COLUMNS.items():
        for column in columns:
            connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    connection.execute(f"PRAGMA user_version={_ASSIGNMENTS_FROM}")
    connection.commit()


def _columns(connection: sqlite3.Connection) -> dict[str, set[tuple[str, str, int]]]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'task_search%'")]
    return {table: ({(row[1], row[2], row[3]) for row in connection.execute(
        f"PRAGMA table_info({table})")}, sorted((row[1], row[2]) for row in connection.execute(
            f"PRAGMA index_list({table})"))) for table in tables}


def test_a_database_before_assignments_gains_their_tables_and_keeps_its_data(
        tmp_path: Path, demo_db) -> None:  # noqa: ANN001
    """The assignments step, with its own DDL: every row kept, nothing marked as
    assigned, the same tables, columns and indexes as a database made fresh, a backup
    first."""
    path = demo_db.path
    demo_db.dispose()
    connection = sqlite3.connect(path)
    fresh_columns = _columns(connection)
    _before_assignments(connection)
    tasks_before = connection.execute(
        f"SELECT {_TASK_BEFORE_ASSIGNMENTS} FROM task ORDER BY id").fetchall()
    connection.close()

    backups = tmp_path / "backups"
    open_database(path, backups_dir=backups).dispose()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute(f"SELECT {_TASK_BEFORE_ASSIGNMENTS} FROM task ORDER BY id"
                                  ).fetchall() == tasks_before
        assert connection.execute("SELECT count(*) FROM task WHERE assigned_by IS NOT NULL "
                                  "OR lead IS NOT NULL OR withdrawn_at IS NOT NULL"
                                  ).fetchone()[0] == 0
        assert _columns(connection) == fresh_columns
    finally:
        connection.close()
    (backup,) = backups.glob("*.db")
    assert read_user_version(backup) == _ASSIGNMENTS_FROM


def _table_shape(path: Path, table: str) -> tuple[list, list]:
    connection = sqlite3.connect(path)
    try:
        columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
        indexes = sorted((row[1], row[2]) for row in
                         connection.execute(f"PRAGMA index_list({table})").fetchall())
        return columns, indexes
    finally:
        connection.close()


def test_a_database_before_drafts_gains_the_report_drafts_table_as_a_fresh_one_has_it(
        tmp_path: Path, demo_db) -> None:  # noqa: ANN001
    """Step 2 -> 3 writes its own DDL; it must give the table the model creates."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh).dispose()
    path = demo_db.path
    demo_db.dispose()
    # the version just before the drafts step, whatever its number once other steps land
    before = next(v for v, step in migrations.STEPS.items()
                  if step is migrations._add_report_drafts)
    connection = sqlite3.connect(path)
    _before_assignments(connection)  # the steps after it undone too
    connection.execute("DROP TABLE reportdraft")
    connection.execute(f"PRAGMA user_version={before}")
    connection.commit()
    connection.close()

    open_database(path, backups_dir=tmp_path / "backups").dispose()
    assert read_user_version(path) == SCHEMA_VERSION
    assert _table_shape(path, "reportdraft") == _table_shape(fresh, "reportdraft")


def test_a_database_before_removals_gains_their_table_as_a_fresh_one_has_it(
        tmp_path: Path, demo_db) -> None:  # noqa: ANN001
    """The removals step writes its own DDL; it must give the table the model creates,
    and keep every row."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh).dispose()
    path = demo_db.path
    demo_db.dispose()
    connection = sqlite3.connect(path)
    _before_removals(connection)
    tasks_before = connection.execute("SELECT * FROM task ORDER BY id").fetchall()
    connection.close()

    open_database(path, backups_dir=tmp_path / "backups").dispose()
    assert read_user_version(path) == SCHEMA_VERSION
    assert _table_shape(path, "removal") == _table_shape(fresh, "removal")
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT * FROM task ORDER BY id").fetchall() == tasks_before
    finally:
        connection.close()
