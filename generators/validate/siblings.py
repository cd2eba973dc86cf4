"""Keys beside a ``$ref`` that OpenAPI says to ignore are not structural errors (the lint rule
``no-ref-siblings`` warns about them, as Redocly's ``spec-ref-siblings`` does).

A Reference Object "cannot be extended with additional properties and any properties added SHALL be ignored"
(3.0; 3.1 lets ``summary`` and ``description`` override the target's). Two checks read such keys anyway:

- openapi-spec-validator's OAS 3.1 schema closes its Reference Object (``unevaluatedProperties: false``), so
  ``{$ref: ..., required: true}`` as a parameter fails the document; the OAS 3.2 schema no longer does.
  ``open_reference_object`` opens it in a copy of that schema (``summary`` and ``description`` stay typed).
- OpenAPI 3.0 checks each Schema Object against draft 4's meta-schema, which knows nothing of ``$ref``: a
  property written ``{$ref: ..., required: true}`` fails on ``required``. In draft 4, as in OpenAPI 3.0, a
  schema with ``$ref`` is that reference alone; ``reference_only`` gives the meta-schema check that view.

In 3.1 a Schema Object's keys beside ``$ref`` are real keywords: they stay checked.
"""

from __future__ import annotations

from typing import Any

# draft 4: the keywords whose values are maps of schemas, and those whose values are a schema or a list of them
_MAPS = ("properties", "patternProperties", "definitions", "dependencies")
_SCHEMAS = ("allOf", "anyOf", "oneOf", "items", "additionalProperties", "additionalItems", "not")


def open_reference_object(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (an OAS 3.1 schema document) whose Reference Object allows keys beside ``$ref``; the same
    object when there is nothing to change, else a copy sharing every other definition."""
    definitions = schema.get("$defs")
    if not isinstance(definitions, dict):
        return schema
    reference = definitions.get("reference")
    if not isinstance(reference, dict) or "unevaluatedProperties" not in reference:
        return schema
    opened = {k: v for k, v in reference.items() if k != "unevaluatedProperties"}
    return {**schema, "$defs": {**definitions, "reference": opened}}


def reference_only(schema: Any) -> Any:
    """A draft 4 schema with every (sub)schema that has a ``$ref`` reduced to that ``$ref``: the schema itself
    when none has keys beside one (no copy), else a copy of the branches that change. Linear in its size."""
    if isinstance(schema, list):
        items = [reference_only(item) for item in schema]
        return schema if all(a is b for a, b in zip(items, schema, strict=True)) else items
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return schema if len(schema) == 1 else {"$ref": ref}
    changed: dict[str, Any] = {}
    for key in _MAPS:
        value = schema.get(key)
        if isinstance(value, dict):
            members = {name: reference_only(member) for name, member in value.items()}
            if any(members[name] is not member for name, member in value.items()):
                changed[key] = members
    for key in _SCHEMAS:
        value = schema.get(key)
        if isinstance(value, (dict, list)):
            reduced = reference_only(value)
            if reduced is not value:
                changed[key] = reduced
    return {**schema, **changed} if changed else schema
