"""Hold a function a worker calls until the test lets it go: the screen as it is
while the worker waits (a database still opening, a read or a search not done)."""

from __future__ import annotations

import threading
from typing import Any


def hold(monkeypatch: Any, owner: object, name: str) -> threading.Event:
    """owner.name waits, when called, until the returned event is set (then runs)."""
    gate = threading.Event()
    real = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        assert gate.wait(30), f"{name} was held for 30 s"
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return gate
