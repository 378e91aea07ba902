"""The walk of tests/tui/test_no_english.py, run in a process of its own: the
language is set before the app's modules are imported, as the command line does
(their keys are worded when a module is imported; pytest imports them earlier).

    python -m tests.tui.no_english_walk commune WIDTH HEIGHT [LANGUAGE]
    python -m tests.tui.no_english_walk review REVIEW_DB

prints {"seen": [screens looked at], "leaks": {screen: [English words]}}."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Words that reached the Vietnamese screen before, and their kin: Textual's keys,
# the palette, dialogs' buttons, the theme names, the date order. (A theme's own
# name, "Nord", "Dracula", is a name and stays.)
ENGLISH = ("None", "none", "Scroll", "Focus", "Copy", "Cut", "Paste", "Quit", "Save",
           "Cancel", "Yes", "No", "matches", "found", "Search", "Theme", "Themes",
           "textual", "Cursor", "Select", "Delete", "Toggle", "Submit", "Undo", "Redo",
           "Help", "Keys", "Close", "Press", "Task", "Tasks", "Status", "Owner",
           "Deadline", "Export", "Settings", "Back", "Open", "Edit", "Add", "Filter",
           "Sort", "Criteria", "Criterion", "Evidence", "Reports", "Backups", "Dark",
           "Light", "Page", "Move", "Show", "Hide", "Commands", "Next", "Previous",
           "Bottom", "Top", "Receive", "Bundles", "Changes", "Overview", "Progress")
_WORD = re.compile(r"(?<![\w/])(" + "|".join(ENGLISH) + r")(?![\w/])")
DATE_ORDER = "dd/mm/yyyy"


def english_words(text: str) -> list[str]:
    found = _WORD.findall(text)
    if DATE_ORDER in text:
        found.append(DATE_ORDER)
    return found


class Walk:
    """What each visited screen drew, by name: its English words."""

    def __init__(self, app: Any, pilot: Any) -> None:
        self.app, self.pilot = app, pilot
        self.seen: dict[str, list[str]] = {}

    async def settle(self) -> None:
        for _attempt in range(20):
            await self.app.workers.wait_for_complete()
            await self.pilot.pause()
            if all(worker.is_finished for worker in self.app.workers):
                break
        await self.pilot.pause()

    async def look(self, where: str, *, keys: bool = True) -> None:
        """The screen as drawn, then with the Keys panel over its focused part."""
        from tests.tui.screen_text import screen_text

        await self.settle()
        self.seen[where] = english_words(screen_text(self.app))
        if keys:
            self.app.action_show_help_panel()
            await self.settle()
            self.seen[f"{where} + keys"] = english_words(screen_text(self.app))
            self.app.action_hide_help_panel()
            await self.settle()

    async def palette(self, where: str, typed: str, opener: Callable[[], object]) -> None:
        from textual.command import CommandList

        opener()
        await self.settle()
        await self.pilot.press(*typed)
        commands = self.app.screen.query_one(CommandList)
        for _attempt in range(150):  # the search runs in the palette's worker
            if commands.option_count:
                break
            await self.pilot.pause(0.02)
        await self.pilot.pause(0.7)  # "no matches" shows after half a second
        await self.look(where, keys=False)
        await self.pilot.press("escape")
        await self.settle()

    async def form(self, where: str, form: Any) -> None:
        """A form, its keys, then Esc after a change: the question it asks."""
        self.app.push_screen(form)
        await self.look(where)
        await self.pilot.press("x")
        await self.pilot.press("escape")
        await self.look(f"{where}: throw away?", keys=False)
        await self.pilot.click("#confirm-yes")
        await self.settle()

    def report(self) -> dict[str, Any]:
        return {"seen": list(self.seen),
                "leaks": {where: words for where, words in self.seen.items() if words}}


async def walk_commune(app: Any, pilot: Any) -> Walk:
    from sqlalchemy import select

    from store.models import Criterion
    from tui.screens.cause_form import CauseForm
    from tui.screens.evidence_form import EvidenceForm
    from tui.screens.letter_forms import AssessmentForm, CriterionForm
    from tui.screens.task_form import TaskForm

    walk = Walk(app, pilot)
    await walk.look("tasks")
    workspace, assessment_id = app.workspace, app.screen.assessment_id
    for key, where in (("2", "criteria"), ("3", "deadlines"), ("1", "tasks again")):
        await pilot.press(key)
        await walk.look(where)
    await pilot.press("f")
    await walk.look("task filter")
    await pilot.press("escape")
    await walk.settle()
    await walk.palette("palette", "", app.action_command_palette)
    await walk.palette("palette, no match", "qqxzw", app.action_command_palette)
    await walk.palette("themes", "", app.action_change_theme)
    task_key = app.screen.query_one("#task-table").cursor_key
    app.screen.open_task(task_key)
    await walk.look("task")
    await walk.form("evidence form", EvidenceForm(workspace, int(task_key)))
    await pilot.press("escape")
    await walk.settle()
    with workspace.db.read() as session:
        lost = next(c.id for c in session.execute(select(Criterion)).scalars()
                    if c.score is not None and c.score < c.max_points)
    await walk.form("task form", TaskForm(workspace, assessment_id))
    await walk.form("criterion form", CriterionForm(workspace, assessment_id))
    await walk.form("assessment form", AssessmentForm(workspace))
    await walk.form("cause form", CauseForm(workspace, lost))
    for key, where in (("f1", "help"), ("f2", "settings"), ("ctrl+e", "export"),
                       ("ctrl+b", "backups"), ("ctrl+r", "reports")):
        await pilot.press(key)
        await walk.look(where)
        await pilot.press("escape")
        await walk.settle()
    return walk


async def walk_review(app: Any, pilot: Any) -> Walk:
    from tui.review.tasks import AllTasksScreen
    from tui.review.unit import UnitScreen

    walk = Walk(app, pilot)
    await walk.look("overview")
    await pilot.press("g")
    await walk.look("overview, other chart")
    overview = app.overview
    app.push_screen(UnitScreen(overview.all_rows[0], overview.today, app.review_db))
    await walk.look("unit")
    for section in ("criteria", "deadlines", "bundles", "changes", "tasks"):
        app.screen.action_section(section)
        await walk.look(f"unit {section}")
    app.pop_screen()
    await walk.settle()
    app.push_screen(AllTasksScreen(overview.today))
    await walk.look("all tasks")
    await walk.palette("review palette, no match", "qqxzw", app.action_command_palette)
    await pilot.press("escape")
    await pilot.press("f1")
    await walk.look("review help", keys=False)
    return walk


class _Args:
    data_dir = None
    demo = True
    read_only = False

    def __init__(self, lang: str) -> None:
        self.lang = lang


async def _commune(size: tuple[int, int], language: str) -> dict[str, Any]:
    from tui.app import CchcApp
    from tui.cli import make_context

    app = CchcApp(make_context(_Args(language)))
    async with app.run_test(size=size) as pilot:
        walk = Walk(app, pilot)
        await walk.settle()
        walk = await walk_commune(app, pilot)
    return walk.report()


async def _review(path: Path) -> dict[str, Any]:
    from store.config import Config
    from store.paths import resolve
    from tui.context import AppContext
    from tui.review.app import ReviewApp

    app = ReviewApp(AppContext(locations=resolve(path.parent), config=Config(language="vi")),
                    path)
    async with app.run_test(size=(120, 35)) as pilot:
        walk = Walk(app, pilot)
        await walk.settle()
        walk = await walk_review(app, pilot)
    return walk.report()


def main(argv: list[str]) -> None:
    from tui.i18n import set_language

    if argv[0] == "review":
        set_language("vi")
        report = asyncio.run(_review(Path(argv[1])))
    else:
        language = argv[3] if len(argv) > 3 else "vi"
        set_language(language)
        report = asyncio.run(_commune((int(argv[1]), int(argv[2])), language))
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
