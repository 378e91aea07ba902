"""Issue 15 item 5: the supervisor's review app in Vietnamese draws no English word
(the walk and the words: tests/tui/no_english_walk.py)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.test_no_english import walk


def test_the_review_app_speaks_only_vietnamese(review_db_path: Path) -> None:
    report = walk("review", str(review_db_path))
    assert len(report["seen"]) > 10, report["seen"]
    assert not report["leaks"], report["leaks"]
