"""When Python's cyclic garbage collector runs, for the apps' start (issue 16).

By default a collection runs every 700 new container objects, and every tenth of
them walks all the older ones too. While a window loads, nearly every object made
lives on (modules, classes, Textual's widgets and styles), so those collections find
nothing and walk an ever larger heap: about a tenth of the time to the first frame.
While loading, the first generation is collected every LOADING_FIRST_GENERATION
objects instead (still bounded, so a long batch that follows cannot grow without
limit); once the app has loaded what it keeps, those objects are frozen (never
walked again) and the usual thresholds come back.
"""

from __future__ import annotations

import gc

USUAL_THRESHOLDS = (700, 10, 10)  # CPython's defaults
LOADING_FIRST_GENERATION = 50_000


def while_loading() -> None:
    """Collect seldom: the program is loading what it keeps."""
    gc.set_threshold(LOADING_FIRST_GENERATION, *USUAL_THRESHOLDS[1:])


def as_usual() -> None:
    """The usual thresholds (a command that opens no window, a batch)."""
    gc.set_threshold(*USUAL_THRESHOLDS)


def loaded() -> None:
    """The app's code and data are loaded (from any thread): the objects alive now
    live as long as the app, yet every full collection would walk them all (a 40 ms
    pause while the supervisor types a search over 66,000 tasks). Frozen, a
    collection walks only what was made since."""
    gc.freeze()
    as_usual()


def unloaded() -> None:
    """The app ended: an app made after it (tests) starts as if it were first."""
    gc.unfreeze()
    as_usual()
