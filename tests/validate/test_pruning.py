"""A document with a few errors: the library words them, but proves the rest valid with the compiled checks.

Before, one bad parameter in GitHub's description sent the whole 13 MB through jsonschema twice (the OpenAPI
schema, then every Schema Object's meta-schema): 13 s where a clean one takes 0.3 s. The findings must stay the
library's own (``test_parity`` holds them equal on thousands of mutations); these tests hold the work down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from openapi_schema_validator import OAS30Validator

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

    def counting(keyword: Any, passes: pruning.Passes) -> Any:
        def run(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            keyword_runs[0] += 1
            return keyword(validator, value, instance, schema)

        return unless_passing(run, passes)

    meta_checks = [0]  # Schema Objects checked against their meta-schema by jsonschema
    check_schema = OAS30Validator.check_schema

    def counting_meta(schema: Any, *args: Any, **kwargs: Any) -> None:
        meta_checks[0] += 1
        check_schema(schema, *args, **kwargs)

    monkeypatch.setattr(pruning, "unless_passing", counting)
    monkeypatch.setattr(OAS30Validator, "check_schema", counting_meta)
    assert validate_bundle(bundled) == reference
    # unpruned, jsonschema runs tens of keywords per path item (thousands here) and checks every schema
    assert 0 < keyword_runs[0] < 100
    assert meta_checks[0] == bad_schema
