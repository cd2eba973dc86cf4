"""One schema pair per schema check: ``fires`` triggers it, ``quiet`` is a near miss that must not."""

from __future__ import annotations

from typing import Any

from generators.diff.rules import BOUND_KEYWORDS, SUBSCHEMA_KEYWORDS
from tests.diff.builders import NO_SCHEMA

S = {"type": "string"}
OBJ_AB = {"type": "object", "properties": {"a": S, "b": S}}
OBJ_A = {"type": "object", "properties": {"a": S}}
ONE_OF = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
PETS = {
    "schemas": {
        "Cat": {"type": "object", "properties": {"kind": S}},
        "Dog": {"type": "object", "properties": {"kind": S}},
        "Fox": {"type": "object", "properties": {"kind": S}},
    }
}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def _disc(mapping: dict[str, str] | None = None, prop: str = "kind") -> dict[str, Any]:
    d: dict[str, Any] = {"propertyName": prop}
    if mapping:
        d["mapping"] = {k: f"#/components/schemas/{v}" for k, v in mapping.items()}
    return {**ONE_OF, "discriminator": d}


# check -> (base, revision) that fires it, optionally (quiet base, quiet revision); default quiet is the swap.
CASES: dict[str, tuple[Any, ...]] = {
    "type-changed": (S, {"type": "boolean"}, {"type": "integer"}, {"type": "number"}),
    "type-widened": ({"type": "integer"}, {"type": "number"}),
    "type-narrowed": ({"type": "number"}, {"type": "integer"}),
    "format-changed": (
        {**S, "format": "date"},
        {**S, "format": "date-time"},
        {**S, "format": "date"},
        {**S, "format": "date", "description": "day"},
    ),
    "format-added": (S, {**S, "format": "email"}),
    "format-removed": ({**S, "format": "email"}, S),
    "enum-value-added": ({**S, "enum": ["a"]}, {**S, "enum": ["a", "b"]}),
    "enum-value-removed": ({**S, "enum": ["a", "b"]}, {**S, "enum": ["a"]}),
    "extensible-enum-value-added": (
        {**S, "x-extensible-enum": ["a"]},
        {**S, "x-extensible-enum": ["a", "b"]},
        {**S, "x-extensible-enum": ["a"]},
        {**S, "x-extensible-enum": ["a"]},
    ),
    "enum-added": (S, {**S, "enum": ["a"]}),
    "enum-removed": ({**S, "enum": ["a"]}, S),
    "nullable-added": (S, {"type": ["string", "null"]}),
    "nullable-removed": ({"type": ["string", "null"]}, S),
    "pattern-added": (S, {**S, "pattern": "^a"}),
    "pattern-changed": ({**S, "pattern": "^a"}, {**S, "pattern": "^b"}, {**S, "pattern": "^a"}, {**S, "pattern": "^a"}),
    "pattern-removed": ({**S, "pattern": "^a"}, S),
    "multiple-of-changed": (
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 2},
    ),
    "unique-items-added": ({"type": "array", "items": S}, {"type": "array", "items": S, "uniqueItems": True}),
    "unique-items-removed": ({"type": "array", "items": S, "uniqueItems": True}, {"type": "array", "items": S}),
    "default-changed": ({**S, "default": "a"}, {**S, "default": "b"}, {**S, "default": "a"}, {**S, "default": "a"}),
    "required-property-added": (OBJ_A, _obj({"a": S, "b": S}, ["b"]), OBJ_A, OBJ_AB),
    "optional-property-added": (OBJ_A, OBJ_AB, OBJ_A, _obj({"a": S, "b": S}, ["b"])),
    "property-removed": (OBJ_AB, OBJ_A, _obj({"a": S, "b": {**S, "deprecated": True}}), OBJ_A),
    "deprecated-property-removed": (_obj({"a": S, "b": {**S, "deprecated": True}}), OBJ_A, OBJ_AB, OBJ_A),
    "property-removed-before-sunset": (
        _obj({"a": S, "b": {**S, "deprecated": True, "x-sunset": "2999-01-01"}}),
        OBJ_A,
        _obj({"a": S, "b": {**S, "deprecated": True, "x-sunset": "2000-01-01"}}),
        OBJ_A,
    ),
    "property-became-required": (OBJ_AB, _obj({"a": S, "b": S}, ["a"])),
    "property-became-optional": (_obj({"a": S, "b": S}, ["a"]), OBJ_AB),
    "property-deprecated": (OBJ_A, _obj({"a": {**S, "deprecated": True}})),
    "property-became-read-only": (
        OBJ_AB,
        _obj({"a": S, "b": {**S, "readOnly": True}}),
        _obj({"a": S, "b": {**S, "readOnly": True}}),
        OBJ_AB,
    ),
    "property-became-write-only": (
        OBJ_AB,
        _obj({"a": S, "b": {**S, "writeOnly": True}}),
        _obj({"a": S, "b": {**S, "writeOnly": True}}),
        OBJ_AB,
    ),
    "additional-properties-narrowed": (OBJ_A, {**OBJ_A, "additionalProperties": False}),
    "additional-properties-widened": ({**OBJ_A, "additionalProperties": False}, OBJ_A),
    "one-of-added": ({"oneOf": [S]}, {"oneOf": [S, {"type": "integer"}]}),
    "one-of-removed": ({"oneOf": [S, {"type": "integer"}]}, {"oneOf": [S]}),
    "any-of-added": ({"anyOf": [S, {"type": "integer"}]}, {"anyOf": [S, {"type": "integer"}, {"type": "boolean"}]}),
    "any-of-removed": ({"anyOf": [S, {"type": "integer"}, {"type": "boolean"}]}, {"anyOf": [S, {"type": "integer"}]}),
    # Conflicting parts (two patterns: both apply, no one pattern says that) cannot be merged, so the split is
    # compared part by part. (Two bounds do merge: the tighter one holds.)
    "all-of-added": (
        {"allOf": [{"pattern": "^a"}, {"pattern": "b$"}]},
        {"allOf": [{"pattern": "^a"}, {"pattern": "b$"}, {"maximum": 9}]},
    ),
    "all-of-removed": (
        {"allOf": [{"pattern": "^a"}, {"pattern": "b$"}, {"maximum": 9}]},
        {"allOf": [{"pattern": "^a"}, {"pattern": "b$"}]},
    ),
    "discriminator-added": (ONE_OF, _disc()),
    "discriminator-removed": (_disc(), ONE_OF),
    "discriminator-property-changed": (_disc(), _disc(prop="type"), _disc(), _disc()),
    "discriminator-mapping-added": (_disc({"cat": "Cat"}), _disc({"cat": "Cat", "dog": "Dog"})),
    "discriminator-mapping-removed": (_disc({"cat": "Cat", "dog": "Dog"}), _disc({"cat": "Cat"})),
    "discriminator-mapping-changed": (
        _disc({"cat": "Cat"}),
        _disc({"cat": "Fox"}),
        _disc({"cat": "Cat"}),
        _disc({"cat": "Cat"}),
    ),
    "schema-added": (NO_SCHEMA, S, S, {**S, "description": "d"}),
    "schema-removed": (S, NO_SCHEMA, S, {**S, "description": "d"}),
    "wrapped-in-one-of": (OBJ_A, {"oneOf": [OBJ_A, OBJ_AB]}, {"oneOf": [OBJ_A]}, {"oneOf": [OBJ_A, OBJ_AB]}),
    # A readOnly property leaving the response-only world: required, clients must now send it.
    "property-became-not-read-only": (
        _obj({"a": S, "b": {**S, "readOnly": True}}, ["b"]),
        _obj({"a": S, "b": S}, ["b"]),
        _obj({"a": S, "b": {**S, "readOnly": True}}, ["b"]),
        _obj({"a": S, "b": {**S, "readOnly": True, "description": "d"}}, ["b"]),
    ),
    "property-became-not-write-only": (
        _obj({"a": S, "b": {**S, "writeOnly": True}}),
        OBJ_AB,
        OBJ_AB,
        _obj({"a": S, "b": {**S, "writeOnly": True}}),
    ),
    "dependent-required-added": (
        {**OBJ_AB, "dependentRequired": {"a": []}},
        {**OBJ_AB, "dependentRequired": {"a": ["b"]}},
    ),
    "dependent-required-removed": (
        {**OBJ_AB, "dependentRequired": {"a": ["b"]}},
        {**OBJ_AB, "dependentRequired": {"a": []}},
    ),
    "content-media-type-added": (S, {**S, "contentMediaType": "image/png"}),
    "content-media-type-removed": ({**S, "contentMediaType": "image/png"}, S),
    "content-media-type-changed": (
        {**S, "contentMediaType": "image/png"},
        {**S, "contentMediaType": "image/gif"},
        {**S, "contentMediaType": "image/png"},
        {**S, "contentMediaType": "image/png", "contentEncoding": "base64"},
    ),
    "content-encoding-added": (S, {**S, "contentEncoding": "base64"}),
    "content-encoding-removed": ({**S, "contentEncoding": "base64"}, S),
    "content-encoding-changed": (
        {**S, "contentEncoding": "base64"},
        {**S, "contentEncoding": "base32"},
        {**S, "contentEncoding": "base64"},
        {**S, "contentEncoding": "base64", "contentMediaType": "image/png"},
    ),
    "prefix-items-added": (
        {"type": "array", "prefixItems": [S]},
        {"type": "array", "prefixItems": [S, S]},
        {"type": "array", "prefixItems": [S]},
        {"type": "array", "prefixItems": [{**S, "description": "d"}]},
    ),
    "prefix-items-removed": (
        {"type": "array", "prefixItems": [S, S]},
        {"type": "array", "prefixItems": [S]},
        {"type": "array", "prefixItems": [S]},
        {"type": "array", "prefixItems": [{**S, "description": "d"}]},
    ),
}

# Subschema keywords: adding one (or one entry of a map of them) fires -added; the quiet case only edits its text.
_SUBSCHEMA_VALUE = {"type": "object", "properties": {"a": S}}
for _stem, _keyword, _mapped in SUBSCHEMA_KEYWORDS:
    _one = {"^x-": _SUBSCHEMA_VALUE} if _mapped else _SUBSCHEMA_VALUE
    _edited = {"^x-": {**_SUBSCHEMA_VALUE, "title": "t"}} if _mapped else {**_SUBSCHEMA_VALUE, "title": "t"}
    _with, _edit = {**OBJ_A, _keyword: _one}, {**OBJ_A, _keyword: _edited}
    CASES[f"{_stem}-added"] = (OBJ_A, _with, _with, _edit)
    CASES[f"{_stem}-removed"] = (_with, OBJ_A, _with, _edit)

_CARRIER = {
    "maximum": "number",
    "minimum": "number",
    "maxLength": "string",
    "minLength": "string",
    "maxItems": "array",
    "minItems": "array",
    "maxProperties": "object",
    "minProperties": "object",
    "maxContains": "array",
    "minContains": "array",
}


def _bounded(keyword: str, value: int | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": _CARRIER[keyword]}
    if _CARRIER[keyword] == "array":
        schema["items"] = S
    if keyword.endswith("Contains"):
        schema["contains"] = {"const": "x"}
    if value is not None:
        schema[keyword] = value
    return schema


for _short, _keyword in BOUND_KEYWORDS.items():
    _tight, _loose = (5, 10) if _short.startswith("max") else (10, 5)
    _tighter, _looser = ("decreased", "increased") if _short.startswith("max") else ("increased", "decreased")
    CASES[f"{_short}-{_tighter}"] = (_bounded(_keyword, _loose), _bounded(_keyword, _tight))
    CASES[f"{_short}-{_looser}"] = (_bounded(_keyword, _tight), _bounded(_keyword, _loose))
    CASES[f"{_short}-added"] = (_bounded(_keyword, None), _bounded(_keyword, _tight))
    CASES[f"{_short}-removed"] = (_bounded(_keyword, _tight), _bounded(_keyword, None))


def pair(check: str, quiet: bool) -> tuple[Any, Any]:
    """The (base, revision) schemas of a check's firing or quiet case."""
    case = CASES[check]
    if not quiet:
        return case[0], case[1]
    return (case[2], case[3]) if len(case) == 4 else (case[1], case[0])
