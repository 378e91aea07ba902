"""Make the project's own example bundles with its own code: the demo commune,
seeded and exported by the app's exporter under a pinned date.

    python -m tests.examples.make_examples          # rewrite the checked-in files

The tests read the checked-in files (tests/examples/*.json), so the suite stands
alone; test_examples.py proves this script still makes valid bundles, and compares
with the spec's own examples when the product brief is beside the repository.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PINNED_DAY = "2026-11-21"


def make_examples(target_dir: Path) -> list[Path]:
    """Seed the demo in a temporary folder and export it into target_dir."""
    os.environ["CCHC_TODAY"] = PINNED_DAY  # deadlines and created_at follow the pinned day
    from store.bundle.export import ExportDone, export_bundle
    from store.demo import DEMO_OFFICER, DEMO_UNIT, seed_demo
    from store.migrations import open_database

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "demo.db"
        seed_demo(path)
        db = open_database(path)
        try:
            result = export_bundle(db, unit=DEMO_UNIT, officer=DEMO_OFFICER,
                                   target_dir=target_dir, generator="cchc examples")
        finally:
            db.dispose()
    if not isinstance(result, ExportDone):
        raise SystemExit(f"export failed: {result}")
    return [result.path]


if __name__ == "__main__":
    for old in HERE.glob("*.json"):
        old.unlink()
    for made in make_examples(HERE):
        sys.stdout.write(f"{made}\n")
