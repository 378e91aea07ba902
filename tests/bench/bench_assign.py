"""Assignments: the supervisor's workbook to files, and a commune's import.

Targets (issue 14): a workbook of 170 units x 50 criteria read, checked and written
as 170 files under 5 s; a commune imports a 50-criterion assignment under 0.2 s
(its backup included); importing it again changes no byte of the database.
Also shown: the workbook read alone, the files written alone, the dry run.
Run: python tests/bench/bench_assign.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CCHC_TODAY", "2026-11-21")

from store.assign.importing import import_assignment_file  # noqa: E402
from store.assign.issue import IssueDone, IssueOptions, issue_assignments  # noqa: E402
from store.assign.workbook import read_workbook_file  # noqa: E402
from store.migrations import open_database  # noqa: E402
from store.review import close_after_receiving, open_review_for_receiving  # noqa: E402
from store.snapshot import upsert_unit  # noqa: E402
from store.bundle.signing import SigningKey  # noqa: E402
from tests.assign.factory import ISSUE_OPTIONS, province_rows, signer, workbook_bytes  # noqa: E402

UNITS = 170
PROVINCE_TARGET_S = 5.0
IMPORT_TARGET_S = 0.2
RUNS = 3


def options() -> IssueOptions:
    values = dict(ISSUE_OPTIONS)
    for name in ("letter_date", "due", "report_due"):
        values[name] = dt.date.fromisoformat(values[name])
    return IssueOptions(**values)


def line(label: str, seconds: list[float], target: float | None = None) -> None:
    median = statistics.median(seconds)
    ratio = f"   {median / target:4.2f}x of the {target:g} s target" if target else ""
    print(f"{label:<52} median {median:7.3f} s  best {min(seconds):7.3f} s{ratio}")


def bench_province(folder: Path) -> Path:
    workbook = folder / "tham-dinh.xlsx"
    workbook.write_bytes(workbook_bytes(province_rows(UNITS)))
    print(f"workbook: {UNITS} units x 50 criteria, {workbook.stat().st_size:,} bytes")
    reads, wholes, writes = [], [], []
    last_out = folder
    key = SigningKey.generate()
    for run in range(RUNS):
        db = open_review_for_receiving(folder / f"review-{run}.db")
        out = folder / f"out-{run}"
        out.mkdir()
        start = time.perf_counter()
        read = read_workbook_file(workbook)
        middle = time.perf_counter()
        done = issue_assignments(db, read, options(), out, generator="cchc bench",
                                 sender={"name": "Trần Thị Mai"}, sign=signer(key))
        end = time.perf_counter()
        close_after_receiving(db)
        assert read.ok and isinstance(done, IssueDone) and len(done.paths) == UNITS
        reads.append(middle - start)
        writes.append(end - middle)
        wholes.append(end - start)
        last_out = out
    line("workbook read and checked", reads)
    line(f"{UNITS} assignments built, checked, written, recorded", writes)
    line(f"workbook -> {UNITS} files (the whole)", wholes, PROVINCE_TARGET_S)
    return last_out


def bench_import(files: Path, folder: Path) -> None:
    path = next(files.glob("cchc-assign-30001-*.json"))
    dry, wet, again = [], [], []
    unchanged = True
    for run in range(RUNS):
        db_path = folder / f"cchc-{run}.db"
        db = open_database(db_path)
        with db.write() as session:
            upsert_unit(session, {"code": "30001", "name": "Xã Số 1", "level": "xa",
                                  "supervisor": "UBND"})
        start = time.perf_counter()
        preview = import_assignment_file(db, path, unit_code="30001", dry_run=True)
        middle = time.perf_counter()
        result = import_assignment_file(db, path, unit_code="30001",
                                        backups_dir=folder / f"backups-{run}")
        end = time.perf_counter()
        assert preview.accepted and result.applied
        before = db_path.read_bytes()
        start_again = time.perf_counter()
        repeat = import_assignment_file(db, path, unit_code="30001",
                                        backups_dir=folder / f"backups-{run}")
        again.append(time.perf_counter() - start_again)
        unchanged = unchanged and repeat.verdict == "already_imported" \
            and db_path.read_bytes() == before
        db.dispose()
        dry.append(middle - start)
        wet.append(end - middle)
    print(f"commune import: {result.summary.criteria_new} criteria, "
          f"{result.summary.tasks_new} tasks")
    line("dry run (verdict and plan)", dry)
    line("import (backup, one transaction)", wet, IMPORT_TARGET_S)
    line("importing it again (already imported)", again)
    print(f"importing it again changes no byte of the database: {unchanged}")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = bench_province(folder)
        bench_import(files, folder)


if __name__ == "__main__":
    main()
