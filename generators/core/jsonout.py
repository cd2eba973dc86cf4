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

import codecs
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import orjson

_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
_HINTS = (b"0.0000", b"e-")
_EXPONENT = re.compile(rb"e-[0-9]")
_NUMBER_START = frozenset(bytes([c]) for c in b"0123456789.-")
_COMPACT_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?(?=[,\]}]|\Z)")


def dump_json_bytes(document: Any) -> bytes:
    """2-space indent, UTF-8 characters unescaped, author key order kept, trailing newline."""
    return dump_json_draft(document)[1]()


def dump_json_draft(document: Any) -> tuple[bytes, Callable[[], bytes]]:
    """``dump_json_bytes(document)`` in two steps: bytes that are nearly always final, and the call that
    returns the final bytes (the draft itself when it was). A writer can write the draft meanwhile."""
    raw = _orjson(document, _INDENTED) if isinstance(document, (dict, list)) else None
    if raw is not None:
        return raw, partial(_python_floats, raw)
    text = (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    return text, partial(_same, text)


def _same(text: bytes) -> bytes:
    return text


def dump_json(document: Any) -> str:
    """``dump_json_bytes(document)`` as text."""
    return dump_json_bytes(document).decode("utf-8")


def dump_compact_ascii(document: Any) -> str:
    """One line without spaces, only printable ASCII characters (everything else escaped as ``\\uXXXX``)."""
    raw = _orjson(document, 0)
    if raw is None or any(_compact_number_at(raw, at) for hint in _HINTS for at in _hints(raw, hint)):
        return json.dumps(document, allow_nan=False, separators=(",", ":"))  # a rare case: no rewriting here
    if b"\x7f" in raw:  # DEL is ASCII, but the standard library escapes it; like non-ASCII, only in strings
        raw = raw.replace(b"\x7f", b"\\u007f")
    if raw.isascii():
        return raw.decode("ascii")
    # each run of non-ASCII characters (never a quote or backslash) is escaped as json does, by the codec in C
    return raw.decode("utf-8").encode("ascii", _ESCAPE_ERRORS).decode("ascii")


class BigInt(int):
    """An integer beyond 64 bits as the loaders make it: orjson writes it as a pre-written fragment.

    orjson refuses such integers; finding them in a whole document afterwards costs a walk over every node
    (27 ms of DigitalOcean's 0.5 s bundle, for its one big integer), so the loaders mark them where they parse them.
    """

    __slots__ = ()


def big_int(value: int) -> int:
    """``value``, marked as a ``BigInt`` when orjson cannot write it as a number."""
    return value if -(2**63) <= value < 2**64 else BigInt(value)


def _written(value: Any) -> Any:
    """orjson's ``default`` for subclasses (it passes them through): a big integer as its digits, others plain."""
    if isinstance(value, BigInt):
        return orjson.Fragment(int.__repr__(value).encode("ascii"))
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _orjson(document: Any, option: int) -> bytes | None:
    """orjson's output, integers beyond 64 bits included (DigitalOcean has one); None where it cannot go."""
    try:
        return orjson.dumps(document, option=option | orjson.OPT_PASSTHROUGH_SUBCLASS, default=_written)
    except orjson.JSONEncodeError:
        pass
    try:  # the big integers as pre-written fragments, in a copy of only the containers that hold them
        return orjson.dumps(_big_integers_written(document), option=option)
    except orjson.JSONEncodeError:
        return None  # keys that are not strings, lone surrogates, deeper than orjson goes: the standard library


def _big_integers_written(value: Any) -> Any:
    kind = type(value)
    if kind is int:
        return value if -(2**63) <= value < 2**64 else orjson.Fragment(int.__repr__(value).encode("ascii"))
    if kind is dict:
        members = {key: _big_integers_written(member) for key, member in value.items()}
        return members if any(members[key] is not member for key, member in value.items()) else value
    if kind is list:
        items = [_big_integers_written(member) for member in value]
        return items if any(new is not old for new, old in zip(items, value, strict=True)) else value
    return value


def _escape_run(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped: str = json.encoder.encode_basestring_ascii(error.object[error.start : error.end])
    return escaped[1:-1], error.end


_ESCAPE_ERRORS = "atlas-spec-json-escape"
codecs.register_error(_ESCAPE_ERRORS, _escape_run)


def _compact_number_at(raw: bytes, at: int) -> bool:
    """True when the hint at ``at`` may lie in a number token of compact output (or a string that looks like one).

    A number follows ``:``, ``[`` or ``,`` and is followed by ``,``, ``]`` or ``}``; GitHub's 8,800 hints are all
    inside words and ids (``6c81cd8e-b078``), so only a string holding e.g. ``,1e-7,`` is a false alarm.
    """
    start = at
    while start > 0 and raw[start - 1 : start] in _NUMBER_START:
        start -= 1
    before = raw[start - 1 : start] if start else b","  # a number at the very start is the whole document
    return before in (b":", b"[", b",") and _COMPACT_NUMBER.match(raw, start) is not None


def _hints(raw: bytes, hint: bytes) -> Iterator[int]:
    """Offsets of ``0.0000``, or of ``e-`` between digits, in order: where orjson may write a float unlike repr."""
    if hint == b"e-":  # common in text ("e-mail", ids): the regex's literal search skips most of them in C
        yield from (m.start() for m in _EXPONENT.finditer(raw) if raw[m.start() - 1 : m.start()].isdigit())
        return
    at = raw.find(hint)
    while at >= 0:
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
