"""Keyword checks of the compiled example check (``compiled.py``) that need nothing of the compiler but its
``compile`` and its draft: the combinators, number and size limits, patterns and ``required``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import generators.core.ecma_regex as ecma_regex
from generators.core.jsonvalues import is_number

Check = Callable[[Any], bool]

SHARED = "shared"
"""``skip`` of a compiler shared by every direction: its ``required`` checks raise ``DirectionMatters`` where
a missing ``readOnly`` or ``writeOnly`` property decides the verdict (elsewhere the directions agree)."""


class Unsupported(Exception):
    """The schema uses a keyword this compiler leaves to jsonschema."""


class Compiling(Protocol):
    """What a keyword builder uses of the compiler."""

    draft4: bool

    def compile(self, schema: Any) -> Check: ...


class DirectionMatters(Exception):
    """A shared check met a value whose verdict differs between requests, responses and plain schemas."""


def spec_pattern(pattern: Any) -> ecma_regex.SpecPattern:
    """An ECMA-262 pattern searched under a time budget; one that is not valid is left to jsonschema."""
    if not isinstance(pattern, str):
        raise Unsupported(f"pattern {pattern!r}")
    try:
        return ecma_regex.compile_pattern(pattern)
    except ecma_regex.PatternError:
        raise Unsupported(f"pattern {pattern!r}") from None


def all_of(checks: list[Check]) -> Check:
    def check(v: Any) -> bool:
        for c in checks:  # noqa: SIM110 - a loop costs half of all() over a generator here
            if not c(v):
                return False
        return True

    return check


def shared_required(value: list[Any], props: dict[str, Any]) -> Check:
    """``required`` for every direction at once: all names (plain schemas), all but ``readOnly`` ones
    (requests), all but ``writeOnly`` ones (responses)."""
    try:
        lists = [
            [n for n in value if not (isinstance(props.get(n), dict) and props[n].get(flag) is True)]
            for flag in ("readOnly", "writeOnly")
        ]
    except TypeError:  # an unhashable name: the directions' own compilers decide (as they always did)

        def unknown(v: Any) -> bool:
            raise DirectionMatters

        return unknown
    if all(len(names) == len(value) for names in lists):
        return required_names(value)
    variants = [value, *lists]

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        verdicts = {all(n in v for n in names) for names in variants}
        if len(verdicts) > 1:
            raise DirectionMatters
        return verdicts.pop()

    return check


def required_names(names: list[Any]) -> Check:
    """Every one of ``names`` is a key of an object (a set of strings is tested in one step)."""
    if all(type(n) is str for n in names):
        wanted = frozenset(names)
        return lambda v: not isinstance(v, dict) or v.keys() >= wanted
    return lambda v: not isinstance(v, dict) or all(n in v for n in names)


Builder = Callable[[Any, Any, dict[str, Any]], "Check | None"]


def combinator(keyword: str) -> Builder:
    def build(compiler: Compiling, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, list):
            return None
        subs = [compiler.compile(s) for s in value]
        if keyword == "allOf":
            return lambda v: all(c(v) for c in subs)
        if keyword == "anyOf":
            return lambda v: any(c(v) for c in subs)
        return lambda v: sum(1 for c in subs if c(v)) == 1

    return build


def numeric(keyword: str) -> Builder:
    def build(compiler: Compiling, limit: Any, schema: dict[str, Any]) -> Check | None:
        if not is_number(limit):
            return None
        if keyword in ("minimum", "maximum") and compiler.draft4:
            exclusive = schema.get(f"exclusive{keyword[0].upper()}{keyword[1:]}") is True
        else:
            exclusive = keyword.startswith("exclusive")
        low = "min" in keyword.lower()
        if low:
            return lambda v: not is_number(v) or (v > limit if exclusive else v >= limit)
        return lambda v: not is_number(v) or (v < limit if exclusive else v <= limit)

    return build


def sized(kind: type, low: bool) -> Builder:
    def build(compiler: Compiling, limit: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(limit, int) or isinstance(limit, bool):
            return None
        if low:
            return lambda v: not isinstance(v, kind) or len(v) >= limit  # type: ignore[arg-type]
        return lambda v: not isinstance(v, kind) or len(v) <= limit  # type: ignore[arg-type]

    return build
