"""The JSON serialisations artefacts use, written by orjson: deterministic, and the standard library's bytes.

``dump_json_bytes`` is exactly ``json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"`` and
``dump_compact_ascii`` exactly ``json.dumps(doc, separators=(",", ":"))`` (tests hold each equal to its
standard-library twin). orjson writes the same escapes (U+2028/9 and characters beyond the BMP raw, C0 controls
as ``\\u00XX``) about 25 times faster than ``json.dumps`` on GitHub's 13 MB description, except in two cases
handled here:
- a float below 1e-4 comes out as ``0.00001`` or ``1e-7`` where ``repr`` writes ``1e-05`` and ``1e-07``: such
  numbers are rewritten (indented output) or the document takes the standard library's path (compact output);
- what orjson cannot write (integers beyond 64 bits, keys that are not strings, lone surrogates, nesting past
  its limit of 254 levels) takes the standard library's path.
Sources never hold NaN or infinities (both loaders refuse them), which orjson would write as ``null``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import orjson

_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x00-\x7e]+")
_HINTS = (b"0.0000", b"e-")


def dump_json_bytes(document: Any) -> bytes:
    """2-space indent, UTF-8 characters unescaped, author key order kept, trailing newline."""
    if isinstance(document, (dict, list)):
        try:
            return _python_floats(orjson.dumps(document, option=_INDENTED))
        except (orjson.JSONEncodeError, TypeError):
            pass
    return (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def dump_json(document: Any) -> str:
    """``dump_json_bytes(document)`` as text."""
    return dump_json_bytes(document).decode("utf-8")


def dump_compact_ascii(document: Any) -> str:
    """One line without spaces, only printable ASCII characters (everything else escaped as ``\\uXXXX``)."""
    try:
        raw = orjson.dumps(document)
    except (orjson.JSONEncodeError, TypeError):
        raw = b""
    if not raw or any(next(_hints(raw, hint), None) is not None for hint in _HINTS):
        return json.dumps(document, allow_nan=False, separators=(",", ":"))
    if raw.isascii() and b"\x7f" not in raw:
        return raw.decode("ascii")
    # DEL and non-ASCII characters are what is left to escape; a run of them holds no quote or backslash
    return _NOT_PRINTABLE_ASCII.sub(_escape_run, raw.decode("utf-8"))


def _escape_run(match: re.Match[str]) -> str:
    escaped: str = json.encoder.encode_basestring_ascii(match.group())
    return escaped[1:-1]


def _hints(raw: bytes, hint: bytes) -> Iterator[int]:
    """Offsets of ``0.0000``, or of ``e-`` after a digit, in order: where orjson may write a float unlike repr."""
    at = raw.find(hint)
    while at >= 0:
        if hint != b"e-" or raw[at - 1 : at].isdigit():
            yield at
        at = raw.find(hint, at + 2)


def _python_floats(raw: bytes) -> bytes:
    """Rewrite each float orjson writes differently from ``repr`` (only those below 1e-4) as ``repr`` does.

    In indented output a number is the last token of its line, after a space (a line ending in a string ends
    with its quote), so only the lines holding a hint are looked at, each once: linear in the output.
    """
    ends: set[int] = set()
    for hint in _HINTS:
        end = -1
        for at in _hints(raw, hint):
            if at > end:  # one search per line, however many hints it holds
                end = raw.find(b"\n", at)
                ends.add(end)
    pieces: list[bytes] = []
    done = 0
    for end in sorted(ends):
        token_end = end - 1 if raw[end - 1 : end] == b"," else end
        token_start = raw.rfind(b" ", done, token_end) + 1
        token = raw[token_start:token_end]
        if token.strip(b"0123456789.eE+-") or (b"." not in token and b"e" not in token):
            continue  # not a float: the line ends in a string, a literal, a bracket or an integer
        fixed = repr(float(token)).encode("ascii")
        if fixed != token:
            pieces += [raw[done:token_start], fixed]
            done = token_end
    if not pieces:
        return raw
    pieces.append(raw[done:])
    return b"".join(pieces)
