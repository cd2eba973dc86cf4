"""Spellings of the same contract diff to nothing: key order, YAML vs JSON, inline vs $ref, allOf split,
parameters moved to the path level, a renamed path parameter (which only renames)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from generators.cli import cli
from generators.diff import Bump, diff_documents
from generators.source.loader import load_file
from tests.diff.builders import operation, response_schema

HERE = Path(__file__).parent / "fixtures" / "equivalent"
TODAY = date(2025, 6, 1)


def test_yaml_vs_json_inline_vs_ref_allof_split_path_level_params() -> None:
    report = diff_documents(load_file(HERE / "base.yaml"), load_file(HERE / "revision.json"), today=TODAY)
    # Only the path parameter's name changed (a minor change for generated SDKs); the contract is the same.
    assert [c.rule for c in report.changes] == ["path-parameter-renamed"]


def test_identical_documents_bump_none() -> None:
    doc = load_file(HERE / "base.yaml")
    report = diff_documents(doc, copy.deepcopy(doc), today=TODAY)
    assert report.changes == [] and report.bump is Bump.NONE


def test_key_order_is_no_change() -> None:
    doc = load_file(HERE / "base.yaml")
    reordered = _reverse_keys(doc)
    assert diff_documents(doc, reordered, today=TODAY).changes == []


def test_nullable_spellings_are_equal() -> None:
    v30 = response_schema({"type": "string", "nullable": True})
    v31 = response_schema({"type": ["string", "null"]})
    any_of = response_schema({"anyOf": [{"type": "string"}, {"type": "null"}]})
    assert diff_documents(v30, v31, today=TODAY).changes == []
    assert diff_documents(v31, any_of, today=TODAY).changes == []


def test_parameters_moved_to_path_level() -> None:
    param = {"name": "q", "in": "query", "schema": {"type": "string"}}
    at_op = operation("/tasks", parameters=[param])
    at_path = operation("/tasks", item={"parameters": [param]})
    assert diff_documents(at_op, at_path, today=TODAY).changes == []


def test_cli_reports_none_for_equivalent_files() -> None:
    result = CliRunner().invoke(cli, ["diff", str(HERE / "base.yaml"), str(HERE / "base.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"bump": "none"' in result.output


def _reverse_keys(node: object) -> object:
    if isinstance(node, dict):
        return {k: _reverse_keys(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [_reverse_keys(v) for v in node]
    return node


def test_a_percent_encoded_reference_is_the_same_reference() -> None:
    # a $ref is a URI fragment: '{' written %7B (as in dnd5eapi.co's description) reaches the same node
    def doc(ref: str) -> dict[str, object]:
        item = {"type": "object", "properties": {"n": {"type": "integer"}}}
        schema = {"type": "object", "properties": {"a": item, "b": {"$ref": ref}}}
        return response_schema(schema)

    inner = "/content/application~1json/schema/properties/a"
    encoded = doc("#/paths/~1tasks~1%7Bid%7D/get/responses/200" + inner)
    decoded = doc("#/paths/~1tasks~1{id}/get/responses/200" + inner)
    assert encoded["paths"].keys() == {"/tasks/{id}"}, "the builder's path changed: adapt the references"
    assert diff_documents(encoded, decoded, today=TODAY).changes == []
