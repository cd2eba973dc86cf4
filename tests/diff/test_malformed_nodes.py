"""The diff runs on any description that bundles, valid or not: a node of the wrong type is read as absent.

Each case puts a value of another type where a comparison reads a map, a list, a name or a number (the places
where mutated APIs-guru specs crashed the diff engine); the diff must run both ways and ``diff X X`` stay empty.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from generators.diff import diff_documents
from generators.diff.render import render_github, render_json, render_markdown, render_text

TODAY = date(2026, 1, 1)
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "minLength": 1, "enum": ["a", "b"], "x-extensible-enum": ["a"]}},
    "discriminator": {"propertyName": "id", "mapping": {"a": "#/components/schemas/Task"}},
    "dependentRequired": {"id": ["name"]},
    "allOf": [{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}],
    "oneOf": [{"type": "object"}, {"type": "object", "required": ["id"]}],
}
DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1.0"},
    "tags": [{"name": "tasks"}],
    "servers": [{"url": "https://{region}.api.test", "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}}}],
    "paths": {
        "/tasks": {
            "post": {
                "operationId": "createTask",
                "tags": ["tasks"],
                "x-required-scopes": ["write"],
                "parameters": [{"name": "q", "in": "query", "content": {"application/json": {"schema": SCHEMA}}}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
                "responses": {
                    "201": {
                        "description": "ok",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {"Task": SCHEMA},
        "securitySchemes": {
            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {"write": "w"}}}}
        },
    },
}
OP = ("paths", "/tasks", "post")
TASK = ("components", "schemas", "Task")
WRONG = ["text", 7, True, ["a", ["b"], {"c": 1}], {"k": [1]}]
PLACES = [
    ("info",),
    ("tags",),
    ("tags", 0, "name"),
    ("servers", 0, "url"),
    ("servers", 0, "variables"),
    ("servers", 0, "variables", "region"),
    ("servers", 0, "variables", "region", "enum"),
    ("components", "securitySchemes", "oauth", "flows"),
    ("components", "securitySchemes", "oauth", "flows", "clientCredentials"),
    ("components", "securitySchemes", "oauth", "flows", "clientCredentials", "scopes"),
    (*OP, "tags"),
    (*OP, "x-required-scopes"),
    (*OP, "parameters"),
    (*OP, "parameters", 0, "content", "application/json"),
    (*OP, "requestBody", "content"),
    (*OP, "responses"),
    (*OP, "responses", "201", "headers"),
    (*OP, "responses", "201", "content"),
    (*TASK, "type"),
    (*TASK, "required"),
    (*TASK, "properties", "id", "minLength"),
    (*TASK, "properties", "id", "x-extensible-enum"),
    (*TASK, "discriminator", "mapping"),
    (*TASK, "dependentRequired", "id"),
    (*TASK, "allOf", 0, "properties"),
    (*TASK, "allOf", 0, "required"),
    (*TASK, "oneOf"),
]


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(DOC)
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = copy.deepcopy(value)
    return document


@pytest.mark.parametrize("path", PLACES, ids=["/".join(map(str, p[-3:])) for p in PLACES])
def test_a_node_of_the_wrong_type_is_read_as_absent(path: tuple[Any, ...]) -> None:
    for value in WRONG:
        mutant = _with(path, value)
        for base, revision in ((DOC, mutant), (mutant, DOC)):
            report = diff_documents(base, revision, today=TODAY)
            for render in (render_text, render_json, render_github, render_markdown):
                render(report)  # type: ignore[operator]
        assert diff_documents(mutant, copy.deepcopy(mutant), today=TODAY).changes == [], (path, value)


def test_the_strings_of_a_malformed_type_list_are_still_compared() -> None:
    mutant = _with((*TASK, "type"), ["string", 3])
    rules = {c.rule for c in diff_documents(DOC, mutant, today=TODAY).changes}
    assert "response-type-changed" in rules or "request-type-changed" in rules, rules
