"""Fork-and-collect: run a function in a forked child on the second core and take its pickled result.

Bundling prefetches half of a modular spec's files this way and linting runs its example rules this way.
A forked child is only ever a helper: when it cannot be started (no ``fork``, or other threads are running:
a fork from a threaded process such as ``serve`` could copy a lock some other thread holds) or when it dies,
``result()`` is None and the caller does the work itself, so results never depend on the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """True when forking is possible and safe: ``os.fork`` exists and no other thread is running."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """A running child; ``result()`` once, then ``close()`` (which ``result`` leaves to the caller)."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader

    def result(self) -> T | None:
        """The child's return value, or None when it failed or sent nothing readable."""
        with os.fdopen(self.reader, "rb") as stream:
            self.reader = -1
            with contextlib.suppress(EOFError, pickle.UnpicklingError, OSError, ValueError):
                return pickle.load(stream)  # type: ignore[no-any-return]
        return None

    def cancel(self) -> None:
        """Stop the child without waiting for its work (its result is not wanted any more), then reap it."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """Release the pipe (if unread) and reap the child."""
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def start(work: Callable[[], T]) -> Forked[T] | None:
    """Run ``work()`` in a forked child; None when no child can be started (the caller then does the work)."""
    if not can_fork():
        return None
    try:
        reader, writer = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: work, send, and leave without running any of the parent's cleanup
        os.close(reader)
        try:
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
        finally:
            os._exit(0)
    os.close(writer)
    return Forked(pid, reader)
