"""The demo's plan and results report as LibreOffice prints them: a manual check of
the layout (not part of the test suite; needs `soffice` and `pdftoppm`).

Writes the demo's documents with the app's own code (date pinned to 21/11/2026),
converts them with `soffice --headless --convert-to pdf`, renders the pages with
`pdftoppm -png -r 60`, and with --docs copies the pages shown in the README into
docs/: the plan's first page, the results report's first page and its appendix.

Run: python tests/bench/render_documents.py [--out DIR] [--docs]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def pdf_pages(document: Path, folder: Path) -> list[Path]:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(document)], check=True, capture_output=True)
    pdf = folder / (document.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / document.stem)],
                   check=True)
    return sorted(folder.glob(f"{document.stem}-*.png"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", help="keep the documents, PDFs and pages in DIR")
    parser.add_argument("--docs", action="store_true", help="copy the README's pages to docs/")
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing (apt-get install libreoffice-writer-nogui "
                             "poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="render-documents-") as scratch:
        out = Path(args.out) if args.out else Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        os.environ["CCHC_DATA_DIR"] = str(Path(scratch) / "data")
        os.environ["CCHC_TODAY"] = "2026-11-21"
        from tui.cli import main as cchc

        for document in ("plan", "results"):
            if cchc(["--demo", "--lang", "vi", "report", document, "--out", str(out),
                     "--replace"]) != 0:
                raise SystemExit(f"writing the {document} failed")
        from store.demo import DEMO_UNIT

        code = DEMO_UNIT["code"]
        plan = pdf_pages(out / f"ke-hoach-khac-phuc-{code}-20261121.docx", out)
        report = pdf_pages(out / f"bao-cao-ket-qua-khac-phuc-{code}-20261121.docx", out)
        print(f"plan: {len(plan)} pages; report: {len(report)} pages; in {out}")
        if args.docs:
            docs = ROOT / "docs"
            docs.mkdir(exist_ok=True)
            appendix = next(page for page in report if _landscape(page))
            for source, name in ((plan[0], "plan.png"), (report[0], "results.png"),
                                 (appendix, "results-appendix.png")):
                shutil.copyfile(source, docs / name)
                print(f"docs/{name} <- {source.name}")


def _landscape(png: Path) -> bool:
    """A PNG's width is bytes 16-19 and its height 20-23 of the file."""
    header = png.read_bytes()[:24]
    return int.from_bytes(header[16:20], "big") > int.from_bytes(header[20:24], "big")


if __name__ == "__main__":
    main()
