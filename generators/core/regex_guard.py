"""Spot spec ``pattern``s that backtrack catastrophically, and keep validators from evaluating them.

Python's ``re`` (like JavaScript's engine) backtracks: ``^(https?://)?([\\w.-]*)*$`` (from a real description)
takes longer than the age of the universe to reject a 60-character example. The classic cause is a quantifier
nested in another unbounded one, which this module detects on the parsed pattern. Such a pattern is not
evaluated: a value is taken as matching it (a missed finding is better than a build that never ends).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from jsonschema import _keywords
from jsonschema.exceptions import ValidationError

_PATTERN: Any = _keywords.pattern
_PATTERN_PROPERTIES: Any = _keywords.patternProperties

# A repeat with a higher bound than this is treated as unbounded: (x{1,100}){1,100} is as bad as (x+)+.
_LARGE_REPEAT = 32
_REPEATS = {_parser.MAX_REPEAT, _parser.MIN_REPEAT}


@functools.lru_cache(maxsize=4096)
def may_backtrack(pattern: str) -> bool:
    """True when ``pattern`` nests an unbounded quantifier inside another (exponential backtracking)."""
    try:
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False  # not a Python regex at all: the callers already skip or report it
    return _nested_repeat(parsed, inside=False)


def _nested_repeat(items: Any, inside: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            high, sub = arg[1], arg[2]
            unbounded = high == _parser.MAXREPEAT or high > _LARGE_REPEAT
            # a repeat of nothing (``()*``) matches no more text when repeated
            if (unbounded and inside and len(sub) > 0) or _nested_repeat(sub, inside or unbounded):
                return True
        elif any(_nested_repeat(child, inside) for child in _subpatterns(op, arg)):
            return True
    return False


def _subpatterns(op: Any, arg: Any) -> list[Any]:
    if op == _parser.SUBPATTERN:
        return [arg[-1]]
    if op == _parser.BRANCH:
        return list(arg[1])
    if op in (_parser.ASSERT, _parser.ASSERT_NOT):
        return [arg[1]]
    if op == _parser.GROUPREF_EXISTS:
        return [branch for branch in arg[1:] if branch is not None]
    return []  # ATOMIC_GROUP and POSSESSIVE_REPEAT never backtrack into themselves


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if isinstance(pattern, str) and may_backtrack(pattern):
        return
    yield from _PATTERN(validator, pattern, instance, schema)


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if isinstance(patterns, dict) and any(isinstance(p, str) and may_backtrack(p) for p in patterns):
        return
    yield from _PATTERN_PROPERTIES(validator, patterns, instance, schema)


GUARDED_KEYWORDS = {"pattern": _pattern, "patternProperties": _pattern_properties}


def guard_patterns(validator_class: Any) -> None:
    """Make a jsonschema validator class skip patterns that may backtrack (in place, once)."""
    for keyword, guarded in GUARDED_KEYWORDS.items():
        if keyword in validator_class.VALIDATORS:
            validator_class.VALIDATORS[keyword] = guarded
