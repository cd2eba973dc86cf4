"""When to look at the watched files again: inotify on Linux (on the folders that hold them), a poll elsewhere.

inotify reports within a millisecond that a name in a watched folder changed; the watcher then compares the
identities and times of the files it watches (``watch.py``), which decide whether to rebuild. A file still being
written (``IN_MODIFY`` or ``IN_CREATE`` without its ``IN_CLOSE_WRITE`` yet) gets up to ``SETTLE_SECONDS`` to be
closed, so a build does not read half a file. Without inotify (another system, no watches left) the files are
compared every ``POLL_SECONDS``; with it, still every ``SAFETY_SECONDS`` (a file in a folder that does not exist
yet, an event queue that overflowed).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.2
SAFETY_SECONDS = 1.0
SETTLE_SECONDS = 0.05

_MODIFY, _ATTRIB, _CLOSE_WRITE = 0x2, 0x4, 0x8
_MOVED_FROM, _MOVED_TO, _CREATE, _DELETE = 0x40, 0x80, 0x100, 0x200
_DELETE_SELF, _MOVE_SELF, _OVERFLOW, _IGNORED, _ONLYDIR = 0x400, 0x800, 0x4000, 0x8000, 0x01000000
_MASK = _MODIFY | _ATTRIB | _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE | _DELETE_SELF | _MOVE_SELF
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


class Changes:
    """Tells the watcher when to compare its files again: ``wait`` blocks until then, ``pending`` does not."""

    def __init__(self, use_inotify: bool = True) -> None:
        self._libc: Any
        self._libc, self._fd = _inotify() if use_inotify else (None, -1)
        self._folders: dict[Path, int] = {}  # watched folder -> watch descriptor
        self._by_wd: dict[int, Path] = {}
        self._files: set[Path] = set()
        self._writing: dict[Path, float] = {}  # files written to but not closed yet, since when
        self._due = False  # an event says: compare now
        self._last = time.monotonic()

    @property
    def instant(self) -> bool:
        """True when inotify tells of changes (False: polling)."""
        return self._fd >= 0

    def watch(self, files: Iterable[Path]) -> None:
        """From now on, watch these files (the ones the last build read, and the config file)."""
        self._files = set(files)
        if self._fd < 0:
            return
        folders = {file.parent for file in self._files}
        for folder in set(self._folders) - folders:
            wd = self._folders.pop(folder)
            self._by_wd.pop(wd, None)
            self._libc.inotify_rm_watch(self._fd, wd)
        for folder in folders - set(self._folders):
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _MASK | _ONLYDIR)
            if wd >= 0:
                self._folders[folder] = wd
                self._by_wd[wd] = folder
            elif ctypes.get_errno() not in (2, 20):  # not ENOENT/ENOTDIR (the safety poll covers those): poll
                self.close()
                return

    def wait(self, seconds: float) -> bool:
        """Return when the files should be compared (a change, or the poll interval), or after ``seconds``:
        True when inotify named a watched file (it changed; no need to compare them all)."""
        deadline = min(self._last + (SAFETY_SECONDS if self._fd >= 0 else POLL_SECONDS), time.monotonic() + seconds)
        while not self._due:
            if self._writing:
                deadline = min(deadline, min(self._writing.values()) + SETTLE_SECONDS)
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if self._fd < 0:
                time.sleep(left)
                break
            if select.select([self._fd], [], [], left)[0]:
                self._read()
        told, self._due = self._due, False
        self._writing.clear()
        self._last = time.monotonic()
        return told

    def pending(self) -> bool:
        """True when the files should be compared now (a change was reported, or the poll interval is over)."""
        if self._fd >= 0:
            if select.select([self._fd], [], [], 0)[0]:
                self._read()
            now = time.monotonic()
            settled = any(now - since >= SETTLE_SECONDS for since in self._writing.values())
            return self._due or settled or now - self._last >= SAFETY_SECONDS
        return time.monotonic() - self._last >= POLL_SECONDS

    def close(self) -> None:
        """Stop using inotify (polling from now on)."""
        if self._fd >= 0:
            os.close(self._fd)
        self._fd, self._folders, self._by_wd = -1, {}, {}

    def _read(self) -> None:
        try:
            data = os.read(self._fd, 64 * 1024)
        except BlockingIOError:
            return
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0")
            offset += _EVENT.size + length
            self._event(wd, mask, name)

    def _event(self, wd: int, mask: int, name: bytes) -> None:
        folder = self._by_wd.get(wd)
        if mask & _IGNORED and folder is not None:  # the folder went away: watched again after the next build
            del self._by_wd[wd]
            self._folders.pop(folder, None)
        if mask & (_OVERFLOW | _DELETE_SELF | _MOVE_SELF | _IGNORED) or folder is None:
            self._due = True
            return
        path = folder / os.fsdecode(name)
        if path not in self._files:
            return  # an editor's swap file, another spec's file: nothing a build read
        if mask & (_MODIFY | _CREATE) and not mask & _CLOSE_WRITE:
            self._writing.setdefault(path, time.monotonic())
        else:
            self._writing.pop(path, None)
            self._due = True


def _inotify() -> tuple[Any, int]:
    """libc and a non-blocking inotify descriptor, or (None, -1) where there is none."""
    if not sys.platform.startswith("linux"):
        return None, -1
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        fd = int(libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC))
    except (OSError, AttributeError):
        return None, -1
    return (libc, fd) if fd >= 0 else (None, -1)
