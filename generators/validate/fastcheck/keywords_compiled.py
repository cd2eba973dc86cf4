"""Closure builders, one per JSON Schema keyword, each mirroring the jsonschema keyword function it replaces."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker

from generators.core.jsonvalues import TypeTest, equal, unique

Check = Callable[[Any], bool]
Search = Callable[[str], Any]
Evaluated = Callable[[dict[str, Any]], set[str]]


def always(instance: Any) -> bool:
    return True


def never(instance: Any) -> bool:
    return False


def no_keys(instance: dict[str, Any]) -> set[str]:
    return set()


def all_of_checks(checks: list[Check]) -> Check:
    """One check running ``checks`` in order (the common small arities unrolled)."""
    checks = [c for c in checks if c is not always]
    if not checks:
        return always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda instance: first(instance) and second(instance)
    if len(checks) == 3:
        a, b, c = checks
        return lambda instance: a(instance) and b(instance) and c(instance)
    frozen = tuple(checks)

    def every(instance: Any) -> bool:
        for check in frozen:  # noqa: SIM110 - a plain loop: all() over a generator costs twice as much here
            if not check(instance):
                return False
        return True

    return every


def searcher(pattern: str) -> Search:
    """``re.search`` of ``pattern``; the ubiquitous ``^x-`` is a plain prefix test."""
    if pattern == "^x-":
        return lambda key: key.startswith("x-")
    return re.compile(pattern).search


def type_check(tests: list[TypeTest]) -> Check:
    if len(tests) == 1:
        return tests[0]
    frozen = tuple(tests)
    return lambda instance: any(test(instance) for test in frozen)


def members(props: dict[str, Check], patterns: list[tuple[str, Check]], extra: Check | None) -> Check:
    """properties + patternProperties + additionalProperties in one pass over the object's members.

    A member schema that accepts anything (``{}``, ``true``) is never called: a property so described only
    counts as known, a pattern so described only exempts keys from ``additionalProperties``.
    """
    checked = {key: sub for key, sub in props.items() if sub is not always}
    known = frozenset(props)
    searches = tuple((searcher(p), c) for p, c in patterns if c is not always)
    joined = searcher("|".join(p for p, _ in patterns)) if patterns else None
    other = None if extra is always else extra
    if other is None and not searches:
        return _properties_only(checked)

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for key, value in instance.items():
            sub = checked.get(key)
            if sub is not None:
                if not sub(value):
                    return False
            elif other is not None and key not in known and (joined is None or not joined(key)) and not other(value):
                return False
            for search, pattern_sub in searches:
                if search(key) and not pattern_sub(value):
                    return False
        return True

    return check


def _properties_only(checked: dict[str, Check]) -> Check:
    if not checked:
        return always
    pairs = tuple(checked.items())

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        if len(instance) < len(pairs):
            for key, value in instance.items():
                sub = checked.get(key)
                if sub is not None and not sub(value):
                    return False
            return True
        for key, sub in pairs:  # noqa: SIM110 - as in all_of_checks
            if key in instance and not sub(instance[key]):
                return False
        return True

    return check


def required(names: list[Any]) -> Check:
    if len(names) == 1:
        name = names[0]
        return lambda instance: not isinstance(instance, dict) or name in instance
    frozen = tuple(names)

    def check(instance: Any) -> bool:
        if isinstance(instance, dict):
            for name in frozen:
                if name not in instance:
                    return False
        return True

    return check


def enum(values: list[Any]) -> Check:
    if all(isinstance(v, str) for v in values):
        allowed = frozenset(values)
        return lambda instance: isinstance(instance, str) and instance in allowed
    return lambda instance: any(equal(v, instance) for v in values)


def const(value: Any) -> Check:
    return lambda instance: equal(instance, value)


def items(sub: Check) -> Check:
    return lambda instance: not isinstance(instance, list) or all(sub(item) for item in instance)


def contains(sub: Check, minimum: int, maximum: int | None) -> Check:
    """``contains`` with its ``minContains`` and ``maxContains`` (2020-12), as jsonschema counts the matches."""

    def check(instance: Any) -> bool:
        if not isinstance(instance, list):
            return True
        matches = 0
        for item in instance:
            if sub(item):
                matches += 1
                if maximum is not None and matches > maximum:
                    return False
        return matches >= minimum

    return check


def combinator(name: str, subs: list[Check]) -> Check:
    frozen = tuple(subs)
    if name == "allOf":
        return all_of_checks(subs)
    if name == "anyOf":

        def any_of(instance: Any) -> bool:
            for sub in frozen:  # noqa: SIM110 - as in all_of_checks
                if sub(instance):
                    return True
            return False

        return any_of

    def one_of(instance: Any) -> bool:
        found = False
        for sub in frozen:
            if sub(instance):
                if found:
                    return False  # a second match: no need to try the rest
                found = True
        return found

    return one_of


def negate(sub: Check) -> Check:
    return lambda instance: not sub(instance)


def if_then_else(test: Check, then: Check | None, otherwise: Check | None) -> Check:
    def check(instance: Any) -> bool:
        if test(instance):
            return then is None or then(instance)
        return otherwise is None or otherwise(instance)

    return check


def dependent(subs: dict[str, Check]) -> Check:
    pairs = tuple(subs.items())

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        return all(sub(instance) for name, sub in pairs if name in instance)

    return check


def dependencies(deps: dict[str, list[Any] | Check]) -> Check:
    """Draft 4 ``dependencies``: a list names required siblings, a schema applies to the whole object."""
    pairs = tuple(deps.items())

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for name, dep in pairs:
            if name not in instance:
                continue
            if isinstance(dep, list):
                if not all(each in instance for each in dep):
                    return False
            elif not dep(instance):
                return False
        return True

    return check


def property_names(sub: Check) -> Check:
    return lambda instance: not isinstance(instance, dict) or all(sub(key) for key in instance)


def unevaluated(evaluated: Evaluated, sub: Check) -> Check:
    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        seen = evaluated(instance)
        return all(sub(value) for key, value in instance.items() if key not in seen)

    return check


def format_check(checker: FormatChecker, name: str) -> Check:
    return lambda instance: bool(checker.conforms(instance, name))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def simple(name: str, value: Any, schema: dict[str, Any], draft4: bool) -> Check | None:
    """Assertions on one scalar bound; None for a keyword not compiled here."""
    if name == "minItems":
        return lambda i: not isinstance(i, list) or len(i) >= value
    if name == "maxItems":
        return lambda i: not isinstance(i, list) or len(i) <= value
    if name == "minProperties":
        return lambda i: not isinstance(i, dict) or len(i) >= value
    if name == "maxProperties":
        return lambda i: not isinstance(i, dict) or len(i) <= value
    if name == "minLength":
        return lambda i: not isinstance(i, str) or len(i) >= value
    if name == "maxLength":
        return lambda i: not isinstance(i, str) or len(i) <= value
    if name == "uniqueItems":
        return (lambda i: not isinstance(i, list) or unique(i)) if value else always
    if name == "pattern":
        search = searcher(value)
        return lambda i: not isinstance(i, str) or search(i) is not None
    if name == "minimum":
        if draft4 and schema.get("exclusiveMinimum", False):
            return lambda i: not _number(i) or i > value
        return lambda i: not _number(i) or i >= value
    if name == "exclusiveMinimum" and not draft4:
        return lambda i: not _number(i) or i > value
    if name == "exclusiveMaximum" and not draft4:
        return lambda i: not _number(i) or i < value
    if name == "maximum":
        if draft4 and schema.get("exclusiveMaximum", False):
            return lambda i: not _number(i) or i < value
        return lambda i: not _number(i) or i <= value
    return None


# --- evaluated property names (for unevaluatedProperties) ----------------------------------------------------
def named_keys(names: frozenset[str]) -> Evaluated:
    return lambda instance: set(names & instance.keys())


def valid_keys(sub: Check) -> Evaluated:
    return lambda instance: {key for key, value in instance.items() if sub(value)}


def pattern_keys(searches: list[Search]) -> Evaluated:
    return lambda instance: {key for key in instance if any(search(key) for search in searches)}


def when_present(name: str, sub: Evaluated) -> Evaluated:
    return lambda instance: sub(instance) if name in instance else set()


def when_valid(test: Check, sub: Evaluated) -> Evaluated:
    return lambda instance: sub(instance) if test(instance) else set()


def conditional_keys(test: Check, when_true: Evaluated, when_false: Evaluated) -> Evaluated:
    return lambda instance: when_true(instance) if test(instance) else when_false(instance)


def union(parts: list[Evaluated]) -> Evaluated:
    if not parts:
        return no_keys
    if len(parts) == 1:
        return parts[0]
    frozen = tuple(parts)

    def collect(instance: dict[str, Any]) -> set[str]:
        result: set[str] = set()
        for part in frozen:
            result |= part(instance)
        return result

    return collect
