"""A supervisor's note on a unit's task, from the review's task detail (issue 14,
item 3): written in a dialog, kept in the review database, shown in the detail
newest first, waiting for the unit's next assignment file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TextArea

from tests.review.test_assign_screen import ready
from tests.review.test_review_ui import make_app


async def open_first_task(app, pilot) -> None:  # noqa: ANN001
    from tui.review.task_notes import ReviewTaskScreen

    await ready(app, pilot)
    await pilot.press("enter")  # the first unit
    await ready(app, pilot)
    await pilot.press("enter")  # its first task
    await ready(app, pilot)
    assert isinstance(app.screen, ReviewTaskScreen)


async def write_note(app, pilot, words: str, by: str | None = None) -> str:  # noqa: ANN001
    """m, the note typed (and who wrote it, when given), ctrl+s. Returns who the
    dialog proposed as the writer."""
    from tui.review.task_notes import NoteDialog

    await pilot.press("m")
    await ready(app, pilot)
    assert isinstance(app.screen, NoteDialog)
    writer = app.screen.query_one("#note-by", Input)
    proposed = writer.value
    app.screen.query_one("#note-text", TextArea).text = words
    if by is not None:
        writer.value = by
    await pilot.press("ctrl+s")
    await ready(app, pilot)
    return proposed


def notes_shown(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#review-notes", Static).render())


def stored_notes(path: Path) -> list[tuple[str, str, str, str | None]]:
    from store.connect import connect

    connection = connect(path, read_only=True)
    try:
        return list(connection.execute(
            "SELECT unit_code, by, text, sent_in FROM reviewnote ORDER BY id"))
    finally:
        connection.close()


async def test_a_note_is_written_kept_and_shown_newest_first(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    app.context.config.officer.name = "Trần Thị Mai"
    async with app.run_test(size=(100, 40)) as pilot:
        await open_first_task(app, pilot)
        assert "Chưa có ghi chú" in notes_shown(app)
        assert "gửi cho đơn vị cùng tệp giao việc tiếp theo" in notes_shown(app)
        for words in ("Thiếu tài liệu kiểm chứng", "Đã bổ sung [b]báo cáo[/b]?"):
            by = await write_note(app, pilot, words)
            assert by == "Trần Thị Mai"  # the officer of the settings, proposed
        shown = notes_shown(app)
        assert shown.index("Đã bổ sung [b]báo cáo[/b]?") < shown.index("Thiếu tài liệu")
        assert "Trần Thị Mai · chờ tệp giao việc tiếp theo" in shown
        title = str(app.screen.query_one("#review-notes-title", Static).render())
        assert "(2)" in title
    assert [(n[1], n[2], n[3]) for n in stored_notes(review_db_path)] == [
        ("Trần Thị Mai", "Thiếu tài liệu kiểm chứng", None),
        ("Trần Thị Mai", "Đã bổ sung [b]báo cáo[/b]?", None)]


async def test_an_empty_note_is_refused_in_the_dialog_and_nothing_is_kept(
        review_db_path: Path) -> None:
    from tui.review.task_notes import NoteDialog

    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_first_task(app, pilot)
        await write_note(app, pilot, "   ", by="Mai")
        assert isinstance(app.screen, NoteDialog)
        assert "Hãy viết ghi chú" in str(app.screen.query_one("#note-error", Static).render())
        await pilot.press("escape")
        await ready(app, pilot)
        assert "Chưa có ghi chú" in notes_shown(app)
    assert stored_notes(review_db_path) == []


async def test_a_note_the_store_refuses_is_told_and_not_kept(review_db_path: Path) -> None:
    app = make_app(review_db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_first_task(app, pilot)
        await write_note(app, pilot, "x" * 10_001, by="Mai")
        assert "Chưa có ghi chú" in notes_shown(app)
    assert stored_notes(review_db_path) == []


async def test_a_read_only_review_writes_no_note(review_db_path: Path) -> None:
    from dataclasses import replace

    from tui.review.task_notes import NoteDialog

    app = make_app(review_db_path)
    app.context = replace(app.context, read_only=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_first_task(app, pilot)
        await pilot.press("m")
        await ready(app, pilot)
        assert not isinstance(app.screen, NoteDialog)
