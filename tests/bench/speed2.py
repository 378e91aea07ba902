"""Issue 16's table in one run: every scenario with its figure and its ratio to the
target, each benchmark in its own process, one after the other (never in parallel:
they share the machine's two cores).

    python -m tests.bench.speed2 [--units 3321] [--keep DIR]

--keep DIR: the signed bundles and the review database are made once in DIR and
used by the later runs (making them is not what is measured).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"


def _run(script: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return [f"{script} failed: {done.stderr.strip().splitlines()[-1:]}"]
    return done.stdout.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--keep", help="a folder for the bundles and review data (kept)")
    args = parser.parse_args()
    scratch = None if args.keep else tempfile.TemporaryDirectory(prefix="cchc-speed2-")
    folder = Path(args.keep or scratch.name)  # type: ignore[union-attr]
    bundles, data = folder / "bundles", folder / "review-data"
    units = str(args.units)
    receive_args = (["--bundles", str(bundles)] if (bundles / ".complete").exists()
                    else ["--keep", str(bundles)])
    rows = {
        f"receive {units} bundles (<= 2 x the floor), peak memory (<= 200 MiB), "
        "re-receive (<= 1.5 s)": _run("bench_receive.py", "--units", units, *receive_args),
        "`cchc review` start -> overview data (<= 0.5 s)":
            _run("bench_review_start.py", "--units", units, "--data", str(data)),
        "all-tasks search typed every 30 ms (stall <= 50 ms, result <= 150 ms)":
            _run("bench_review_search.py", "--units", units, "--data", str(data)),
        "`cchc --demo` start -> first frame (<= 1.15 x bare Textual)":
            _run("bench_workspace.py", "--only", "demo"),
    }
    (bundles / ".complete").parent.mkdir(parents=True, exist_ok=True)
    (bundles / ".complete").touch()
    for scenario, lines in rows.items():
        print(scenario)
        for line in lines:
            if "target" in line or "failed" in line or " x the bare" in line:
                print("   ", line.strip())
    if scratch is not None:
        scratch.cleanup()


if __name__ == "__main__":
    main()
