"""JSON value semantics exactly as jsonschema applies them (types per draft, equality, uniqueness).

Both schema compilers (the fast structural check and the lint example check) test values with these.
"""

from __future__ import annotations

import itertools
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
    """jsonschema's ``uniqueItems`` test, quirks included.

    jsonschema sorts the items and compares neighbours (which can miss a duplicate: ``[[1], [true], [1]]`` passes)
    or, when they cannot be sorted (objects, such as parameter lists of ``$ref``), compares every pair: quadratic.
    The pairwise answer is the same as giving each item a hashable key that is equal exactly when jsonschema's
    ``equal`` says so (``true`` is not ``1``, ``1`` is ``1.0``); a value without such a key (NaN, or a type JSON
    has no name for) leaves the answer to jsonschema.
    """
    if all(type(item) is str for item in items):
        return len(set(items)) == len(items)
    try:
        ordered = sorted(_utils.unbool(item) for item in items)  # type: ignore[no-untyped-call]
    except (NotImplementedError, TypeError):
        pass
    else:
        return not any(_utils.equal(one, two) for one, two in itertools.pairwise(ordered))
    seen: set[Any] = set()
    try:
        for item in items:
            key = _key(item)
            if key in seen:
                return False
            seen.add(key)
    except _NoKey:
        return bool(_utils.uniq(items))
    return True


class _NoKey(Exception):
    pass


_BOOL, _NUMBER, _NULL, _LIST, _OBJECT = (object() for _ in range(5))


def _key(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return (_BOOL, value)
    if kind is int or (kind is float and value == value):
        return (_NUMBER, value)
    if value is None:
        return _NULL
    if kind is list:
        return (_LIST, tuple(_key(item) for item in value))
    if kind is dict:
        return (_OBJECT, frozenset((name, _key(item)) for name, item in value.items()))
    raise _NoKey
