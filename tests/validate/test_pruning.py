"""A document with a few errors: the library words them, but proves the rest valid with the compiled checks.

Before, one bad parameter in GitHub's description sent the whole 13 MB through jsonschema twice (the OpenAPI
schema, then every Schema Object's meta-schema) and through the library's walk: 13 s where a clean one takes
0.3 s. The findings must stay the
library's own (``test_parity`` holds them equal on thousands of mutations); these tests hold the work down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator.validation import keywords

import generators.validate.pruning as pruning
from generators.bundle.bundler import bundle_spec
from generators.validate.structural import validate_bundle

ITEMS = 300


def document(bad_parameter: bool, bad_schema: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for i in range(ITEMS):
        schema = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
        paths[f"/things{i}/{{id}}"] = {
            "get": {
                "operationId": f"get{i}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
            }
        }
    if bad_parameter:  # breaks the OpenAPI schema
        paths["/things7/{id}"]["get"]["parameters"].append({"name": "b", "in": "body", "schema": {}})
    if bad_schema:  # breaks the Schema Object's meta-schema only
        paths["/things9/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["minLength"] = -1
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def bundled_document(tmp_path: Path, content: dict[str, Any]) -> Any:
    root = tmp_path / "api.json"
    root.write_bytes(orjson.dumps(content, option=orjson.OPT_INDENT_2))
    return bundle_spec(root)


@pytest.mark.parametrize(("bad_parameter", "bad_schema"), [(True, False), (False, True), (True, True)])
def test_only_the_failing_parts_go_through_jsonschema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_parameter: bool, bad_schema: bool
) -> None:
    bundled = bundled_document(tmp_path, document(bad_parameter, bad_schema))
    reference = validate_bundle(bundled, fast=False)
    assert len(reference) == bad_parameter + bad_schema

    keyword_runs = [0]  # jsonschema keywords evaluated in the check against the OpenAPI schema
    unless_passing = pruning.unless_passing

    def counting(keyword: Any, *args: Any, **kwargs: Any) -> Any:
        def run(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            keyword_runs[0] += 1
            return keyword(validator, value, instance, schema)

        return unless_passing(run, *args, **kwargs)

    meta_checks = [0]  # Schema Objects checked against their meta-schema by jsonschema
    check_schema = OAS30Validator.check_schema

    def counting_meta(schema: Any, *args: Any, **kwargs: Any) -> None:
        meta_checks[0] += 1
        check_schema(schema, *args, **kwargs)

    operations_walked = [0]  # operations the library itself walked (parameters, responses, their schemas)
    walk_operation = keywords.OperationValidator.__call__

    def counting_operations(self: Any, *args: Any, **kwargs: Any) -> Any:
        operations_walked[0] += 1
        return walk_operation(self, *args, **kwargs)

    monkeypatch.setattr(pruning, "unless_passing", counting)
    monkeypatch.setattr(OAS30Validator, "check_schema", counting_meta)
    monkeypatch.setattr(keywords.OperationValidator, "__call__", counting_operations)
    assert validate_bundle(bundled) == reference
    # unpruned, jsonschema runs tens of keywords per path item (thousands here), checks every schema's
    # meta-schema and walks every operation: here only the failing path items are walked
    assert 0 < keyword_runs[0] < 100
    assert meta_checks[0] == bad_schema
    assert operations_walked[0] == bad_schema  # a bad "in" is the OpenAPI schema's finding, not the walk's


def test_a_3_2_description_is_walked_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenAPI 3.2's Path Item check is the library's own (``query``, ``additionalOperations``): it is pruned too
    (GitHub's description as 3.2 with one error: 14.6 s to validate, 0.84 s pruned)."""
    content = document(bad_parameter=False, bad_schema=True)
    content["openapi"] = "3.2.0"
    for index, item in enumerate(content["paths"].values()):
        if index % 3 == 1:
            item["query"] = item.pop("get")
        elif index % 3 == 2:
            item["additionalOperations"] = {"COPY": item.pop("get")}
    bundled = bundled_document(tmp_path, content)
    reference = validate_bundle(bundled, fast=False)
    assert [d.json_path for d in reference] == [
        "/paths/~1things9~1{id}/get/responses/200/content/application~1json/schema/minLength"
    ]
    operations_walked = [0]
    walk_operation = keywords.OperationValidator.__call__

    def counting_operations(self: Any, *args: Any, **kwargs: Any) -> Any:
        operations_walked[0] += 1
        return walk_operation(self, *args, **kwargs)

    monkeypatch.setattr(keywords.OperationValidator, "__call__", counting_operations)
    assert validate_bundle(bundled) == reference
    assert operations_walked[0] == 1  # the failing one's; unpruned, all 300


@pytest.mark.parametrize("referenced", [True, False])
def test_what_the_skipped_walk_marked_counts_as_walked(tmp_path: Path, referenced: bool) -> None:
    """The library reports a schema's undefined ``required`` names only where it walks the schema first at the
    top (never again once visited): a skipped path item must mark what it visited, or a later walk would report
    what the library does not (or the other way round)."""
    content = document(bad_parameter=True, bad_schema=False)
    content["components"] = {
        "schemas": {
            "X": {"allOf": [{"type": "object"}], "required": ["missing"], "properties": {"a": {"type": "string"}}}
        }
    }
    if referenced:  # reached first below a property: walked without the required-names check, then visited
        response = content["paths"]["/things3/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        response["schema"]["properties"]["x"] = {"$ref": "#/components/schemas/X"}
    bundled = bundled_document(tmp_path, content)
    reference = validate_bundle(bundled, fast=False)
    assert validate_bundle(bundled) == reference
    assert any("'required' names properties" in d.message for d in reference) is not referenced
