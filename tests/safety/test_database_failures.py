"""Each way a write can fail has its own sentence, from SQLite's result codes (never
"the database is busy" for all of them, never a raw SQLAlchemy message), and the
edit stays in the form until it can be saved."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from textual.widgets import Input, Static

from store.connect import database_failure
from store.paths import resolve
from store.vocab import DatabaseFailure
from tests.tui.test_app_start import Args
from tui.words.errors import busy, save_failure


def real_sqlite_error(failure: DatabaseFailure) -> sqlite3.Error:
    """The error SQLite itself gives for each state (made on a scratch database)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x)")
    try:
        if failure == DatabaseFailure.FULL:
            connection.execute("PRAGMA max_page_count=2")
            connection.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 10)
        elif failure == DatabaseFailure.READ_ONLY:
            connection.execute("PRAGMA query_only=ON")
            connection.execute("INSERT INTO t VALUES (1)")
        elif failure == DatabaseFailure.NOT_TEXT:
            connection.execute("INSERT INTO t VALUES (CAST(x'ff41' AS TEXT))")
            connection.execute("SELECT x FROM t").fetchall()
        elif failure == DatabaseFailure.BUSY:
            raise sqlite3.OperationalError("database is locked")
    except sqlite3.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError(f"SQLite gave no error for {failure}")


def wrapped(error: sqlite3.Error) -> OperationalError:
    """As SQLAlchemy raises it from a session."""
    return OperationalError("UPDATE task SET title=?", ("x",), error)


@pytest.mark.parametrize("failure", [DatabaseFailure.FULL, DatabaseFailure.READ_ONLY,
                                     DatabaseFailure.NOT_TEXT])
def test_each_failure_is_told_apart_from_busy(failure: DatabaseFailure) -> None:
    error = real_sqlite_error(failure)
    assert database_failure(error) == failure
    assert database_failure(wrapped(error)) == failure
    sentence = save_failure(wrapped(error))
    assert sentence != busy()
    assert "sqlalchemy" not in sentence.lower() and "sqlite3." not in sentence
    assert "UPDATE" not in sentence


def test_the_sentences_differ_from_each_other() -> None:
    sentences = {save_failure(wrapped(real_sqlite_error(failure)))
                 for failure in (DatabaseFailure.FULL, DatabaseFailure.READ_ONLY,
                                 DatabaseFailure.NOT_TEXT)}
    assert len(sentences) == 3 and busy() not in sentences


def test_an_export_that_fails_on_a_full_disk_says_so(demo_db, tmp_path: Path,  # noqa: ANN001
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from store.bundle.export import ExportFailed, export_bundle
    from store.bundle.signing import SigningKey
    from store.demo import DEMO_OFFICER, DEMO_UNIT
    from tui.words.bundle import export_failure_sentence

    @contextmanager
    def disk_full():  # noqa: ANN202
        raise wrapped(real_sqlite_error(DatabaseFailure.FULL))
        yield

    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(demo_db, "write", disk_full)
    result = export_bundle(demo_db, unit=DEMO_UNIT, officer=DEMO_OFFICER, target_dir=stick,
                           generator="tests", key=SigningKey.generate())
    assert isinstance(result, ExportFailed) and result.code == "database_failed"
    assert export_failure_sentence(result) == save_failure(
        wrapped(real_sqlite_error(DatabaseFailure.FULL)))
    assert list(stick.iterdir()) == []


async def test_an_edit_that_hits_a_full_disk_stays_in_the_form(data_dir: Path) -> None:
    from store.connect import connect
    from tui.app import CchcApp
    from tui.cli import make_context
    from tui.screens.task_form import TaskForm

    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        workspace, assessment_id = app.workspace, app.screen.assessment_id
        task_id = app.screen.query_one("#task-table").cursor_key
        database = workspace.db
        real_write = database.write

        @contextmanager
        def disk_full():  # noqa: ANN202 - the seam: SQLite's own SQLITE_FULL
            raise wrapped(real_sqlite_error(DatabaseFailure.FULL))
            yield

        database.write = disk_full  # type: ignore[method-assign]
        form = TaskForm(workspace, assessment_id, task_id)
        app.push_screen(form)
        await pilot.pause()
        form.query_one("#f-title", Input).value = "Tiêu đề mới sau khi dọn ổ đĩa"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        shown = str(form.query_one("#form-error", Static).render())
        assert shown == save_failure(wrapped(real_sqlite_error(DatabaseFailure.FULL)))
        assert "Ổ đĩa đã đầy" in shown
        assert form.query_one("#f-title", Input).value == "Tiêu đề mới sau khi dọn ổ đĩa"
        # Space freed: the same form saves what was typed.
        database.write = real_write  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not form
    connection = connect(resolve(data_dir, demo=True).db_path, read_only=True)
    try:
        titles = [row[0] for row in connection.execute("SELECT title FROM task")]
    finally:
        connection.close()
    assert "Tiêu đề mới sau khi dọn ổ đĩa" in titles


def test_every_store_code_of_read_only_mode_and_of_sqlite_has_a_sentence() -> None:
    from store.vocab import WriteKind
    from tui.words.errors import DATABASE_FAILURE, READ_ONLY_REFUSAL, refused_in_read_only

    assert set(READ_ONLY_REFUSAL) == {kind.value for kind in WriteKind}
    assert set(DATABASE_FAILURE) == {failure.value for failure in DatabaseFailure}
    refusals = {refused_in_read_only(kind) for kind in WriteKind}
    assert len(refusals) == len(WriteKind)
    assert all(sentence.startswith("Chế độ chỉ xem (--read-only)") for sentence in refusals)
