"""Property: a random mutation of a valid spec never crashes any command (hypothesis, bounded and derandomized).

A mutation replaces a node with a value of another shape (null, a number, a misspelt type name, an invalid
regex, control characters...), deletes it or adds a key beside it. Whatever the result, every command ends with
exit 0, 1 or 2, never with "internal error", and no lint rule falls back to "could not evaluate".
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.cli import cli

VALID: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1.0"},
    "servers": [{"url": "https://api.test"}],
    "security": [],
    "tags": [{"name": "a", "description": "A"}],
    "paths": {
        "/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getA",
                "summary": "Get A",
                "tags": ["a"],
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer", "minimum": 1}, "example": 2}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/A"}, "example": {"n": "x"}}
                        },
                    },
                    "404": {"description": "no"},
                },
            },
            "post": {
                "operationId": "postA",
                "summary": "Post A",
                "tags": ["a"],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/A"},
                            "examples": {"one": {"value": {"n": "y"}}},
                        }
                    }
                },
                "responses": {"201": {"description": "ok"}, "400": {"description": "bad"}},
            },
        }
    },
    "components": {
        "schemas": {
            "A": {
                "type": "object",
                "required": ["n"],
                "properties": {
                    "n": {"type": "string", "minLength": 1, "pattern": "^[a-z]+$", "enum": ["x", "y"]},
                    "m": {"type": ["integer", "null"], "default": 3},
                },
                "example": {"n": "x"},
            }
        },
        "securitySchemes": {"k": {"type": "http", "scheme": "bearer"}},
    },
}

COMMANDS = [
    ["validate"],
    ["lint"],
    ["lint", "--format", "sarif"],
    ["bundle"],
    ["bundle", "--dereference"],
    ["postman", "-o", "-"],
    ["environment", "-o", "-"],
]
ODD_TEXT = ["objet", "nul", "a(b", "1", "", "string", "#/x", "/b", "x-y", "\u202e\n\x1b]0;x\x07", "[", "\\p{L}"]
KEYS = ["type", "$ref", "items", "properties", "enum", "example", "pattern", "minLength", "required", "name", "in"]


def _places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _places(child, (*path, key))


PLACES = [p for p in _places(VALID) if p]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=4),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    max_leaves=5,
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PLACES))
        parent: Any = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(VALUES)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent[path[-1]], dict):
                parent[path[-1]][draw(st.sampled_from(["summery", "type", "$ref", "x-a", "nullable"]))] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed or reshaped the way there
    return document


@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=mutated())
def test_no_mutation_of_a_valid_spec_crashes_any_command(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="atlas-mutant-") as folder:
        spec = Path(folder) / "openapi.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        for command in COMMANDS:
            result = CliRunner().invoke(cli, [*command, "--spec", str(spec)])
            shown = (command, json.dumps(document)[:2000], result.output[-2000:])
            assert result.exit_code in (0, 1, 2), shown
            assert "internal error" not in result.output, shown
            assert "could not evaluate" not in result.output, shown
