"""JSON value semantics exactly as jsonschema applies them (types per draft, equality, uniqueness).

Both schema compilers (the fast structural check and the lint example check) test values with these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonschema import _utils

TypeTest = Callable[[Any], bool]


def is_number(value: Any) -> bool:
    """A JSON number: an int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_int_draft4(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_int_modern(value: Any) -> bool:
    # from draft 6 on, 1.0 is an integer (jsonschema's draft6+ type checker)
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


_TESTS: dict[str, TypeTest] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": is_number,
}


def type_test(name: str, draft4: bool) -> TypeTest:
    """The test of one JSON type name; ``KeyError`` for a name jsonschema does not know."""
    if name == "integer":
        return _is_int_draft4 if draft4 else _is_int_modern
    return _TESTS[name]


def equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: ``True`` is not ``1``, ``1`` is ``1.0``, containers compared member-wise."""
    return bool(_utils.equal(one, two))


def unique(items: list[Any]) -> bool:
    """jsonschema's ``uniqueItems`` test."""
    return bool(_utils.uniq(items))
