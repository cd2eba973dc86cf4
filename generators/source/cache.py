"""Parsed source files kept between builds (``serve``): a file is re-read only when it may have changed, and
re-parsed only when its bytes did.

An entry is trusted by the file's identity and times (device, inode, size, mtime and ctime in nanoseconds): an
edit changes ctime, which no tool can set back. A file changed shortly before it was read (within
``RACY_SECONDS``, more than any file system's timestamp step) could change again within the same timestamp, so
until it is older than that its bytes are read and compared each time (as git does with racily clean files).
So a stale parse is never served; the cost is one read of a file just saved.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.source.loader import load_bytes, load_referenced, read_source

RACY_SECONDS = 2.0

_Key = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class _Entry:
    key: _Key
    read_at_ns: int
    raw: bytes
    data: Any


class ParseCache:
    """Source files by path: their bytes and parsed content, valid while the file is unchanged."""

    def __init__(self, racy_seconds: float = RACY_SECONDS) -> None:
        self._entries: dict[Path, _Entry] = {}
        self._racy_ns = int(racy_seconds * 1e9)
        self.reads = 0  # files read since the last begin()
        self.parses = 0  # files parsed since the last begin()
        self.touched: set[Path] = set()  # every file asked for since the last begin(), found or not
        self._read_keys: dict[Path, _Key | None] = {}

    def begin(self) -> None:
        """Start a build: the counters and the set of touched files start again."""
        self.reads = self.parses = 0
        self.touched = set()
        self._read_keys = {}

    def unchanged(self, path: Path) -> tuple[bytes, Any] | None:
        """The kept bytes and parse of ``path`` when its identity and times say it is unchanged (one stat, no
        read), recorded as read by this build; None when ``source`` must look (a change, a new or racy file)."""
        self.touched.add(path)
        entry = self._entries.get(path)
        if entry is None:
            return None
        key = file_key(path)
        if key is None or key != entry.key or key[4] >= entry.read_at_ns - self._racy_ns:
            return None
        self._read_keys[path] = key
        return entry.raw, entry.data

    def source(self, path: Path, root: bool = True) -> tuple[bytes, Any]:
        """The bytes and parsed content of ``path``, from the cache when the file is unchanged; a file that is not
        the ``root`` is read as a ``$ref`` target (``load_referenced``: a code sample stays text).

        Raises what ``read_source`` and ``load_bytes`` raise (a missing file is not cached).
        """
        self.touched.add(path)
        entry = self._entries.get(path)
        key = self._read_keys[path] = file_key(path)
        if entry is not None and key is not None and key == entry.key and key[4] < entry.read_at_ns - self._racy_ns:
            return entry.raw, entry.data
        read_at_ns = time.time_ns()
        raw = read_source(path)
        self.reads += 1
        if entry is not None and raw == entry.raw:
            data = entry.data
        else:
            self._entries.pop(path, None)  # a parse error leaves no entry behind
            data = load_bytes(raw, str(path)) if root else load_referenced(raw, str(path))
            self.parses += 1
        # the times of the file as it was before this read: a write during the read changes them again
        if key is not None:
            self._entries[path] = _Entry(key, read_at_ns, raw, data)
        return raw, data

    def read_keys(self) -> dict[Path, _Key | None]:
        """Each file touched since begin() as it was just before it was read (None: it did not exist)."""
        return {path: self._read_keys.get(path) for path in self.touched}

    def forget_untouched(self) -> None:
        """Drop the entries of files the last build did not ask for (renamed away, no longer referenced)."""
        for path in [p for p in self._entries if p not in self.touched]:
            del self._entries[path]


def file_key(path: Path) -> _Key | None:
    """Device, inode, size, mtime and ctime (ns) of ``path``; None when it cannot be stat'ed."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
