"""Defaults that certainly fit their schemas, judged without openapi-spec-validator.

The library checks each default with openapi-schema-validator's ``OAS30Validator`` / ``OAS31Validator`` on the
schema's contents, references resolved in the document. For a schema that references nothing and declares no
base URI, anchor or dialect, that check needs no resolver: the same validator class, schema and format checker
here give the library's verdict. Only what passes here is settled; the rest (and any schema with a ``$ref``)
stays for the library, which words what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker, oas31_format_checker

# keys that make a schema depend on a resolver (or change its dialect or base URI): left to the library
_CONTEXTUAL = frozenset(
    {"$ref", "$dynamicRef", "$recursiveRef", "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$schema"}
)
_MAX_NODES = 500  # a bigger schema is left to the library (each default's schema is scanned whole)
_VALIDATORS = {"3.0": (OAS30Validator, oas30_format_checker), "3.1": (OAS31Validator, oas31_format_checker)}


def unsettled(version: str, defaults: list[tuple[Any, Any, Any]]) -> Iterator[tuple[Any, Any, Any]]:
    """The (path, default, schema) triples whose default may not fit its schema, in the order given."""
    validator_class, formats = _VALIDATORS[version]
    for entry in defaults:
        _, value, schema = entry
        if not _self_contained(schema) or not _fits(validator_class, formats, schema, value):
            yield entry


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
