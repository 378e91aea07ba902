"""Export: file name and content per the spec, the sequence chain, and a target that
fails half-way leaves the previous file and the counter as they were."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from store import safe_write
from store.bundle.export import ExportDone, ExportFailed, export_bundle, export_preview
from store.bundle.reader import read_bundle_file
from store.bundle.results import BundleWarning
from store.bundle.signing import SigningKey
from store.db import Database
from store.clock import today
from store.demo import DEMO_OFFICER, DEMO_UNIT
from store.models import ExportRecord, Task

GENERATOR = "cchc 0.1.0"


KEY = SigningKey.from_seed(bytes(range(32)))


def _export(db: Database, folder: Path, **overrides: object) -> ExportDone | ExportFailed:
    arguments = {"unit": DEMO_UNIT, "officer": DEMO_OFFICER, "target_dir": folder,
                 "generator": GENERATOR, "key": KEY} | overrides
    return export_bundle(db, **arguments)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The export folder (the databases live in tmp_path itself)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _patch_write(monkeypatch: pytest.MonkeyPatch, write) -> None:  # noqa: ANN001
    """Make the safe writer's file write do `write(real_handle, data)` instead."""
    real_open = open

    class Handle:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.real = real_open(*args, **kwargs)

        def write(self, data: bytes) -> None:
            write(self.real, data)

        def __getattr__(self, name: str) -> object:
            return getattr(self.real, name)

        def __enter__(self) -> "Handle":
            return self

        def __exit__(self, *exc: object) -> None:
            self.real.close()

    monkeypatch.setattr(safe_write, "open", Handle, raising=False)


def _sequences(db) -> list[int]:  # noqa: ANN001
    with db.read() as session:
        return list(session.execute(select(ExportRecord.sequence)
                                    .order_by(ExportRecord.sequence)).scalars())


def test_export_writes_a_valid_bundle_named_per_the_spec(demo_db: Database, out: Path) -> None:
    result = _export(demo_db, out)
    assert isinstance(result, ExportDone)
    assert result.path == out / "cchc-DEMO-30316-20261121-0001.json"
    # The demo's code is no real unit's, and its bundle says it is sample data.
    assert DEMO_UNIT["code"] == "DEMO-30316"
    assert result.warnings == (BundleWarning("demo_data", "$.unit.code",
                                             {"code": "DEMO-30316"}),)
    read = read_bundle_file(result.path)
    assert read.ok, read.refusal
    bundle = read.bundle
    assert (bundle.sequence, bundle.previous_sha256, bundle.generator) == (1, None, GENERATOR)
    assert bundle.created_at == "2026-11-21T09:00:00+07:00"  # CCHC_TODAY pins the clock
    assert bundle.unit.model_dump() == DEMO_UNIT
    assert bundle.sender.model_dump() == {"name": "Nguyễn Thị Lan",
                                          "position": "Công chức Văn phòng - Thống kê",
                                          "phone": "0277 3861 234", "email": None}
    assert read.sha256 == result.sha256 == bundle.integrity.sha256
    assert len(bundle.assessments[0].tasks) == 20
    assert list(out.iterdir()) == [result.path]


def test_each_export_takes_the_next_sequence_and_chains_the_digest(demo_db: Database,
                                                                   out: Path) -> None:
    first = _export(demo_db, out)
    second = _export(demo_db, out)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.path.name == "cchc-DEMO-30316-20261121-0002.json"
    assert read_bundle_file(second.path).bundle.previous_sha256 == first.sha256
    assert _sequences(demo_db) == [1, 2]
    with demo_db.read() as session:
        record = session.execute(select(ExportRecord).where(
            ExportRecord.sequence == 2)).scalars().one()
    assert (record.sha256, record.bundle_id, record.path) == (
        second.sha256, second.bundle_id, str(second.path))


def test_exporting_twice_without_changes_differs_only_in_the_envelope(demo_db: Database,
                                                                      out: Path) -> None:
    first = json.loads(_export(demo_db, out).path.read_bytes())
    second = json.loads(_export(demo_db, out).path.read_bytes())
    envelope = {"bundle_id", "created_at", "sequence", "previous_sha256", "integrity",
                "signature"}
    assert {k for k in first if first[k] != second[k]} <= envelope
    assert first["bundle_id"] != second["bundle_id"]
    assert {k: v for k, v in first.items() if k not in envelope} == \
        {k: v for k, v in second.items() if k not in envelope}


def test_a_missing_target_folder_is_not_created_and_uses_no_sequence(demo_db: Database,
                                                                      out: Path) -> None:
    gone = out / "media" / "STICK"
    result = _export(demo_db, gone)
    assert result == ExportFailed("target_missing", gone)
    assert not gone.exists()
    assert _sequences(demo_db) == []


def test_the_default_folder_is_created(demo_db: Database, out: Path) -> None:
    result = _export(demo_db, out / "exports", create_folder=True)
    assert isinstance(result, ExportDone) and result.path.parent == out / "exports"


@pytest.mark.parametrize(("error", "code"), [
    (errno.ENOSPC, "no_space"), (errno.EROFS, "read_only"), (errno.EIO, "io_error"),
    (errno.ENODEV, "target_missing"), (errno.EACCES, "not_allowed")])
def test_a_write_that_fails_half_way_keeps_the_previous_file_and_the_sequence(
        demo_db: Database, out: Path, monkeypatch: pytest.MonkeyPatch, error: int,
        code: str) -> None:
    previous = _export(demo_db, out)
    previous_bytes = previous.path.read_bytes()
    # A file already where the next export would go (e.g. a copy made by hand): never
    # written over, the export takes the next free name.
    taken = out / "cchc-DEMO-30316-20261121-0002.json"
    taken.write_bytes(b"kept as it was")
    next_target = out / "cchc-DEMO-30316-20261121-0002-2.json"

    def fail_half_way(handle, data: bytes) -> None:  # noqa: ANN001
        handle.write(data[:len(data) // 2])
        handle.flush()
        raise OSError(error, "simulated")

    # Only the write is patched back afterwards: undoing every patch would also undo the
    # fixture's pinned date, and the retry would export under the real one.
    with monkeypatch.context() as write_patch:
        _patch_write(write_patch, fail_half_way)
        result = _export(demo_db, out)
    assert isinstance(result, ExportFailed)
    assert (result.code, result.path) == (code, next_target)
    assert result.details["errno"] == error
    assert previous.path.read_bytes() == previous_bytes
    assert taken.read_bytes() == b"kept as it was"
    assert sorted(p.name for p in out.iterdir()) == [previous.path.name, taken.name]
    assert _sequences(demo_db) == [1]

    retry = _export(demo_db, out)
    assert retry.sequence == 2 and retry.path == next_target
    assert read_bundle_file(next_target).ok and taken.read_bytes() == b"kept as it was"


def test_a_file_that_does_not_read_back_intact_is_not_put_in_place(
        demo_db: Database, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = out / "cchc-DEMO-30316-20261121-0001.json"
    taken.write_bytes(b"old")

    def write_damaged(handle, data: bytes) -> None:  # noqa: ANN001
        handle.write(data.replace("Phường".encode(), "Phuong".encode()))

    _patch_write(monkeypatch, write_damaged)
    assert _export(demo_db, out) == ExportFailed("verify_failed",
                                                 out / "cchc-DEMO-30316-20261121-0001-2.json")
    assert taken.read_bytes() == b"old"
    assert [p.name for p in out.iterdir()] == [taken.name]
    assert _sequences(demo_db) == []


def test_an_unconfigured_or_unknown_unit_is_not_exported(demo_db: Database, out: Path) -> None:
    assert _export(demo_db, out, unit={"code": "", "name": ""}) == \
        ExportFailed("unit_not_configured")
    other = dict(DEMO_UNIT, code="99999")
    assert _export(demo_db, out, unit=other) == \
        ExportFailed("unit_missing", None, {"code": "99999"})
    assert list(out.iterdir()) == [] and _sequences(demo_db) == []


def test_content_that_breaks_the_format_is_refused_before_writing(demo_db: Database,
                                                                  out: Path) -> None:
    with demo_db.write() as session:
        task = session.execute(select(Task).order_by(Task.id)).scalars().first()
        task.title = "x" * 501
    result = _export(demo_db, out)
    assert result.code == "invalid_content"
    refusal = result.details["refusal"]
    assert (refusal.code, refusal.path) == ("too_long", "$.assessments[0].tasks[0].title")
    assert list(out.iterdir()) == [] and _sequences(demo_db) == []


def test_a_read_only_database_cannot_export(out: Path, demo_db: Database) -> None:
    from store.migrations import open_database

    read_only = open_database(demo_db.path, read_only=True)
    try:
        assert _export(read_only, out) == ExportFailed("database_read_only")
    finally:
        read_only.dispose()


def test_the_preview_counts_what_will_be_sent(demo_db: Database, out: Path) -> None:
    preview = export_preview(demo_db, "DEMO-30316", today())
    assert (preview.unit_name, preview.assessments, preview.criteria, preview.tasks) == (
        "Phường 1", 1, 49, 20)
    assert (preview.done, preview.overdue, preview.last_sequence) == (4, 5, None)
    done = _export(demo_db, out)
    preview = export_preview(demo_db, "DEMO-30316", today())
    assert (preview.last_sequence, preview.last_path) == (1, str(done.path))
    assert not export_preview(demo_db, "00000", today()).in_database


def test_an_export_while_another_program_holds_the_lock_fails_and_writes_nothing(
        demo_db: Database, out: Path) -> None:
    from store.connect import connect
    from store.db import Database

    impatient = Database(demo_db.path, busy_timeout_ms=50)
    holder = connect(demo_db.path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = _export(impatient, out)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        impatient.dispose()
    assert isinstance(result, ExportFailed) and result.code == "database_busy"
    assert list(out.iterdir()) == [] and _sequences(demo_db) == []
