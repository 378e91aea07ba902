"""Workspace speed: prints figures and their ratio to the targets (never asserts).

    python tests/bench/bench_workspace.py [--tasks 100000] [--runs 5]

1. A database of 100,000 tasks: time from the database being open to the first
   frame that shows the task list (target < 0.5 s), in the real app (the database
   opens in its worker while Textual starts, as for a user).
2. Search as you type over those tasks: time from a keystroke to the repaint of the
   list (target < 50 ms), for every keystroke of a few queries.
3. `cchc --demo`, the real command: process start to first frame (and to the frame
   with its tasks), as a ratio to a bare Textual app showing one DataTable (target
   <= 1.15, issue 16), best of N alternating subprocesses; beside it, the same
   Textual widgets as the demo's first frame without the app's code (what of the
   ratio is Textual's own).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import child_environment  # noqa: E402

DEMO_TARGET = 1.15  # issue 16: demo start -> first frame, against the bare app
QUERIES = ("khac phuc", "dang", "ho so tre han", "7.5")


def _watch_first_paint(table_id: str, on_paint) -> None:  # noqa: ANN001
    """Call on_paint(table) whenever the table paints its first line."""
    from tui.widgets.virtual_table import VirtualTable

    original = VirtualTable.render_line

    def render_line(self, y: int):  # noqa: ANN001, ANN202
        strip = original(self, y)
        if self.id == table_id and y == 1:
            on_paint(self)
        return strip

    VirtualTable.render_line = render_line


def _big_data_dir(tasks: int) -> Path:
    """A data folder whose config names the demo unit and whose database holds
    the demo plus `tasks` generated tasks (made once, kept in the temp folder)."""
    from store.config import Config, OfficerConfig, UnitConfig, save_config
    from store.demo import DEMO_OFFICER, DEMO_UNIT
    from store.paths import resolve
    from tests.bench.bigdb import make_big_database

    folder = Path(tempfile.gettempdir()) / f"cchc-bench-{tasks}"
    locations = resolve(str(folder)).ensure()
    if not locations.db_path.exists():
        started = time.perf_counter()
        partial = locations.db_path.with_name("building.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        make_big_database(partial, tasks)
        partial.rename(locations.db_path)
        print(f"  (made a database of {tasks:,} tasks in {time.perf_counter() - started:.1f} s)")
    config = Config(unit=UnitConfig(**DEMO_UNIT), officer=OfficerConfig(**DEMO_OFFICER))
    save_config(config, locations.config_file)
    return folder


async def _big_list(folder: Path) -> tuple[float, dict[str, list[float]]]:
    import tui.services.workspace
    from tui.app import CchcApp
    from tui.cli import make_context

    marks: dict[str, float] = {}
    original_open = tui.services.workspace.open_workspace

    def timed_open(context):  # noqa: ANN001, ANN202
        workspace = original_open(context)
        marks["open"] = time.perf_counter()
        return workspace

    tui.services.workspace.open_workspace = timed_open
    armed = {"key": None}

    def painted(table) -> None:  # noqa: ANN001
        if table.row_count:
            marks.setdefault("first", time.perf_counter())
        if armed["key"] is not None and table.source is not armed["key"]:
            marks["repaint"] = time.perf_counter()
            armed["key"] = None

    _watch_first_paint("task-table", painted)

    class Args:
        data_dir = str(folder)
        demo = False
        lang = None
        read_only = False

    app = CchcApp(make_context(Args()))
    keystrokes: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while "first" not in marks:
            await asyncio.sleep(0.005)
        first_frame = marks["first"] - marks["open"]
        table = app.screen.query_one("#task-table")
        assert table.row_count >= 100_000, table.row_count
        search = app.screen.query_one("#task-search")
        for query in QUERIES:
            search.focus()
            search.value = ""
            await pilot.pause()
            times = []
            for character in query:
                armed["key"] = table.source
                marks.pop("repaint", None)
                pressed = time.perf_counter()
                await pilot.press("space" if character == " " else character)
                while "repaint" not in marks:
                    await asyncio.sleep(0.001)
                times.append(marks["repaint"] - pressed)
            keystrokes[query] = times
    tui.services.workspace.open_workspace = original_open
    return first_frame, keystrokes


# The real command, `cchc --demo`, as a terminal would start it (headless: Textual
# draws to no terminal); the child prints the wall clock at the frame asked for.
CHILD_DEMO = """
import sys, time
sys.path.insert(0, {root!r})
import textual.app
run = textual.app.App.run
textual.app.App.run = lambda self, **kw: run(self, headless=True, size=(100, 30))
import tui.app
from tui.widgets.virtual_table import VirtualTable
def done(app):
    print("FRAME", time.time(), flush=True)
    app.call_later(app.exit)
if {until!r} == "ready":
    tui.app.CchcApp.on_ready = lambda self: done(self)
original = VirtualTable.render_line
def render_line(self, y):
    strip = original(self, y)
    if self.id == "task-table" and y == 1 and self.row_count:
        done(self.app)
    return strip
VirtualTable.render_line = render_line
from tui.cli import main
main(["--demo", "--lang", "vi"])
"""


def _reference_app(widgets: str, compose: str) -> str:
    """A Textual app without any of the app's code, composing `compose` (lines of
    its compose()'s body) with `widgets` imported, a DataTable of 20 rows among them;
    it prints the wall clock at its first frame."""
    return """
import time
from textual.app import App
from textual.widgets import WIDGETS
class Reference(App):
    def compose(self):
COMPOSE
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Criteria", "Task", "Owner", "Deadline", "Status")
        for n in range(20):
            table.add_row("3.2", f"Task {n}", "Nguyễn Thị Lan", "21/11/2026", "todo")
    def on_ready(self):
        print("FRAME", time.time(), flush=True)
        self.call_later(self.exit)
Reference().run(headless=True, size=(100, 30))
""".replace("WIDGETS", widgets).replace("COMPOSE", compose.strip("\n"))


CHILD_BARE = _reference_app("DataTable", """
        yield DataTable()
""")

# What the demo's first frame is made of in Textual's own widgets (title bar, summary
# line, four tabs, a search field over a table, a keys footer), with none of the app's
# code: how much of the demo's ratio to the bare app is Textual's, how much the app's.
CHILD_SAME_WIDGETS = _reference_app(
    "DataTable, Footer, Header, Input, Static, TabbedContent, TabPane", """
        yield Header()
        yield Static("Opening the database...")
        with TabbedContent(initial="tasks"):
            with TabPane("1 Tasks", id="tasks"):
                yield Input(placeholder="search")
                yield DataTable()
            yield TabPane("2 Criteria", id="criteria")
            yield TabPane("3 Deadlines", id="deadlines")
            yield TabPane("4 Today", id="today")
        yield Footer()
""")


def _time_to_frame(code: str, env: dict[str, str]) -> float:
    """From starting the process to the first frame it reports (the child prints
    the wall clock when it paints; exiting is not counted)."""
    started = time.time()
    output = subprocess.run([sys.executable, "-c", code], check=True, env=env,
                            capture_output=True, text=True).stdout
    return next(float(line.split()[1]) for line in output.splitlines()
                if line.startswith("FRAME")) - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("big", "demo"))
    args = parser.parse_args()
    os.environ.setdefault("CCHC_TODAY", "2026-11-21")
    from tui.i18n import set_language

    set_language("vi")

    if args.only != "demo":
        _bench_big_list(args.tasks)
    if args.only != "big":
        _bench_demo(args.runs)


def _bench_big_list(tasks: int) -> None:
    print(f"Task list of {tasks:,} tasks")
    folder = _big_data_dir(tasks)
    first_frame, keystrokes = asyncio.run(_big_list(folder))
    print(f"  first frame after the database is open: {first_frame * 1000:.0f} ms "
          f"(target 500 ms, ratio {first_frame / 0.5:.2f})")
    every = [t for times in keystrokes.values() for t in times]
    for query, times in keystrokes.items():
        print(f"  search '{query}': keystroke to repaint median"
              f" {statistics.median(times) * 1000:.0f} ms,"
              f" worst {max(times) * 1000:.0f} ms")
    print(f"  all {len(every)} keystrokes: median {statistics.median(every) * 1000:.0f} ms, "
          f"worst {max(every) * 1000:.0f} ms (target 50 ms, ratio of worst "
          f"{max(every) / 0.05:.2f})")



def _bench_demo(runs: int) -> None:
    print(f"`cchc --demo` first frame against a bare DataTable app (best of {runs}, alternating)")
    demo_dir = Path(tempfile.mkdtemp(prefix="cchc-bench-demo-"))
    env = child_environment(CCHC_DATA_DIR=str(demo_dir))
    children = {"demo": CHILD_DEMO.format(root=str(ROOT), until="ready"),
                "data": CHILD_DEMO.format(root=str(ROOT), until="data"), "bare": CHILD_BARE,
                "same widgets": CHILD_SAME_WIDGETS}
    times: dict[str, list[float]] = {name: [] for name in children}
    try:
        _time_to_frame(children["data"], env)  # seeds the demo database: not counted
        for _ in range(runs):
            for name, code in children.items():
                times[name].append(_time_to_frame(code, env))
    finally:
        shutil.rmtree(demo_dir, ignore_errors=True)
    bare, demo, data, same = (min(times[name])
                              for name in ("bare", "demo", "data", "same widgets"))
    print(f"  bare app with a DataTable: {bare * 1000:.0f} ms")
    print(f"  demo, first frame (database opening in its worker): {demo * 1000:.0f} ms, "
          f"{demo / bare:.2f} x the bare app (target {DEMO_TARGET:.2f} x)")
    print(f"  Textual's widgets of that frame, without the app: {same * 1000:.0f} ms, "
          f"{same / bare:.2f} x the bare app; the demo is {demo / same:.2f} x them")
    print(f"  demo, first frame with its tasks: {data * 1000:.0f} ms, {data / bare:.2f} x")


if __name__ == "__main__":
    main()
