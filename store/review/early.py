"""The review overview's first read, started by `cchc review` before Textual is
imported (issue 16).

The overview's queries are SQLite's work, which runs with the GIL released: started
in a thread here, they run on the other core while the main thread imports Textual
and builds the window, instead of after it. Only the queries run early
(store.review.overview.read_overview_facts); the rows are built by the app's own
worker, so the Python part does not compete with the import. This module imports
nothing heavy itself: the thread imports the overview's module, so the main thread
starts on Textual at once.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .overview import OverviewFacts


class EarlyOverviewRead:
    """read_overview_facts(path, today) of each unit's newest assessment, in a thread;
    the app takes it once (result()), every later read is its own."""

    def __init__(self, path: Path, today: dt.date) -> None:
        self.path, self.today = path, today
        self._read: tuple[OverviewFacts, list[tuple[str, int]]] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="early-overview", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            from .overview import read_overview_facts

            self._read = read_overview_facts(self.path, self.today)
        except BaseException as error:  # noqa: BLE001 - raised again where the app reads it
            self._error = error

    def result(self) -> tuple[OverviewFacts, list[tuple[str, int]]]:
        """What read_overview_facts(path, today) returned, or raises what it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._read is not None
        return self._read
