"""Receiving a folder again: files whose raw bytes were read before and whose bundle is
held are "already imported" without being read again (store.review.held_files); a
changed file is still read, and refused."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import store.bundle.receive as receive
from store.review import held_files
from store.review.receiving import find_bundle_files, receive_into
from tests.conftest import FIXED_TODAY
from tests.review import factory


def _folder(tmp_path: Path, units: int = 4) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    for index in range(units):
        factory.write_bundle(folder, factory.signed(factory.bundle_of(index, FIXED_TODAY)))
    return folder


def _receive(database: Path, folder: Path) -> list:
    results = []
    receive_into(database, find_bundle_files([folder]).files, processes=1,
                 on_result=lambda _index, _path, result: results.append(result))
    return results


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read = []
    real = receive.parse_file_for_receive

    def counted(path):  # noqa: ANN001, ANN202
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(receive, "parse_file_for_receive", counted)
    return read


def test_a_held_folder_is_not_read_again_and_the_database_stays_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database, folder = tmp_path / "review.db", _folder(tmp_path)
    first = _receive(database, folder)
    before = database.read_bytes()
    read = _no_reading(monkeypatch)

    again = _receive(database, folder)

    assert read == []
    assert database.read_bytes() == before
    assert [r.verdict for r in again] == ["already_imported"] * 4
    assert [(r.bundle_id, r.sha256, r.unit_code, r.sequence, r.created_at, r.fingerprint,
             r.received_id, r.file_name) for r in again] == [
        (r.bundle_id, r.sha256, r.unit_code, r.sequence, r.created_at, r.fingerprint,
         r.received_id, r.file_name) for r in first]


def test_a_changed_file_is_read_and_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    database, folder = tmp_path / "review.db", _folder(tmp_path)
    _receive(database, folder)
    changed = sorted(folder.iterdir())[1]
    document = json.loads(changed.read_bytes())
    value = bytearray(base64.b64decode(document["signature"]["value"]))
    value[0] ^= 1  # same size, same bundle id and digest: only the signature differs
    document["signature"]["value"] = base64.b64encode(bytes(value)).decode()
    changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    read = _no_reading(monkeypatch)

    again = _receive(database, folder)

    assert read == [changed.name]
    verdicts = {r.file_name: r.verdict for r in again}
    assert verdicts.pop(changed.name) == "refused"
    assert set(verdicts.values()) == {"already_imported"}


def test_notes_of_another_reader_or_damaged_are_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database, folder = tmp_path / "review.db", _folder(tmp_path, units=2)
    _receive(database, folder)
    notes = held_files.notes_path(database)
    lines = notes.read_text(encoding="utf-8").splitlines()
    notes.write_text("\n".join(["another reader", *lines[1:]]) + "\n", encoding="utf-8")
    read = _no_reading(monkeypatch)
    assert [r.verdict for r in _receive(database, folder)] == ["already_imported"] * 2
    assert len(read) == 2  # read the full way; the notes are made again
    assert notes.read_text(encoding="utf-8").splitlines()[0] == lines[0]

    notes.write_text(lines[0] + "\n{not json\n", encoding="utf-8")
    read.clear()
    assert [r.verdict for r in _receive(database, folder)] == ["already_imported"] * 2
    assert len(read) == 2


def test_a_held_file_set_aside_says_so_as_the_full_path_does(tmp_path: Path) -> None:
    import sqlite3

    database, folder = tmp_path / "review.db", _folder(tmp_path, units=2)
    first = _receive(database, folder)
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE receivedbundle SET set_aside_at = '2026-11-21 02:00:00.000000' "
                           "WHERE id = ?", (first[0].received_id,))
    again = _receive(database, folder)
    assert [(r.verdict, r.set_aside) for r in again] == [("already_imported", True),
                                                         ("already_imported", False)]
