"""Receiving a province's signed bundles, against the floor of a correct receiver
(issue 16).

The floor (receive_floor below) is the least a correct receiver does, in one
process: read each file, json.loads, check the RFC 8785 digest, executemany the rows
into plain tables with one FTS5 trigram index. It is measured in the same run, so
the ratio does not depend on how busy the machine is.

Prints, each with its ratio to the target:
- receive N signed bundles into a fresh review database     target <= 2x the floor
- peak memory of that receive (the process and its workers) target 200 MiB
- re-receive the same folder (everything held)              target 1.5 s, bytes unchanged

Each receive runs in a child process (python this-file --child ...), whose memory
(itself and its workers, summed) is sampled from /proc every 20 ms.

Run: python tests/bench/bench_receive.py [--units N] [--bundles DIR]
(--bundles: a folder of signed bundles made by an earlier run, kept with --keep)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-21"
TARGET_RATIO = 2.0
TARGET_MEMORY_MIB = 200.0
TARGET_HELD_SECONDS = 1.5


# -- the floor ------------------------------------------------------------------------

FLOOR_SCHEMA = """
CREATE TABLE unit (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT, bundle_id TEXT,
                   sha256 TEXT, content BLOB);
CREATE TABLE criterion (id INTEGER PRIMARY KEY, unit_id INT, code TEXT, title TEXT,
                        max_points REAL, score REAL, finding TEXT);
CREATE TABLE task (id INTEGER PRIMARY KEY, unit_id INT, uid TEXT UNIQUE, title TEXT,
                   owner TEXT, due TEXT, status TEXT, progress INT, search_key TEXT);
CREATE TABLE change (task_uid TEXT, at TEXT, field TEXT, old TEXT, new TEXT);
CREATE VIRTUAL TABLE task_search USING fts5(search_key, content='task', content_rowid='id',
                                            tokenize='trigram');
CREATE TRIGGER task_search_insert AFTER INSERT ON task BEGIN
  INSERT INTO task_search(rowid, search_key) VALUES (new.id, new.search_key); END;
"""


def receive_floor(files: list[Path], database: Path, canonical=None) -> int:  # noqa: ANN001
    """The floor of a correct receiver; returns the bundles stored. canonical: the
    RFC 8785 form (default: the rfc8785 package, as the issue's floor did)."""
    import zlib

    import rfc8785

    canonical = canonical or rfc8785.dumps

    connection = sqlite3.connect(database)
    connection.executescript(FLOOR_SCHEMA)
    stored = 0
    with connection:
        for path in files:
            document = json.loads(path.read_bytes())
            content = canonical({key: value for key, value in document.items()
                                 if key not in ("integrity", "signature")})
            sha256 = hashlib.sha256(content).hexdigest()
            if sha256 != document["integrity"]["sha256"]:
                continue
            unit = document["unit"]
            unit_id = connection.execute(
                "INSERT INTO unit (code, name, bundle_id, sha256, content) VALUES (?,?,?,?,?)",
                (unit["code"], unit["name"], document["bundle_id"], sha256,
                 zlib.compress(content))).lastrowid
            for assessment in document["assessments"]:
                connection.executemany(
                    "INSERT INTO criterion (unit_id, code, title, max_points, score, finding) "
                    "VALUES (?,?,?,?,?,?)",
                    [(unit_id, c["code"], c["title"], c["max_points"], c.get("score"),
                      c.get("finding")) for c in assessment["criteria"]])
                tasks = assessment["tasks"]
                connection.executemany(
                    "INSERT INTO task (unit_id, uid, title, owner, due, status, progress, "
                    "search_key) VALUES (?,?,?,?,?,?,?,?)",
                    [(unit_id, t["id"], t["title"], t.get("owner"), t.get("due"), t["status"],
                      t["progress"], f"{t['title']} {t.get('owner') or ''}".lower())
                     for t in tasks])
                connection.executemany(
                    "INSERT INTO change VALUES (?,?,?,?,?)",
                    [(t["id"], h["at"], h["field"], h.get("old"), h.get("new"))
                     for t in tasks for h in t.get("history", [])])
            stored += 1
    connection.close()
    return stored


# -- the children ---------------------------------------------------------------------

def child(kind: str, folder: Path, target: Path) -> None:
    """One measured step, in this process; prints its figures as JSON."""
    os.environ["CCHC_TODAY"] = TODAY
    files = sorted(folder.glob("*.json"))
    started = time.perf_counter()
    if kind == "floor":
        figures: dict[str, object] = {"stored": receive_floor(files, target)}
    elif kind == "floor-fast":
        from store.bundle.digest import canonical_json

        figures = {"stored": receive_floor(files, target, canonical_json)}
    else:
        from store.review.receiving import find_bundle_files, receive_into

        found = find_bundle_files([folder])
        totals = receive_into(target, found.files, alone=True, processes=2)
        figures = {"accepted": totals.accepted, "already": totals.already_imported,
                   "refused": totals.refused, "files": totals.files}
    figures["seconds"] = time.perf_counter() - started
    print(json.dumps(figures))


def _tree_rss_kib(pid: int, each: dict[int, int] | None = None) -> int:
    """Resident memory of a process and all its descendants, in KiB (each: the
    highest seen per process, updated)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                        total += rss
                        if each is not None:
                            each[current] = max(each.get(current, 0), rss)
                        break
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(p) for p in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run_child(kind: str, folder: Path, target: Path) -> dict[str, object]:
    process = subprocess.Popen([sys.executable, __file__, "--child", kind, str(folder),
                                str(target)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    peak = [0]
    each: dict[int, int] = {}
    done = threading.Event()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(process.pid, each))
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{err[-3000:]}")
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.loads(out.strip().splitlines()[-1])
    figures["peak_mib"] = peak[0] / 1024
    figures["process_mib"] = sorted((kib / 1024 for kib in each.values()), reverse=True)
    # CPU of the child and of its workers (they are waited for): what the work costs
    # whatever else the machine runs meanwhile.
    figures["cpu"] = (cpu_after.ru_utime - cpu_before.ru_utime
                      + cpu_after.ru_stime - cpu_before.ru_stime)
    return figures


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--bundles", help="a folder of signed bundles (not generated again)")
    parser.add_argument("--keep", help="make the bundles in DIR and keep them")
    parser.add_argument("--no-floor", action="store_true",
                        help="only the receive and its memory (a large fleet)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder, target = args.child
        child(kind, Path(folder), Path(target))
        return
    os.environ["CCHC_TODAY"] = TODAY
    with tempfile.TemporaryDirectory(prefix="bench-receive-") as scratch:
        base = Path(scratch)
        if args.bundles:
            folder = Path(args.bundles)
        else:
            from tests.bench.bench_review import generate

            folder = Path(args.keep) if args.keep else base / "bundles"
            folder.mkdir(parents=True, exist_ok=True)
            print(f"generating {args.units} signed unit bundles ... ", end="", flush=True)
            print(f"{generate(folder, args.units):.1f} s")
        count = len(list(folder.glob("*.json")))
        if args.no_floor:
            received = run_child("receive", folder, base / "review.db")
            print(f"receive {count} signed bundles: {received['seconds']:.2f} s "
                  f"({received['cpu']:.1f} s CPU); peak memory {received['peak_mib']:.0f} MiB "
                  f"({received['peak_mib'] / TARGET_MEMORY_MIB:.2f} x target "
                  f"{TARGET_MEMORY_MIB:g} MiB); per process at most "
                  + ", ".join(f"{mib:.0f}" for mib in received["process_mib"]) + " MiB")
            return
        floor = run_child("floor", folder, base / "floor.db")
        print(f"floor (1 process: read, json.loads, RFC 8785 digest, executemany, FTS5): "
              f"{floor['seconds']:.2f} s ({floor['cpu']:.1f} s CPU), "
              f"{floor['peak_mib']:.0f} MiB, {floor['stored']} stored")
        fast = run_child("floor-fast", folder, base / "floor-fast.db")
        print(f"floor with the app's fast RFC 8785 form (same bytes): "
              f"{fast['seconds']:.2f} s ({fast['cpu']:.1f} s CPU)")
        review = base / "review.db"
        received = run_child("receive", folder, review)
        ratio = received["seconds"] / floor["seconds"]
        print(f"receive {count} signed bundles (2 workers + writer): "
              f"{received['seconds']:.2f} s = {ratio:.2f} x floor "
              f"({ratio / TARGET_RATIO:.2f} x target {TARGET_RATIO:g} x floor); "
              f"accepted {received['accepted']}; "
              f"{received['seconds'] / fast['seconds']:.2f} x the floor with the fast form; "
              f"{received['cpu']:.1f} s CPU")
        print(f"peak memory of the receive: {received['peak_mib']:.0f} MiB "
              f"({received['peak_mib'] / TARGET_MEMORY_MIB:.2f} x target "
              f"{TARGET_MEMORY_MIB:g} MiB); per process at most "
              + ", ".join(f"{mib:.0f}" for mib in received["process_mib"]) + " MiB")
        before = file_digest(review)
        again = run_child("receive", folder, review)
        unchanged = file_digest(review) == before
        print(f"re-receive, everything held: {again['seconds']:.2f} s "
              f"({again['seconds'] / TARGET_HELD_SECONDS:.2f} x target "
              f"{TARGET_HELD_SECONDS:g} s); already imported {again['already']}; "
              f"database bytes {'unchanged' if unchanged else 'CHANGED'}; "
              f"{again['peak_mib']:.0f} MiB, {again['cpu']:.2f} s CPU")


if __name__ == "__main__":
    main()
