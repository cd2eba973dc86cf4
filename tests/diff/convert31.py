"""A mechanical OpenAPI 3.0 -> 3.1 conversion (same API, new spelling) for the no-false-positive test."""

from __future__ import annotations

from typing import Any

_SCHEMA_HOLDERS = {"schema", "items", "additionalProperties", "not"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf"}
_SCHEMA_MAPS = {"properties", "schemas"}


def convert(document: dict[str, Any]) -> dict[str, Any]:
    """``openapi: 3.1.0``, ``x-webhooks`` -> ``webhooks``, ``nullable`` -> type arrays (or an anyOf with null),
    boolean ``exclusiveMinimum``/``exclusiveMaximum`` -> numbers."""
    doc = _walk(document, schema=False)
    doc["openapi"] = "3.1.0"
    if "x-webhooks" in doc:
        doc["webhooks"] = doc.pop("x-webhooks")
    return doc


def _walk(node: Any, schema: bool) -> Any:
    if isinstance(node, list):
        return [_walk(v, schema) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("example", "examples", "default", "enum") and schema:
            out[key] = value
        elif key.startswith("x-") and key != "x-webhooks":
            out[key] = value  # extension payloads are opaque: a migration leaves them as they are
        elif key in _SCHEMA_HOLDERS and isinstance(value, dict):
            out[key] = _walk(value, schema=True)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_walk(v, schema=True) for v in value]
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: _walk(v, schema=True) for k, v in value.items()}
        else:
            out[key] = _walk(value, schema=False)
    return _schema_31(out) if schema else out


def _schema_31(schema: dict[str, Any]) -> dict[str, Any]:
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if schema.get(flag) is True and bound in schema:
            schema[flag] = schema.pop(bound)
        elif schema.get(flag) is False:
            del schema[flag]
    if schema.pop("nullable", False) is not True:
        return schema
    if isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    outer = {k: schema.pop(k) for k in ("description", "title") if k in schema}
    return {**outer, "anyOf": [schema, {"type": "null"}]}
