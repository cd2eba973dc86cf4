"""A Path Item written as a local ``$ref`` (OpenAPI 3.1's ``components/pathItems``) holds operations for everyone.

Bundling keeps ``/a: {$ref: '#/components/pathItems/A'}`` as written (as Redocly does); every consumer that lists
operations (the Postman collection, the MCP tools, the docs page's samples and plain reference, ``stats``, the
preview's focus) follows it, and ``diff`` reports a change inside the shared item once.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.docs.enrich import page_copy
from generators.artefacts.docs.page import fallback
from generators.artefacts.mcp_tools import catalogue
from generators.artefacts.postman.collection import collection
from generators.bundle.bundler import bundle_spec
from generators.bundle.stats import spec_stats
from generators.core.operations import document_operations, local_ref_resolver
from generators.core.settings import Settings
from generators.diff.engine import diff_documents
from generators.serve.focus import changed_operations, focus_document
from tests.support import make_tree

SPEC = """\
openapi: 3.1.0
info: {title: Items, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a:
    $ref: '#/components/pathItems/A'
  /b:
    $ref: './b.yaml'
  /c:
    $ref: '#/components/pathItems/C'
components:
  pathItems:
    A:
      parameters: [{name: q, in: query, schema: {type: string}}]
      get:
        operationId: getA
        tags: [t]
        responses:
          '200': {description: ok}
    C:
      $ref: '#/components/pathItems/A'
"""
B = """\
post:
  operationId: postB
  responses:
    '201': {description: created}
"""


@pytest.fixture
def document(tmp_path: Path) -> dict[str, Any]:
    return bundle_spec(make_tree(tmp_path, {"openapi.yaml": SPEC, "b.yaml": B})).document


def test_bundling_keeps_the_local_ref(document: dict[str, Any]) -> None:
    assert document["paths"]["/a"] == {"$ref": "#/components/pathItems/A"}  # what the consumers below must follow


def test_the_ref_is_followed_through_chains_and_nowhere_else() -> None:
    doc: dict[str, Any] = {"x": {"get": {}}, "y": {"$ref": "#/x"}, "loop": {"$ref": "#/loop"}}
    resolve = local_ref_resolver(doc)
    assert resolve({"$ref": "#/y"}) is doc["x"]
    for left_as_is in ({"$ref": "#/loop"}, {"$ref": "#/missing"}, {"$ref": "#no-pointer"}, {"$ref": "b.yaml"}, 7):
        assert resolve(left_as_is) == left_as_is


def test_every_operation_is_listed(document: dict[str, Any]) -> None:
    listed = [(path, method, op.get("operationId")) for path, method, op, _ in document_operations(document)]
    assert listed == [("/a", "get", "getA"), ("/b", "post", "postB"), ("/c", "get", "getA")]


def test_the_postman_collection_and_mcp_tools_hold_them(document: dict[str, Any], tmp_path: Path) -> None:
    made = collection(document, Settings(spec=tmp_path / "openapi.yaml", out_dir=tmp_path, name="items"))
    requests = [entry for folder in made["item"] for entry in folder.get("item", [folder])]
    urls = sorted(
        (r["request"]["url"]["raw"], [q["key"] for q in r["request"]["url"].get("query", [])]) for r in requests
    )
    assert urls == [("{{baseUrl}}/a", ["q"]), ("{{baseUrl}}/b", []), ("{{baseUrl}}/c", ["q"])], urls
    ids = [r["id"] for r in requests] + [saved["id"] for r in requests for saved in r["response"]]
    assert len(set(ids)) == len(ids)  # /a and /c share one operation (and its operationId): not their ids
    assert len(catalogue(document)["tools"]) == 3


def test_the_docs_page_shows_them_with_samples(document: dict[str, Any]) -> None:
    copy_ = page_copy(document, "items")
    assert "x-codeSamples" in copy_["paths"]["/a"]["get"] and "x-codeSamples" in copy_["paths"]["/c"]["get"]
    assert document["paths"]["/a"] == {"$ref": "#/components/pathItems/A"}  # the page's copy only
    assert [(o["method"], o["path"]) for o in fallback(document)["operations"]] == [
        ("GET", "/a"),
        ("POST", "/b"),
        ("GET", "/c"),
    ]


def test_stats_count_them(document: dict[str, Any], tmp_path: Path) -> None:
    assert spec_stats(bundle_spec(tmp_path / "openapi.yaml"))["operations"] == 3


def test_the_preview_focuses_an_edit_of_the_shared_item(document: dict[str, Any]) -> None:
    after = copy.deepcopy(document)
    after["components"]["pathItems"]["A"]["get"]["summary"] = "edited"
    changed = changed_operations(document, after)
    assert changed == [("paths", "/a", "get"), ("paths", "/c", "get")]
    focused = focus_document(after, changed)
    assert focused is not None and focused["spec"]["paths"]["/a"]["get"]["summary"] == "edited"
    assert focused["spec"]["paths"]["/a"]["parameters"] == [{"name": "q", "in": "query", "schema": {"type": "string"}}]


def test_diff_reports_a_change_in_the_shared_item_once(document: dict[str, Any]) -> None:
    after = copy.deepcopy(document)
    get = after["components"]["pathItems"]["A"]["get"]
    get["parameters"] = [{"name": "r", "in": "query", "required": True, "schema": {"type": "string"}}]
    changes = diff_documents(document, after, today=date(2026, 1, 1)).changes
    assert sorted((c.rule, c.operation) for c in changes) == [
        ("request-parameter-added-required", "GET /a"),
        ("request-parameter-added-required", "GET /c"),
    ], changes
