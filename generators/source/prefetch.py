"""Parse a modular spec's files on the second core while the bundler walks: a forked worker loads them ahead.

Parsing YAML is most of a modular bundle's time (DigitalOcean: 2,907 files, 0.37 s of CPU), walking the parsed
files most of the rest (0.25 s). The worker follows the refs from the root in the order the walk meets them
(depth first, each file's refs in the order written, found in its text) and parses three YAML files of every
four on that way, sending each as soon as it is parsed; the fourth it leaves to the walk, which parses a file
itself whenever the worker has not sent it. (JSON parses faster than the walk goes: the worker takes every
JSON file.) So both cores parse, each its share, the worker a little ahead. A board both processes share says
which file the worker is parsing (the walk waits for that one rather than parse it twice) and which files the
walk took on itself (the worker skips them). Files nothing refers to are never read. The worker names files
lexically (``follow`` in refs.py): through a folder link it names a file otherwise than the walk, which names
files by their real paths and so never takes what the worker read there.

Prefetching is only a cache: a file that fails to load in the worker is simply not sent, and the bundler loads
it again on demand, when (and only if) something refers to it, so its error is reported exactly as before,
with the ref's line. A worker that dies or cannot start only means every file is loaded on demand.
"""

from __future__ import annotations

import itertools
import mmap
import os
import re
import select
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError
from generators.core.forking import Stream, stream
from generators.source.loader import load_referenced, read_source

SOURCE_SUFFIXES = (".yaml", ".yml", ".json")
MIN_FILES = 64  # below this a fork costs more than it saves
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
# the walk parses one YAML file of every WALK_SHARE on the worker's way (DigitalOcean's walk: every 3rd -> 0.55 s,
# 4th -> 0.47 s, 5th -> 0.51 s, none -> 0.55 s; its files take the worker 0.13 ms to parse, the walk 0.09 ms to walk)
WALK_SHARE = 4
WAIT_SECONDS = 10.0  # the walk parses the file itself when the worker has been at it this long
_SKIPPED_FOLDERS = {"node_modules", ".git", "__pycache__"}
# "$ref": "x", '$ref': 'x' or $ref: x (YAML's plain scalar up to a space, a comment or flow punctuation); the
# pattern starts with the literal, which the regex engine then searches for (a leading quote made it 3x slower)
_REF = re.compile(rb"""\$ref["']?[ \t]*:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s'"{}\[\],#][^\s{}\[\],]*))""")

Batch = dict[str, Any]
Follow = Callable[[str, str], "str | None"]  # (ref, file holding it) -> the file it names, None when none


class Board:
    """Memory the walk and its worker share: the file the worker is parsing; the files the walk parses itself.

    Files are known by their ``hash`` (the same in both processes: the worker is a fork). Two files sharing a
    slot only make the worker leave one more file to the walk; a torn read only one wasted wait or parse.
    """

    _SLOTS = 1 << 20  # pages are only touched (and copied) where a file's slot is
    _CURRENT = _SLOTS  # 8 bytes: the hash of the file the worker is parsing, 0 when none

    def __init__(self) -> None:
        self.memory = mmap.mmap(-1, self._SLOTS + 8)  # anonymous and shared: the fork sees the same pages

    def claim(self, path: str) -> None:
        """The walk parses ``path`` itself."""
        self.memory[hash(path) & (self._SLOTS - 1)] = 1

    def claimed(self, path: str) -> bool:
        return self.memory[hash(path) & (self._SLOTS - 1)] == 1

    @property
    def current(self) -> int:
        return int.from_bytes(self.memory[self._CURRENT : self._CURRENT + 8], "little", signed=True)

    @current.setter
    def current(self, value: int) -> None:
        self.memory[self._CURRENT : self._CURRENT + 8] = value.to_bytes(8, "little", signed=True)


class Prefetch:
    """Files parsed ahead by a worker (real paths as keys); ``close()`` stops it once the walk is done."""

    def __init__(self, worker: Stream[Batch] | None = None, board: Board | None = None) -> None:
        self.worker = worker
        self.board = board
        self.parsed: Batch = {}

    def take(self, path: str) -> tuple[bool, Any]:
        """``(True, content)`` when the worker has parsed ``path`` (handed out once), else ``(False, None)``:
        the caller then parses it, and the worker will not."""
        if path not in self.parsed and self.worker is not None:
            self._receive()
            if path not in self.parsed and self.board is not None and self.board.current == hash(path):
                self._wait_for(path)
        if path in self.parsed:
            return True, self.parsed.pop(path)
        if self.board is not None:
            self.board.claim(path)
        return False, None

    def _receive(self) -> None:
        if self.worker is not None:
            for batch in self.worker.poll():
                self.parsed.update(batch)

    def _wait_for(self, path: str) -> None:
        """The worker is parsing ``path``: wait until it has sent it, or gone on without (it could not parse it)."""
        assert self.worker is not None and self.board is not None
        deadline = time.monotonic() + WAIT_SECONDS
        while path not in self.parsed and self.worker.reader >= 0:
            at_it = self.board.current == hash(path)  # the worker sends a file before it goes on to the next
            select.select([self.worker.reader], [], [], 0.001)
            self._receive()
            if not at_it or time.monotonic() > deadline:
                return

    def close(self) -> None:
        """Stop the worker (what it has not sent yet is not needed any more)."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        self.parsed = {}


def prefetch(roots: tuple[Path, ...], skip: set[str], start: str, follow: Follow) -> Prefetch:
    """A worker parsing the files the refs from ``start`` lead to, except ``skip``; idle when there are few files.

    ``follow(ref, file)`` names the file ``ref`` (written in ``file``) leads to as the bundler will name it (a
    guess: a wrong one only means that file is parsed by the walk), None when there is none to read.
    """
    if not _at_least(roots, skip, MIN_FILES):
        return Prefetch()
    board = Board()
    return Prefetch(stream(lambda send: load_in_order(start, skip, follow, board, send)), board)


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


def refs_in(text: bytes) -> list[str]:
    """The ``$ref`` strings of a YAML or JSON text, in the order written (a guess from the text, not a parse)."""
    return [(found[0] or found[1] or found[2]).decode("utf-8", "replace") for found in _REF.findall(text)]


def load_in_order(start: str, skip: set[str], follow: Follow, board: Board, send: Callable[[Batch], None]) -> None:
    """The worker: from ``start``, depth first along the refs, parse and send each file not in ``skip``, but
    one in WALK_SHARE and those the walk claimed."""
    total = count = 0
    visited: set[str] = set()
    stack = [start]
    while stack:
        file = stack.pop()
        if file in visited:
            continue
        visited.add(file)
        try:
            raw = read_source(file)
        except (AtlasError, OSError, ValueError):
            continue  # reported on demand, at the ref, if anything refers to this file
        count, total = count + 1, total + len(raw)
        if count > MAX_FILES or total > MAX_TOTAL_BYTES:
            return  # not a spec folder we should read wholesale
        stack.extend(reversed([f for f in (follow(ref, file) for ref in refs_in(raw)) if f and f not in visited]))
        walks = count % WALK_SHARE == 0 and not file.lower().endswith(".json")  # JSON parses faster than the walk goes
        if file in skip or walks or board.claimed(file):
            continue
        board.current = hash(file)
        try:
            send({file: load_referenced(raw, file)})
        except (AtlasError, RecursionError, ValueError, MemoryError):
            pass  # reported on demand, at the ref, if anything refers to this file
        finally:
            board.current = 0
