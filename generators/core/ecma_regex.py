"""Spec ``pattern``s: ECMA-262 syntax, evaluated under a time budget.

JSON Schema and OpenAPI patterns are ECMA-262 regular expressions. Python's ``re`` refuses valid ones
(``\\p{L}``, ``(?<name>...)``) and, like every backtracking engine, can take longer than the age of the universe
on others (``^(a|a)+$``). Here a pattern is read as ECMA-262 (Unicode mode, else the web-compatible reading of
Annex B, as ``new RegExp(p)`` does), translated to the ``regex`` package's syntax, and every search runs under
a time budget. A search that runs out of time counts as a match, and the pattern is not run again: a missed
finding is better than a build that never ends.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generators.core.ecma_syntax import PatternError, translate

if TYPE_CHECKING:
    import regex

__all__ = ["SEARCH_SECONDS", "PatternError", "SpecPattern", "compile_pattern", "pattern_error", "search", "translate"]

SEARCH_SECONDS = 0.1
"""How long one search may run before its pattern is given up on (a sane pattern needs microseconds)."""


@dataclass
class SpecPattern:
    """One compiled spec pattern; ``search`` answers within the time budget."""

    source: str
    compiled: regex.Pattern[str]
    gave_up: bool = field(default=False)

    def search(self, text: str) -> bool:
        """True when ``text`` holds a match (or when the search ran out of time: then and from now on)."""
        if self.gave_up:
            return True
        try:
            return self.compiled.search(text, timeout=SEARCH_SECONDS) is not None
        except TimeoutError:
            self.gave_up = True
            return True


def compile_pattern(source: str) -> SpecPattern:
    """The pattern, or ``PatternError`` when ``source`` is not valid ECMA-262 (both remembered)."""
    compiled = _compile(source)
    if isinstance(compiled, str):
        raise PatternError(compiled)
    return compiled


def search(source: str, text: str) -> bool:
    """``re.search`` for a spec pattern, within the time budget; an invalid pattern matches everything
    (``validate`` reports the pattern itself)."""
    compiled = _compile(source)
    return True if isinstance(compiled, str) else compiled.search(text)


def pattern_error(source: str) -> str | None:
    """Why ``source`` is not an ECMA-262 regular expression, or None when it is one."""
    compiled = _compile(source)
    return compiled if isinstance(compiled, str) else None


@functools.lru_cache(maxsize=16384)
def _compile(source: str) -> SpecPattern | str:
    import regex

    try:
        translated = translate(source)
    except PatternError as error:
        return str(error)
    try:
        return SpecPattern(source, regex.compile(translated))
    except (regex.error, OverflowError, RecursionError, ValueError) as exc:
        return str(exc).split(" at position")[0]
