"""The bundled document and the way back from any of its nodes to the source file, pointer and line."""

from __future__ import annotations

import contextlib
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generators.core.diagnostics import Location
from generators.core.pointer import node_at, pointer_segments
from generators.source.locate import SourceLocator

Segments = tuple[str, ...]


@dataclass
class BundledSpec:
    """The bundled document and the way back from any of its nodes to the source."""

    document: dict[str, Any]
    root_file: Path
    origins: dict[Segments, tuple[Path, Segments]] = field(default_factory=dict)
    locator: SourceLocator = field(default_factory=SourceLocator)
    sources: dict[Path, Any] = field(default_factory=dict)  # every file read, parsed (with keep_sources)
    files_read: tuple[Path, ...] = ()
    """Every file the bundle was read from, always (an output must never replace one)."""
    local_refs: frozenset[str] | None = None
    """Every local ref string of ``document`` (discriminator mapping values too) when bundling knew them without
    walking it (a self-contained JSON root's text); None otherwise, and whenever ``document`` is replaced."""
    # the document the ends below were found in, and each ref's (path, node) at the end of its chain of refs
    _ends: tuple[Any, dict[str, tuple[list[str], Any]]] = field(
        default_factory=lambda: (None, {}), init=False, repr=False, compare=False
    )

    @functools.cached_property
    def file_ids(self) -> dict[tuple[int, int], Path]:
        """``files_read`` by device and inode, each file looked at once however many outputs are checked
        against them (DigitalOcean's 2,907: 10 ms per output when each write looked at them all)."""
        ids: dict[tuple[int, int], Path] = {}
        for file in self.files_read:
            with contextlib.suppress(OSError):
                found = os.stat(file)
                ids.setdefault((found.st_dev, found.st_ino), file)
        return ids

    def locate(self, pointer: str | Segments) -> Location | None:
        """Where the node at ``pointer`` of the bundled document was written in the source.

        The pointer may pass through local ``$ref``s (as validators' paths do); they are followed.
        """
        segments = self.canonical(pointer_segments(pointer) if isinstance(pointer, str) else tuple(pointer))
        for cut in range(len(segments), -1, -1):
            origin = self.origins.get(segments[:cut])
            if origin is not None:
                file, source = origin
                return self.locator.locate(file, source + segments[cut:])
        return None

    def source_of(self, pointer: str | Segments) -> tuple[Path, Segments] | None:
        """The source file and pointer segments of a bundled node (without computing a line)."""
        segments = pointer_segments(pointer) if isinstance(pointer, str) else tuple(pointer)
        for cut in range(len(segments), -1, -1):
            origin = self.origins.get(segments[:cut])
            if origin is not None:
                return origin[0], origin[1] + segments[cut:]
        return None

    def canonical(self, segments: Segments) -> Segments:
        """The pointer without detours: where a segment is missing beside a local ``$ref``, follow the ref."""
        node: Any = self.document
        path: list[str] = []
        for index, segment in enumerate(segments):
            seen: set[str] = set()
            while isinstance(node, dict) and segment not in node:
                ref = node.get("$ref")
                if not (isinstance(ref, str) and ref.startswith("#")) or ref in seen:
                    break
                seen.add(ref)
                path, node = self._alias_end(ref)
            if isinstance(node, dict) and segment in node:
                node = node[segment]
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
            else:
                return (*path, *segments[index:])
            path.append(segment)
        return tuple(path)

    def _alias_end(self, ref: str) -> tuple[list[str], Any]:
        """The path and node ``ref`` leads to through refs that are nothing else (``{$ref: ...}``): the first node
        with more than a ``$ref``, or whose ref is not local. Remembered for every ref on the way (per document),
        so that a chain of n refs is followed once, not once per ref on it."""
        if self._ends[0] is not self.document:
            self._ends = (self.document, {})
        ends = self._ends[1]
        chain: dict[str, None] = {}
        found = ends.get(ref)
        while found is None:
            chain[ref] = None
            path = list(pointer_segments(ref))
            node = node_at(self.document, path)
            following = node.get("$ref") if isinstance(node, dict) and len(node) == 1 else None
            if not (isinstance(following, str) and following.startswith("#")) or following in chain:
                found = (path, node)
                break
            ref = following
            found = ends.get(ref)
        for step in chain:
            ends[step] = found
        return list(found[0]), found[1]
