"""Receive: the verdict table of bundle-v1, one transaction per bundle, and a
database that stays byte-for-byte the same unless a bundle is accepted."""

from __future__ import annotations

import hashlib
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from store.bundle.digest import canonical_bytes
from store.bundle.models import MAX_BUNDLE_BYTES
from store.bundle.receive import (ReceiveResult, parse_file_for_receive, parse_for_receive,
                                  receive_bundle, receive_file, received_content,
                                  store_received)
from store.db import Database
from store.migrations import open_database
from store.models import ReceivedBundle, Task, Unit
from store.snapshot import read_unit_snapshot
from tests.bundle.factory import (database_bytes, example_document, first_task, seal,
                                  sealed_bytes, to_bytes, with_new_ids)


@pytest.fixture
def review_db(tmp_path: Path):  # noqa: ANN201
    db = open_database(tmp_path / "review.db")
    yield db
    db.dispose()


def _bundle(sequence: int, seed: int, previous: str | None = None,
            **changes: object) -> dict:
    document = example_document()
    document["sequence"] = sequence
    document["previous_sha256"] = previous
    document.update(changes)
    return with_new_ids(document, seed=seed)


def _task_count(document: dict) -> int:
    return sum(len(assessment["tasks"]) for assessment in document["assessments"])


def _receive(db, document: dict, name: str = "bundle.json") -> ReceiveResult:  # noqa: ANN001
    return receive_bundle(db, to_bytes(document), name)


def _chain_warnings(result: ReceiveResult) -> list:
    """The warnings about the sequence chain (these version 1 files are all unsigned,
    which the signature tests cover)."""
    return [warning for warning in result.warnings if warning.code != "unsigned"]


def _assert_unchanged(db, before: tuple[bytes, bytes], result: ReceiveResult) -> None:  # noqa: ANN001
    assert result.changed_nothing
    assert database_bytes(db.path) == before


def test_an_accepted_bundle_becomes_the_units_snapshot_and_is_kept_on_record(
        review_db: Database) -> None:
    document = example_document()
    result = _receive(review_db, document, "cchc-30316-20230615-0001.json")
    assert result.verdict == "accepted" and [w.code for w in result.warnings] == ["unsigned"]
    assert (result.unit_code, result.sequence, result.bundle_id) == (
        "30316", 1, document["bundle_id"])
    with review_db.read() as session:
        record = session.execute(select(ReceivedBundle)).scalars().one()
        unit_id = session.execute(select(Unit.id).where(Unit.code == "30316")).scalar_one()
        snapshot = read_unit_snapshot(session, unit_id)
    assert record.id == result.received_id
    assert (record.unit_code, record.bundle_id, record.sequence, record.sha256) == (
        "30316", document["bundle_id"], 1, document["integrity"]["sha256"])
    assert (record.created_at, record.file_name) == (document["created_at"],
                                                     "cchc-30316-20230615-0001.json")
    assert record.imported_at.tzinfo is not None
    assert [w["code"] for w in json.loads(record.warnings)] == ["unsigned"]
    assert (record.version, record.public_key, record.key_fingerprint) == (1, None, None)
    content = received_content(record.content)
    assert hashlib.sha256(canonical_bytes(content)).hexdigest() == record.sha256
    assert content["bundle_id"] == document["bundle_id"] and "integrity" not in content
    assert snapshot["unit"] == document["unit"]
    assert snapshot["assessments"][0]["criteria"] == [  # version 1 has no causes
        {**criterion, "cause": None, "cause_kind": None}
        for criterion in document["assessments"][0]["criteria"]]
    assert [t["id"] for t in snapshot["assessments"][0]["tasks"]] == \
        [t["id"] for t in document["assessments"][0]["tasks"]]


def test_the_same_bundle_again_is_already_imported(review_db: Database) -> None:
    first = _receive(review_db, example_document())
    before = database_bytes(review_db.path)
    again = receive_bundle(review_db, to_bytes(example_document(), indent=None), "copy.json")
    assert again.verdict == "already_imported" and again.received_id == first.received_id
    _assert_unchanged(review_db, before, again)


def test_the_same_bundle_id_with_other_content_is_refused_as_conflicting(
        review_db: Database) -> None:
    _receive(review_db, example_document())
    before = database_bytes(review_db.path)
    document = example_document()
    first_task(document)["title"] = "Nội dung khác, cùng mã tệp"
    result = _receive(review_db, seal(document))
    assert result.verdict == "conflicting_id" and result.bundle_id == document["bundle_id"]
    _assert_unchanged(review_db, before, result)


@pytest.mark.parametrize("sequence", [1, 2])
def test_an_older_or_equal_sequence_is_refused_naming_what_is_held(review_db: Database,
                                                                   sequence: int) -> None:
    _receive(review_db, _bundle(2, seed=1, created_at="2023-07-01T08:00:00+07:00"))
    before = database_bytes(review_db.path)
    result = _receive(review_db, _bundle(sequence, seed=2))
    assert result.verdict == "older_than_held"
    assert (result.sequence, result.held_sequence, result.held_created_at) == (
        sequence, 2, "2023-07-01T08:00:00+07:00")
    _assert_unchanged(review_db, before, result)


def test_a_gap_is_accepted_with_the_missing_numbers(review_db: Database) -> None:
    _receive(review_db, _bundle(1, seed=1))
    result = _receive(review_db, _bundle(4, seed=2))
    assert result.verdict == "accepted"
    [gap] = _chain_warnings(result)
    assert (gap.code, gap.details) == ("gap", {"first": 2, "last": 3})
    with review_db.read() as session:
        stored = session.execute(select(ReceivedBundle.warnings).where(
            ReceivedBundle.sequence == 4)).scalar_one()
    assert json.loads(stored)[-1]["details"] == {"first": 2, "last": 3}


def test_a_fork_is_accepted_with_a_warning(review_db: Database) -> None:
    held = _receive(review_db, _bundle(1, seed=1))
    result = _receive(review_db, _bundle(2, seed=2, previous="ab" * 32))
    assert result.verdict == "accepted"
    [fork] = _chain_warnings(result)
    assert fork.code == "fork" and fork.details["held_sha256"] == held.sha256
    chained = _receive(review_db, _bundle(3, seed=3, previous=result.sha256))
    assert chained.verdict == "accepted" and _chain_warnings(chained) == []


def test_a_newer_bundle_replaces_the_snapshot_and_the_older_stays_on_record(
        review_db: Database) -> None:
    _receive(review_db, _bundle(1, seed=1))
    newer = _bundle(2, seed=2)
    tasks = newer["assessments"][0]["tasks"]
    tasks[1]["progress"] = 77
    del tasks[0]
    _receive(review_db, seal(newer))
    with review_db.read() as session:
        records = session.execute(select(ReceivedBundle.sequence)).scalars().all()
        task_rows = session.execute(select(Task.uid, Task.progress)).all()
    assert sorted(records) == [1, 2]
    assert len(task_rows) == len(tasks) and (tasks[0]["id"], 77) in task_rows


def test_a_refused_bundle_changes_nothing(review_db: Database) -> None:
    _receive(review_db, example_document())
    before = database_bytes(review_db.path)
    document = example_document()
    first_task(document)["progress"] = 101
    result = receive_bundle(review_db, sealed_bytes(document), "broken.json")
    assert result.verdict == "refused" and result.refusal.code == "out_of_range"
    _assert_unchanged(review_db, before, result)


def test_a_task_id_of_another_unit_is_refused(review_db: Database) -> None:
    _receive(review_db, example_document())
    before = database_bytes(review_db.path)
    other = example_document()
    other["unit"]["code"] = "30317"
    other["bundle_id"] = "0" * 8 + "-0000-4000-8000-" + "0" * 12
    result = _receive(review_db, seal(other))
    assert result.verdict == "refused"
    assert (result.refusal.code, result.refusal.path) == ("task_id_taken",
                                                          "$.assessments[0].tasks[0].id")
    _assert_unchanged(review_db, before, result)


def test_units_are_kept_apart(review_db: Database) -> None:
    for seed, code in enumerate(["30316", "30317", "30318"]):
        assert _receive(review_db, with_new_ids(example_document(), code, seed)).accepted
    with review_db.read() as session:
        assert session.execute(select(Unit.code).order_by(Unit.code)).scalars().all() == [
            "30316", "30317", "30318"]
        assert len(session.execute(select(Task.id)).all()) == 3 * _task_count(example_document())


def test_receive_file_checks_the_size_before_reading(review_db: Database, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BUNDLE_BYTES + 1)
    result = receive_file(review_db, huge)
    assert (result.verdict, result.refusal.code, result.file_name) == (
        "refused", "too_large", "huge.json")
    good = tmp_path / "good.json"
    good.write_bytes(to_bytes(example_document()))
    assert receive_file(review_db, good).accepted


def test_prepared_bundles_cross_process_boundaries(review_db: Database, tmp_path: Path) -> None:
    paths = []
    for seed, code in enumerate(["30316", "30317"]):
        path = tmp_path / f"{code}.json"
        path.write_bytes(to_bytes(with_new_ids(example_document(), code, seed)))
        paths.append(path)
    with ProcessPoolExecutor(max_workers=2) as pool:
        prepared = list(pool.map(parse_file_for_receive, paths))
    results = [store_received(review_db, p, path.name)
               for p, path in zip(prepared, paths, strict=True)]
    assert [r.verdict for r in results] == ["accepted", "accepted"]
    copy = pickle.loads(pickle.dumps(parse_for_receive(paths[0].read_bytes())))
    assert store_received(review_db, copy, "again.json").verdict == "already_imported"
