"""Receiving a folder of 3,321 unit bundles (every commune in Vietnam) from the review
screen, with its progress bar (issue 10, item 6: it stopped at 24 files with "bad
value(s) in fds_to_keep").

Prints:
- the UI receive's time, and its ratio to the command line's receive of the same
  folder in this run (the reference: alone, grouped commits; the UI writes one
  transaction per bundle beside a read-only view);
- how often the progress bar moved and whether it reached the total;
- what was received (every bundle must be accepted, or the run says it failed).

Run: python tests/bench/bench_receive_ui.py [--units N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-21"


def receive_from_the_ui(data_dir: Path, folder: Path) -> dict[str, object]:
    from textual.widgets import Input

    from store.config import Config
    from store.paths import resolve
    from store.review import ensure_review_database
    from tui.context import AppContext
    from tui.i18n import set_language
    from tui.review.app import ReviewApp

    set_language("en")
    locations = resolve(data_dir)
    ensure_review_database(locations.review_db_path)
    figures: dict[str, object] = {"progress": []}

    class BenchApp(ReviewApp):
        def _receiving(self, done: int, total: int | None) -> None:
            figures["progress"].append((done, total))  # type: ignore[union-attr]
            super()._receiving(done, total)

    async def run() -> None:
        app = BenchApp(AppContext(locations=locations, config=Config(language="en")),
                       locations.review_db_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("i")
            app.screen.query_one("#receive-path", Input).value = str(folder)
            started = time.perf_counter()
            await pilot.press("enter")
            while not any(total is None for _done, total in figures["progress"]):  # type: ignore[union-attr]
                await asyncio.sleep(0.2)
            figures["seconds"] = time.perf_counter() - started
            await app.workers.wait_for_complete()
            await pilot.pause()
            figures["units"] = len(app.overview.all_rows)
            figures["message"] = [str(n.message) for n in app._notifications][-1:]

    asyncio.run(run())
    return figures


def main() -> None:
    from tests.bench.bench_review import UNITS, generate, receive

    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=UNITS)
    args = parser.parse_args()
    os.environ["CCHC_TODAY"] = TODAY
    with tempfile.TemporaryDirectory(prefix="bench-receive-ui-") as scratch:
        base = Path(scratch)
        bundles, cli_dir, ui_dir = base / "bundles", base / "cli", base / "ui"
        for folder in (bundles, cli_dir, ui_dir):
            folder.mkdir()
        print(f"generating {args.units} unit bundles ... ", end="", flush=True)
        print(f"{generate(bundles, args.units):.1f} s")
        reference, totals = receive(cli_dir, bundles)
        print(f"command line receive (reference): {reference:8.2f} s   {totals}")
        os.environ["CCHC_DATA_DIR"] = str(ui_dir)
        ui = receive_from_the_ui(ui_dir, bundles)
        progress = ui["progress"]
        moves = [done for done, total in progress if total is not None]
        reached = any(done == args.units and total == args.units for done, total in progress)
        print(f"review screen receive:            {ui['seconds']:8.2f} s   "
              f"{ui['seconds'] / reference:5.2f} x the command line")
        print(f"progress bar: {len(moves)} updates, never backwards: "
              f"{moves == sorted(moves)}, reached {args.units}: {reached}")
        print(f"overview after receiving: {ui['units']} units; {ui['message']}")
        if ui["units"] != args.units or not reached:
            raise SystemExit("FAILED: the review screen did not receive every bundle")


if __name__ == "__main__":
    main()
