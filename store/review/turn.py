"""One receive at a time into a review database: its receiving turn.

Two receives at once (two terminals, a terminal and the review screen) would meet
as "database is locked" half-way, or switch each other's journal mode. Receiving
(store.review.receiving) and the start-up migration (store.review) both take the
turn first.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Beside the review database; never removed (removing a lock file races with the
# next taker), and not a temp file for the start-up cleanup.
TURN_SUFFIX = ".receive-lock"
TURN_POLL_SECONDS = 0.25


@contextmanager
def receiving_turn(path: Path, *, on_wait: Callable[[], None] | None = None,
                   should_stop: Callable[[], bool] | None = None) -> Iterator[bool]:
    """Hold the review database's receiving turn for the block: True once it is held,
    False if should_stop() said to give up while waiting.

    An exclusive lock on a file beside the database (store.platform_files) makes the
    second wait its turn; on_wait() is called once if it has to. The lock goes with
    the process, so one that was killed never blocks the next."""
    from store import platform_files

    descriptor = os.open(path.with_name(path.name + TURN_SUFFIX),
                         os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if not platform_files.try_lock(descriptor):
            if on_wait is not None:
                on_wait()
            while not platform_files.try_lock(descriptor):
                if should_stop is not None and should_stop():
                    yield False
                    return
                time.sleep(TURN_POLL_SECONDS)
        try:
            yield True
        finally:
            platform_files.unlock(descriptor)
    finally:
        os.close(descriptor)
