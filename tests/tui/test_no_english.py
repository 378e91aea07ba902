"""Issue 15 item 5, done when: every screen of both apps in Vietnamese, forms and
dialogs included, with the Keys panel open over their fields, draws no English
word of those that leaked before ("✗ none", "No matches found", "Scroll Left",
"Focus Next", "textual-dark", "dd/mm/yyyy"...). The demo's data is Vietnamese, so
an English word on screen is ours; the same walk in English finds them (the scan
can fail). Each walk runs in its own process (tests/tui/no_english_walk.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.tui.no_english_walk import DATE_ORDER, english_words

ROOT = Path(__file__).resolve().parents[2]


def walk(*arguments: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "tests.tui.no_english_walk", *arguments],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_scan_sees_english_and_lets_vietnamese_be() -> None:
    assert english_words("Scroll Left  ✗ none  Ngày (dd/mm/yyyy)") == [
        "Scroll", "none", DATE_ORDER]
    assert english_words("Cuộn sang trái  ✗ chưa có  Ngày (nn/tt/nnnn) textual-dark") == [
        "textual"]
    assert english_words("CCHC Tracker  Noel  Saved  a/Save") == []


def test_the_commune_app_speaks_only_vietnamese(data_dir: Path) -> None:
    report = walk("commune", "80", "24")
    assert len(report["seen"]) > 30, report["seen"]
    assert not report["leaks"], report["leaks"]


def test_the_same_walk_in_english_finds_english(data_dir: Path) -> None:
    report = walk("commune", "80", "24", "en")
    assert {"Focus", "Scroll"} & set(report["leaks"].get("tasks + keys", []))
    assert "matches" in report["leaks"].get("palette, no match", [])
    assert "Save" in report["leaks"].get("task form", [])
