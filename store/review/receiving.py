"""Receiving many bundle files into the review database: the only writer.

Files come from paths given by the supervisor (files, or folders searched for
*.json). They are received in each unit's sequence order whatever their names
(a reader never relies on the file name), because a later bundle received first
would make the earlier one "older than held". Reading and checking runs in a
process pool (store.bundle.receive.parse_file_for_receive); one writer stores the
results in order, one transaction per bundle (store_received).

The writer keeps the file in journal_mode=DELETE and refreshes the planner's
statistics at the end, so read-only viewers open it without creating files and
page the all-tasks list through its indexes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from store.vocab import Verdict

if TYPE_CHECKING:
    from store.bundle.receive import ReceiveResult
    from store.db import Database

# Below this many files a process pool costs more to start than it saves.
POOL_THRESHOLD = 24
# Bundles per transaction when no viewer has the file open (see _GroupedWrites).
GROUP_SIZE = 50
# What is read of a file to learn its unit and sequence (for the order only).
PEEK_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class FoundFiles:
    files: list[Path]  # bundle files to receive, each once
    missing: list[Path]  # given paths that do not exist


@dataclass(frozen=True)
class ReceiveTotals:
    files: int = 0
    accepted: int = 0
    already_imported: int = 0
    refused: int = 0  # refused, conflicting id and older than held
    warnings: int = 0  # accepted with a warning (gap, fork, points mismatch)

    def add(self, result: "ReceiveResult") -> "ReceiveTotals":
        verdict = result.verdict
        return ReceiveTotals(
            files=self.files + 1,
            accepted=self.accepted + (verdict == Verdict.ACCEPTED),
            already_imported=self.already_imported + (verdict == Verdict.ALREADY_IMPORTED),
            refused=self.refused + (verdict in (Verdict.REFUSED, Verdict.CONFLICTING_ID,
                                                Verdict.OLDER_THAN_HELD)),
            warnings=self.warnings + (verdict == Verdict.ACCEPTED and bool(result.warnings)))


def find_bundle_files(paths: Iterable[str | os.PathLike[str]]) -> FoundFiles:
    """Files as given (whatever their extension), folders searched recursively for
    *.json (any case); each file once, in the order found."""
    files: dict[Path, None] = {}
    missing = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() == ".json" and p.is_file())
            for file in sorted(found):
                files.setdefault(file.absolute(), None)
        elif path.is_file():
            files.setdefault(path.absolute(), None)
        else:
            missing.append(path)
    return FoundFiles(list(files), missing)


@dataclass(frozen=True)
class _Peek:
    """What a glance at a file says, before it is read properly: only used to order
    the files and to guess whether anything new is coming."""

    order: tuple[int, str, int, str]  # (0, "", 0, name) for a file that is no bundle
    bundle_id: str | None


def _peek(path: Path) -> _Peek:
    try:
        if path.stat().st_size > PEEK_LIMIT:
            raise ValueError
        data = json.loads(path.read_bytes())
        unit, sequence, bundle_id = data["unit"]["code"], data["sequence"], data["bundle_id"]
        if not (isinstance(unit, str) and isinstance(sequence, int)
                and isinstance(bundle_id, str)):
            raise ValueError
    except Exception:  # noqa: BLE001 - anything unreadable sorts first, to be refused
        return _Peek((0, "", 0, path.name), None)
    return _Peek((1, unit, sequence, path.name), bundle_id)


def receiving_order(files: Sequence[Path]) -> list[Path]:
    """Each unit's bundles by sequence (files that are no bundle first)."""
    return sorted(files, key=lambda path: _peek(path).order)


def _prepared(files: Sequence[Path], processes: int) -> Iterator:
    from store.bundle.receive import parse_file_for_receive

    if processes <= 1 or len(files) < POOL_THRESHOLD:
        yield from map(parse_file_for_receive, files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the caller may be a UI with threads running.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        yield from pool.map(parse_file_for_receive, files,
                            chunksize=max(1, min(32, len(files) // (processes * 8))))


class _GroupedWrites:
    """Stands in for the Database in store_received(): each bundle's write() is a
    SAVEPOINT inside the group's one transaction, so a batch pays one sync per
    group instead of one per bundle. Each bundle stays all-or-nothing."""

    def __init__(self, db: "Database", session) -> None:  # noqa: ANN001 - Session
        self.path = db.path
        self.read_only = False
        self._session = session

    @contextmanager
    def write(self) -> Iterator:
        savepoint = self._session.begin_nested()
        try:
            yield self._session
        except BaseException:
            savepoint.rollback()
            raise
        savepoint.commit()


def receive_files(db: "Database", files: Sequence[Path], *,
                  on_result: Callable[[int, Path, "ReceiveResult"], None] | None = None,
                  processes: int | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  ordered: bool = False, group: int = 1) -> ReceiveTotals:
    """Receive the files in sequence order (ordered: they already are).

    on_result(index, path, result) after each file is committed (index counts from
    0 in that order). group > 1 commits that many bundles at a time (see
    _GroupedWrites): a failure rolls back the open group, none of which was
    reported yet. should_stop() is asked between commits. Raises only if the
    database itself fails (what was committed before stays)."""
    from store.bundle.receive import store_received

    if not ordered:
        files = receiving_order(files)
    if processes is None:
        processes = min(os.cpu_count() or 1, 4)
    totals = ReceiveTotals()
    parsed = _prepared(files, processes)
    prepared_files = zip(files, parsed, strict=False)  # parsed is lazy: same length
    done = 0
    try:
        while should_stop is None or not should_stop():
            chunk = list(islice(prepared_files, max(group, 1)))
            if not chunk:
                break
            if group <= 1:
                results = [store_received(db, chunk[0][1], chunk[0][0].name)]
            else:
                with db.write() as session:
                    writer = _GroupedWrites(db, session)
                    results = [store_received(writer, prepared, path.name)  # type: ignore[arg-type]
                               for path, prepared in chunk]
            for (path, _prepared_bundle), result in zip(chunk, results, strict=True):
                totals = totals.add(result)
                if on_result is not None:
                    on_result(done, path, result)
                done += 1
    finally:
        parsed.close()  # shuts the pool down if we stopped early
        if totals.accepted:
            refresh_statistics(db)
    return totals


def receive_into(path: Path, files: Sequence[Path], *, backups_dir: Path | None = None,
                 keep_backups: int | None = None, alone: bool = False,
                 on_result: Callable[[int, Path, "ReceiveResult"], None] | None = None,
                 processes: int | None = None,
                 should_stop: Callable[[], bool] | None = None) -> ReceiveTotals:
    """Open the review database at `path` for receiving, receive the files, close it
    in journal_mode=DELETE.

    When a file brings a bundle not held yet, the database is first backed up into
    backups_dir (an event backup, rotated to keep_backups). alone (no viewer has the
    file open): a large batch is then written in WAL mode (open_review_for_receiving),
    GROUP_SIZE bundles per transaction. A batch that brings nothing new leaves the
    file's bytes as they were."""
    from sqlalchemy import select

    from store.backup import backup_before_event
    from store.models import ReceivedBundle

    from . import close_after_receiving, open_review_for_receiving

    peeks = {file: _peek(file) for file in files}
    ordered = sorted(files, key=lambda file: peeks[file].order)
    db = open_review_for_receiving(path, backups_dir)
    group = 1
    try:
        with db.read() as session:
            held = set(session.execute(select(ReceivedBundle.bundle_id)).scalars())
        if any(peek.bundle_id not in held for peek in peeks.values()):
            if backups_dir is not None and held:
                backup_before_event(path, backups_dir, "receive", keep_events=keep_backups)
            if alone and len(files) >= POOL_THRESHOLD:
                db.dispose()
                db = open_review_for_receiving(path, backups_dir, alone=True)
                group = GROUP_SIZE
        return receive_files(db, ordered, on_result=on_result, processes=processes,
                             should_stop=should_stop, ordered=True, group=group)
    finally:
        close_after_receiving(db)


def refresh_statistics(db: "Database") -> None:
    """ANALYZE, so the read-only viewers' planner picks the list indexes."""
    with db.writer.begin() as connection:  # type: ignore[union-attr]
        connection.exec_driver_sql("ANALYZE")
