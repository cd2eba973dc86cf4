"""Lines as an editor counts them, for places in YAML files (see ``EditorLines``)."""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml

UNICODE_BREAKS = re.compile("[\x85\u2028\u2029]")  # line breaks to libyaml (YAML 1.1), text to an editor
_EDITOR_BREAK = re.compile(r"\r\n|\r|\n")


class EditorLines:
    """Lines as an editor counts them (ended by LF, CRLF or CR). libyaml, reading YAML 1.1, also ends a line at
    U+0085, U+2028 and U+2029, so its marks name another line than the one an editor shows (YAML 1.2 and JSON
    count those as text): a place in such a file is computed again from the mark's character index."""

    def __init__(self, text: str) -> None:
        self.bom = 1 if text.startswith("\ufeff") else 0  # libyaml's index does not count it
        self.starts = [0, *(m.end() for m in _EDITOR_BREAK.finditer(text))]

    def fixed(self, mark: Any) -> yaml.Mark:
        """``mark`` with its line and column (0-based, as libyaml's) computed again from its index."""
        offset = mark.index + self.bom
        line = bisect.bisect_right(self.starts, offset) - 1
        return yaml.Mark(mark.name, mark.index, line, offset - self.starts[line], None, 0)


def to_editor_lines(root: yaml.Node, lines: EditorLines) -> None:
    """Every mark of the composed tree ``root``, counted again as an editor counts lines."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark, node.end_mark = lines.fixed(node.start_mark), lines.fixed(node.end_mark)
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
