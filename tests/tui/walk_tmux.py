"""Issue 15's walk in a real terminal: the app in tmux at 80x24, in Vietnamese, from
its first run (the setup form) through entering the letter, a task, its evidence
and the export. Each step waits for its screen, prints it, and checks that the key
to the next step is in sight (the footer, or the screen's own words); the first one
missing ends the walk with exit status 1.

    python -m tests.tui.walk_tmux [--data-dir DIR] [--keep]

The app runs on a tmux server of its own (a private socket), so no session of the
user's is touched; the server is ended when the walk ends (--keep leaves it, to look
at with `tmux -L <socket> attach`)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 80, 24
TODAY = "2026-11-21"  # the date is pinned, as in every test


class WalkFailed(Exception):
    pass


class Terminal:
    """One tmux session on a private server."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True)
        return done.stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        exports = " ".join(f"{name}={value!r}" for name, value in env.items())
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "walk", "-x", str(WIDTH),
                  "-y", str(HEIGHT), f"cd {str(ROOT)!r} && env {exports} {command}")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "walk")

    def keys(self, *keys: str) -> None:
        """Named keys (Tab, Enter, C-s), one at a time, as a person types them."""
        for key in keys:
            self.tmux("send-keys", "-t", "walk", key)
            time.sleep(0.3)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "walk", "-l", text)
        time.sleep(0.4)

    def wait_for(self, *words: str, timeout: float = 20) -> str:
        """The screen once it shows every one of words (WalkFailed after timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if all(word in shown for word in words):
                return shown
            if time.monotonic() > deadline:
                missing = [word for word in words if word not in shown]
                raise WalkFailed(f"not on screen: {missing}\n{shown}")
            time.sleep(0.25)

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def step(number: int, title: str, shown: str) -> None:
    print(f"== {number}. {title} " + "=" * max(0, WIDTH - 6 - len(title)))
    print(shown.rstrip("\n"))
    sys.stdout.flush()


def footer(shown: str) -> str:
    return shown.rstrip("\n").split("\n")[-1]


def expect_in_footer(shown: str, key: str) -> None:
    if key not in footer(shown):
        raise WalkFailed(f"{key!r} is not in the footer: {footer(shown)!r}")


def walk(term: Terminal, data_dir: Path) -> None:
    evidence = data_dir.parent / "bao-cao.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao ket qua")
    env = {"CCHC_DATA_DIR": str(data_dir), "CCHC_TODAY": TODAY, "TERM": "xterm-256color",
           "HOME": str(data_dir.parent / "home")}
    term.start(f"{sys.executable} -m tui --lang vi", env)

    shown = term.wait_for("Chào mừng", "Mã đơn vị", "^s Lưu", timeout=40)
    step(1, "First run: the setup form (^s saves)", shown)
    term.type("30999")
    term.keys("Tab")
    term.type("Xã Thử Nghiệm")
    term.keys("Tab", "Tab")
    term.type("UBND huyện Thử")
    term.keys("Tab")
    term.type("Nguyễn Văn An")
    term.keys("C-s")

    shown = term.wait_for("Xã Thử Nghiệm", "ctrl+p", "Nhập kết quả đánh giá", "^p Lệnh",
                          timeout=30)
    step(2, "No assessment yet: the screen says ctrl+p, Nhập kết quả đánh giá", shown)
    term.keys("C-p")
    term.type("nhap ket qua")
    term.wait_for("Nhập văn bản kết quả")
    term.keys("Enter")
    shown = term.wait_for("Tên (ví dụ Chỉ số CCHC năm 2025)", "^s Lưu")
    term.type("Chỉ số CCHC năm 2025")
    term.keys("Tab", "Tab", "Tab")  # the index and the year keep what they hold
    term.type("UBND tỉnh Đồng Tháp")
    term.keys("Tab")
    term.type("174/BC-SNV")
    term.keys("Tab")
    term.type("20/10/2026")
    term.keys("Tab", "Tab", "Tab")  # the subject empty, the maximum 100
    term.type("86,5")
    term.keys("Tab")
    term.type("6")
    term.keys("Tab")
    term.type("9")
    shown = term.wait_for("86,5")
    step(3, "The letter entered (^s saves)", shown)
    term.keys("C-s")

    shown = term.wait_for("86,5/100", "n Thêm nhiệm vụ")
    step(4, "The letter is in: n adds a task", shown)
    term.keys("n")
    shown = term.wait_for("Thêm nhiệm vụ", "^s Lưu")
    term.type("Gửi báo cáo CCHC định kỳ đúng hạn")
    shown = term.wait_for("Gửi báo cáo CCHC định kỳ đúng hạn")
    step(5, "The task form (^s saves)", shown)
    term.keys("C-s")

    shown = term.wait_for("Tài liệu kiểm chứng (0)", "a Thêm tài liệu")
    step(6, "The task, open: a adds evidence", shown)
    term.keys("a")
    term.wait_for("Tên tài liệu", "^s Lưu")
    term.type("Báo cáo kết quả khắc phục")
    term.keys("Tab")
    term.type("41/BC-UBND")
    term.keys("Tab", "Tab", "Tab", "Tab")
    term.type(f"'{evidence}'")  # quoted, as Windows' "Copy as path" gives it
    shown = term.wait_for(f"'{evidence}'")  # the number scrolled above, the file in sight
    step(7, "The evidence form (^s saves)", shown)
    term.keys("C-s")

    shown = term.wait_for("Tài liệu kiểm chứng (1)", "bao-cao.pdf", "^e Xuất tệp")
    step(8, "Evidence recorded: ^e exports", shown)
    term.keys("C-e")
    shown = term.wait_for("Nơi lưu tệp", "^s Xuất tệp")
    term.keys("C-s")  # into the folder it offers (the data folder's exports)
    shown = term.wait_for("Đã xuất tệp số 1", "Mã kiểm tra")
    step(9, "Exported", shown)
    out = data_dir / "exports"
    written = sorted(out.glob("cchc-30999-*.json"))
    if len(written) != 1:
        raise WalkFailed(f"the export wrote {written} into {out}")
    print(f"walk done: {written[0].name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an empty folder for the app's data")
    parser.add_argument("--keep", action="store_true", help="leave the tmux server running")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is not installed", file=sys.stderr)
        return 2
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="cchc-walk-")) / "data"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    term = Terminal(f"cchc-walk-{os.getpid()}")
    try:
        walk(term, data_dir)
    except WalkFailed as failed:
        print(f"walk failed: {failed}")
        return 1
    finally:
        if not args.keep:
            term.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
