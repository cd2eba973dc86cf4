"""JSON source files: orjson when its parse is certainly the standard library's, else the exact (slower) path.

orjson parses GitHub's 13 MB description in 47 ms where ``json.loads`` with our hooks takes 88 ms, but it keeps
the last of duplicate keys silently, turns integers beyond 64 bits into floats, and words its errors its own
way. ``load_plain_json`` detects each case in linear time (see ``_plain``) and then declines, so the file takes
``load_json_text``: the standard library with duplicate-key, number and nesting checks, errors at file:line.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import orjson

from generators.core.diagnostics import AtlasError, Location
from generators.core.jsonout import big_int
from generators.source.limits import MAX_DEPTH, MAX_INT_DIGITS, too_deep

NOT_PLAIN: Any = object()  # load_plain_json's "take the exact path"
RawFacts = tuple[bool, int]  # what raw_facts finds in a JSON text: an escaped colon, the count of colons
_LEADING_SPACE = re.compile(rb"[ \t\r\n]*")
_STRING = r'"(?:[^"\\]|\\.)*"'  # a JSON string, escapes included
_BRACKET_OR_STRING = re.compile(rf"{_STRING}|[\[\]{{}}]")
# An escape; a surrogate pair's two escapes as one (group 1 holds a surrogate escape left without its pair).
_ESCAPE = re.compile(r"\\(?:u[dD][89abAB]..\\u[dD][c-fC-F]..|(u[dD][89a-fA-F][0-9a-fA-F]{2})|.)", re.S)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_KEY_OR_BRACKET = re.compile(rf"({_STRING})\s*:|{_STRING}|[\[\]{{}}]")
_NUMBER_OR_STRING = re.compile(rf"{_STRING}|-?(?:Infinity|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|NaN")


def load_plain_json(raw: bytes, facts: Callable[[], RawFacts] | None = None) -> Any:
    """orjson's parse of a JSON object or array when nothing in ``raw`` can make it differ, else NOT_PLAIN.

    ``facts``: gives ``raw_facts(raw)`` (found meanwhile on the other core for a big root, ``rootscan.py``).
    """
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    start = _LEADING_SPACE.match(raw, start).end()  # type: ignore[union-attr]
    if raw[start : start + 1] not in (b"{", b"["):
        return NOT_PLAIN
    try:
        data = orjson.loads(memoryview(raw)[start:])
        compact = orjson.dumps(data)  # refuses more than 254 levels: the exact path counts them then
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return NOT_PLAIN  # a syntax error, a NUL, invalid UTF-8, deep nesting: worded by the exact path
    return data if _plain(facts() if facts is not None else raw_facts(raw), compact) else NOT_PLAIN


def raw_facts(raw: bytes) -> RawFacts:
    """Whether a JSON text writes a colon as an escape (``\\u003a``), and how many colons it holds."""
    escape = raw.find(b"\\u003")
    while escape >= 0:
        if raw[escape + 5 : escape + 6] in (b"a", b"A"):
            return True, 0
        escape = raw.find(b"\\u003", escape + 5)
    return False, raw.count(b":")


def _plain(facts: RawFacts, compact: bytes) -> bool:
    """True when the text of ``raw_facts`` holds no duplicate key and no integer beyond 64 bits; ``compact``
    is orjson's output of its parse.

    Duplicates: a ':' outside a string ends a member name, so without escaped colons (``\\u003a``) in the source
    both texts hold as many colons as the strings hold plus one per member; a dropped duplicate leaves the
    output at least one short. Big integers: orjson makes them floats of 9.2e18 or more, which it writes with
    ``e+`` after a digit. A false alarm only costs the exact path's time.
    """
    escaped_colon, colons = facts
    if escaped_colon or colons != compact.count(b":"):
        return False
    exponent = compact.find(b"e+")
    while exponent >= 0:
        if compact[exponent - 1 : exponent].isdigit():
            return False
        exponent = compact.find(b"e+", exponent + 2)
    return True


class DuplicateKey(Exception):
    """An object of the JSON text holds ``key`` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


class _BadNumber(ValueError):
    """A number atlas-spec cannot hold: ``text`` as written, to find it by."""

    def __init__(self, text: str, message: str, hint: str = "JSON numbers must fit a double") -> None:
        super().__init__(message)
        self.text, self.hint = text, hint


def duplicate_key_error(text: str, name: str, key: str) -> AtlasError:
    """The error for ``key`` written twice in one object of a JSON text, at its second place, naming the first.

    A scan of the text's keys and brackets (the parse stopped at the duplicate without a position); ``key``
    alone when the scan does not find it.
    """
    objects: list[dict[str, int] | None] = []
    for token in _KEY_OR_BRACKET.finditer(text):
        written = token.group(1)
        if written is None:
            bracket = token.group()
            if bracket in "{[":
                objects.append({} if bracket == "{" else None)
            elif bracket in "}]" and objects:
                objects.pop()
            continue
        keys = objects[-1] if objects else None
        if keys is None or json.loads(written) != key:
            continue
        where = _location(text, name, token.start())
        if key in keys:
            return AtlasError.at(
                "yaml-duplicate-key",
                f"duplicate key '{key}' (first defined at line {keys[key]})",
                where,
                "remove or rename one of them; JSON keeps only one",
            )
        keys[key] = where.line
    return AtlasError.at(
        "yaml-duplicate-key",
        f"duplicate key '{key}'",
        Location(name),
        "remove or rename one of them; JSON keeps only one",
    )


def _json_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _BadNumber(text, f"number {text} is too large for a double")
    return value


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS and len(text.lstrip("-")) > MAX_INT_DIGITS:
        hint = f"write it as a string: integers of more than {MAX_INT_DIGITS:,} digits cannot be written back"
        raise _BadNumber(text, f"integer of {len(text.lstrip('-')):,} digits is too long", hint)
    return big_int(int(text))


def _reject_constant(text: str) -> Any:
    raise _BadNumber(text, f"{text} is not valid JSON")


def load_json_text(text: str, name: str) -> Any:
    """Parse JSON exactly; DuplicateKey on a repeated key; None for a file not named ``.json`` that is not JSON
    (it may be YAML)."""
    try:
        hooks: dict[str, Any] = {"parse_float": _json_float, "parse_int": _json_int, "parse_constant": _reject_constant}
        data = json.loads(text, object_pairs_hook=_pairs, **hooks)
    except RecursionError:
        raise _too_deep(text, name) from None
    except json.JSONDecodeError as exc:
        if name.endswith(".json"):
            raise AtlasError.at("json-syntax", exc.msg, Location(name, exc.lineno, exc.colno)) from None
        return None
    except _BadNumber as exc:
        where = _number_location(text, name, exc.text)
        raise AtlasError.at("json-number", str(exc), where, exc.hint) from None
    if _deeper_than_allowed(data):
        raise _too_deep(text, name)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogate(text, name)
    return data


def _location(text: str, name: str, at: int) -> Location:
    return Location(name, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))


def _number_location(text: str, name: str, written: str) -> Location:
    """Where the number ``written`` first stands (the parse stops at the first it cannot hold)."""
    for token in _NUMBER_OR_STRING.finditer(text):
        if token.group() == written:
            return _location(text, name, token.start())
    return Location(name)


def _refuse_lone_surrogate(text: str, name: str) -> None:
    """``"\\ud800"`` is valid JSON syntax but no Unicode character: no output could be written as UTF-8."""
    for escape in _ESCAPE.finditer(text):
        if escape.group(1):
            raise AtlasError.at(
                "json-syntax",
                f"\\{escape.group(1)} is half of a surrogate pair, not a Unicode character",
                _location(text, name, escape.start()),
                "write the character itself, or both halves of its pair (\\ud83d\\ude00)",
            )


def _deeper_than_allowed(data: Any) -> bool:
    """True when containers nest more than MAX_DEPTH levels (the limit the YAML loader holds too)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        for child in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


def _too_deep(text: str, name: str) -> AtlasError:
    """The error for JSON nested too deeply, at the bracket that opens level MAX_DEPTH + 1."""
    depth = 0
    for token in _BRACKET_OR_STRING.finditer(text):
        bracket = token.group()
        if bracket in ("{", "["):
            depth += 1
            if depth > MAX_DEPTH:
                where = _location(text, name, token.start())
                return too_deep(name, where.line, where.col)
        elif bracket in ("}", "]"):
            depth -= 1
    return too_deep(name)
