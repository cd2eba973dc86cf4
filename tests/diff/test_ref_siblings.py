"""A ``$ref`` with keywords beside it (OpenAPI 3.1 / JSON Schema 2020-12) means its target with those keywords.

Moving an inline schema into a component while keeping its ``default`` beside the reference changes nothing; a
keyword beside the reference changing is judged by the rule for that keyword, not as an unexplained change.
OpenAPI 3.0 says such keywords are ignored, and the diff reads them so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from generators.diff import diff_documents

TODAY = date(2025, 6, 1)
LIMIT_REF = "#/components/schemas/Limit"


def _doc(schema: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    parameter = {"name": "limit", "in": "query", "schema": schema}
    return {
        "openapi": version,
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {
            "/items": {
                "get": {"operationId": "list", "parameters": [parameter], "responses": {"200": {"description": "ok"}}}
            }
        },
        "components": {"schemas": {"Limit": {"type": "integer", "maximum": 100}}},
    }


def _verdicts(base: dict[str, Any], revision: dict[str, Any]) -> dict[str, str]:
    return {c.rule: c.level.value for c in diff_documents(base, revision, today=TODAY).changes}


INLINE = {"type": "integer", "default": 10, "maximum": 100}


@pytest.mark.parametrize(
    ("base", "revision", "expected"),
    [
        # an inline schema moved into a component, its default kept beside the reference: no change at all
        (INLINE, {"$ref": LIMIT_REF, "default": 10}, {}),
        # the default beside the reference changed: the default rule, not "other-change"
        (
            {"$ref": LIMIT_REF, "default": 10},
            {"$ref": LIMIT_REF, "default": 20},
            {"request-parameter-default-changed": "breaking"},
        ),
        # the default beside the reference dropped
        ({"$ref": LIMIT_REF, "default": 10}, {"$ref": LIMIT_REF}, {"request-parameter-default-removed": "warning"}),
        # a bound beside the reference applies with the target's: the tighter one counts
        (INLINE, {"$ref": LIMIT_REF, "maximum": 50, "default": 10}, {"request-max-decreased": "breaking"}),
        ({"$ref": LIMIT_REF, "maximum": 50}, {"$ref": LIMIT_REF, "maximum": 40}, {"request-max-decreased": "breaking"}),
        # near miss: a looser bound beside the reference changes nothing (the target's 100 still holds)
        ({"$ref": LIMIT_REF}, {"$ref": LIMIT_REF, "maximum": 500}, {}),
    ],
)
def test_keywords_beside_a_reference(base: Any, revision: Any, expected: dict[str, str]) -> None:
    assert _verdicts(_doc(base), _doc(revision)) == expected


def test_openapi_30_reads_them_as_dereferencing_does() -> None:
    # 3.0 says to ignore them; tools (and `bundle --dereference`) keep them, so the diff reads them too
    assert _verdicts(_doc(INLINE, "3.0.3"), _doc({"$ref": LIMIT_REF, "default": 10}, "3.0.3")) == {}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_dereferenced_document_is_no_change(version: str) -> None:
    """``diff X (bundle --dereference X)`` is empty: references with keywords beside them, and alternatives
    written as references on one side and inline on the other (seen on real 3.0 descriptions: graphhopper.com,
    bbc.com, googleapis.com)."""
    from generators.bundle.dereference import dereference_document

    base = _doc({"$ref": LIMIT_REF, "description": "page size", "nullable": True}, version)
    schemas = base["components"]["schemas"]
    schemas["Point"] = {"type": "object", "properties": {"x": {"type": "number"}}}
    schemas["Line"] = {"type": "string", "description": "encoded"}
    schemas["Shape"] = {
        "allOf": [
            {"description": "a shape"},
            {"anyOf": [{"$ref": "#/components/schemas/Point"}, {"$ref": "#/components/schemas/Line"}]},
        ]
    }
    base["paths"]["/items"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Shape", "description": "the shape"}}
    }
    assert _verdicts(base, dereference_document(base)) == {}


INT, STR = {"type": "integer"}, {"type": "string"}


@pytest.mark.parametrize(
    ("base", "revision", "expected"),
    [
        # both parts' bounds apply: the tighter one is the schema's bound, an equivalent spelling
        (INT | {"allOf": [{"minimum": 1}, {"minimum": 2}]}, INT | {"minimum": 2}, {}),
        (STR | {"allOf": [{"maxLength": 9}, {"maxLength": 5}]}, STR | {"maxLength": 5}, {}),
        # near miss: the merged bound is tighter than the new one: a real relaxation
        (INT | {"allOf": [{"minimum": 1}, {"minimum": 2}]}, INT | {"minimum": 1}, {"request-min-decreased": "info"}),
    ],
)
def test_all_of_bounds_merge_to_the_tighter(base: Any, revision: Any, expected: dict[str, str]) -> None:
    assert _verdicts(_doc(base), _doc(revision)) == expected
