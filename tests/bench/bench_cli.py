"""`cchc --version` and `cchc --help`: wall clock of a fresh process, best of N.

Target: under 0.1 s (neither textual nor sqlmodel is imported on that path).
Run: python tests/bench/bench_cli.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_S = 0.1
RUNS = 15


def best_of(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    bare = best_of([sys.executable, "-c", "pass"])
    print(f"python -c pass          {bare * 1000:7.1f} ms (interpreter alone)")
    for args in (["--version"], ["--help"]):
        figure = best_of([sys.executable, "-m", "tui", *args])
        print(f"cchc {' '.join(args):<18} {figure * 1000:7.1f} ms   "
              f"{figure / TARGET_S:4.2f}x of the {TARGET_S * 1000:.0f} ms target")


if __name__ == "__main__":
    main()
