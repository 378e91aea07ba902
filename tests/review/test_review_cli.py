"""`cchc review --no-ui`: files and folders in, one verdict per file, a total, and
an exit code that tells a script whether anything was refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tui.cli import main


def _units_in_review_db(data_dir: Path) -> dict[str, int]:
    from store.connect import connect

    connection = connect(data_dir / "review.db", read_only=True)
    try:
        return dict(connection.execute(
            "SELECT unit_code, max(sequence) FROM receivedbundle GROUP BY unit_code"))
    finally:
        connection.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder of five good bundles (one in a subfolder) and one damaged file."""
    folder = tmp_path / "inbox"
    (folder / "usb" / "more").mkdir(parents=True)
    for index in range(1, 5):
        factory.write_bundle(folder / "usb", factory.bundle_of(index, FIXED_TODAY))
    factory.write_bundle(folder / "usb" / "more", factory.bundle_of(5, FIXED_TODAY))
    damaged = factory.bundle_of(6, FIXED_TODAY)
    damaged["assessments"][0]["tasks"][0]["progress"] = 55  # after the digest: altered
    factory.write_bundle(folder / "usb", damaged)
    (folder / "usb" / "notes.txt").write_text("not a bundle, not *.json")
    return folder


def test_a_refused_file_among_good_ones_is_reported_and_the_rest_accepted(
        inbox: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    code = main(["review", "--no-ui", str(inbox)])
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert code == 1
    refused = [line for line in lines if "cchc-10006-" in line]
    assert len(refused) == 1 and "Từ chối" in refused[0] and "$.integrity.sha256" in refused[0]
    assert sum(": Đã nhận" in line for line in lines) == 5
    assert lines[-1].startswith("Tổng: 6 tệp") and "5 đã nhận" in lines[-1]
    assert "1 bị từ chối" in lines[-1]
    assert _units_in_review_db(data_dir) == {factory.unit_code(i): 1 for i in range(1, 6)}
    assert not any(p.name.endswith(("-wal", "-shm", "-journal")) for p in data_dir.iterdir())


def test_receiving_again_changes_nothing_and_exits_zero(inbox: Path, data_dir: Path,
                                                        capsys) -> None:  # noqa: ANN001
    good = inbox / "usb" / "more"
    assert main(["review", "--no-ui", str(good)]) == 0
    capsys.readouterr()
    before = (data_dir / "review.db").read_bytes()
    assert main(["review", "--no-ui", str(good)]) == 0
    out = capsys.readouterr().out
    assert "đã nhận trước đó" in out.lower() or "Đã nhập" in out
    assert (data_dir / "review.db").read_bytes() == before


def test_a_unit_s_bundles_are_received_in_sequence_order_whatever_their_names(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    first = factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=7))
    second = factory.progressed(first, FIXED_TODAY)
    fourth = factory.progressed(second, FIXED_TODAY, sequence=4)
    folder = tmp_path / "mail"
    folder.mkdir()
    for name, bundle in (("a.json", fourth), ("b.JSON", second), ("c.json", first)):
        (folder / name).write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    assert main(["review", "--no-ui", str(folder)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in lines if ".json" in line.lower()
            and not line.startswith(" ")] == ["c.json", "b.JSON", "a.json"]
    # each file also warns that it is unsigned (format 1); test_keys_cli covers that
    warnings = [line for line in lines if line.startswith("  ") and "chữ ký" not in line]
    assert len(warnings) == 1 and "3" in warnings[0]
    assert "3 có cảnh báo" in lines[-1]
    assert _units_in_review_db(data_dir) == {factory.unit_code(1): 4}


def test_missing_paths_and_empty_folders_are_told(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["review", "--no-ui", str(empty)]) == 0
    assert "Không tìm thấy tệp báo cáo" in capsys.readouterr().out
    assert main(["review", "--no-ui", str(tmp_path / "nowhere")]) == 1
    captured = capsys.readouterr()
    assert "nowhere" in captured.err and "Traceback" not in captured.err


def test_english_on_request(inbox: Path, capsys) -> None:  # noqa: ANN001
    assert main(["--lang", "en", "review", "--no-ui", str(inbox / "usb" / "more")]) == 0
    out = capsys.readouterr().out
    assert "Accepted" in out and out.strip().splitlines()[-1].startswith("Total: 1 file")


def test_a_large_batch_uses_the_pool_and_leaves_the_file_as_a_viewer_needs_it(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    from store.review import _journal_mode_is_delete
    from store.review.receiving import POOL_THRESHOLD

    folder = tmp_path / "province"
    folder.mkdir()
    for index in range(POOL_THRESHOLD + 2):
        factory.write_bundle(folder, factory.bundle_of(index, FIXED_TODAY))
    assert main(["review", "--no-ui", str(folder)]) == 0
    assert f"{POOL_THRESHOLD + 2} đã nhận" in capsys.readouterr().out
    path = data_dir / "review.db"
    assert _journal_mode_is_delete(path)
    assert not any(p.name.endswith(("-wal", "-shm", "-journal")) for p in data_dir.iterdir())
    before = path.read_bytes()
    assert main(["review", "--no-ui", str(folder)]) == 0
    assert f"{POOL_THRESHOLD + 2} đã nhận trước đó" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_the_review_database_is_backed_up_before_new_bundles_only(
        tmp_path: Path, data_dir: Path, capsys) -> None:  # noqa: ANN001
    first = factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=3))
    folder = tmp_path / "in"
    folder.mkdir()
    factory.write_bundle(folder, first)
    assert main(["review", "--no-ui", str(folder)]) == 0
    backups = data_dir / "backups"

    def review_backups() -> list[Path]:
        return sorted(p for p in backups.glob("review*.db") if p.is_file())

    assert review_backups() == []  # nothing held before: nothing to lose
    assert main(["review", "--no-ui", str(folder)]) == 0
    assert review_backups() == []  # nothing new: no backup
    factory.write_bundle(folder, factory.progressed(first, FIXED_TODAY))
    assert main(["review", "--no-ui", str(folder)]) == 0
    taken = review_backups()
    assert len(taken) == 1 and "receive" in taken[0].name
    capsys.readouterr()
