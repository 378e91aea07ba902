"""What an undo point costs an edit: the copy before it (serialize) and the digest
after it, for the demo commune and for larger task lists; and an undo itself.

    python -m tests.bench.bench_undo
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CCHC_TODAY", "2026-11-21")


def _best(work, runs: int = 5) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    from store.demo import seed_demo
    from store.undo import capture, content_size, undo, undo_point
    from tests.bench.bigdb import make_big_database

    folder = Path(tempfile.mkdtemp())
    cases = [("demo (20 tasks)", None), ("1,000 tasks", 1_000), ("10,000 tasks", 10_000),
             ("100,000 tasks", 100_000)]
    demo_ms = None
    for name, tasks in cases:
        path = folder / f"{tasks or 0}.db"
        if tasks is None:
            seed_demo(path)
        else:
            make_big_database(path, tasks)
        size = content_size(path)
        point_s = _best(lambda path=path: undo_point(path, "x", capture(path)))
        before = capture(path)
        if before is None:
            print(f"{name:16} {size / 1e6:7.1f} MB  no undo point (over the limit)")
            continue
        point = undo_point(path, "x", before)
        # Once: an undo point serves one undo (the content it leaves has another digest).
        undo_s = _best(lambda path=path, point=point: undo(path, point), runs=1)
        point_ms, undo_ms = point_s * 1000, undo_s * 1000
        demo_ms = demo_ms or point_ms
        print(f"{name:16} {size / 1e6:7.1f} MB  undo point {point_ms:7.1f} ms "
              f"(x{point_ms / demo_ms:5.1f} the demo's)  undo {undo_ms:7.1f} ms")


if __name__ == "__main__":
    main()
