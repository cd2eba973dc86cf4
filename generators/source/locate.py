"""Find ``file:line:col`` of a JSON pointer in a source file, lazily: a file is re-read only when asked about."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generators.core.diagnostics import AtlasError, Location
from generators.source.jsonpos import UNKNOWN, JsonPositions
from generators.source.loader import decode

if TYPE_CHECKING:
    import yaml


class SourceLocator:
    """Positions of nodes in source files, composed on first use and cached per file."""

    def __init__(self) -> None:
        self._trees: dict[Path, yaml.Node | None] = {}
        self._json: dict[Path, JsonPositions] = {}
        self._sources: dict[Path, tuple[bytes, Any]] = {}

    def remember(self, file: Path, raw: bytes, parsed: Any = UNKNOWN) -> None:
        """The bytes of ``file`` as the loader read them, and their parse: a later finding there does not read
        it again, and a JSON file is indexed faster (``JsonPositions``)."""
        self._sources[file] = (raw, parsed)

    def locate(self, file: Path, segments: tuple[str, ...] | list[str]) -> Location:
        """The position of the node at ``segments`` in ``file`` (its key, for mapping members).

        When the path does not exist in the source (a node the bundler made), the deepest existing
        ancestor is given; when the file cannot be parsed for positions, the file alone. JSON files are
        indexed by a JSON scanner (composing 13 MB of JSON as YAML takes seconds), YAML files by libyaml.
        """
        if file.suffix.lower() == ".json":
            return self._json_location(file, segments)
        tree = self._tree(file)
        if tree is None:
            return Location(str(file))
        from generators.source.yaml_loader import child_at  # YAML is imported only once a YAML file is read

        node: yaml.Node = tree
        mark = node.start_mark
        for segment in segments:
            child = child_at(node, segment)
            if child is None:
                break
            mark, node = child
        return Location(str(file), mark.line + 1, mark.column + 1)

    def prepare(self, file: Path, requests: list[tuple[str, ...]]) -> None:
        """Index ``file`` for all of ``requests`` (segment paths) at once; locating them then costs a lookup each.

        Only JSON files gain from it (``JsonPositions.prepare``); a YAML file is composed whole on first use anyway.
        """
        if file.suffix.lower() != ".json":
            return
        positions = self._positions(file)
        if positions is not None:
            with contextlib.suppress(ValueError, IndexError):  # each locate then says what it can
                positions.prepare(requests)

    def _positions(self, file: Path) -> JsonPositions | None:
        positions = self._json.get(file)
        if positions is None:
            try:
                positions = self._json[file] = JsonPositions(file, *self._sources.pop(file, (None, UNKNOWN)))
            except (OSError, UnicodeDecodeError, ValueError):
                return None
        return positions

    def _json_location(self, file: Path, segments: tuple[str, ...] | list[str]) -> Location:
        positions = self._positions(file)
        if positions is None:
            return Location(str(file))
        try:
            return positions.locate(segments)
        except (ValueError, IndexError):
            return Location(str(file))

    def _tree(self, file: Path) -> yaml.Node | None:
        if file not in self._trees:
            from generators.source.yaml_loader import compose_yaml

            try:
                raw = self._sources.pop(file, (None, None))[0]
                text = decode(file.read_bytes() if raw is None else raw, str(file))
                self._trees[file] = compose_yaml(text, str(file))
            except (AtlasError, OSError, RecursionError):
                self._trees[file] = None
        return self._trees[file]
