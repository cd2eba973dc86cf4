"""Example validation honours the direction: a ``readOnly`` property may be missing from a request example, a
``writeOnly`` one from a response example, neither from a schema's own example (OpenAPI 3.0 and 3.1).

The compiled check is shared by every direction and hands such values to a direction's own check, and equal
(schema, example) pairs share their errors: these cases make sure neither mixes the directions up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document

SCHEMA = {
    "type": "object",
    "required": ["id", "title", "secret"],
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "title": {"type": "string"},
        "secret": {"type": "string", "writeOnly": True},
    },
}


def _document(version: str) -> dict[str, object]:
    no_id = {"title": "a", "secret": "s"}
    no_secret = {"id": 1, "title": "a"}

    def media(example: object) -> dict[str, object]:
        # the same example twice: inline, and as a named example (equal pairs are judged once, placed twice)
        return {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Task"},
                "example": example,
                "examples": {"again": {"value": example}},
            }
        }

    def operation(request: object, response: object) -> dict[str, object]:
        return {
            "operationId": f"op{id(request)}",
            "requestBody": {"content": media(request)},
            "responses": {"200": {"description": "ok", "content": media(response)}},
        }

    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/fine": {"post": operation(no_id, no_secret)},
            "/swapped": {"post": operation(no_secret, no_id)},
            "/neither": {"post": operation({"title": "a"}, {"title": "a"})},
        },
        "components": {"schemas": {"Task": {**SCHEMA, "example": no_id}}},
    }


def _findings(tmp_path: Path, version: str) -> list[tuple[str, str]]:
    root = tmp_path / "openapi.json"
    root.write_text(json.dumps(_document(version), indent=2), encoding="utf-8")
    bundled = bundle_spec(root)
    diagnostics = lint_document(bundled.document, LintConfig(), *fast_locators(bundled))
    return [(d.json_path or "", d.message) for d in diagnostics if "example" in d.code]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_read_only_and_write_only_properties_by_direction(tmp_path: Path, version: str) -> None:
    found = _findings(tmp_path, version)
    request = "request example is invalid: the value: 'secret' is a required property"
    response = "response example is invalid: the value: 'id' is a required property"
    schema = "schema example is invalid: the value: 'id' is a required property"
    swapped, neither = "/paths/~1swapped/post", "/paths/~1neither/post"
    assert sorted(found) == sorted(
        [
            (f"{swapped}/requestBody/content/application~1json/example", request),
            (f"{swapped}/requestBody/content/application~1json/examples/again/value", request),
            (f"{swapped}/responses/200/content/application~1json/example", response),
            (f"{swapped}/responses/200/content/application~1json/examples/again/value", response),
            ("/components/schemas/Task/example", schema),
            # an equal schema and an equal value in both directions: each direction has its own errors
            (f"{neither}/requestBody/content/application~1json/example", request),
            (f"{neither}/requestBody/content/application~1json/examples/again/value", request),
            (f"{neither}/responses/200/content/application~1json/example", response),
            (f"{neither}/responses/200/content/application~1json/examples/again/value", response),
        ]
    )


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_the_errors_kept_are_the_first_in_the_values_order(tmp_path: Path, version: str) -> None:
    """More errors than are reported (``MAX_ERRORS``) under ``additionalProperties``: the ones kept are the first
    in the example's own order. jsonschema walks those properties from a set, so which were kept followed the
    process's string hash seed, and the same spec linted twice could differ (Zuora's description did)."""
    names = [f"field{i:02d}" for i in range(12)]
    document = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Fields": {
                    "type": "object",
                    "additionalProperties": {"type": "object", "properties": {"origin": {"enum": ["custom"]}}},
                    "example": {name: {"origin": "system"} for name in names},
                }
            }
        },
    }
    root = tmp_path / "openapi.json"
    root.write_text(json.dumps(document), encoding="utf-8")
    bundled = bundle_spec(root)
    diagnostics = lint_document(bundled.document, LintConfig(), *fast_locators(bundled))
    kept = [d.json_path for d in diagnostics if d.code == "no-invalid-schema-examples"]
    assert kept == [f"/components/schemas/Fields/example/{name}/origin" for name in names[:3]]
