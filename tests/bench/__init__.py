"""Benchmarks: each prints its figures and their ratios to the targets (never asserts)."""

from __future__ import annotations

import os


def child_environment(**extra: str) -> dict[str, str]:
    """The environment of a timed child process: this one's, with extra, and without
    PYTHONDONTWRITEBYTECODE. A user's install has the app's bytecode (pip compiles
    at install, Python writes __pycache__ on the first run); a machine that forbids
    writing it would time compiling every source at every start instead."""
    environment = {**os.environ, **extra}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment
