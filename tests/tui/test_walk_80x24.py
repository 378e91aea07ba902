"""Issue 15's "Done when": a walk through first run → entering the letter → a task →
its evidence → the export, with the real app at 80x24 in Vietnamese, each step's key
to the next one read off the rendered screen (the footer or the screen's own words).

tests/tui/walk_tmux.py walks the same path in a real tmux (test_walk_in_tmux below
runs it when tmux is installed)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.screen_text import screen_text

SMALL = (80, 24)
ROOT = Path(__file__).resolve().parents[2]

# Modules whose keys and labels are worded as they are imported, beyond those the
# snapshots reword (tests.snapshots.test_workspace_snapshots.WORDED_MODULES): the walk
# reads their Vietnamese words, whatever language pytest imported them in.
FORM_MODULES = ("tui.screens.setup", "tui.screens.letter_forms", "tui.screens.evidence_form")


def reword(language: str) -> None:
    """Word the app's screens (the export's aside) in `language`."""
    from tests.snapshots.test_workspace_snapshots import _reword

    _reword(language)
    for name in FORM_MODULES:
        importlib.reload(importlib.import_module(name))


@pytest.fixture
def vietnamese() -> Iterator[None]:
    """The screens in Vietnamese (the export screen's keys as imported: other tests
    hold its class, so the walk reads its own words from its button instead)."""
    reword("vi")
    yield


class Args:
    data_dir = None
    demo = False
    lang = None
    read_only = False


async def _settle(app, pilot) -> None:  # noqa: ANN001
    for _attempt in range(6):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _footer(app) -> str:  # noqa: ANN001
    """The footer's row as drawn (the screen's last row)."""
    return screen_text(app).rstrip("\n").split("\n")[-1]


def _sees(app, *words: str) -> str:  # noqa: ANN001
    shown = screen_text(app)
    for word in words:
        assert word in shown, f"{word!r} not on screen:\n{shown}"
    return shown


def _fill(app, **values: str) -> None:  # noqa: ANN001
    for name, value in values.items():
        app.screen.query_one(f"#f-{name}", Input).value = value


async def test_first_run_to_export_shows_each_next_key_at_80x24(
        vietnamese: None, data_dir: Path, tmp_path: Path) -> None:
    from tui.app import CchcApp
    from tui.cli import make_context

    app = CchcApp(make_context(Args()))
    async with app.run_test(size=SMALL) as pilot:
        await _settle(app, pilot)
        app.clear_notifications()
        # 1. First run: the setup form, its first field named and focused, ^s to save.
        assert type(app.screen).__name__ == "SetupScreen"
        _sees(app, "Chào mừng", "Mã đơn vị")
        assert "^s Lưu" in _footer(app)
        await pilot.press(*"30999")  # typed into the first field, focused
        assert app.screen.query_one("#unit-code", Input).value == "30999"
        app.screen.query_one("#unit-name", Input).value = "Xã Thử Nghiệm"
        app.screen.query_one("#unit-supervisor", Input).value = "UBND huyện Thử"
        app.screen.query_one("#officer-name", Input).value = "Nguyễn Văn An"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        app.clear_notifications()
        await _settle(app, pilot)
        # 2. No assessment yet: the screen says how to enter the letter (ctrl+p).
        assert type(app.screen).__name__ == "WorkspaceScreen"
        _sees(app, "Xã Thử Nghiệm", "ctrl+p", "Nhập kết quả đánh giá")
        assert "^p Lệnh" in _footer(app) and "f1 Trợ giúp" in _footer(app)
        await pilot.press("ctrl+p")
        await _settle(app, pilot)
        await pilot.press(*"nhap ket qua")  # accents not needed
        await _settle(app, pilot)
        _sees(app, "Nhập kết quả đánh giá")
        await pilot.press("enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "AssessmentForm"
        _sees(app, "Tên (ví dụ Chỉ số CCHC năm 2025)")  # the first field's label
        assert "^s Lưu" in _footer(app)
        _fill(app, title="Chỉ số CCHC năm 2025", issuer="UBND tỉnh Đồng Tháp",
              document_number="174/BC-SNV", document_date="20/10/2026", score="86,5",
              rank="6", rank_of="9")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        app.clear_notifications()
        await _settle(app, pilot)
        # 3. The letter is in: the footer offers the first task (n).
        assert type(app.screen).__name__ == "WorkspaceScreen"
        _sees(app, "86,5/100")
        assert "n Thêm nhiệm vụ" in _footer(app), _footer(app)
        await pilot.press("n")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "TaskForm"
        _sees(app, "Nhiệm vụ")
        assert "^s Lưu" in _footer(app)
        _fill(app, title="Gửi báo cáo CCHC định kỳ đúng hạn", owner="Trần Văn Bình",
              due="15/12/2026")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        app.clear_notifications()
        await _settle(app, pilot)
        # 4. The task is open: its footer offers evidence (a).
        assert type(app.screen).__name__ == "TaskScreen"
        _sees(app, "Gửi báo cáo CCHC định kỳ đúng hạn", "Trần Văn Bình")
        assert "a Thêm tài liệu" in _footer(app), _footer(app)
        await pilot.press("a")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "EvidenceForm"
        _sees(app, "Tên tài liệu")
        assert "^s Lưu" in _footer(app)
        report = tmp_path / "bao-cao.pdf"
        report.write_bytes(b"%PDF-1.4 bao cao")
        _fill(app, title="Báo cáo kết quả khắc phục", number="41/BC-UBND",
              file=f"'{report}'")  # quoted, as "Copy as path" gives it
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        app.clear_notifications()
        await _settle(app, pilot)
        # 5. Evidence recorded: the export is the footer's first key (^e).
        assert type(app.screen).__name__ == "TaskScreen"
        _sees(app, "41/BC-UBND", "bao-cao.pdf")
        assert _footer(app).startswith("^e Xuất tệp"), _footer(app)
        await pilot.press("ctrl+e")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "ExportScreen"
        assert "^s " in _footer(app), _footer(app)  # ctrl+s, the button's key
        _sees(app, "Nơi lưu tệp", "Xuất tệp")
        out = tmp_path / "usb"
        out.mkdir()
        app.screen.query_one("#export-folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        written = list(out.glob("cchc-30999-*.json"))
        assert len(written) == 1
        _sees(app, "Đã xuất tệp số 1", "Mã kiểm tra")  # the path wraps at 80 columns
        bundle = json.loads(written[0].read_text(encoding="utf-8"))
        (assessment,) = bundle["assessments"]
        assert assessment["title"] == "Chỉ số CCHC năm 2025"
        (task,) = assessment["tasks"]
        assert task["title"] == "Gửi báo cáo CCHC định kỳ đúng hạn"
        assert [e["number"] for e in task["evidence"]] == ["41/BC-UBND"]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_walk_in_tmux(tmp_path: Path) -> None:
    """The same walk in a real terminal (tmux at 80x24); the script prints each
    screen and fails on the first step whose key is not in sight."""
    done = subprocess.run([sys.executable, "-m", "tests.tui.walk_tmux",
                           "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "walk done" in done.stdout
