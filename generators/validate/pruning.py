"""jsonschema validators that skip what a compiled check passes: the same errors, found where they are.

jsonschema evaluates every keyword of every subschema over the whole instance, which on a big document with
one error takes seconds (GitHub's description with one bad parameter: 6.7 s for the OpenAPI schema alone). A
compiled check (``fastcheck``) answers "is this instance valid against this subschema" many times faster, but
cannot word an error. A pruned validator asks it first at every (subschema, instance) pair jsonschema visits:
where it passes, jsonschema would find nothing there either (a valid instance fails no keyword), so the
keyword yields nothing, and a keyword descends only into the subschemas it does not pass (jsonschema would
build a validator for each); everywhere else jsonschema runs as usual. The errors, their paths, contexts and
order are jsonschema's own; only the time spent proving the rest valid goes. Lint's example checks (which
word an ``anyOf`` error, never its context) also ask for just the first error of each alternative.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator


class Passes:
    """Whether ``check(schema, instance)`` passes a (subschema, instance) pair; remembered per pair of nodes.

    A check that raises (a construct the compiled checks do not handle, a malformed schema) says "no": then
    jsonschema's keyword decides, as it would have anyway.
    """

    def __init__(self, check: Callable[[Any, Any], bool]) -> None:
        self._check = check
        # the nodes are kept in the values so that their ids are not reused while remembered
        self._seen: dict[tuple[int, int], tuple[Any, Any, bool]] = {}

    def __call__(self, schema: Any, instance: Any) -> bool:
        key = (id(schema), id(instance))
        seen = self._seen.get(key)
        if seen is None:
            try:
                passed = self._check(schema, instance) is True
            except Exception:  # noqa: BLE001 - unsupported or malformed: jsonschema's keyword decides
                passed = False
            seen = self._seen[key] = (schema, instance, passed)
        return seen[2]


class _Descending:
    """A validator as a pruned keyword sees it: ``descend`` yields nothing where ``passes`` holds for the pair.

    jsonschema descends into every subschema of a keyword (a new validator each time, with its own resolver),
    though a subschema the check passes yields no error: only the way to the errors needs jsonschema. With
    ``first``, a subschema is judged by its first error: for ``anyOf`` and ``oneOf``, where jsonschema collects
    every error of every failing alternative for the error's ``context``, one error already tells a failing
    alternative from a passing one (collecting them all walked every item of an example array against each
    alternative: pandascore.co's description, 0.6 MB, took 2.9 s to lint, 3x redocly's whole run).
    """

    __slots__ = ("_first", "_passes", "_validator")

    def __init__(self, validator: Any, passes: Passes, first: bool) -> None:
        self._validator, self._passes, self._first = validator, passes, first

    def descend(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        if self._passes(schema, instance):
            return iter(())
        errors = self._validator.descend(instance, schema, *args, **kwargs)
        return itertools.islice(errors, 1) if self._first else errors

    def __getattr__(self, name: str) -> Any:  # jsonschema's Validator protocol does not declare descend
        return getattr(self._validator, name)


def unless_passing(keyword: Any, passes: Passes, first: bool = False) -> Any:
    """``keyword`` (a jsonschema keyword function) yielding nothing where ``passes`` holds for the pair, and
    descending only where it does not; with ``first``, only into the first error of each subschema."""

    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        if passes(schema, instance):
            return None
        return keyword(_Descending(validator, passes, first), value, instance, schema)

    return check


def pruned(base: type[Validator], passes: Passes, first_error: Collection[str] = ()) -> type[Validator]:
    """``base``'s validator class whose keywords yield nothing where ``passes`` holds; the keywords named in
    ``first_error`` judge each subschema by its first error (their errors' ``context`` then holds only that)."""
    keywords = {name: unless_passing(keyword, passes, name in first_error) for name, keyword in base.VALIDATORS.items()}
    cls: type[Validator] = jsonschema.validators.extend(base, keywords)  # type: ignore[no-untyped-call]
    return cls
