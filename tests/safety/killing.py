"""Run a function in a forked child and SIGKILL it: the crash tests' tool.

fork (not spawn) because the child then starts in milliseconds with everything
already imported, which keeps a loop of 100 kills to a few seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable

import pytest

needs_fork = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"),
                                reason="the crash tests fork and SIGKILL a child")


def _context():  # noqa: ANN202
    return multiprocessing.get_context("fork")


def start(target: Callable[..., None], *args: object) -> multiprocessing.Process:
    process = _context().Process(target=target, args=args, daemon=True)
    process.start()
    return process


def kill_after(process: multiprocessing.Process, seconds: float) -> None:
    """SIGKILL the child after `seconds` (if it is still running) and reap it."""
    time.sleep(seconds)
    if process.is_alive():
        os.kill(process.pid, signal.SIGKILL)
    process.join(10)


def run_to_end(process: multiprocessing.Process, timeout: float = 60) -> int:
    process.join(timeout)
    if process.is_alive():
        os.kill(process.pid, signal.SIGKILL)
        process.join(5)
        raise AssertionError("the child did not finish in time")
    return process.exitcode


def die_now() -> None:
    """Stand-in for a power cut inside the child: no cleanup, no flush, no atexit."""
    os.kill(os.getpid(), signal.SIGKILL)
