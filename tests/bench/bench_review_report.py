"""The supervisor's summary at national scale: `cchc review report` for 3,321 units
(about 20 tasks and 50 criteria each).

Prints, with the ratio to the target (quality guide: summary workbook of 3,321 units
under 10 s on 2 cores):
- reading the summary from the review database (mode=ro)
- building and writing the workbook (sheets Đơn vị, Quá hạn, Lĩnh vực)
- building and writing the summary report (.docx)
- the whole command, in process

Run: python tests/bench/bench_review_report.py [--units N] [--keep DIR]
(--keep DIR keeps the bundles and the review database, and reuses them next time)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_review import TODAY, UNITS, generate, receive, report  # noqa: E402

TARGET_WORKBOOK = 10.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--keep", help="keep (and reuse) the bundles and review database in DIR")
    args = parser.parse_args()
    os.environ["CCHC_TODAY"] = TODAY
    with tempfile.TemporaryDirectory(prefix="bench-review-report-") as scratch:
        base = Path(args.keep) if args.keep else Path(scratch)
        bundles, data_dir, out = base / "bundles", base / "data", Path(scratch) / "out"
        for folder in (bundles, data_dir, out):
            folder.mkdir(parents=True, exist_ok=True)
        review_db = data_dir / "review.db"
        if not review_db.exists():
            print(f"generating {args.units} unit bundles ... ", end="", flush=True)
            print(f"{generate(bundles, args.units):.1f} s")
            seconds, totals = receive(data_dir, bundles)
            print(f"received in {seconds:.1f} s: {totals}")
        os.environ["CCHC_DATA_DIR"] = str(data_dir)

        import datetime as dt

        from store.config import Config
        from store.paths import resolve
        from store.report.review import review_summary
        from store.review import open_overview_connection
        from store.safe_write import write_atomically
        from tui.context import AppContext
        from tui.documents.layout import to_bytes
        from tui.documents.official import Signing
        from tui.documents.review_summary import summary_document
        from tui.documents.workbooks import review_workbook
        from tui.documents.writing import write_review_report
        from tui.i18n import set_language

        set_language("vi")
        today = dt.date.fromisoformat(TODAY)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average before: {load:.1f} (on a busy machine, wall time exceeds CPU "
              f"time; the target is for an idle 2-core machine)")

        def timed(work):  # noqa: ANN001, ANN202
            wall, cpu = time.perf_counter(), time.process_time()
            result = work()
            return result, time.perf_counter() - wall, time.process_time() - cpu

        def read():  # noqa: ANN202
            connection = open_overview_connection(review_db)
            try:
                return review_summary(connection, today)
            finally:
                connection.close()

        summary, read_wall, read_cpu = timed(read)
        print(f"{len(summary.units)} units, {len(summary.overdue)} overdue tasks, "
              f"{len(summary.domains)} domains")
        workbook, built_wall, built_cpu = timed(lambda: review_workbook(summary))
        target = out / "tong-hop.xlsx"
        _digest, written_wall, written_cpu = timed(lambda: write_atomically(target, workbook))
        document, docx_wall, docx_cpu = timed(lambda: to_bytes(summary_document(
            summary, Signing.from_config(Config()), "vi", target.name)))
        print(f"workbook {len(workbook) / 1e6:.1f} MB, report {len(document) / 1e3:.0f} kB")
        for label, wall, cpu in (
                ("read the summary (review database, mode=ro)", read_wall, read_cpu),
                ("build the workbook (3 sheets)", built_wall, built_cpu),
                ("write the workbook (temp, fsync, read back, rename)", written_wall,
                 written_cpu),
                ("build the summary report (.docx)", docx_wall, docx_cpu)):
            report(f"{label}, wall", wall, TARGET_WORKBOOK)
            report(f"{label}, CPU", cpu, TARGET_WORKBOOK)
        workbook_wall = read_wall + built_wall + written_wall
        workbook_cpu = read_cpu + built_cpu + written_cpu
        report(f"summary workbook of {len(summary.units)} units, wall", workbook_wall,
               TARGET_WORKBOOK)
        report(f"summary workbook of {len(summary.units)} units, CPU", workbook_cpu,
               TARGET_WORKBOOK)

        context = AppContext(locations=resolve(data_dir), config=Config())
        result, whole_wall, whole_cpu = timed(
            lambda: write_review_report(context, review_db, out, replace=True))
        print(f"wrote: {result.path} and {', '.join(str(p) for p in result.also)}")
        report("`cchc review report` in process (workbook + report), wall", whole_wall,
               TARGET_WORKBOOK)
        report("`cchc review report` in process (workbook + report), CPU", whole_cpu,
               TARGET_WORKBOOK)

if __name__ == "__main__":
    main()
