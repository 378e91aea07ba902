"""The supervisor's review at national scale: 3,321 unit bundles (about 20 tasks and
50 criteria each), signed as the units' apps write them (format 2, each unit its key).

Prints, with the ratio to each target (quality guide):
- receive all bundles into a fresh review database          target 30 s (2 cores)
  (digest, signature and the key table per unit included; the signature check alone
  is printed per bundle)
- process start to the overview's first frame, and to the frame with the data
                                                             target 1 s
- all-tasks list to its first frame, database already open  target 0.5 s
- a search keystroke in the all-tasks list to the repaint   target 50 ms

Run: python tests/bench/bench_review.py [--units N] [--keep DIR]
"""

from __future__ import annotations

import time

START = time.perf_counter()  # before any import: the process start, for first frame

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

UNITS = 3321
TODAY = "2026-11-21"
TARGETS = {"receive": 30.0, "overview_frame": 1.0, "tasks_frame": 0.5, "keystroke": 0.050}


def report(label: str, seconds: float, target: float) -> None:
    shown = f"{seconds * 1000:8.1f} ms" if seconds < 1 else f"{seconds:8.2f} s "
    print(f"{label:<52} {shown}   {seconds / target:5.2f} x target ({target:g} s)")


def _write_unit(args: tuple[int, str]) -> None:
    import datetime as dt

    from tests.review import factory

    index, folder = args
    factory.write_bundle(Path(folder), factory.signed(
        factory.bundle_of(index, dt.date.fromisoformat(TODAY))))


def generate(folder: Path, units: int) -> float:
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_write_unit, ((i, str(folder)) for i in range(units)), chunksize=64))
    return time.perf_counter() - started


def signature_check_seconds(folder: Path, sample: int = 300) -> float:
    """Seconds per Ed25519 check of a bundle's canonical bytes (what signing adds to
    reading a bundle), over a sample of the generated files."""
    from store.bundle.digest import canonical_bytes
    from store.bundle.signing import verify

    documents = [json.loads(path.read_bytes()) for path in sorted(folder.glob("*.json"))[:sample]]
    signed = [(d["signature"]["public_key"], d["signature"]["value"], canonical_bytes(d))
              for d in documents]
    started = time.perf_counter()
    for public_key, value, data in signed:
        refusal, _key = verify(public_key, value, data)
        assert refusal is None, refusal
    return (time.perf_counter() - started) / len(signed)


def receive(data_dir: Path, folder: Path) -> tuple[float, object]:
    from store.review.receiving import find_bundle_files, receive_into

    files = find_bundle_files([folder]).files
    started = time.perf_counter()
    totals = receive_into(data_dir / "review.db", files, alone=True, processes=2)
    return time.perf_counter() - started, totals


# -- the UI, in a fresh process -------------------------------------------------------

def measure_ui(data_dir: Path) -> dict[str, object]:
    import asyncio

    os.environ["CCHC_DATA_DIR"] = str(data_dir)
    os.environ["CCHC_TODAY"] = TODAY
    from store.config import Config
    from store.paths import resolve
    from tui.context import AppContext
    from tui.i18n import set_language

    set_language("vi")
    from tui.review.app import ReviewApp

    figures: dict[str, object] = {}

    class BenchApp(ReviewApp):
        def on_ready(self) -> None:
            figures["first_frame"] = time.perf_counter() - START

        def _overview_ready(self, rows, *rest: object) -> None:  # noqa: ANN001
            super()._overview_ready(rows, *rest)
            self.call_after_refresh(
                lambda: figures.setdefault("data_frame", time.perf_counter() - START))

    async def painted(app) -> None:  # noqa: ANN001
        """Wait for the next refresh (the frame with what was just changed)."""
        event = asyncio.Event()
        app.screen.call_after_refresh(event.set)
        await event.wait()

    async def run() -> None:
        from textual.widgets import Input

        from tui.review.tasks import AllTasksScreen

        locations = resolve(data_dir)
        app = BenchApp(AppContext(locations=locations, config=Config()),
                       locations.review_db_path)
        async with app.run_test(size=(100, 30)) as pilot:
            for _attempt in range(50):  # the database opens after the overview shows
                await app.workers.wait_for_complete()
                await pilot.pause()
                if app.review_db is not None:
                    break
            if app.review_db is None or "data_frame" not in figures:
                raise SystemExit(f"the review database {locations.review_db_path} did not open")
            figures["units"] = len(app.overview.all_rows)
            started = time.perf_counter()
            screen = AllTasksScreen(app.overview.today)
            await app.push_screen(screen)
            await painted(app)
            figures["tasks_frame"] = time.perf_counter() - started
            figures["tasks"] = screen.query_one("#all-tasks").row_count
            search = screen.query_one("#tasks-search", Input)
            times = []
            for word in ("phan mem", "chong ma doc", "xyzzy", "iDesk", "nguyen thi lan"):
                search.value = ""
                await pilot.pause()
                for n in range(1, len(word) + 1):
                    started = time.perf_counter()
                    search.value = word[:n]  # one keystroke
                    await painted(app)
                    times.append(time.perf_counter() - started)
            figures["keystrokes"] = times

    asyncio.run(run())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--keep", help="keep the bundles and the review database in DIR")
    parser.add_argument("--ui", help=argparse.SUPPRESS)  # the child: measure the UI
    args = parser.parse_args()
    if args.ui:
        print(json.dumps(measure_ui(Path(args.ui))))
        return
    os.environ["CCHC_TODAY"] = TODAY
    with tempfile.TemporaryDirectory(prefix="bench-review-") as scratch:
        base = Path(args.keep) if args.keep else Path(scratch)
        bundles, data_dir = base / "bundles", base / "data"
        bundles.mkdir(parents=True, exist_ok=True)
        data_dir.mkdir(parents=True, exist_ok=True)
        print(f"generating {args.units} unit bundles ... ", end="", flush=True)
        print(f"{generate(bundles, args.units):.1f} s")
        per_check = signature_check_seconds(bundles)
        print(f"signature check: {per_check * 1e6:.0f} µs per bundle "
              f"({per_check * args.units:.2f} s of CPU for {args.units})")
        seconds, totals = receive(data_dir, bundles)
        print(f"received: {totals}")
        report(f"receive {args.units} signed bundles (2 processes + 1 writer)", seconds,
               TARGETS["receive"])
        size = (data_dir / "review.db").stat().st_size
        print(f"review database: {size / 1e6:.0f} MB")
        child = subprocess.run([sys.executable, __file__, "--ui", str(data_dir)], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        if child.returncode != 0:
            print(child.stderr[-3000:])
            return
        ui = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"overview: {ui['units']} units; all tasks: {ui['tasks']} tasks")
        report("process start -> overview first frame (loading)", ui["first_frame"],
               TARGETS["overview_frame"])
        report("process start -> overview frame with the data", ui["data_frame"],
               TARGETS["overview_frame"])
        report("all-tasks list -> first frame (database open)", ui["tasks_frame"],
               TARGETS["tasks_frame"])
        keystrokes = ui["keystrokes"]
        report(f"search keystroke -> repaint, median of {len(keystrokes)}",
               statistics.median(keystrokes), TARGETS["keystroke"])
        report("search keystroke -> repaint, slowest", max(keystrokes),
               TARGETS["keystroke"])


if __name__ == "__main__":
    main()
