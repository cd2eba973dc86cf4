"""Walk results kept between bundles (``serve``): after a one-file edit, only the units that read it are walked.

A unit is the walk of one target in one context: the root document, an inlined ``$ref`` target (an operation
file, a code sample) or a hoisted component (a schema, a response). Its entry keeps what the walk produced (the
bundled subtree) and everything else it did, in order: the origins it recorded, the components it asked for
(with the ref string it wrote), the inlined units inside it (their own entries); and the parsed files it read.
An entry is replayed only when every file it and the units inside it read is still the very parse the parse
cache holds (``source/cache.py``: an edit means a new parse), and when none of the targets it inlines is being
inlined around it (that would be a cycle, reported by walking again). Replaying does what the walk did in the
same order, so names, origins and the document come out as a full walk makes them (a test holds the bytes and
the origins equal after random edits).

Kept subtrees are shared between builds and never written to: the bundler copies a container before writing a
renamed ref into it (``Copies``), and one document uses an entry at most once, as a full walk never puts one
node in two places (lint rules tell nodes apart by identity).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.bundle.refs import Target

# ("o", rel, file, segments): an origin at rel;
# ("c", rel, key, kind, target, context, written, where_file, where_segments): a component asked for, its ref
#   string written into the mapping at rel under key;
# ("u", rel, entry): an inlined unit at rel.
Effect = tuple[Any, ...]
Current = Callable[[Path], Any]  # the parse of a file now (None when it cannot be read)


@dataclass(eq=False)
class Entry:
    """One unit's walk: its result and what replaying it must do again."""

    target: Target
    result: Any
    effects: tuple[Effect, ...]
    deps: tuple[tuple[Path, Any], ...]
    children: tuple[Entry, ...]
    inlined: frozenset[Target]  # every target inlined inside this unit (itself too, when it is inlined)


class Recorder:
    """What a unit's walk does, gathered while it runs (``start``: the length of the output path at its root)."""

    def __init__(self, start: int, target: Target, inlined: bool) -> None:
        self.start = start
        self.target = target
        self.effects: list[Effect] = []
        self.deps: dict[Path, Any] = {}
        self.children: list[Entry] = []
        self.inlined: set[Target] = {target} if inlined else set()

    def add_child(self, rel: tuple[str, ...], entry: Entry) -> None:
        """An inlined unit at ``rel`` (walked or replayed)."""
        self.effects.append(("u", rel, entry))
        self.children.append(entry)
        self.inlined.update(entry.inlined)

    def entry(self, result: Any) -> Entry:
        """The finished unit."""
        return Entry(
            self.target,
            result,
            tuple(self.effects),
            tuple(self.deps.items()),
            tuple(self.children),
            frozenset(self.inlined),
        )


class WalkMemo:
    """Entries by unit, kept from one bundle of a root to the next; a different root or ref roots starts over."""

    def __init__(self) -> None:
        self._key: object = None
        self._inline: dict[tuple[Target, str], list[Entry]] = {}
        self._components: dict[tuple[str, Target], Entry] = {}
        self.names: dict[tuple[str, Target], str] = {}  # each hoisted component's own name (a pure function)
        self._claimed: dict[int, Entry] = {}
        self._valid: dict[int, bool] = {}
        self.replayed = 0  # units replayed by the last bundle (the units inside them not counted)
        self.walked = 0  # units walked by the last bundle

    def begin(self, key: object) -> None:
        """Start a bundle of the root and ref roots ``key``."""
        if key != self._key:
            self._inline, self._components, self.names, self._key = {}, {}, {}, key
        self._claimed, self._valid = {}, {}
        self.replayed = self.walked = 0

    def finish(self) -> None:
        """The bundle succeeded: keep only the entries it used (what it no longer reaches is let go)."""
        claimed = self._claimed
        self._inline = {
            key: kept for key, entries in self._inline.items() if (kept := [e for e in entries if id(e) in claimed])
        }
        self._components = {key: e for key, e in self._components.items() if id(e) in claimed}

    def take_inline(self, key: tuple[Target, str], inlining: list[Target], current: Current) -> Entry | None:
        """An entry for this inlined unit that this document has not used yet, still valid, and no cycle."""
        for entry in self._inline.get(key, ()):
            if id(entry) in self._claimed or not entry.inlined.isdisjoint(inlining):
                continue
            if self._is_valid(entry, current) and self._claim(entry):
                self.replayed += 1
                return entry
        return None

    def take_component(self, key: tuple[str, Target], current: Current) -> Entry | None:
        """The entry of this component when still valid (a document hoists a component once)."""
        entry = self._components.get(key)
        if entry is not None and self._is_valid(entry, current) and self._claim(entry):
            self.replayed += 1
            return entry
        return None

    def add_inline(self, key: tuple[Target, str], entry: Entry) -> None:
        """A unit just walked (used by this document)."""
        self._inline.setdefault(key, []).append(entry)
        self._mark(entry)
        self.walked += 1

    def add_component(self, key: tuple[str, Target], entry: Entry) -> None:
        """A component just walked (used by this document)."""
        self._components[key] = entry
        self._mark(entry)
        self.walked += 1

    def _is_valid(self, entry: Entry, current: Current) -> bool:
        known = self._valid.get(id(entry))
        if known is None:
            # its own files first: the units inside are looked at only while this one still refers to them
            known = all(current(file) is data for file, data in entry.deps) and all(
                self._is_valid(child, current) for child in entry.children
            )
            self._valid[id(entry)] = known
        return known

    def _claim(self, entry: Entry) -> bool:
        if not self._free(entry):
            return False
        self._mark(entry)
        return True

    def _free(self, entry: Entry) -> bool:
        return id(entry) not in self._claimed and all(self._free(child) for child in entry.children)

    def _mark(self, entry: Entry) -> None:
        self._claimed[id(entry)] = entry
        for child in entry.children:
            if id(child) not in self._claimed:
                self._mark(child)


class Copies:
    """Copy on write for kept subtrees: a container is copied once per bundle, then written freely."""

    def __init__(self) -> None:
        self._own: dict[int, Any] = {}  # the copies, which also keeps their ids unique

    def own(self, node: Any) -> Any:
        """``node`` when this bundle made it, else a shallow copy of it (made once)."""
        if id(node) in self._own:
            return node
        copy = dict(node) if isinstance(node, dict) else list(node)
        self._own[id(copy)] = copy
        return copy

    def set_at(self, root: Any, path: tuple[str, ...], key: str, value: Any) -> Any:
        """``root`` (copied where needed) with ``value`` under ``key`` of the mapping at ``path``."""
        root = node = self.own(root)
        for segment in path:
            index: Any = int(segment) if isinstance(node, list) else segment
            child = self.own(node[index])
            node[index] = child
            node = child
        node[key] = value
        return root
