"""Make the project's own example files with its own code: the demo commune, seeded
and exported by the app's exporter under a pinned date, signed with a key made from a
fixed seed, and that key's card.

    python -m tests.examples.make_examples          # rewrite tests/examples/v2

    tests/examples/v1/   format 1, written by cchc 0.1.0 before format 2 existed. The
                         app no longer writes it; the file is kept to prove that format
                         1 files stay readable, and is the base of the version 1 tests.
    tests/examples/v2/   a signed format 2 progress bundle and the unit's key card.

The example key is public (its seed is below): it proves nothing about who made the
files and must never sign real data. The tests read the checked-in files, so the
suite stands alone; test_examples.py proves this script still makes the same valid
files, and compares with the spec's own examples when the product brief is there.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
V2_DIR = HERE / "v2"
PINNED_DAY = "2026-11-21"
EXAMPLE_KEY_SEED = hashlib.sha256(b"CCHC Tracker example key: public, never for real data").digest()


def example_key():  # noqa: ANN201 - store.bundle.signing.SigningKey
    from store.bundle.signing import SigningKey

    return SigningKey.from_seed(EXAMPLE_KEY_SEED)


def make_examples(target_dir: Path) -> list[Path]:
    """Seed the demo in a temporary folder, export it signed into target_dir and
    write the unit's key card beside it."""
    os.environ["CCHC_TODAY"] = PINNED_DAY  # deadlines and created_at follow the pinned day
    from store.bundle.export import ExportDone, export_bundle
    from store.bundle.keycard import key_card_bytes, key_card_file_name, make_key_card
    from store.clock import now_local
    from store.demo import DEMO_OFFICER, DEMO_UNIT, seed_demo
    from store.migrations import open_database

    key = example_key()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "demo.db"
        seed_demo(path)
        db = open_database(path)
        try:
            result = export_bundle(db, unit=DEMO_UNIT, officer=DEMO_OFFICER,
                                   target_dir=target_dir, generator="cchc examples", key=key)
        finally:
            db.dispose()
    if not isinstance(result, ExportDone):
        raise SystemExit(f"export failed: {result}")
    card = make_key_card(key, code=DEMO_UNIT["code"], name=DEMO_UNIT["name"],
                         created_at=now_local().replace(microsecond=0).isoformat())
    card_path = target_dir / key_card_file_name(DEMO_UNIT["code"])
    card_path.write_bytes(key_card_bytes(card))
    return [result.path, card_path]


if __name__ == "__main__":
    V2_DIR.mkdir(exist_ok=True)
    for old in V2_DIR.glob("*.json"):
        old.unlink()
    for made in make_examples(V2_DIR):
        sys.stdout.write(f"{made}\n")
