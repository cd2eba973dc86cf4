"""Find ``file:line:col`` of a JSON pointer in a source file, lazily: a file is re-read only when asked about."""

from __future__ import annotations

from pathlib import Path

import yaml

from generators.diagnostics import AtlasError, Location
from generators.jsonpos import JsonPositions
from generators.loader import compose_yaml, decode


class SourceLocator:
    """Positions of nodes in source files, composed on first use and cached per file."""

    def __init__(self) -> None:
        self._trees: dict[Path, yaml.Node | None] = {}
        self._json: dict[Path, JsonPositions] = {}

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
        node: yaml.Node = tree
        mark = node.start_mark
        for segment in segments:
            child = _child(node, segment)
            if child is None:
                break
            mark, node = child
        return Location(str(file), mark.line + 1, mark.column + 1)

    def _json_location(self, file: Path, segments: tuple[str, ...] | list[str]) -> Location:
        positions = self._json.get(file)
        if positions is None:
            try:
                positions = self._json[file] = JsonPositions(file)
            except (OSError, UnicodeDecodeError, ValueError):
                return Location(str(file))
        try:
            return positions.locate(segments)
        except (ValueError, IndexError):
            return Location(str(file))

    def _tree(self, file: Path) -> yaml.Node | None:
        if file not in self._trees:
            try:
                text = decode(file.read_bytes(), str(file))
                self._trees[file] = compose_yaml(text, str(file))
            except (AtlasError, OSError, RecursionError):
                self._trees[file] = None
        return self._trees[file]


def _child(node: yaml.Node, segment: str) -> tuple[yaml.Mark, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and _key_matches(key, segment):
                return key.start_mark, value
        for key, value in node.value:  # '<<' merges: look inside the merged mappings
            if key.tag == "tag:yaml.org,2002:merge":
                for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                    found = _child(source, segment)
                    if found:
                        return found
        return None
    if isinstance(node, yaml.SequenceNode) and segment.isdigit() and int(segment) < len(node.value):
        child = node.value[int(segment)]
        return child.start_mark, child
    return None


def _key_matches(key: yaml.ScalarNode, segment: str) -> bool:
    text = str(key.value)
    if text == segment:
        return True
    if key.tag == "tag:yaml.org,2002:null":
        return segment == "null"
    return key.tag == "tag:yaml.org,2002:bool" and text.lower() == segment
