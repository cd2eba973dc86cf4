"""JSON text of a preview build, reusing what the build before wrote for the subtrees it shares with it.

After a one-file edit most subtrees of the bundled document are the very objects of the build before (kept by
``bundle/memo.py``, never written to), so their text is too. ``Fragments`` writes each container below a fixed
depth once, keeps its text by identity (holding the object, so the identity stays its own) and lets the build
after reuse it; only the levels above are written again. The bytes are exactly those of ``core.jsonout``
(``dump_json_bytes``, ``dump_compact_ascii``), each fragment written by it: indented text only needs its lines
shifted by its depth. Anything unusual above the cut (a key that is not ASCII, in the compact form; anything
orjson refuses) falls back to writing the whole document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from generators.core.jsonout import dump_compact_ascii, dump_json_bytes

_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
# How deep the levels written again each time go: the page's copy makes new objects down to each operation.
_DEEP_KEYS = frozenset({"paths", "webhooks"})


class Fragments:
    """The text of subtrees by identity, for one kind of output; what a build did not use is let go."""

    def __init__(self, indented: bool, depth: int = 3) -> None:
        self.indented = indented
        self.depth = depth
        self._kept: dict[int, tuple[Any, bytes]] = {}
        self._used: dict[int, tuple[Any, bytes]] = {}
        self.written = 0  # fragments written by the last dump (the rest were reused)

    def dump(self, document: Any) -> bytes:
        """The document's text: ``dump_json_bytes`` (indented) or ``dump_compact_ascii`` (as ASCII bytes)."""
        self._used, self.written = {}, 0
        try:
            raw = self._dump(document)
        except (orjson.JSONEncodeError, TypeError, ValueError, RecursionError):
            raw = None
        self._kept = self._used
        if raw is None:
            return dump_json_bytes(document) if self.indented else dump_compact_ascii(document).encode("ascii")
        return raw

    def _dump(self, document: Any) -> bytes | None:
        if not isinstance(document, dict):
            return None
        skeleton = {key: self._shape(value, 1, self.depth + (key in _DEEP_KEYS)) for key, value in document.items()}
        if self.indented:
            return orjson.dumps(skeleton, option=_INDENTED)
        raw = orjson.dumps(skeleton)
        return raw if raw.isascii() and b"\x7f" not in raw else None  # keys above the cut: jsonout escapes them

    def _shape(self, node: Any, depth: int, cut: int) -> Any:
        if depth < cut and type(node) is dict:
            return {key: self._shape(value, depth + 1, cut) for key, value in node.items()}
        if depth < cut and type(node) is list:
            return [self._shape(value, depth + 1, cut) for value in node]
        return orjson.Fragment(self._text(node, depth))

    def _text(self, node: Any, depth: int) -> bytes:
        container = type(node) is dict or type(node) is list
        if container:
            kept = self._kept.get(id(node))
            if kept is not None and kept[0] is node:
                self._used[id(node)] = kept
                return kept[1]
        text = self._write(node, depth)
        if container:
            self._used[id(node)] = (node, text)
            self.written += 1
        return text

    def _write(self, node: Any, depth: int) -> bytes:
        if not self.indented:
            return dump_compact_ascii(node).encode("ascii")
        text = dump_json_bytes(node)[:-1]  # without its final newline
        return text.replace(b"\n", b"\n" + b"  " * depth) if depth and b"\n" in text else text


def compact_writer(fragments: Fragments) -> Callable[[Any], str]:
    """``dump_compact_ascii`` through ``fragments`` (for the page's copy of the spec)."""
    return lambda document: fragments.dump(document).decode("ascii")
