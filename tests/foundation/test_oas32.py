"""OpenAPI 3.2 in every layer: the ``query`` operation, ``additionalOperations`` (any other method, keyed as the
request sends it), ``itemSchema`` (the schema of each item of JSON Lines or server-sent events) and media types
written as ``$ref``s to ``components/mediaTypes``.

Before, every layer iterated the eight 3.0 methods only: such operations were missing from the lint run, the
Postman collection, the code samples and the MCP tools, and their removal was a patch-level ``other-change``.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.docs.code_samples import CodeSamples
from generators.artefacts.mcp_tools import catalogue
from generators.artefacts.operation_facts import operation_facts
from generators.artefacts.postman import collection as postman_collection
from generators.bundle.bundler import bundle_spec
from generators.core.operations import document_operations, http_method, method_segments, operations_of
from generators.core.settings import Settings, load_settings
from generators.diff import diff_documents
from generators.lint import lint_bundle
from generators.serve.focus import focus_document, operations
from generators.validate.structural import validate_bundle
from tests.postman.postman_harness import items
from tests.support import cli, make_tree


def _tree(tmp_path: Path, rest: str, files: dict[str, str] | None = None) -> Path:
    """A 3.2 ``openapi.yaml`` under ``tmp_path`` (its two header lines, then ``rest``), and ``files`` beside it."""
    head = "openapi: 3.2.0\ninfo: {title: T, version: '1.0'}\n"
    return make_tree(tmp_path, {"openapi.yaml": head + textwrap.dedent(rest).lstrip("\n"), **(files or {})})


def _ok(content: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"200": {"description": "ok", **({"content": content} if content else {})}}


# OpenAPI 3.2: the whole query string as one parameter, written by its media type
FORM = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "example": "Rex"},
        "tag": {"type": "array", "items": {"type": "string", "example": "a"}},
    },
}
FILTER = {
    "name": "filter",
    "in": "querystring",
    "required": True,
    "content": {"application/x-www-form-urlencoded": {"schema": FORM}},
}


def spec() -> dict[str, Any]:
    pet = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    return {
        "openapi": "3.2.0",
        "info": {"title": "Pets", "version": "1.0.0"},
        "servers": [{"url": "https://api.pets.test"}],
        "paths": {
            "/pets": {
                "get": {"operationId": "listPets", "parameters": [FILTER], "responses": _ok()},
                "query": {
                    "operationId": "searchPets",
                    "tags": ["pets"],
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    "responses": _ok({"application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Pet"}}}),
                },
                "additionalOperations": {
                    "COPY": {
                        "operationId": "copyPets",
                        "responses": _ok({"application/json": {"$ref": "#/components/mediaTypes/PetList"}}),
                    },
                    "get": {"operationId": "notAnOperation", "responses": _ok()},  # the field's name: left out
                    "NOT A METHOD": {"operationId": "neither", "responses": _ok()},  # not a token: left out
                },
            }
        },
        "components": {
            "schemas": {"Pet": pet},
            "mediaTypes": {
                "PetList": {
                    "schema": {
                        "type": "object",
                        "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}},
                    }
                }
            },
        },
    }


def test_operations_are_the_fields_then_the_additional_ones() -> None:
    item = spec()["paths"]["/pets"]
    assert [method for method, _ in operations_of(item)] == ["get", "query", "COPY"]
    assert method_segments("query") == ("query",)
    assert method_segments("COPY") == ("additionalOperations", "COPY")
    assert [http_method(m) for m in ("query", "COPY", "Purge")] == ["QUERY", "COPY", "Purge"]


def test_lint_sees_query_and_additional_operations_where_they_are_written(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        """
            servers: [{url: 'https://api.test'}]
            security: []
            paths:
              /a:
                query:
                  operationId: searchA
                  responses:
                    '200': {description: ok}
                additionalOperations:
                  PURGE:
                    operationId: purgeA
                    responses:
                      '204': {description: gone}
        """,
    )
    found = lint_bundle(bundle_spec(root), load_settings(root))
    summaries = [(d.message, d.location.line if d.location else None) for d in found if d.code == "operation-summary"]
    assert summaries == [("QUERY /a has no summary", 7), ("PURGE /a has no summary", 12)]


def test_bundling_hoists_what_3_2_objects_refer_to(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        """
            paths:
              /a:
                query:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/jsonl:
                          itemSchema: {$ref: './Pet.yaml'}
                additionalOperations:
                  COPY:
                    parameters:
                      - $ref: './params.yaml#/Destination'
                    responses:
                      '201': {description: copied}
        """,
        {
            "Pet.yaml": "type: object\n",
            "params.yaml": "Destination: {name: Destination, in: header, schema: {type: string}}\n",
        },
    )
    document = bundle_spec(root).document
    item = document["paths"]["/a"]
    assert item["query"]["responses"]["200"]["content"]["application/jsonl"]["itemSchema"] == {
        "$ref": "#/components/schemas/Pet"
    }
    assert item["additionalOperations"]["COPY"]["parameters"] == [
        {"$ref": "#/components/parameters/params_Destination"}
    ]


def _requests(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The collection's requests by name, folders flattened."""
    settings = Settings(spec=tmp_path / "openapi.yaml", out_dir=tmp_path, project_dir=tmp_path)
    collection = json.loads(postman_collection.generate(spec(), settings).content)
    return {item["name"]: item for item in items(collection)}


def test_postman_sends_every_method_with_samples_of_items_and_referenced_media_types(tmp_path: Path) -> None:
    requests = _requests(tmp_path)
    assert {name: item["request"]["method"] for name, item in requests.items()} == {
        "listPets": "GET",
        "searchPets": "QUERY",
        "copyPets": "COPY",
    }
    assert requests["searchPets"]["response"][0]["body"] == '{"id":0}\n'  # one JSON line of the item schema
    assert requests["listPets"]["request"]["url"]["raw"] == "{{baseUrl}}/pets?name=Rex&tag=a"
    assert json.loads(requests["copyPets"]["response"][0]["body"]) == {"pets": [{"id": 0}]}  # the $ref'd one


def test_mcp_tools_cover_every_method() -> None:
    document = spec()
    tools = {tool["name"]: tool for tool in catalogue(document)["tools"]}
    assert list(tools) == ["listPets", "searchPets", "copyPets"]
    assert tools["searchPets"]["annotations"]["readOnlyHint"] is True  # QUERY is safe
    assert tools["copyPets"]["annotations"]["readOnlyHint"] is False
    assert tools["copyPets"]["_meta"]["atlas-spec/operation"]["method"] == "COPY"
    assert list(tools["copyPets"]["outputSchema"]["properties"]) == ["pets"]  # read through the media type $ref


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_an_additional_method_reaches_curl_as_one_quoted_word(tmp_path: Path) -> None:
    document = spec()
    item = document["paths"]["/pets"]
    item["additionalOperations"] = {"X|touch": item["additionalOperations"]["COPY"]}  # a valid method token
    builder = CodeSamples(document, "TOKEN")
    ((path, method, op, owner),) = [o for o in document_operations(document) if o[1] == "X|touch"]
    (curl,) = [
        s["source"]
        for s in builder.for_operation(path, op, operation_facts(document, method, op, owner))
        if s["label"] == "curl"
    ]
    echo = "curl() { printf '%s\\0' \"$@\"; }\n"
    result = subprocess.run(["bash", "-c", echo + curl], capture_output=True, cwd=tmp_path, check=True)
    assert result.stdout.decode().split("\0")[:2] == ["-X", "X|touch"]
    assert list(tmp_path.iterdir()) == []


def _diff(base: dict[str, Any], revision: dict[str, Any]) -> list[tuple[str, str, str]]:
    report = diff_documents(base, revision, today=date(2026, 12, 3))
    return [(c.rule, c.level.value, c.json_path) for c in report.changes]


def test_diff_compares_query_and_additional_operations_as_operations() -> None:
    base = spec()
    revision = copy.deepcopy(base)
    item = revision["paths"]["/pets"]
    del item["query"]
    item["additionalOperations"]["PURGE"] = item["additionalOperations"].pop("COPY")
    assert sorted(_diff(base, revision)) == [
        ("operation-added", "info", "/paths/~1pets/additionalOperations/PURGE"),
        ("operation-removed", "breaking", "/paths/~1pets/additionalOperations/COPY"),
        ("operation-removed", "breaking", "/paths/~1pets/query"),
    ]


def test_diff_reads_an_item_schema_as_the_response_schema() -> None:
    base = spec()
    base["paths"]["/pets"]["query"]["responses"]["200"]["content"]["application/jsonl"]["itemSchema"] = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    }
    revision = copy.deepcopy(base)
    del revision["paths"]["/pets"]["query"]["responses"]["200"]["content"]["application/jsonl"]["itemSchema"][
        "properties"
    ]["name"]
    ((rule, severity, where),) = _diff(base, revision)
    assert (rule, severity) == ("response-property-removed", "breaking")
    assert where.endswith("/application~1jsonl/itemSchema/properties/name")


def test_serve_shows_a_changed_additional_operation_in_place() -> None:
    document = spec()
    changed = [key for key in operations(document) if key[2] == "COPY"]
    shown = focus_document(document, changed, introduction=False)
    assert shown is not None
    item = shown["spec"]["paths"]["/pets"]
    assert list(item) == ["additionalOperations"]
    assert list(item["additionalOperations"]) == ["COPY"]
    assert shown["changed"] == [["COPY", "/pets"]]


def test_docs_says_which_operations_its_viewer_does_not_show(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(spec()), encoding="utf-8")
    result = cli("docs", "--spec", "openapi.json", "-o", "site/index.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "does not show QUERY /pets, COPY /pets: OpenAPI 3.2 methods" in result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")  # the overview lists them
    assert "<td><code>QUERY</code></td><td><code>/pets</code></td>" in page
    assert "<td><code>COPY</code></td><td><code>/pets</code></td>" in page


def test_an_example_data_value_is_data_even_when_it_holds_a_ref(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        """
            paths: {}
            components:
              schemas:
                Unused: {type: object}
              examples:
                Patch:
                  dataValue: {$ref: '#/components/schemas/Unused'}
                  serializedValue: '{"$ref": "#/components/schemas/Unused"}'
        """,
    )
    bundled = bundle_spec(root)  # literal data: not a reference to resolve
    assert bundled.document["components"]["examples"]["Patch"]["dataValue"] == {"$ref": "#/components/schemas/Unused"}
    unused = [d.message for d in lint_bundle(bundled, load_settings(root)) if d.code == "no-unused-components"]
    assert "component schemas/Unused is never used" in unused


def test_a_duplicate_operation_id_under_any_additional_key_is_reported(tmp_path: Path) -> None:
    """The library counts the ids of every member of additionalOperations, even one keyed by a fixed field's
    name in lower case (left out of ``operations_of``): its finding must still be worded and placed."""
    root = _tree(
        tmp_path,
        """
            paths:
              /a:
                get:
                  operationId: same
                  responses:
                    '200': {description: ok}
                additionalOperations:
                  get:
                    operationId: same
                    responses:
                      '200': {description: ok}
        """,
    )
    (finding,) = validate_bundle(bundle_spec(root))
    assert finding.message == "operationId 'same' of get /a is already used by GET /a"
    assert finding.json_path == "/paths/~1a/additionalOperations/get/operationId"
    assert finding.location is not None and finding.location.line == 11
