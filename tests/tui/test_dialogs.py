"""The one confirmation dialog: the question, its buttons and tone, and a safe
default (No has the focus)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Button, Static

from tui.screens.dialogs import ConfirmDialog


async def _answer(dialog: ConfirmDialog, *keys: str) -> list[bool | None]:
    answers: list[bool | None] = []
    app = App()
    async with app.run_test() as pilot:
        app.push_screen(dialog, answers.append)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
    return answers


async def test_a_restore_asks_with_its_own_words_and_tone() -> None:
    dialog = ConfirmDialog("Restore the backup?", yes="Restore", no="Cancel", tone="warning")
    app = App()
    async with app.run_test() as pilot:
        app.push_screen(dialog)
        await pilot.pause()
        yes, no = dialog.query_one("#confirm-yes", Button), dialog.query_one("#confirm-no", Button)
        assert (str(yes.label), yes.variant, str(no.label)) == ("Restore", "warning", "Cancel")
        assert dialog.query_one(".dialog-box").has_class("-warning")
        assert str(dialog.query_one("#confirm-question", Static).render()) == "Restore the backup?"
        assert no.has_focus


async def test_enter_answers_no_escape_no_and_y_yes() -> None:
    assert await _answer(ConfirmDialog("Remove?"), "enter") == [False]
    assert await _answer(ConfirmDialog("Remove?"), "escape") == [False]
    assert await _answer(ConfirmDialog("Remove?"), "y") == [True]


async def _date_answers(*steps: str, latest=None) -> tuple[list, list[str]]:  # noqa: ANN001
    """Runs a DateDialog: each step is a key, or "=text" to type into the field, or
    "#id" to press that button. The dismissals and the error lines seen after each step."""
    import datetime as dt

    from textual.widgets import Input

    from tui.screens.dialogs import DateDialog

    answers: list[dt.date | None] = []
    lines: list[str] = []
    app = App()
    async with app.run_test() as pilot:
        dialog = DateDialog("When?", latest=latest)
        app.push_screen(dialog, answers.append)
        await pilot.pause()
        assert app.focused is dialog.query_one("#date-value", Input)
        for step in steps:
            if step.startswith("="):
                await pilot.press(*step[1:])
            elif step.startswith("#"):
                await pilot.click(step)
            else:
                await pilot.press(step)
            await pilot.pause()
            if not answers:
                lines.append(str(dialog.query_one("#date-error", Static).render()))
    return answers, lines


async def test_a_date_dialog_takes_a_date_on_enter_or_ok_and_none_on_escape_or_cancel() -> None:
    import datetime as dt

    assert await _date_answers("=03/11/2026", "enter") == ([dt.date(2026, 11, 3)], [""])
    assert await _date_answers("=03/11/2026", "#date-ok") == ([dt.date(2026, 11, 3)], [""])
    assert await _date_answers("=03/11/2026", "escape") == ([None], [""])
    assert await _date_answers("#date-cancel") == ([None], [])


async def test_a_date_dialog_says_why_it_cannot_take_a_date_and_stays() -> None:
    import datetime as dt

    from tui.i18n import _
    from tui.words import format as fmt

    answers, lines = await _date_answers("enter", "=31/02/2026", "enter", "escape")
    assert answers == [None]
    assert lines[0] == _("This cannot be empty.") and lines[2] not in ("", lines[0])
    answers, lines = await _date_answers("=04/11/2026", "enter", latest=dt.date(2026, 11, 3))
    assert answers == [] and lines[-1] == _("This date is after today ({today}).").format(
        today=fmt.date(dt.date(2026, 11, 3)))
