"""Fork-and-collect: run a function in a forked child on the second core and take its pickled result.

Bundling prefetches half of a modular spec's files this way and linting runs its example rules this way.
A forked child is only ever a helper: when it cannot be started (no ``fork``, or other threads are running:
a fork from a threaded process such as ``serve`` could copy a lock some other thread holds) or when it dies,
``result()`` is None and the caller does the work itself, so results never depend on the child.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import queue
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

    def __init__(self, pid: int, reader: int, group: bool = False) -> None:
        self.pid = pid
        self.reader = reader
        self.group = group  # the child leads its own process group: cancel() stops what it forked too

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
            (os.killpg if self.group else os.kill)(self.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """Release the pipe (if unread) and reap the child."""
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def start(work: Callable[[], T], group: bool = False) -> Forked[T] | None:
    """Run ``work()`` in a forked child; None when no child can be started (the caller then does the work).

    ``group``: the child leads a process group of its own, so that ``cancel()`` also stops the helpers it forks
    (a build's artefact worker forks the docs page's, which would otherwise run on, holding what it inherited).
    """

    def child(writer: int) -> None:
        if group:
            _own_group(0)
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as stream:
            stream.write(payload)

    started = _spawn(child)
    if started is None:
        return None
    if group:
        _own_group(started[0])  # here too: cancel() may come before the child has run at all
    return Forked(*started, group=group)


def _own_group(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.setpgid(pid, 0)


def _spawn(child: Callable[[int], None]) -> tuple[int, int] | None:
    """Fork a child that runs ``child(writer)`` (a pipe's end) and leaves without running any of the parent's
    cleanup; ``(pid, reader)`` here, None when no child can be started."""
    if not can_fork():
        return None
    try:
        reader, writer = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        os.close(reader)
        try:
            child(writer)
        finally:
            os._exit(0)
    os.close(writer)
    return pid, reader


class Stream(Generic[T]):
    """A running child that sends items as it makes them; ``poll()`` takes those that arrived, never waiting."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader
        self.pending = bytearray()
        os.set_blocking(reader, False)

    def poll(self) -> list[T]:
        """The items complete so far (none once the child ended, died or sent something unreadable)."""
        if self.reader < 0:
            return []
        ended = False
        while not ended:
            try:
                chunk = os.read(self.reader, _CHUNK)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            ended = not chunk
            self.pending += chunk
        items: list[T] = []
        done = 0
        with memoryview(self.pending) as view:
            while len(view) - done >= _SIZE:
                size = int.from_bytes(view[done : done + _SIZE], "little")
                if len(view) - done - _SIZE < size:
                    break
                try:
                    items.append(pickle.loads(view[done + _SIZE : done + _SIZE + size]))
                except Exception:  # noqa: BLE001 - a garbled frame: the child is of no more use
                    ended, done = True, len(view)
                    break
                done += _SIZE + size
        del self.pending[:done]
        if ended:
            self.cancel()
        return items

    def cancel(self) -> None:
        """Stop the child (its remaining items are not wanted), release the pipe and reap it."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


_SIZE = 8  # each item: its pickle's length (little-endian), then the pickle
_CHUNK = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux: a bigger pipe lets the child run ahead of a busy reader


def stream(work: Callable[[Callable[[T], None]], None], queued: bool = False) -> Stream[T] | None:
    """Run ``work(send)`` in a forked child, each ``send(item)`` delivered to ``poll()``; None when no child.

    ``queued``: ``send`` never waits for the reader (a thread of the child writes while ``work`` goes on), for a
    reader that polls only now and then: a full pipe would otherwise stop the work until it reads.
    """

    def child(writer: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(writer, _F_SETPIPE_SZ, _CHUNK)

        def frame(item: T) -> bytes:
            payload = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            return len(payload).to_bytes(_SIZE, "little") + payload

        if not queued:
            work(lambda item: _write_all(writer, frame(item)))
            return
        pending: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

        def write() -> None:
            with contextlib.suppress(OSError):  # the reader is gone: what is left is not wanted
                while (data := pending.get()) is not None:
                    _write_all(writer, data)

        writing = threading.Thread(target=write, name="atlas-spec-send", daemon=True)
        writing.start()
        try:
            work(lambda item: pending.put(frame(item)))
        finally:
            pending.put(None)
            writing.join()

    started = _spawn(child)
    return None if started is None else Stream(*started)


def _write_all(fd: int, data: bytes) -> None:
    with memoryview(data) as view:
        while view:
            view = view[os.write(fd, view) :]
