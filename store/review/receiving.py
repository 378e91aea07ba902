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

import io
import json
import logging
import os
import stat
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from store.vocab import Verdict

from . import held_files
from .turn import receiving_turn

if TYPE_CHECKING:
    from store.bundle.receive import PreparedBundle, ReceiveResult, TaskOwners
    from store.bundle.results import Refusal
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
    # Entries refused while searching, each with its reason (Refusal codes
    # name_not_text, folder_unreadable, folder_link, unreadable): received as
    # "refused" verdicts, so that one odd entry never stops a folder.
    refused: list[tuple[Path, "Refusal"]] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Entries that get a verdict."""
        return len(self.files) + len(self.refused)


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

    def plus(self, other: "ReceiveTotals") -> "ReceiveTotals":
        return ReceiveTotals(*(mine + theirs for mine, theirs in zip(
            astuple(self), astuple(other), strict=True)))


def find_bundle_files(paths: Iterable[str | os.PathLike[str]]) -> FoundFiles:
    """Files as given (whatever their extension or kind: the opener judges a FIFO or
    a device), folders searched recursively for *.json (any case); each file once, in
    the order found. Links to folders inside a folder are not followed (no loop, no
    leaving the stick); a name that is not valid text, a folder that cannot be
    listed, a link that cannot be resolved are refused entries, and the search goes
    on."""
    from store.bundle.results import Refusal

    files: dict[Path, None] = {}
    missing: list[Path] = []
    refused: list[tuple[Path, Refusal]] = []
    for given in paths:
        path = Path(given).expanduser()
        try:
            is_folder = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError:
            missing.append(path)
            continue
        except OSError as error:  # a symlink loop, a parent that cannot be entered
            refused.append((path, _unreadable("unreadable", error)))
            continue
        if is_folder:
            _search(path, files, refused)
        elif not _is_text(path.name):
            refused.append((path.absolute(), Refusal("name_not_text")))
        else:
            files.setdefault(path.absolute(), None)
    return FoundFiles(list(files), missing, refused)


def _is_text(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (os.fsdecode() made them
    lone surrogates; FAT sticks written by old systems have them) or, on Windows,
    a lone surrogate: such a name can be neither shown exactly nor stored."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unreadable(code: str, error: OSError) -> "Refusal":
    from store.bundle.results import Refusal

    return Refusal(code, "", {"reason": error.strerror or type(error).__name__,
                              "errno": error.errno})


def _search(folder: Path, files: dict[Path, None],
            refused: list[tuple[Path, "Refusal"]]) -> None:
    """Depth first, names in order, without recursion (a stick may nest deeply)."""
    from store.bundle.results import Refusal

    pending = [folder.absolute()]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            refused.append((current, _unreadable("folder_unreadable", error)))
            continue
        subfolders = []
        for entry in entries:
            path = current / entry.name
            is_bundle_name = entry.name.lower().endswith(".json")
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(path)
                    continue
                if entry.is_symlink() and entry.is_dir():
                    refused.append((path, Refusal("folder_link")))
                    continue
            except OSError as error:  # a link to itself: ELOOP
                if not is_bundle_name:
                    refused.append((path, _unreadable("unreadable", error)))
                    continue
            if not is_bundle_name:
                continue
            if not _is_text(entry.name):
                refused.append((path, Refusal("name_not_text")))
            else:
                files.setdefault(path, None)
        pending.extend(reversed(subfolders))


def _peek(path: Path) -> tuple[int, str, int, str]:
    """Where a file goes in the receiving order, from a glance at it before it is
    read properly: (1, unit, sequence, name), or (0, "", 0, name) for a file that is
    no bundle (it sorts first, to be refused)."""
    from store.files import read_regular

    try:
        data = json.loads(read_regular(path, PEEK_LIMIT))
        unit, sequence = data["unit"]["code"], data["sequence"]
        if not (isinstance(unit, str) and isinstance(sequence, int)):
            raise ValueError
    except Exception:  # noqa: BLE001 - anything unreadable sorts first, to be refused
        return (0, "", 0, path.name)
    return (1, unit, sequence, path.name)


def receiving_order(files: Sequence[Path]) -> list[Path]:
    """Each unit's bundles by sequence (files that are no bundle first)."""
    return sorted(files, key=_peek)


# Files per task sent to a worker, and tasks under way at most: the workers run at
# most WINDOW * CHUNK files ahead of the writer, so memory stays flat however many
# files a batch holds (results no longer pile up behind the writer).
CHUNK = 8
WINDOW = 8


def _prepared(files: Sequence[Path], processes: int) -> Iterator:
    from store.bundle.receive import parse_file_for_receive, parse_files_for_receive

    if processes <= 1 or len(files) < POOL_THRESHOLD:
        yield from map(parse_file_for_receive, files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the caller may be a UI with threads running.
    context = multiprocessing.get_context("spawn")
    _start_resource_tracker()
    with ProcessPoolExecutor(max_workers=processes, mp_context=context,
                             initializer=_quiet_worker, initargs=(_log_file(),)) as pool:
        chunks = (list(files[start:start + CHUNK]) for start in range(0, len(files), CHUNK))
        pending = deque(pool.submit(parse_files_for_receive, chunk)
                        for chunk in islice(chunks, WINDOW))
        try:
            while pending:
                done = pending.popleft().result()
                for chunk in islice(chunks, 1):
                    pending.append(pool.submit(parse_files_for_receive, chunk))
                yield from done
        finally:
            for future in pending:
                future.cancel()


_STDERR_SWAP = threading.Lock()


class _StderrWithoutDescriptor:
    """sys.stderr as it is, except that it has no file descriptor to hand on."""

    def __init__(self, stream) -> None:  # noqa: ANN001 - any text stream
        self._stream = stream

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._stream, name)

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker, which a spawn pool needs, even under a
    UI that captured stderr: the tracker passes sys.stderr.fileno() to its process,
    and Textual's capture answers -1 ("bad value(s) in fds_to_keep"). For the moment
    of the start, sys.stderr says it has no descriptor (the tracker then passes none);
    anything written meanwhile still goes where it went."""
    if os.name == "nt":  # Windows has no resource tracker
        return
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    with _STDERR_SWAP:
        captured = sys.stderr
        sys.stderr = _StderrWithoutDescriptor(captured)
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = captured


def _log_file() -> tuple[str, logging.Formatter | None] | None:
    """The log file the app writes (tui.cli starts it) and its formatter (it shows
    file data visibly), for the workers to log the same way."""
    for handler in reversed(logging.getLogger().handlers):  # the one started last
        if isinstance(handler, logging.FileHandler):
            return handler.baseFilename, handler.formatter
    return None


def _quiet_worker(log_file: tuple[str, logging.Formatter | None] | None) -> None:
    """In each worker: its output goes to the null device, never to the terminal a UI
    draws on (the workers inherit the terminal as stdout and stderr); what it logs
    goes to the app's log file."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        for descriptor in (1, 2):
            os.dup2(null, descriptor)
    finally:
        os.close(null)
    if log_file is not None:
        name, formatter = log_file
        try:
            handler = logging.FileHandler(name, encoding="utf-8")
        except OSError:
            return
        handler.setFormatter(formatter)
        logging.getLogger().addHandler(handler)


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


class _TrialWrites:
    """Stands in for the Database in store_received() while nothing was accepted yet:
    the bundle's transaction is always rolled back. A verdict other than "accepted"
    writes nothing anyway, so it stands as the bundle's result; an accepted one is
    stored again, for real, once the database is made ready for writing (backup,
    journal mode). So a batch that accepts nothing leaves every byte of the file as
    it was, header included, and makes no backup."""

    def __init__(self, db: "Database") -> None:
        self.path = db.path
        self.read_only = False
        self._db = db

    @contextmanager
    def write(self) -> Iterator:
        try:
            with self._db.write() as session:
                yield session
                raise _RolledBack
        except _RolledBack:
            pass


class _RolledBack(Exception):
    """Ends a trial transaction (rolled back by the session scope)."""


# Called before the first bundle of a batch is stored: prepares the database for
# writing and returns the Database to write to and the group size (see receive_into).
BeforeAccepting = Callable[[], tuple["Database", int]]


def receive_files(db: "Database | None", files: Sequence[Path], *,
                  on_result: Callable[[int, Path, "ReceiveResult"], None] | None = None,
                  processes: int | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  ordered: bool = False, group: int = 1,
                  before_accepting: BeforeAccepting | None = None,
                  first_index: int = 0,
                  held: dict[Path, "ReceiveResult"] | None = None,
                  on_read: Callable[["PreparedBundle"], None] | None = None) -> ReceiveTotals:
    """Receive the files in sequence order (ordered: they already are).

    on_result(index, path, result) after each file is committed (index counts from
    first_index in that order). group > 1 commits that many bundles at a time (see
    _GroupedWrites): a failure rolls back the open group, none of which was
    reported yet. With before_accepting, bundles are tried first (_TrialWrites)
    until one is accepted; before_accepting() then gives the database and group to
    write with. should_stop() is asked between commits. Raises only if the database
    itself fails (what was committed before stays).

    held: files already known to be held (store.review.held_files), with their
    verdict: not read again (db may be None when every file is). on_read(prepared)
    for every file read."""
    from store.bundle.receive import TaskOwners
    from store.snapshot import raw_connection

    if not ordered:
        files = receiving_order(files)
    if processes is None:
        processes = min(os.cpu_count() or 1, 4)
    held = held or {}
    totals = ReceiveTotals()
    parsed = _prepared([path for path in files if path not in held], processes)
    prepared_files = _in_order(files, held, parsed, on_read)
    done = first_index
    try:
        while should_stop is None or not should_stop():
            if before_accepting is not None:
                chunk = list(islice(prepared_files, 1))
                if not chunk:
                    break
                path, prepared = chunk[0]
                result = _stored(_TrialWrites(db), prepared, path.name)
                if result.verdict == "accepted":
                    db, group = before_accepting()
                    before_accepting = None
                    result = _stored(db, prepared, path.name)
                results = [result]
            else:
                chunk = list(islice(prepared_files, max(group, 1)))
                if not chunk:
                    break
                if group <= 1 or all(_is_held(prepared) for _path, prepared in chunk):
                    results = [_stored(db, prepared, path.name) for path, prepared in chunk]
                else:
                    with db.write() as session:
                        writer = _GroupedWrites(db, session)
                        owners = TaskOwners(raw_connection(session), [
                            prepared.rows for _path, prepared in chunk
                            if not _is_held(prepared) and prepared.rows])
                        results = [_stored(writer, prepared, path.name, owners)
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


def _in_order(files: Sequence[Path], held: dict[Path, "ReceiveResult"], parsed: Iterator,
              on_read: Callable[["PreparedBundle"], None] | None) -> Iterator[tuple[Path, object]]:
    """(path, its held verdict or the PreparedBundle read from it), in the files' order."""
    for path in files:
        if path in held:
            yield path, held[path]
            continue
        prepared = next(parsed)
        if on_read is not None:
            on_read(prepared)
        yield path, prepared


def _is_held(item: object) -> bool:
    from store.bundle.receive import ReceiveResult

    return isinstance(item, ReceiveResult)


def _stored(db, item: object, file_name: str,  # noqa: ANN001 - a Database or stand-in
            task_owners: "TaskOwners | None" = None) -> "ReceiveResult":
    """The verdict of a held file as found, or store_received() of a file read."""
    from store.bundle.receive import ReceiveResult, store_received

    if isinstance(item, ReceiveResult):
        return item
    return store_received(db, item, file_name, task_owners)  # type: ignore[arg-type]


class _ReceivingTarget:
    """The review database of one batch: opened as viewers need it (DELETE journal),
    made ready for writing only before the first bundle is accepted."""

    def __init__(self, path: Path, backups_dir: Path | None, keep_backups: int | None,
                 fast: bool) -> None:
        from . import open_review_for_receiving

        self.path = path
        self.backups_dir = backups_dir
        self.keep_backups = keep_backups
        self.fast = fast
        self.db = open_review_for_receiving(path, backups_dir)

    def before_accepting(self) -> tuple["Database", int]:
        """An event backup if the database holds anything; a large batch with no
        viewer (fast) is then written in WAL mode, GROUP_SIZE bundles per commit."""
        from sqlalchemy import select

        from store.backup import backup_before_event
        from store.models import ReceivedBundle

        from . import open_review_for_receiving

        with self.db.read() as session:
            holds = session.execute(select(ReceivedBundle.id).limit(1)).first() is not None
        if self.backups_dir is not None and holds:
            backup_before_event(self.path, self.backups_dir, "receive",
                                keep_events=self.keep_backups)
        if not self.fast:
            return self.db, 1
        self.db.dispose()
        self.db = open_review_for_receiving(self.path, self.backups_dir, alone=True)
        return self.db, GROUP_SIZE

    def close(self) -> None:
        from . import close_after_receiving

        close_after_receiving(self.db)


def receive_into(path: Path, files: Sequence[Path], *, backups_dir: Path | None = None,
                 keep_backups: int | None = None, alone: bool = False,
                 on_result: Callable[[int, Path, "ReceiveResult"], None] | None = None,
                 processes: int | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 refused: Sequence[tuple[Path, "Refusal"]] = (),
                 on_wait: Callable[[], None] | None = None) -> ReceiveTotals:
    """Open the review database at `path` for receiving, receive the files, close it
    in journal_mode=DELETE.

    One receive at a time (receiving_turn): if another is running into the same
    database, on_wait() is called once and this one waits for it to end (should_stop
    is asked meanwhile; stopped, nothing is received).

    refused: entries the search refused (FoundFiles.refused), reported first through
    on_result and counted. Before the first bundle is accepted, the database is backed
    up into backups_dir (an event backup, rotated to keep_backups) if it holds any;
    alone (no viewer has the file open): a large batch is then written in WAL mode,
    GROUP_SIZE bundles per transaction. A batch that accepts nothing leaves the
    file's bytes as they were and makes no backup."""

    from store.mode import refuse_in_read_only
    from store.vocab import WriteKind

    refuse_in_read_only(WriteKind.RECEIVE, path)
    with receiving_turn(path, on_wait=on_wait, should_stop=should_stop) as turn:
        if not turn:
            return ReceiveTotals()
        return _receive_in_turn(path, files, refused, backups_dir, keep_backups, alone,
                                on_result, processes, should_stop)


def _receive_in_turn(path: Path, files: Sequence[Path],
                     refused: Sequence[tuple[Path, "Refusal"]], backups_dir: Path | None,
                     keep_backups: int | None, alone: bool,
                     on_result: Callable[[int, Path, "ReceiveResult"], None] | None,
                     processes: int | None,
                     should_stop: Callable[[], bool] | None) -> ReceiveTotals:
    from store.bundle.receive import ReceiveResult

    totals = ReceiveTotals()
    for index, (entry, refusal) in enumerate(refused):
        result = ReceiveResult("refused", entry.name, refusal=refusal)
        totals = totals.add(result)
        if on_result is not None:
            on_result(index, entry, result)
    notes = held_files.load_notes(path)
    held = held_files.held_in(path, files, notes)
    if held and len(held) == len(files):  # nothing to read or write: the database stays closed
        return totals.plus(receive_files(None, _order(files, held), on_result=on_result,
                                         should_stop=should_stop, ordered=True,
                                         first_index=len(refused), held=held))
    read: list[tuple[str, held_files.ReadFile]] = []

    def note(prepared: "PreparedBundle") -> None:
        if prepared.refusal is None and prepared.file_sha256:
            read.append((prepared.file_sha256, held_files.ReadFile.of(prepared)))

    target = _ReceivingTarget(path, backups_dir, keep_backups,
                              fast=alone and len(files) >= POOL_THRESHOLD)
    try:
        received = receive_files(target.db, _order(files, held), on_result=on_result,
                                 processes=processes, should_stop=should_stop, ordered=True,
                                 before_accepting=target.before_accepting,
                                 first_index=len(refused), held=held, on_read=note)
    finally:
        target.close()
        held_files.add_notes(path, read, notes)
    return totals.plus(received)


def _order(files: Sequence[Path], held: dict[Path, "ReceiveResult"]) -> list[Path]:
    """receiving_order(), a held file placed by what it was found to hold (not read)."""
    def key(path: Path) -> tuple[int, str, int, str]:
        result = held.get(path)
        if result is None:
            return _peek(path)
        return (1, result.unit_code or "", result.sequence or 0, path.name)

    return sorted(files, key=key)


def refresh_statistics(db: "Database") -> None:
    """ANALYZE, so the read-only viewers' planner picks the list indexes."""
    with db.writer.begin() as connection:  # type: ignore[union-attr]
        connection.exec_driver_sql("ANALYZE")
