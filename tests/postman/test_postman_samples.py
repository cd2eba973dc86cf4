"""The deterministic schema -> sample synthesiser, through its public ``SampleBuilder``."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generators.artefacts.params import path_style
from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.samples import SampleBuilder
from tests.postman.postman_harness import items, settings

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "required": ["name", "self"],
                "properties": {
                    "name": {"type": "string"},
                    "self": {"$ref": "#/components/schemas/Node"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "next": {"$ref": "#/components/schemas/Node"},
                },
            },
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "required": ["kind", "bark"], "properties": {"bark": {"type": "boolean"}}},
            "Audit": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "password": {"type": "string", "writeOnly": True, "minLength": 12},
                },
            },
        }
    }
}


def _sample(schema: dict[str, Any], direction: str = "request", use_examples: bool = True) -> Any:
    return SampleBuilder(DOC, direction, use_examples).sample(schema)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z"),
        ({"type": "string", "format": "uuid"}, "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ({"type": "string", "format": "email"}, "user@example.com"),
        ({"type": "string", "minLength": 10}, "stringxxxx"),
        ({"type": "string", "maxLength": 3}, "str"),
        ({"type": "string", "enum": ["b", "a"]}, "b"),
        ({"type": "string", "enum": [None, "x"], "nullable": True}, "x"),
        ({"type": "integer", "minimum": 5, "maximum": 9}, 5),
        ({"type": "integer", "exclusiveMinimum": 5}, 6),
        ({"type": "integer", "minimum": 5, "exclusiveMinimum": True}, 6),
        ({"type": "number", "maximum": -2}, -2),
        ({"type": "integer", "minimum": 1, "multipleOf": 5}, 5),
        ({"type": ["null", "boolean"]}, True),
        ({"type": "string", "default": "d", "example": "e"}, "e"),
        ({"type": "string", "examples": ["first", "second"]}, "first"),
        ({"const": 7}, 7),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 2}, [0, 0]),
        ({"oneOf": [{"type": "null"}, {"type": "integer"}]}, 0),
        ({"type": "string", "default": None}, "string"),
        ({"type": "string", "example": {"$ref": "examples.yml#/x"}}, "string"),
    ],
)
def test_scalars_and_explicit_values(schema: dict[str, Any], expected: Any) -> None:
    assert _sample(schema) == expected


def test_schema_mode_ignores_examples_but_keeps_defaults() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "example": "x"}, "b": {"default": 3}}}
    assert _sample(schema, use_examples=False) == {"a": "string", "b": 3}


def test_read_only_and_write_only() -> None:
    ref = {"$ref": "#/components/schemas/Audit"}
    assert _sample(ref, "request") == {"password": "stringxxxxxx"}
    assert _sample(ref, "response") == {"id": "string"}


def test_recursion_is_bounded_and_valid() -> None:
    node = {"$ref": "#/components/schemas/Node"}
    value = _sample(node)
    # Optional recursion (``next``) is left out, an array of itself stays empty, and a required one
    # (``self``, which no finite value can satisfy) is cut to the smallest value of its type.
    assert value == {"name": "string", "self": {}, "children": []}
    builder = SampleBuilder(DOC, "request")
    assert builder.sample(node) == builder.sample(node), "same input, same sample (cache included)"


def test_all_of_merges_and_fills_required() -> None:
    schema = {
        "allOf": [{"$ref": "#/components/schemas/Cat"}, {"properties": {"lives": {"type": "integer", "minimum": 9}}}],
        "required": ["lives", "undeclared"],
    }
    value = _sample(schema)
    assert value == {"kind": "string", "lives": 9, "undeclared": "string"}


def test_required_names_that_are_not_strings_are_skipped() -> None:
    # a $ref (a dict) among the names made the sampler fail with "unhashable type: 'dict'" (docs, postman)
    schema = {"type": "object", "required": [{"$ref": "#/x"}, 3, "b", "a"], "properties": {"a": {"type": "integer"}}}
    assert _sample(schema) == {"a": 0, "b": "string"}


@pytest.mark.parametrize("all_of", [True, 5, "x", {"type": "string"}])
def test_an_all_of_that_is_not_a_list_has_no_parts(all_of: Any) -> None:
    # 'bool' object is not iterable (docs, postman, mcp-tools on a mutated spec)
    assert _sample({"type": "object", "properties": {"a": {"type": "integer"}}, "allOf": all_of}) == {"a": 0}
    part = {"type": "object", "allOf": all_of, "properties": {"b": {"type": "boolean"}}}
    assert _sample({"type": "object", "required": ["b"], "allOf": [part]}) == {"b": True}


def test_required_that_is_not_a_list_inside_an_all_of_names_nothing() -> None:
    # 'bool' object is not iterable, from the properties collected through allOf
    part = {"type": "object", "required": True, "properties": {"a": {"type": "string"}}}
    schema = {"allOf": [part], "required": ["b"]}
    assert _sample(schema) == {"a": "string", "b": "string"}


def test_one_of_with_discriminator_sets_the_tag() -> None:
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
        "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog"}},
    }
    value = _sample(schema)
    assert value == {"bark": True, "kind": "dog"}
    jsonschema.validate(value, {"$ref": "#/components/schemas/Dog", **DOC})


def test_samples_share_values_that_no_later_step_changes() -> None:
    # samples are shared (cached components, the document's own examples): a discriminator tag, an allOf merge or
    # a required property must land in a new container, never in a sample or example used elsewhere
    doc: dict[str, Any] = {
        "components": {
            "schemas": {
                "Cat": {"type": "object", "properties": {"name": {"type": "string"}}, "example": {"name": "Tom"}},
                "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}},
                "Pet": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}],
                    "discriminator": {"propertyName": "petType"},
                },
                "Both": {"allOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}]},
                "Named": {"allOf": [{"$ref": "#/components/schemas/Dog"}], "required": ["id"]},
            }
        }
    }
    builder = SampleBuilder(doc, "response")
    cat, dog = {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}
    assert builder.sample(cat) == {"name": "Tom"}
    assert builder.sample(dog) == {"bark": True}
    assert builder.sample({"$ref": "#/components/schemas/Pet"}) == {"name": "Tom", "petType": "Cat"}
    assert builder.sample({"$ref": "#/components/schemas/Both"}) == {"bark": True, "name": "Tom"}
    assert builder.sample({"$ref": "#/components/schemas/Named"}) == {"bark": True, "id": "string"}
    assert builder.sample({"type": "array", "items": dog, "minItems": 2}) == [{"bark": True}, {"bark": True}]
    assert builder.sample(cat) == {"name": "Tom"}
    assert builder.sample(dog) == {"bark": True}
    assert doc["components"]["schemas"]["Cat"]["example"] == {"name": "Tom"}


# Bounds and steps at the edges of floats: the sample must be JSON (no inf, nan or an int too long to print) and
# inside the schema. Before: multipleOf 1e-320 gave inf (null in the collection), exclusiveMinimum 1e16 gave
# 1e16 itself, a 400-digit minimum or a minimum of inf (YAML .inf) raised OverflowError, 0.25 -> 0.30000000000000004.
@pytest.mark.parametrize(
    "schema",
    [
        {"type": "number", "multipleOf": 1e-320, "minimum": 0.5},
        {"type": "number", "multipleOf": 1e308, "minimum": 1},
        {"type": "number", "minimum": 1.7e308, "multipleOf": 3},
        {"type": "integer", "minimum": 1e308},
        {"type": "number", "exclusiveMinimum": 1e16},
        {"type": "integer", "exclusiveMinimum": 1e16},
        {"type": "integer", "maximum": -1e16, "exclusiveMaximum": True},
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        {"type": "number", "minimum": -float("inf"), "maximum": float("inf")},
        {"type": "integer", "minimum": 10**400},
        {"type": "number", "minimum": 0.25, "multipleOf": 0.1},
        {"type": "number", "minimum": 0.25, "maximum": 0.35, "multipleOf": 0.1},
        {"type": "integer", "multipleOf": 0.5, "minimum": 0.2},
        {"type": "number", "maximum": -1e308, "multipleOf": 1e307},
        {"type": "number", "minimum": 3, "exclusiveMinimum": 3},
    ],
)
def test_numbers_at_float_limits_are_json_and_fit(schema: dict[str, Any]) -> None:
    value = _sample(schema)
    json.loads(json.dumps(value, allow_nan=False))
    bounds = {k: v for k, v in schema.items() if k != "multipleOf"}
    assert jsonschema.Draft202012Validator(bounds).is_valid(value), value
    step = schema.get("multipleOf")
    if step is not None:  # a multiple as written in decimal (a validator's float quotient can overflow or round)
        assert Fraction(repr(value)) % Fraction(repr(step)) == 0, value


def test_a_float_step_prefers_a_value_validators_accept_as_a_multiple() -> None:
    schema = {"type": "number", "minimum": 0.25, "multipleOf": 0.1}  # 0.3 / 0.1 is 2.9999999999999996
    assert jsonschema.Draft202012Validator(schema).is_valid(_sample(schema))


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "number", "minimum": float("inf")},
        {"type": "number", "minimum": float("nan")},
        {"type": "integer", "minimum": 5, "maximum": 3},
        {"type": "integer", "minimum": 0.5, "maximum": 0.7},
        {"type": "integer", "minimum": 10**4000},
        {"type": "number", "multipleOf": float("inf"), "minimum": 1},
    ],
)
def test_numbers_no_value_fits_are_still_json_and_deterministic(schema: dict[str, Any]) -> None:
    value = _sample(schema)
    assert json.loads(json.dumps(value, allow_nan=False)) == _sample(schema)


@pytest.mark.parametrize(("length", "expected"), [(20, "string"), (50_000, "")])
def test_a_long_chain_of_refs_is_cut_not_recursed(length: int, expected: str) -> None:
    # before: a chain of 50,000 refs (S0 -> S1 -> ... -> a string) overflowed the recursion: postman and build
    # stopped with "the input is nested too deeply to process", without a place
    schemas: dict[str, Any] = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(length)}
    schemas[f"S{length}"] = {"type": "string"}
    document = {"components": {"schemas": schemas}}
    builder = SampleBuilder(document, "request")
    assert builder.sample({"$ref": "#/components/schemas/S0"}) == expected  # past the depth limit: cut, as before
    looped = {"components": {"schemas": {**schemas, f"S{length}": {"$ref": "#/components/schemas/S0"}}}}
    assert SampleBuilder(looped, "response").sample({"$ref": "#/components/schemas/S0"}) is None


# OpenAPI 3.0.3 4.7.12.4's style examples: color = "blue", ["blue", "black", "brown"], {R: 100, G: 200, B: 150}
_BLUE, _COLORS, _RGB = "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}


@pytest.mark.parametrize(
    ("style", "explode", "expected"),
    [
        ("simple", False, ("blue", "blue,black,brown", "R,100,G,200,B,150")),
        ("label", False, (".blue", ".blue,black,brown", ".R,100,G,200,B,150")),
        ("label", True, (".blue", ".blue.black.brown", ".R=100.G=200.B=150")),
        ("matrix", False, (";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150")),
        ("matrix", True, (";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150")),
    ],
)
def test_path_parameters_follow_their_style(style: str, explode: bool, expected: tuple[str, str, str]) -> None:
    # before: every path parameter was simple-style, so a matrix id reached the server as /items/5 for /items/;id=5
    param = {"name": "color", "in": "path", "style": style, "explode": explode}
    assert tuple(path_style(value, param) for value in (_BLUE, _COLORS, _RGB)) == expected


def test_a_matrix_path_parameter_reaches_the_postman_url(tmp_path: Path) -> None:
    param = {
        "name": "id",
        "in": "path",
        "required": True,
        "style": "matrix",
        "schema": {"type": "integer", "example": 5},
    }
    op = {"parameters": [param], "responses": {"204": {"description": "n"}}}
    spec = {"openapi": "3.0.3", "info": {"title": "M", "version": "1"}, "paths": {"/items/{id}": {"get": op}}}
    collection = json.loads(postman_collection.generate(spec, settings("m", tmp_path)).content)
    (request,) = [i["request"] for i in items(collection)]
    assert request["url"]["variable"][0]["value"] == ";id=5"
