"""The real `cchc review` command, from the process start to the overview's frame with
its data, on a review database of N units (issue 16: target 0.5 s with 3,321).

The child runs tui.cli.main(["review"]) as a supervisor's terminal would (headless:
Textual draws to no terminal) and prints the wall clock when the overview's data is
painted. Measured beside a bare Textual app with a DataTable (the reference of
bench_workspace.py), best of --runs each, alternating.

Run: python tests/bench/bench_review_start.py [--units N] [--data DIR]
(--data: a data folder holding review.db, e.g. from bench_review.py --keep DIR/…)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import child_environment  # noqa: E402

from tests.bench.bench_workspace import CHILD_BARE  # noqa: E402

# The reference app prints its frame as the review's child does (with a count).
BARE_APP = CHILD_BARE.replace('print("FRAME", time.time(), flush=True)',
                              'print("FRAME", time.time(), 0, flush=True)')

TARGET = 0.5
TODAY = "2026-11-21"

# The command imports Textual itself, after it has started the overview's early read
# (store.review.early.EarlyOverviewRead): the child must not import it first, so the
# probe is put on tui.review.app as that module is loaded.
CHILD_REVIEW = """
import importlib.machinery, sys, time
sys.path.insert(0, {root!r})

def probe(review):
    run = review.ReviewApp.run
    review.ReviewApp.run = lambda self, **kw: run(self, headless=True, size=(100, 30))
    ready = review.ReviewApp._overview_ready
    def overview_ready(self, rows, *rest):
        ready(self, rows, *rest)
        def painted():
            print("FRAME", time.time(), len(rows), flush=True)
            self.exit()
        self.call_after_refresh(painted)
    review.ReviewApp._overview_ready = overview_ready

class ProbeOnLoad:
    # Stays in sys.meta_path once used: removing it while the early read's thread is
    # importing would shift the list under that thread's loop over it, which then
    # skips a finder (ModuleNotFoundError: json.encoder, seen in one run).
    used = False

    def find_spec(self, name, path, target=None):
        if self.used or name != "tui.review.app":
            return None
        self.used = True
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        execute = spec.loader.exec_module
        def exec_module(module):
            execute(module)
            probe(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, ProbeOnLoad())
from tui.cli import main
main(["review"])
assert "textual" in sys.modules
"""

def time_to_frame(code: str, env: dict[str, str]) -> tuple[float, int]:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=False)
    frame = next((line.split() for line in done.stdout.splitlines()
                  if line.startswith("FRAME")), None)
    if frame is None:
        raise SystemExit(f"no frame:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return float(frame[1]) - started, int(frame[2])


def review_data(given: str | None, scratch: Path, units: int) -> Path:
    """The data folder given, or one made in scratch with `units` units received."""
    data_dir = Path(given) if given else scratch / "data"
    if not (data_dir / "review.db").exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        make_data(data_dir, units)
    return data_dir


def make_data(data_dir: Path, units: int) -> None:
    from store.review.receiving import find_bundle_files, receive_into
    from tests.bench.bench_review import generate

    bundles = data_dir.parent / "bundles"
    bundles.mkdir(parents=True, exist_ok=True)
    print(f"generating and receiving {units} signed bundles ... ", end="", flush=True)
    generate(bundles, units)
    receive_into(data_dir / "review.db", find_bundle_files([bundles]).files, alone=True)
    print("done")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--data", help="a data folder that holds review.db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["CCHC_TODAY"] = TODAY
    with tempfile.TemporaryDirectory(prefix="bench-review-start-") as scratch:
        data_dir = review_data(args.data, Path(scratch), args.units)
        env = child_environment(CCHC_DATA_DIR=str(data_dir), CCHC_TODAY=TODAY)
        time_to_frame(CHILD_REVIEW.format(root=str(ROOT)), env)  # makes the review's key
        review, bare = [], []
        for _ in range(args.runs):
            seconds, units = time_to_frame(CHILD_REVIEW.format(root=str(ROOT)), env)
            review.append(seconds)
            bare.append(time_to_frame(BARE_APP, env)[0])
        best, reference = min(review), min(bare)
        print(f"bare Textual app with a DataTable, first frame: {reference * 1000:.0f} ms")
        print(f"cchc review (the real command) start -> overview data, {units} units: "
              f"{best * 1000:.0f} ms ({best / TARGET:.2f} x target {TARGET * 1000:.0f} ms; "
              f"{best / reference:.2f} x the bare app); all runs "
              + ", ".join(f"{s * 1000:.0f}" for s in review) + " ms")


if __name__ == "__main__":
    main()
