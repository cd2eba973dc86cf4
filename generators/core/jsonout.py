"""The one JSON serialisation every artefact uses: deterministic bytes.

The output is exactly ``json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"`` (a test holds the two
equal), written by a specialised encoder: the standard library's indenting encoder is pure Python and
generic, and took 0.7 s on GitHub's 13 MB description, this one a fifth of that.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

# Members of containers this shallow are encoded and turned into UTF-8 bytes one at a time (see dump_json_bytes).
_CHUNK_DEPTH = 2
# indent -> key -> ',\n<indent>"key": ': a few hundred distinct keys make up most of a spec's members, so each
# member's separator and quoted key is one lookup (10% of the encoder's time). Emptied after every document.
_KEY_PREFIXES: dict[str, dict[Any, str]] = {}


def dump_json(document: Any) -> str:
    """2-space indent, UTF-8 characters unescaped, author key order kept, trailing newline."""
    parts: list[str] = []
    try:
        _encode(document, "", parts.append)
    finally:
        _KEY_PREFIXES.clear()
    parts.append("\n")
    return "".join(parts)


def dump_json_chunks(document: Any) -> list[bytes]:
    """``dump_json(document)`` as UTF-8, in pieces whose concatenation is the file's bytes.

    Each top-level and second-level member becomes its own piece: one emoji then widens only its
    piece to four bytes per character (a single 13 MB string would take 52 MB), and the small
    strings of one piece are freed and reused before the next, so a big document is written with a
    fraction of the memory and page faults of ``dump_json(...).encode()``.
    """
    chunks: list[bytes] = []
    parts: list[str] = []

    def flush() -> None:
        chunks.append("".join(parts).encode("utf-8"))
        parts.clear()

    try:
        _encode_in_pieces(document, "", parts.append, flush, _CHUNK_DEPTH)
    finally:
        _KEY_PREFIXES.clear()
    parts.append("\n")
    flush()
    return chunks


def dump_json_bytes(document: Any) -> bytes:
    """``dump_json(document)`` encoded as UTF-8, built piece by piece (see dump_json_chunks)."""
    return b"".join(dump_json_chunks(document))


def _encode_in_pieces(value: Any, indent: str, append: Any, flush: Callable[[], None], depth: int) -> None:
    if depth == 0 or not value or type(value) not in (dict, list):
        _encode(value, indent, append)
        return
    inner = indent + "  "
    for before, member in _layout(value, indent):
        append(before)
        _encode_in_pieces(member, inner, append, flush, depth - 1)
        flush()
    append("\n" + indent + ("}" if type(value) is dict else "]"))


def _layout(container: dict[str, Any] | list[Any], indent: str) -> Iterator[tuple[str, Any]]:
    """(text before the member, member) for each member of a non-empty container, as _encode lays them out."""
    inner = indent + "  "
    if type(container) is dict:
        separator = "{\n" + inner
        for key, member in container.items():
            yield separator + _key(key) + ": ", member
            separator = ",\n" + inner
    else:
        separator = "[\n" + inner
        for member in container:
            yield separator, member
            separator = ",\n" + inner


def _encode(value: Any, indent: str, append: Any) -> None:
    # Strings, the commonest members, are written inline with their separator: one append, no call. The member
    # branches repeat for objects and arrays on purpose: a shared helper would cost a call per member (10%).
    kind = type(value)
    if kind is dict:
        if not value:
            append("{}")
            return
        inner = indent + "  "
        prefixes = _KEY_PREFIXES.get(inner)
        if prefixes is None:
            prefixes = _KEY_PREFIXES[inner] = {}
        first = True
        for key, member in value.items():
            prefix = prefixes.get(key)
            if prefix is None:
                prefix = ",\n" + inner + _key(key) + ": "
                if type(key) is str:  # 1, 1.0 and True are equal keys with different texts: never cached
                    prefixes[key] = prefix
            if first:
                prefix = "{" + prefix[1:]
                first = False
            member_kind = type(member)
            if member_kind is str:
                append(prefix + encode_basestring(member))
            elif member_kind is dict or member_kind is list:
                append(prefix)
                _encode(member, inner, append)
            else:
                append(prefix + _scalar(member, inner))
        append("\n" + indent + "}")
    elif kind is list:
        if not value:
            append("[]")
            return
        inner = indent + "  "
        separator = "[\n" + inner
        for member in value:
            member_kind = type(member)
            if member_kind is str:
                append(separator + encode_basestring(member))
            elif member_kind is dict or member_kind is list:
                append(separator)
                _encode(member, inner, append)
            else:
                append(separator + _scalar(member, inner))
            separator = ",\n" + inner
        append("\n" + indent + "]")
    else:
        append(_scalar(value, indent))


def _scalar(value: Any, indent: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be written as JSON")
        return float.__repr__(value)
    # anything else (subclasses, tuples) takes the standard library's path, with the same layout
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("\n", "\n" + indent)


def _key(key: Any) -> str:
    if type(key) is str:
        return encode_basestring(key)
    # what the standard library writes for other keys (True -> "true", 1.5 -> "1.5"; a tuple is a TypeError)
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]
