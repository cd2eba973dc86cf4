"""Fast source positions in big JSON files (GitHub's description is 13 MB; composing it as YAML takes seconds).

Only the containers on the way to a requested pointer are indexed, each once: keys are read with the C string
scanner and sibling values skipped with the C decoder, so locating thousands of findings costs a few parses.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

from generators.diagnostics import Location

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonPositions:
    """Positions of the nodes of one JSON text, indexed lazily."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.text = file.read_text(encoding="utf-8-sig")
        self._lines = [m.end() for m in re.finditer("\n", self.text)]
        self._children: dict[int, dict[str, tuple[int, int]]] = {}

    def locate(self, segments: tuple[str, ...] | list[str]) -> Location:
        """The key (for object members) or value position of ``segments``; the deepest existing ancestor."""
        value = _WS.match(self.text, 0).end()  # type: ignore[union-attr]
        mark = value
        for segment in segments:
            child = self._index(value).get(segment)
            if child is None:
                break
            mark, value = child
        line = bisect.bisect_right(self._lines, mark)
        start = self._lines[line - 1] if line else 0
        return Location(str(self.file), line + 1, mark - start + 1)

    def _index(self, pos: int) -> dict[str, tuple[int, int]]:
        found = self._children.get(pos)
        if found is not None:
            return found
        text, found = self.text, {}
        opener = text[pos : pos + 1]
        if opener in ("{", "["):
            cursor = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            number = 0
            while cursor < len(text) and text[cursor] not in "}]":
                key_pos = cursor
                if opener == "{":
                    key, cursor = _scanstring(text, cursor + 1)
                    cursor = _WS.match(text, cursor).end() + 1  # type: ignore[union-attr]  # past ':'
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                else:
                    key, number = str(number), number + 1
                value_pos = cursor
                _, cursor = _DECODER.raw_decode(text, cursor)
                found[key] = (key_pos, value_pos)
                cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                if text[cursor : cursor + 1] == ",":
                    cursor = _WS.match(text, cursor + 1).end()  # type: ignore[union-attr]
        self._children[pos] = found
        return found
