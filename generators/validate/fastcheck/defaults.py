"""Defaults judged without openapi-spec-validator.

The library checks each default with openapi-schema-validator's ``OAS30Validator`` / ``OAS31Validator`` on the
schema's contents, references resolved in the document. For a schema that references nothing and declares no
base URI, anchor or dialect, that check needs no resolver: the same validator class, schema and format checker
here give the library's verdict, and its errors (``default_errors``). A default in any other schema (one with a
``$ref``) stays for the library.

Most defaults sit in flat schemas (``{type: boolean, default: false}``: 970 of GitHub's 973) whose keywords mean
the same in both validator classes; ``_plainly_fits`` settles those without importing openapi-schema-validator
(and the pydantic it imports: 0.09 s), and says "fits" only where both classes certainly say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError

import generators.core.regex_guard as regex_guard
from generators.validate.fastcheck.resources import schema_validators
from generators.validate.placing import DEFAULT_MARK

# keys that make a schema depend on a resolver (or change its dialect or base URI): left to the library
_CONTEXTUAL = frozenset(
    {"$ref", "$dynamicRef", "$recursiveRef", "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$schema"}
)
_MAX_NODES = 500  # a bigger schema is left to the library (each default's schema is scanned whole)
# keywords neither validator class asserts anything with ("nullable" only about None, which is left to them)
_INERT = frozenset({"default", "description", "title", "example", "deprecated", "readOnly", "writeOnly", "nullable"})
# the JSON types a default of each Python type certainly has, in both type checkers (3.1's also calls 1.0 an
# integer: such a default is left to the library)
_TYPES = {bool: ("boolean",), str: ("string",), int: ("integer", "number"), float: ("number",)}
_TYPE_NAMES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
# formats openapi-schema-validator's checkers check its own way; any other is jsonschema's (or unchecked)
_OAS_FORMATS = frozenset({"int32", "int64", "float", "double", "binary", "byte", "password", "regex"})


def unsettled(version: str, defaults: list[tuple[Any, Any, Any]]) -> Iterator[tuple[Any, Any, Any]]:
    """The (path, default, schema) triples whose default may not fit its schema, in the order given."""
    judge = None
    for entry in defaults:
        _, value, schema = entry
        if _plainly_fits(version, schema, value):
            continue
        if not _self_contained(schema):
            yield entry
            continue
        judge = judge or _library_judge(version)  # imported only for a default judged here
        if not _fits(*judge, schema, value):
            yield entry


def default_errors(version: str, defaults: list[tuple[Any, Any, Any]]) -> list[ValidationError] | None:
    """The errors openapi-spec-validator reports for these (path, default, schema) triples, tagged as its walk
    tags them (``patches``); None when one of the schemas is not self-contained (only the library can tell)."""
    if not all(_self_contained(schema) for _, _, schema in defaults):
        return None
    validator_class, formats = _library_judge(version)
    errors: list[ValidationError] = []
    for parts, value, schema in defaults:
        try:
            found = list(validator_class(schema, format_checker=formats).iter_errors(value))
        except Exception:  # noqa: BLE001 - the library reports such a failure its own way
            return None
        for error in found:
            error.path.extendleft(reversed([*map(str, parts), "default"]))
            error.schema_path.appendleft(DEFAULT_MARK)
        errors.extend(found)
    return errors


def _library_judge(version: str) -> tuple[Any, Any]:
    validators = schema_validators()  # the library's classes, without the pydantic its package imports
    regex_guard.install()  # now that its format checkers are loaded: their `regex` is ECMA-262, as in the library
    judge = {"3.0": validators.OAS30Validator, "3.2": validators.OAS32Validator}.get(version, validators.OAS31Validator)
    return judge, judge.FORMAT_CHECKER  # the class's own checker: oas30_format_checker, oas31_format_checker ...


def _plainly_fits(version: str, schema: Any, value: Any) -> bool:
    """True only when ``value`` fits ``schema`` in openapi-schema-validator's eyes (False: not known here).

    Only a scalar default is judged, against a schema whose keywords are all inert or among ``type``, ``enum``,
    ``minimum``, ``maximum``, ``minLength``, ``maxLength`` and a ``format`` no checker knows; each is judged as
    jsonschema's keyword function (the same in both classes for these keywords) judges it.
    """
    kinds = _TYPES.get(type(value))
    if kinds is None or not isinstance(schema, dict):
        return False
    for key, bound in schema.items():
        if not isinstance(key, str):
            return False
        if not (key in _INERT or key.startswith("x-") or _keyword_fits(version, key, bound, value, kinds)):
            return False
    return True


def _keyword_fits(version: str, key: str, bound: Any, value: Any, kinds: tuple[str, ...]) -> bool:
    if key == "type":
        return bound in kinds if isinstance(bound, str) else _fits_type_list(version, bound, kinds)
    if key == "enum":  # jsonschema's ``equal`` on two values of one scalar type is ``==``
        return isinstance(bound, list) and any(type(each) is type(value) and each == value for each in bound)
    if key in ("minimum", "maximum"):  # no exclusive* sibling (not inert): the same test in 3.0 and 3.1
        if type(bound) not in (int, float):
            return False
        return type(value) not in (int, float) or (value >= bound if key == "minimum" else value <= bound)
    if key in ("minLength", "maxLength"):
        if type(bound) is not int or bound < 0:
            return False
        return not isinstance(value, str) or (len(value) >= bound if key == "minLength" else len(value) <= bound)
    if key == "format":  # a name no checker has is not checked (``FormatChecker.check`` returns)
        return isinstance(bound, str) and bound not in _OAS_FORMATS and bound not in FormatChecker.checkers
    return False


def _fits_type_list(version: str, bound: Any, kinds: tuple[str, ...]) -> bool:
    # 3.1 (2020-12) accepts a list of types; an unknown name anywhere makes the library raise, so none is allowed
    if version == "3.0" or not isinstance(bound, list) or not all(isinstance(k, str) for k in bound):
        return False
    return _TYPE_NAMES.issuperset(bound) and any(k in kinds for k in bound)


def _fits(validator_class: Any, formats: Any, schema: dict[str, Any], value: Any) -> bool:
    try:
        return bool(validator_class(schema, format_checker=formats).is_valid(value))
    except Exception:  # noqa: BLE001 - whatever fails here is the library's to report, in its words
        return False


def _self_contained(schema: Any) -> bool:
    """True when nothing in ``schema`` refers outside it (conservatively: such keys anywhere, even in values)."""
    stack, seen = [schema], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > _MAX_NODES:
            return False
        if isinstance(node, dict):
            if not _CONTEXTUAL.isdisjoint(node):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return isinstance(schema, dict)
