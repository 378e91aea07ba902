"""The export counter never goes back and an export never writes over a file (issue
11 item 3): through a restore of an older backup, and through a kill between the
file's rename and the database's commit."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from store.backup import restore_backup, take_backup
from store.bundle import export as export_module
from store.bundle.export import ExportDone, ExportFailed, export_bundle, sent_bundles
from store.bundle.export_log import SentBundle, append_to_log, log_path_for, read_log
from store.bundle.reader import read_bundle_file
from store.bundle.signing import SigningKey
from store.demo import DEMO_OFFICER, DEMO_UNIT
from store.migrations import open_database
from store.models import ExportRecord
from store import platform_files
from store.vocab import DatabaseKind, Verdict

from .killing import die_now, needs_fork, run_to_end, start

KEY = SigningKey.from_seed(bytes(range(32)))


def _export(db_path: Path, folder: Path) -> ExportDone | ExportFailed:
    db = open_database(db_path)
    try:
        return export_bundle(db, unit=DEMO_UNIT, officer=DEMO_OFFICER, target_dir=folder,
                             generator="cchc test", key=KEY)
    finally:
        db.dispose()


def _done(db_path: Path, folder: Path) -> ExportDone:
    result = _export(db_path, folder)
    assert isinstance(result, ExportDone), result
    return result


def _recorded(db_path: Path) -> list[int]:
    db = open_database(db_path)
    try:
        with db.read() as session:
            return list(session.execute(select(ExportRecord.sequence)
                                        .order_by(ExportRecord.sequence)).scalars())
    finally:
        db.dispose()


def _receive(review: Path, files: list[Path]):  # noqa: ANN202 - ReceiveResult per file
    from store.review.receiving import receive_into

    results = []
    receive_into(review, files, on_result=lambda _i, _path, result: results.append(result))
    return results


def _accepted_in_a_chain(results) -> None:  # noqa: ANN001
    for result in results:
        assert result.verdict == Verdict.ACCEPTED, result
        codes = {warning.code for warning in result.warnings}
        assert not codes & {"fork", "gap"}, result.warnings


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def test_after_restoring_an_older_backup_the_counter_goes_on(live_db: Path, locations,  # noqa: ANN001
                                                             stick: Path, tmp_path: Path) -> None:
    first = _done(live_db, stick)
    backup = take_backup(live_db, locations.backups_dir, "manual")
    second, third = _done(live_db, stick), _done(live_db, stick)
    review = tmp_path / "review.db"
    _accepted_in_a_chain(_receive(review, [first.path, second.path, third.path]))
    third_bytes = third.path.read_bytes()

    restore_backup(backup, live_db, locations.backups_dir, kind=DatabaseKind.UNIT)
    assert _recorded(live_db) == [1]  # the database itself went back with the backup
    fourth = _done(live_db, stick)
    assert fourth.sequence == 4
    document = json.loads(fourth.path.read_bytes())
    assert document["previous_sha256"] == third.sha256 == read_bundle_file(third.path).sha256
    assert third.path.read_bytes() == third_bytes
    [received] = _receive(review, [fourth.path])
    _accepted_in_a_chain([received])  # no "older than held", no fork
    assert [entry.sequence for entry in read_log(log_path_for(live_db))] == [1, 2, 3, 4]


def _kill_at(point: str, db_path: Path, folder: Path) -> None:
    """Child: export, and die (SIGKILL) at `point` of the export."""
    from store import safe_write

    if point == "after the rename":
        real_rename = safe_write.rename_no_replace

        def rename_then_die(source, target) -> None:  # noqa: ANN001
            real_rename(source, target)
            die_now()
        safe_write.rename_no_replace = rename_then_die
    else:
        real_log = export_module._log_written

        def log_then_die(db_path, entry) -> None:  # noqa: ANN001
            real_log(db_path, entry)
            die_now()
        export_module._log_written = log_then_die
    _export(db_path, folder)
    os._exit(3)  # not reached: the export died at point


@needs_fork
@pytest.mark.parametrize("point", ["after the rename", "after the log"])
def test_a_kill_between_the_rename_and_the_commit_gives_a_new_number(
        live_db: Path, stick: Path, tmp_path: Path, point: str) -> None:
    done = [_done(live_db, stick), _done(live_db, stick)]
    child = start(_kill_at, point, live_db, stick)
    assert run_to_end(child) == -9
    assert _recorded(live_db) == [1, 2]  # the commit never happened
    [killed] = sorted(set(stick.iterdir()) - {result.path for result in done})
    written = read_bundle_file(killed)
    assert written.ok and written.bundle.sequence == 3
    killed_bytes = killed.read_bytes()
    logged = [entry.sequence for entry in read_log(log_path_for(live_db))]
    assert logged == ([1, 2] if point == "after the rename" else [1, 2, 3])

    fourth = _done(live_db, stick)
    assert fourth.sequence == 4 and fourth.path != killed
    assert json.loads(fourth.path.read_bytes())["previous_sha256"] == written.sha256
    assert killed.read_bytes() == killed_bytes
    _accepted_in_a_chain(_receive(tmp_path / "review.db",
                                  [done[0].path, done[1].path, killed, fourth.path]))
    # The file the database never recorded is in the log now, and in the list.
    assert [entry.sequence for entry in read_log(log_path_for(live_db))] == [1, 2, 3, 4]
    db = open_database(live_db)
    try:
        assert [sent.sequence for sent in sent_bundles(db)] == [4, 3, 2, 1]
    finally:
        db.dispose()


def test_an_export_never_writes_over_a_file(live_db: Path, stick: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    mine = stick / "cchc-DEMO-30316-20261121-0001.json"
    mine.write_bytes(b"my own notes, named like a bundle")
    first = _done(live_db, stick)
    assert first.sequence == 1 and first.path.name == "cchc-DEMO-30316-20261121-0001-2.json"
    assert mine.read_bytes() == b"my own notes, named like a bundle"
    for counter in (1, 2, 3):
        name = "cchc-DEMO-30316-20261121-0002" + (f"-{counter}" if counter > 1 else "") + ".json"
        (stick / name).write_bytes(b"taken")
    monkeypatch.setattr(export_module, "FREE_NAME_TRIES", 3)
    refused = _export(live_db, stick)
    assert isinstance(refused, ExportFailed) and refused.code == "names_taken"
    assert _recorded(live_db) == [1]
    assert all((stick / name).read_bytes() == b"taken" for name in
               ("cchc-DEMO-30316-20261121-0002.json", "cchc-DEMO-30316-20261121-0002-3.json"))
    from tui.words.bundle import export_failure_sentence

    sentence = export_failure_sentence(refused)
    assert "không bao giờ ghi đè" in sentence and str(stick) in sentence


def test_a_file_appearing_under_the_name_while_written_is_kept(stick: Path) -> None:
    from store.safe_write import write_atomically

    target = stick / "bundle.json"
    target.write_bytes(b"came first")
    with pytest.raises(FileExistsError):
        write_atomically(target, b"new", replace=False)
    assert target.read_bytes() == b"came first"
    assert sorted(p.name for p in stick.iterdir()) == ["bundle.json"]


def test_without_hard_links_the_name_is_looked_for_first(stick: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source, target) -> None:  # noqa: ANN001 - a FAT stick
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    source, target = stick / "a", stick / "b"
    source.write_bytes(b"a")
    target.write_bytes(b"b")
    with pytest.raises(FileExistsError):
        platform_files.rename_no_replace(source, target)
    assert (source.read_bytes(), target.read_bytes()) == (b"a", b"b")
    target.unlink()
    platform_files.rename_no_replace(source, target)
    assert target.read_bytes() == b"a" and not source.exists()


def test_the_log_skips_a_torn_line_and_an_unreadable_log_stops_the_export(
        live_db: Path, stick: Path) -> None:
    log = log_path_for(live_db)
    assert log.name == "cchc-exports.log" and log.parent == live_db.parent
    append_to_log(log, SentBundle(7, "a" * 64, str(stick / "x.json"), "2026-11-20T08:00:00+07:00"))
    with open(log, "ab") as handle:
        handle.write(b'{"sequence": 9, "sha256": "b')  # a kill in the middle of a line
    assert [entry.sequence for entry in read_log(log)] == [7]
    after = _done(live_db, stick)
    assert after.sequence == 8
    assert json.loads(after.path.read_bytes())["previous_sha256"] == "a" * 64
    assert [entry.sequence for entry in read_log(log)] == [7, 8]
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)

    log.unlink()
    log.mkdir()  # cannot be read as a file
    refused = _export(live_db, stick)
    assert isinstance(refused, ExportFailed) and refused.code == "log_unreadable"
    assert _recorded(live_db) == [8]
