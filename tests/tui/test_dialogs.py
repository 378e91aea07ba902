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
