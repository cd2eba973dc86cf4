"""Parse a modular spec's files on the second core while the bundler walks: a forked worker loads them ahead.

Parsing YAML is most of a modular bundle's time (DigitalOcean: 2,907 files, 0.3 s of CPU), walking the parsed
files most of the rest. The worker parses the files under the roots from the end of the sorted list (the walk
tends to meet them in order, from the start: the paths first, then what they refer to) and sends them in
batches; the bundler takes what has arrived whenever it needs a file, and parses a file itself when it is not
there yet, so neither side waits for the other and a file is never waited for.

Prefetching is only a cache: a file that fails to load in the worker is simply not sent, and the bundler loads
it again on demand, when (and only if) something refers to it, so its error is reported exactly as before,
with the ref's line. A worker that dies or cannot start only means every file is loaded on demand.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError
from generators.core.forking import Stream, stream
from generators.source.limits import MAX_FILE_BYTES
from generators.source.loader import load_bytes, read_source

SOURCE_SUFFIXES = (".yaml", ".yml", ".json")
MIN_FILES = 64  # below this a fork costs more than it saves
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
BATCH_BYTES = 64 * 1024  # source bytes parsed per batch sent: small enough to arrive while still useful
_SKIPPED_FOLDERS = {"node_modules", ".git", "__pycache__"}

Batch = dict[str, Any]


class Prefetch:
    """Files parsed ahead by a worker (real paths as keys); ``close()`` stops it once the walk is done."""

    def __init__(self, worker: Stream[Batch] | None = None) -> None:
        self.worker = worker
        self.parsed: Batch = {}

    def take(self, path: str) -> tuple[bool, Any]:
        """``(True, content)`` when the worker has parsed ``path`` (handed out once), else ``(False, None)``."""
        if path not in self.parsed and self.worker is not None:
            for batch in self.worker.poll():
                self.parsed.update(batch)
        if path in self.parsed:
            return True, self.parsed.pop(path)
        return False, None

    def close(self) -> None:
        """Stop the worker (what it has not sent yet is not needed any more)."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        self.parsed = {}


def prefetch(roots: tuple[Path, ...], skip: set[str]) -> Prefetch:
    """A worker parsing the source files under ``roots`` except ``skip``; idle when there are few files."""
    if not _at_least(roots, skip, MIN_FILES):
        return Prefetch()
    return Prefetch(stream(lambda send: _load_all(_candidates(roots, skip)[::-1], send)))


def _at_least(roots: tuple[Path, ...], skip: set[str], count: int) -> bool:
    """True when the roots hold ``count`` candidate files (stops looking as soon as they do)."""
    return sum(1 for _ in itertools.islice(_walk(roots, skip), count)) >= count


def _walk(roots: tuple[Path, ...], skip: set[str]) -> Iterator[str]:
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d not in _SKIPPED_FOLDERS and not d.startswith("."))
            for name in sorted(names):
                path = os.path.join(folder, name)
                if name.lower().endswith(SOURCE_SUFFIXES) and path not in skip and not os.path.islink(path):
                    yield path


def _candidates(roots: tuple[Path, ...], skip: set[str]) -> list[str]:
    files: list[str] = []
    total = 0
    for path in _walk(roots, skip):
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            continue
        total += size
        files.append(path)
        if len(files) > MAX_FILES or total > MAX_TOTAL_BYTES:
            return []  # not a spec folder we should read wholesale
    return files


def _load_all(files: list[str], send: Callable[[Batch], None]) -> None:
    batch: Batch = {}
    size = 0
    for file in files:
        try:
            raw = read_source(Path(file))
            batch[file] = load_bytes(raw, file)
            size += len(raw)
        except (AtlasError, RecursionError, OSError, ValueError, MemoryError):
            continue  # reported on demand, at the ref, if anything refers to this file
        if size >= BATCH_BYTES:
            send(batch)
            batch, size = {}, 0
    if batch:
        send(batch)
