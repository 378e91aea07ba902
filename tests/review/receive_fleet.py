"""A small fleet of bundle files that meets every verdict and warning of a receive,
and a query-level dump of a review database, to prove that a faster receiver stores
exactly what the one before it stored (tests/review/test_receive_equivalence.py).

Two batches, received one after the other into the same database:
- batch 1: 30 units' first signed files (enough for the process pool), a next file
  (chain kept), a gap, a fork, a jump, the same file twice (already imported), a
  reused bundle id (conflicting id), another key, an unsigned file where a key is
  held, a key already held for another unit, an unsigned version 1 file, a task id
  of another unit, text in decomposed form, evidence with a file, a file that is no
  JSON and one whose digest is wrong;
- batch 2: the whole of batch 1 again (all held), an older file than held, and one
  unit's next file.

python -m tests.review.receive_fleet writes the expectation (what the receiver of
the commit that made it stored) to receive_expectation.json beside this file.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import sqlite3
import unicodedata
import zlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tests.review import factory

TODAY = dt.date(2026, 11, 21)
EXPECTATION = Path(__file__).with_name("receive_expectation.json")
FIRST_UNITS = 30


def _write(folder: Path, name: str, document: dict[str, Any]) -> None:
    (folder / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _signed(bundle: dict[str, Any], key=None) -> dict[str, Any]:  # noqa: ANN001
    return factory.signed(bundle, key)


def _first(index: int) -> dict[str, Any]:
    return factory.bundle_of(index, TODAY)


def _decomposed(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle with its unit name, titles and owners in NFD (as some systems write)."""
    bundle = copy.deepcopy(bundle)
    bundle["unit"]["name"] = unicodedata.normalize("NFD", bundle["unit"]["name"])
    for assessment in bundle["assessments"]:
        assessment["title"] = unicodedata.normalize("NFD", assessment["title"])
        for task in assessment["tasks"]:
            task["title"] = unicodedata.normalize("NFD", task["title"])
            task["owner"] = unicodedata.normalize("NFD", task["owner"] or "") or None
    return bundle


def write_batches(folder: Path) -> tuple[Path, Path]:
    """The two batches' folders, made under `folder`."""
    first, second = folder / "batch1", folder / "batch2"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    bundles = {index: _first(index) for index in range(FIRST_UNITS)}
    # Unit 10 sends evidence with its file; unit 11 writes in decomposed form.
    task = bundles[10]["assessments"][0]["tasks"][0]
    task["evidence"].append({"id": factory._uid("evidence file", 10), "title": "Biên bản",
                             "number": "7/BB", "date": "2026-10-02", "issuer": "UBND",
                             "locator": "tủ 2", "file": {"name": "bien-ban.pdf",
                                                         "size": 1234,
                                                         "sha256": "ab" * 32}})
    bundles[10] = factory.bundle_of(10, TODAY, assessments=bundles[10]["assessments"])
    bundles[11] = _decomposed(bundles[11])
    bundles[11]["integrity"] = {"sha256": factory.digest(bundles[11])}
    for index, bundle in bundles.items():
        _write(first, f"unit-{index:02d}-1.json", _signed(bundle))
    _write(first, "unit-00-2.json", _signed(factory.progressed(_signed(bundles[0]), TODAY)))
    _write(first, "unit-01-3.json",
           _signed(factory.progressed(_signed(bundles[1]), TODAY, sequence=3)))
    fork = factory.progressed(bundles[2], TODAY)
    fork = factory.bundle_of(2, TODAY, sequence=2, previous_sha256="cd" * 32,
                             assessments=fork["assessments"])
    _write(first, "unit-02-2-fork.json", _signed(fork))
    _write(first, "unit-03-1-copy.json", _signed(bundles[3]))
    reused = copy.deepcopy(bundles[4])
    reused["assessments"][0]["tasks"][0]["title"] = "Cùng mã gói, nội dung khác"
    reused["integrity"] = {"sha256": factory.digest(reused)}
    _write(first, "unit-04-1-reused-id.json", _signed(reused))
    _write(first, "unit-05-2-other-key.json",
           _signed(factory.progressed(bundles[5], TODAY), factory.unit_key(900)))
    _write(first, "unit-06-2-unsigned.json", factory.progressed(bundles[6], TODAY))
    _write(first, "unit-40-1-key-of-07.json", _signed(_first(40), factory.unit_key(7)))
    _write(first, "unit-41-1-unsigned.json", _first(41))
    taken = _first(42)
    taken["assessments"][0]["tasks"][0]["id"] = bundles[8]["assessments"][0]["tasks"][0]["id"]
    taken["integrity"] = {"sha256": factory.digest(taken)}
    _write(first, "unit-42-1-task-of-08.json", _signed(taken))
    _write(first, "unit-43-150-jump.json",
           _signed(factory.bundle_of(43, TODAY, sequence=150)))
    (first / "not-json.json").write_text("{ this is not json", encoding="utf-8")
    wrong = _signed(_first(44))
    wrong["integrity"] = {"sha256": "00" * 32}
    _write(first, "unit-44-1-wrong-digest.json", wrong)
    for path in first.iterdir():
        (second / path.name).write_bytes(path.read_bytes())
    older = factory.bundle_of(0, TODAY, created_at="2026-11-01T08:00:00+07:00")
    older["bundle_id"] = factory._uid("older", 0)
    _write(second, "unit-00-1-older.json", _signed(older))
    _write(second, "unit-12-2.json", _signed(factory.progressed(_signed(bundles[12]), TODAY)))
    return first, second


def _value(table: str, column: str, value: Any) -> Any:
    if isinstance(value, bytes):
        if table == "receivedbundle" and column == "content":
            return json.loads(zlib.decompress(value))
        return value.hex()
    return value


def _has_rowid(connection: sqlite3.Connection, table: str) -> bool:
    try:
        connection.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
    except sqlite3.OperationalError:
        return False
    return True


def database_dump(path: Path) -> dict[str, list[list[Any]]]:
    """Every table's rows (search index and planner statistics included), in rowid order."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        dump = {}
        for table in tables:
            # The WITHOUT ROWID shadow tables of the search index have no rowid, and
            # ANALYZE writes sqlite_stat1 in no fixed order: their rows are sorted.
            ordered = table != "sqlite_stat1" and _has_rowid(connection, table)
            cursor = connection.execute(f'SELECT * FROM "{table}"'
                                        + (" ORDER BY rowid" if ordered else ""))
            columns = [description[0] for description in cursor.description]
            dump[table] = [[_value(table, column, value) for column, value in zip(
                columns, row, strict=True)] for row in cursor]
            if not ordered:
                dump[table].sort(key=repr)
        return dump
    finally:
        connection.close()


def verdict_record(path: Path, result) -> dict[str, Any]:  # noqa: ANN001 - ReceiveResult
    record = asdict(result)
    record["path"] = path.name
    return json.loads(json.dumps(record, default=str))


def receive_batches(folder: Path, database: Path, *, alone: bool,
                    processes: int) -> list[dict[str, Any]]:
    """Receive both batches into `database`; every file's verdict record, in order."""
    from store.review.receiving import find_bundle_files, receive_into

    records: list[dict[str, Any]] = []
    for batch in write_batches(folder):
        found = find_bundle_files([batch])
        receive_into(database, found.files, alone=alone, processes=processes,
                     refused=found.refused,
                     on_result=lambda _index, path, result: records.append(
                         verdict_record(path, result)))
    return records


def digest_of(rows: Any) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True)
                          .encode("utf-8")).hexdigest()


def expectation(records: list[dict[str, Any]], dump: dict[str, list[list[Any]]]) -> dict:
    return {"verdicts": records,
            "tables": {table: {"rows": len(rows), "sha256": digest_of(rows)}
                       for table, rows in dump.items()}}


def main() -> None:
    import os
    import tempfile

    os.environ["CCHC_TODAY"] = TODAY.isoformat()
    made = []
    for alone, processes in ((True, 2), (False, 1)):
        with tempfile.TemporaryDirectory() as scratch:
            base = Path(scratch)
            records = receive_batches(base / "files", base / "review.db", alone=alone,
                                      processes=processes)
            made.append(expectation(records, database_dump(base / "review.db")))
    if made[0] != made[1]:
        raise SystemExit("the grouped and the one-by-one receive stored different things")
    EXPECTATION.write_text(json.dumps(made[0], ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
    print(f"wrote {EXPECTATION}")


if __name__ == "__main__":
    main()
