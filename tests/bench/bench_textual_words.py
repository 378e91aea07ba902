"""What rewording Textual's keys costs when an app starts (tui.textual_words):
the first call in a fresh process (it loads the widgets that have keys, which a
screen would load later anyway) and a repeat (the rewording alone), best of N,
beside the time to import the commune's app.

Run: python tests/bench/bench_textual_words.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7

PROBE = """
import time
start = time.perf_counter()
import tui.app
imported = time.perf_counter() - start
from tui.i18n import set_language
from tui.textual_words import translate_textual_bindings
set_language("vi")
start = time.perf_counter()
translate_textual_bindings()
first = time.perf_counter() - start
start = time.perf_counter()
translate_textual_bindings()
again = time.perf_counter() - start
print(imported, first, again)
"""


def main() -> None:
    runs = []
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                              text=True, check=True)
        runs.append(tuple(float(part) for part in done.stdout.split()))
    imported, first, again = (min(run[index] for run in runs) for index in range(3))
    print(f"import tui.app            {imported * 1000:7.1f} ms")
    print(f"rewording, first call     {first * 1000:7.1f} ms   "
          f"{first / imported:4.2f}x of the import")
    print(f"rewording, again          {again * 1000:7.1f} ms   "
          f"{again / imported:4.2f}x of the import")


if __name__ == "__main__":
    main()
