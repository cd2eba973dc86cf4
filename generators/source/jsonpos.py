"""Fast source positions in big JSON files (GitHub's description is 13 MB; composing it as YAML takes seconds).

Only the containers on the way to a requested pointer are indexed, each once: keys are read with the C string
scanner and sibling values skipped with the C decoder (building no dicts), so locating thousands of findings
costs about one parse. The first request indexes the top levels (``paths``, ``components/schemas``...) in one
scan, since nearly every pointer passes through them and indexing each separately would decode most of the
file once per level.

Indexing one level skips everything below it, so a path N levels deep skips its innermost text N times: on
deeply nested schemas (loket.nl: findings 15 to 22 levels down) that made locating cost size x depth. So a
small container with a long way still to go is indexed whole, every container in it at once; and once the
skipping has passed over the text ``_BUDGET`` times, every container is indexed whole: the cost stays linear
in the file, however deep the findings.

Skipping a value with the C decoder builds it (strings, lists, numbers) only to drop it: on GitHub's 13 MB that
cost more than orjson's parse of the whole file. When the loader's parse of the file is at hand and the file is
laid out as orjson writes it (two-space indents or none: ``JSON.stringify``'s layout, as in generated
descriptions), a container is skipped by writing its parse with orjson and comparing that text with the file's
at the container's place: equal texts have equal lengths, so the end is exact; a text that differs is skipped
by the decoder as before, and after a few such differences the file is taken to be laid out otherwise.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import orjson

from generators.core.diagnostics import Location

_WS = re.compile(r"[ \t\n\r]*")
_SPACES = frozenset(" \t\n\r")  # a character test where minified JSON has no whitespace to match
# skips a value: objects become their member count instead of dicts (twice as fast as building them)
_SKIPPER = json.JSONDecoder(object_pairs_hook=len)
_BLOCK = 4096
_EAGER_DEPTH = 3  # containers this shallow are indexed in the scan of their parent
_BUDGET = 2  # characters skipped, in file lengths, past which every container is indexed whole
_DEEP = 4  # a container this many levels above the requested node, and no longer than _SMALL,
_SMALL = 65_536  # is indexed whole, with every container nested in it
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_CONTINUING = bytes(range(0x80, 0xC0))  # the bytes after the first of a UTF-8 character
_MAX_MISSES = 4  # texts of parsed containers that differed from the file's: its layout is not orjson's
UNKNOWN: Any = object()  # "no parse of this node at hand"


class JsonPositions:
    """Positions of the nodes of one JSON text, indexed lazily."""

    def __init__(self, file: Path, raw: bytes | None = None, tree: Any = UNKNOWN) -> None:
        """Index ``file``, whose bytes are ``raw`` when the caller has already read them, and ``tree`` their parse.

        ``raw`` comes from the loader, which parsed it: valid UTF-8. Read here, the file is checked to be UTF-8
        (``UnicodeDecodeError`` otherwise). ``tree`` only saves work: a parse that differs from the text (or
        was changed since) is noticed where it differs, and the text decides.
        """
        self.file = file
        if raw is None:
            raw = file.read_bytes()
            raw.decode("utf-8-sig")
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        # lines as a text-mode read counts them: \r\n and a lone \r each end one
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in raw else raw
        # the bytes, one character each: decoding as UTF-8 costs more than all the rest (0.035 s on GitHub's
        # 13 MB, with 40 characters beyond ASCII) and doubles the text in memory. JSON's structure is ASCII and
        # a byte of a multibyte character is never a quote, backslash or bracket, so the scanners read it as
        # they read text; keys beyond ASCII (``_key``) and columns (``_wide_before``) are made characters again
        self.text = text = raw.decode("latin-1")
        # newlines before each block of text: a line number then costs one count inside a block
        # and where the line running into each block starts: a column then costs one search inside a block,
        # however long the line (a one-line 45 MB file would otherwise be searched back to its start per finding)
        self._lines_before = [0]
        self._line_start = [0]
        # bytes that continue a character, before each block (None: all ASCII): a column counts characters
        self._wide_before: list[int] | None = None if raw.isascii() else [0]
        for start in range(0, len(text), _BLOCK):
            end = start + _BLOCK
            newlines = text.count("\n", start, end)
            self._lines_before.append(self._lines_before[-1] + newlines)
            self._line_start.append(text.rfind("\n", start, end) + 1 if newlines else self._line_start[-1])
            if self._wide_before is not None:
                self._wide_before.append(self._wide_before[-1] + _continuing(raw[start:end]))
        self._children: dict[int, dict[str, tuple[int, int]]] = {}
        self._sizes: dict[int, int] = {}  # the length of each container skipped so far, by position
        self._skipped = 0  # characters skipped so far (each level of a deep path skips what lies below it)
        self._root = _WS.match(self.text, 0).end()  # type: ignore[union-attr]
        # the parse of each container met so far, by position, and the orjson layout that may match the text
        self._nodes: dict[int, Any] = {}
        self._raw = raw if tree is not UNKNOWN else None  # held only to be compared with the parse's text
        self._layout: int | None = None
        self._misses = 0
        if tree is not UNKNOWN and self.text[self._root : self._root + 1] in ("{", "["):
            self._nodes[self._root] = tree
            after = self.text[self._root + 1 : self._root + 4]
            if after == "\n  ":
                self._layout = orjson.OPT_INDENT_2
            elif after[:1] and after[:1] not in _SPACES:
                self._layout = 0

    def locate(self, segments: tuple[str, ...] | list[str]) -> Location:
        """The key (for object members) or value position of ``segments``; the deepest existing ancestor."""
        value = mark = self._root
        for depth, segment in enumerate(segments):
            child = self._index(value, len(segments) - depth).get(segment)
            if child is None:
                break
            mark, value = child
        block = mark // _BLOCK
        line = self._lines_before[block] + self.text.count("\n", block * _BLOCK, mark)
        start = max(self.text.rfind("\n", block * _BLOCK, mark) + 1, self._line_start[block])
        column = mark - start
        if self._wide_before is not None:  # the bytes from the line's start, less those continuing a character
            column -= self._wide(mark) - self._wide(start)
        return Location(str(self.file), line + 1, column + 1)

    def _wide(self, offset: int) -> int:
        """How many bytes before ``offset`` continue a UTF-8 character."""
        block = offset // _BLOCK
        part = self.text[block * _BLOCK : offset]
        return self._wide_before[block] + (0 if part.isascii() else _continuing(part.encode("latin-1")))  # type: ignore[index]

    def _key(self, key_pos: int, end: int) -> str:
        """The key written at ``[key_pos, end)`` (quotes included), its bytes beyond ASCII decoded as UTF-8."""
        return _scanstring(self.text[key_pos:end].encode("latin-1").decode("utf-8"), 1)[0]  # type: ignore[no-any-return]

    def prepare(self, requests: Collection[Sequence[str]]) -> None:
        """Index, in one pass, every container on the way to each of ``requests`` (segment paths).

        Locating many nodes one by one indexes each container on the way by skipping all its members, the one
        on the way too, which is then read again: deep text is skipped once per level above it. Here a
        container is read once: each member on the way is indexed in the same pass, every other one skipped,
        so the cost is one reading of the file whatever the depth. ``locate`` then costs a lookup per level.
        """
        wanted: dict[str, Any] = {}
        for segments in requests:
            node = wanted
            for segment in segments[:-1]:  # the node itself is found in its parent's index
                node = node.setdefault(segment, {})
        if requests:
            self._fill(self._root, wanted)

    def _fill(self, pos: int, wanted: dict[str, Any]) -> None:
        children = self._children.get(pos)
        if children is None:
            if self.text[pos] in "{[":
                self._scan_wanted(pos, wanted, self._nodes.get(pos, UNKNOWN))
            return
        for key, deeper in wanted.items():
            child = children.get(key)
            if child is not None:
                self._fill(child[1], deeper)

    def _scan_wanted(self, pos: int, wanted: dict[str, Any], node: Any) -> int:
        """Index the container at ``pos`` (whose parse is ``node``, when known) and, in the same pass, the
        containers among its members that ``wanted`` names (with what it wants below them); its end. None of
        them is indexed yet (their parent was not)."""
        text, found = self.text, {}
        if node is not UNKNOWN:
            self._nodes[pos] = node
        is_object = text[pos] == "{"
        cursor = pos + 1
        if text[cursor] in _SPACES:
            cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
        number = 0
        char = text[cursor]
        while char != "}" and char != "]":
            key_pos = cursor
            if is_object:
                key, cursor = _scanstring(text, cursor + 1)
                if not key.isascii():
                    key = self._key(key_pos, cursor)
                if text[cursor] != ":":
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                cursor += 1
                if text[cursor] in _SPACES:
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                char = text[cursor]
            else:
                key, number = str(number), number + 1
            found[key] = (key_pos, cursor)
            deeper = wanted.get(key)
            if deeper is not None and (char == "{" or char == "["):
                cursor = self._scan_wanted(cursor, deeper, _child(node, key))
            elif char == '"':
                cursor = _scanstring(text, cursor + 1)[1]
            elif char == "{" or char == "[":
                value_pos = cursor
                cursor = self._skip(cursor, _child(node, key))
                self._skipped += cursor - value_pos
                self._sizes[value_pos] = cursor - value_pos
            else:
                cursor = _SKIPPER.raw_decode(text, cursor)[1]
            if text[cursor] in _SPACES:
                cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
            if text[cursor] == ",":
                cursor += 1
                if text[cursor] in _SPACES:
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
            char = text[cursor]
        self._children[pos] = found
        return cursor + 1

    def _index(self, pos: int, below: int) -> dict[str, tuple[int, int]]:
        found = self._children.get(pos)
        if found is None:
            small_and_deep = below >= _DEEP and self._sizes.get(pos, _SMALL + 1) <= _SMALL
            if self.text[pos] in "{[" and (small_and_deep or self._skipped > _BUDGET * len(self.text)):
                self._scan_all(pos)
            else:
                self._scan(pos, 0 if pos == self._root else _EAGER_DEPTH, self._nodes.get(pos, UNKNOWN))
            found = self._children[pos]
        return found

    def _skip(self, pos: int, node: Any) -> int:
        """The end of the container at ``pos``, whose parse is ``node`` when known (and then remembered)."""
        if node is not UNKNOWN and self._layout is not None:
            self._nodes[pos] = node
            end = self._known_end(pos, node)
            if end >= 0:
                return end
        return _SKIPPER.raw_decode(self.text, pos)[1]

    def _known_end(self, pos: int, node: Any) -> int:
        """Where the container at ``pos`` ends when its text is orjson's text of ``node``; -1 when it is not."""
        try:
            written = orjson.dumps(node, option=self._layout)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, say: the decoder skips it
            return -1
        if self._layout and b"\n" in written:  # orjson indents from the left margin; the file from the line's
            block = pos // _BLOCK
            start = max(self.text.rfind("\n", block * _BLOCK, pos) + 1, self._line_start[block])
            line = self.text[start:pos]
            written = written.replace(b"\n", b"\n" + b" " * (len(line) - len(line.lstrip(" "))))
        if self._raw is not None and self._raw.startswith(written, pos):
            return pos + len(written)
        self._misses += 1
        if self._misses >= _MAX_MISSES:
            self._layout = None
        return -1

    def _scan_all(self, pos: int) -> int:
        """Index the container at ``pos`` and every container nested in it, in one pass; its end.

        The tightest loop here (minified JSON has no whitespace to skip: one character test instead of a match).
        """
        text, found = self.text, {}
        is_object = text[pos] == "{"
        cursor = pos + 1
        if text[cursor] in _SPACES:
            cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
        number = 0
        char = text[cursor]
        while char != "}" and char != "]":
            key_pos = cursor
            if is_object:
                key, cursor = _scanstring(text, cursor + 1)
                if not key.isascii():
                    key = self._key(key_pos, cursor)
                if text[cursor] != ":":
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                cursor += 1
                if text[cursor] in _SPACES:
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                char = text[cursor]
            else:
                key, number = str(number), number + 1
            found[key] = (key_pos, cursor)
            if char == "{" or char == "[":
                cursor = self._scan_all(cursor)
            elif char == '"':
                cursor = _scanstring(text, cursor + 1)[1]
            else:
                cursor = _SKIPPER.raw_decode(text, cursor)[1]
            if text[cursor] in _SPACES:
                cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
            if text[cursor] == ",":
                cursor += 1
                if text[cursor] in _SPACES:
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
            char = text[cursor]
        self._children[pos] = found
        return cursor + 1

    def _scan(self, pos: int, depth: int, node: Any) -> int:
        """Index the container at ``pos`` (and, above ``_EAGER_DEPTH``, its child containers); its end.
        ``node``: the container's parse, when known."""
        text, found = self.text, {}
        if node is not UNKNOWN:
            self._nodes[pos] = node
        opener = text[pos : pos + 1]
        cursor = pos
        if opener in ("{", "["):
            cursor = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            number = 0
            while cursor < len(text) and text[cursor] not in "}]":
                key_pos = cursor
                if opener == "{":
                    key, cursor = _scanstring(text, cursor + 1)
                    if not key.isascii():
                        key = self._key(key_pos, cursor)
                    if text[cursor : cursor + 1] != ":":
                        cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                    cursor += 1  # past ':'
                    if text[cursor : cursor + 1] in _SPACES:
                        cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                else:
                    key, number = str(number), number + 1
                value_pos = cursor
                if depth + 1 < _EAGER_DEPTH and text[cursor] in "{[" and cursor not in self._children:
                    cursor = self._scan(cursor, depth + 1, _child(node, key))
                elif text[cursor] in "{[":
                    cursor = self._skip(cursor, _child(node, key))
                    self._skipped += cursor - value_pos
                    self._sizes[value_pos] = cursor - value_pos
                else:
                    _, cursor = _SKIPPER.raw_decode(text, cursor)
                    self._skipped += cursor - value_pos
                found[key] = (key_pos, value_pos)
                if text[cursor : cursor + 1] in _SPACES:
                    cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
                if text[cursor : cursor + 1] == ",":
                    cursor += 1
                    if text[cursor : cursor + 1] in _SPACES:
                        cursor = _WS.match(text, cursor).end()  # type: ignore[union-attr]
            cursor += 1  # past the closing bracket
        self._children[pos] = found
        return cursor


def _child(node: Any, key: str) -> Any:
    """The parse of member ``key`` of ``node`` (an index's digits in an array); ``UNKNOWN`` when not at hand."""
    if type(node) is dict:
        return node.get(key, UNKNOWN)
    if type(node) is list and key.isascii() and key.isdigit() and int(key) < len(node):
        return node[int(key)]
    return UNKNOWN


def _continuing(part: bytes) -> int:
    """How many bytes of ``part`` continue a UTF-8 character."""
    return 0 if part.isascii() else len(part) - len(part.translate(None, _CONTINUING))
