"""jsonschema validators that skip what a compiled check passes: the same errors, found where they are.

jsonschema evaluates every keyword of every subschema over the whole instance, which on a big document with
one error takes seconds (GitHub's description with one bad parameter: 6.7 s for the OpenAPI schema alone). A
compiled check (``fastcheck``) answers "is this instance valid against this subschema" many times faster, but
cannot word an error. A pruned validator asks it first at every (subschema, instance) pair jsonschema visits:
where it passes, jsonschema would find nothing there either (a valid instance fails no keyword), so the
keyword yields nothing; everywhere else jsonschema runs as usual. The errors, their paths, contexts and order
are jsonschema's own; only the time spent proving the rest valid goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def unless_passing(keyword: Any, passes: Passes) -> Any:
    """``keyword`` (a jsonschema keyword function), yielding nothing where ``passes`` holds for the pair."""

    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if passes(schema, instance):
            return
        errors = keyword(validator, value, instance, schema)
        if errors:
            yield from errors

    return check


def pruned(base: type[Validator], passes: Passes) -> type[Validator]:
    """``base``'s validator class whose keywords yield nothing where ``passes`` holds."""
    keywords = {name: unless_passing(keyword, passes) for name, keyword in base.VALIDATORS.items()}
    cls: type[Validator] = jsonschema.validators.extend(base, keywords)  # type: ignore[no-untyped-call]
    return cls
