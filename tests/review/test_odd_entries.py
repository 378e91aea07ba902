"""One odd entry never stops a folder (issue 10, items 4 and 5): a name that is not
text, a folder that cannot be listed, a FIFO, a device, links that loop or lead
nowhere, a damaged or out-of-range bundle. Each gets its own verdict line, the
others are received, the exit code says something was refused; a batch that
accepts nothing leaves the review database's bytes as they were, and makes no
backup."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.test_review_cli import _units_in_review_db
from tui.cli import main

posix_only = pytest.mark.skipif(os.name == "nt", reason="FIFOs, byte names and /dev are POSIX")
GOOD = 60


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Make a folder unreadable: mode 000, and (as root, whom modes do not stop) a
    listing that fails the way it fails for anyone else."""
    denied: set[str] = set()
    real_scandir = os.scandir

    def scandir(path="."):  # noqa: ANN001, ANN202
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    def make(folder: Path) -> Path:
        folder.chmod(0)
        denied.add(str(folder))
        return folder

    yield make
    for folder in denied:
        os.chmod(folder, 0o755)


def _sealed(bundle: dict) -> dict:
    bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return bundle


def _odd_folder(root: Path, deny) -> dict[str, str]:  # noqa: ANN001
    """GOOD good bundles, then one of each odd entry; returns the name each odd entry
    is shown by -> a word of the reason its line must give (Vietnamese)."""
    for index in range(GOOD):
        factory.write_bundle(root, factory.bundle_of(index, FIXED_TODAY))
    odd = {}
    late = factory.bundle_of(100, FIXED_TODAY)
    late["assessments"][0]["tasks"][0]["updated_at"] = "9999-12-31T23:59:59-23:59"
    (root / "late.json").write_text(json.dumps(_sealed(late)), encoding="utf-8")
    odd["late.json"] = "2000–2100"
    altered = factory.bundle_of(101, FIXED_TODAY)
    altered["sequence"] = 2  # after the digest
    (root / "altered.json").write_text(json.dumps(altered), encoding="utf-8")
    odd["altered.json"] = "$.integrity.sha256"
    (root / os.fsdecode(b"ok\xff.json")).write_bytes(
        json.dumps(factory.bundle_of(102, FIXED_TODAY)).encode())
    odd["ok\\xff.json"] = "không phải văn bản hợp lệ"
    os.mkfifo(root / "pipe.json")
    odd["pipe.json"] = "đường ống có tên (FIFO)"
    (root / "zero.json").symlink_to("/dev/zero")
    odd["zero.json"] = "thiết bị"
    (root / "loop.json").symlink_to(root / "loop.json")
    odd["loop.json"] = "Không đọc được tệp"
    (root / "gone.json").symlink_to(root / "nowhere.json")
    odd["gone.json"] = "Không đọc được tệp"
    (root / "back-up").symlink_to(root)
    odd["back-up"] = "liên kết tới thư mục"
    locked = root / "locked"
    locked.mkdir()
    factory.write_bundle(locked, factory.bundle_of(103, FIXED_TODAY))
    deny(locked)
    odd["locked"] = "Không đọc được thư mục này"
    return odd


@posix_only
def test_a_folder_of_good_and_odd_entries_stores_the_good_and_refuses_each_odd_one(
        tmp_path: Path, data_dir: Path, deny, capsys) -> None:  # noqa: ANN001
    inbox = tmp_path / "usb"
    inbox.mkdir()
    odd = _odd_folder(inbox, deny)
    assert main(["review", "--no-ui", str(inbox)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    verdicts = {line.split(": ", 1)[0].rsplit("/", 1)[-1]: line for line in lines
                if not line.startswith(("  ", "Tổng"))}
    for name, reason in odd.items():
        assert name in verdicts, name
        assert "Từ chối" in verdicts[name] and reason in verdicts[name], verdicts[name]
    assert sum("Đã nhận" in line for line in verdicts.values()) == GOOD
    assert lines[-1].startswith(f"Tổng: {GOOD + len(odd)} tệp")
    assert f"{GOOD} đã nhận" in lines[-1] and f"{len(odd)} bị từ chối" in lines[-1]
    assert _units_in_review_db(data_dir) == {factory.unit_code(i): 1 for i in range(GOOD)}


def _review_db_state(data_dir: Path) -> tuple[str, list[str]]:
    path = data_dir / "review.db"
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            sorted(p.name for p in (data_dir / "backups").iterdir()))


@posix_only
@pytest.mark.parametrize("extra", [0, 30], ids=["small batch", "large batch (WAL path)"])
def test_a_batch_that_accepts_nothing_changes_no_byte_and_makes_no_backup(
        tmp_path: Path, data_dir: Path, deny, capsys, extra: int) -> None:  # noqa: ANN001
    held = tmp_path / "held"
    held.mkdir()
    first = factory.bundle_of(1, FIXED_TODAY)
    for bundle in (first, factory.bundle_of(2, FIXED_TODAY)):
        factory.write_bundle(held, bundle)
    assert main(["review", "--no-ui", str(held)]) == 0
    assert main(["review", "--no-ui", str(held)]) == 0  # the file settles in DELETE mode
    before = _review_db_state(data_dir)
    nothing_new = tmp_path / "nothing-new"
    nothing_new.mkdir()
    for copy in held.iterdir():
        (nothing_new / f"copy-{copy.name}").write_bytes(copy.read_bytes())
    _odd_folder_without_good = tmp_path / "odd"
    _odd_folder_without_good.mkdir()
    os.mkfifo(_odd_folder_without_good / "pipe.json")
    (_odd_folder_without_good / "cut.json").write_bytes(
        json.dumps(factory.progressed(first, FIXED_TODAY)).encode()[:300])
    conflicting = factory.bundle_of(1, FIXED_TODAY)
    conflicting["sender"]["name"] = "someone else"  # same bundle id, other content
    (_odd_folder_without_good / "conflict.json").write_text(json.dumps(_sealed(conflicting)))
    for n in range(extra):
        (_odd_folder_without_good / f"broken-{n}.json").write_text("{")
    code = main(["review", "--no-ui", str(nothing_new), str(_odd_folder_without_good)])
    out = capsys.readouterr().out
    assert code == 1 and "0 đã nhận" in out and "2 đã nhận trước đó" in out
    assert _review_db_state(data_dir) == before


@posix_only
def test_given_paths_that_are_not_files_are_refused_by_name(
        tmp_path: Path, capsys) -> None:  # noqa: ANN001
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / os.fsdecode(b"ok\xff.json")).write_text("{}")
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    assert main(["review", "--no-ui", str(tmp_path / "pipe.json"),
                 os.fsdecode(str(tmp_path / os.fsdecode(b"ok\xff.json"))),
                 str(tmp_path / "loop.json")]) == 1
    captured = capsys.readouterr()
    # stderr holds only the note that the supervisor's signing key was made (sign-v2)
    assert "không có tệp" not in captured.err.lower() and "Traceback" not in captured.err
    lines = captured.out.splitlines()
    assert any("pipe.json: Từ chối" in line and "FIFO" in line for line in lines)
    assert any("ok\\xff.json" in line and "không phải văn bản hợp lệ" in line for line in lines)
    assert any("loop.json" in line and "Từ chối" in line for line in lines)


def test_an_unreadable_file_is_refused_and_the_rest_received(
        tmp_path: Path, locations, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from store import platform_files
    from store.review.receiving import find_bundle_files, receive_into

    folder = tmp_path / "in"
    folder.mkdir()
    files = [factory.write_bundle(folder, factory.bundle_of(i, FIXED_TODAY)) for i in range(3)]
    secret = files[1]
    real_open = platform_files.open_for_reading

    def open_for_reading(path):  # noqa: ANN001, ANN202 - mode 000 for whoever runs this
        if Path(path) == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(platform_files, "open_for_reading", open_for_reading)
    found = find_bundle_files([folder])
    verdicts = {}
    totals = receive_into(locations.review_db_path, found.files, refused=found.refused,
                          processes=1, on_result=lambda i, path, r: verdicts.update(
                              {path.name: r}))
    assert (totals.accepted, totals.refused) == (2, 1)
    refusal = verdicts[secret.name].refusal
    assert refusal.code == "unreadable" and refusal.details["errno"] == 13


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="modes do not stop root; the deny fixture covers root")
def test_a_real_mode_000_folder_is_refused(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    inbox = tmp_path / "in"
    (inbox / "locked").mkdir(parents=True)
    factory.write_bundle(inbox, factory.bundle_of(1, FIXED_TODAY))
    (inbox / "locked").chmod(0)
    try:
        assert main(["review", "--no-ui", str(inbox)]) == 1
    finally:
        (inbox / "locked").chmod(0o755)
    out = capsys.readouterr().out
    assert "locked: Từ chối" in out and "1 đã nhận" in out


@posix_only
@pytest.mark.parametrize("command", [["check", "pipe.json"], ["restore", "pipe.db"],
                                     ["review", "--no-ui", "pipe.json"]])
def test_commands_on_a_fifo_end_at_once_in_words(tmp_path: Path, data_dir: Path,
                                                 command: list[str]) -> None:
    """In a real process, with a timeout: a FIFO opened for reading would block."""
    os.mkfifo(tmp_path / command[-1])
    done = subprocess.run([sys.executable, "-m", "tui", *command], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert done.returncode == 1, done
    said = done.stdout + done.stderr
    assert "FIFO" in said and "Traceback" not in said, said
