"""The compiled yes/no example check agrees with jsonschema on every example of two real descriptions.

The linter trusts the compiled predicate when it says "valid" (jsonschema only runs on rejected values), so a
compiled check that accepts what jsonschema rejects would hide a finding: this test looks for exactly that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig
from generators.lint.context import LintContext
from generators.lint.examples import ExampleValidator, describe
from tests.conftest import node_package_file, shared_path


def _disagreements(root: Path) -> tuple[int, list[str]]:
    document = bundle_spec(root).document
    ctx = LintContext(document, LintConfig())
    validator = ExampleValidator(document, ctx.version)
    checked, wrong = 0, []
    for use in ctx.media_types:
        if not isinstance(use.schema, dict):
            continue
        values = [use.node["example"]] if "example" in use.node else []
        for raw in (use.node.get("examples") or {}).values():
            example, _ = ctx.resolve(raw, "")
            if isinstance(example, dict) and "value" in example:
                values.append(example["value"])
        for value in values:
            compiled = validator.is_valid(value, use.schema_pointer, use.direction)
            if compiled is None:
                continue
            checked += 1
            reference = not validator.jsonschema_errors(value, use.schema_pointer, use.direction)
            if compiled != reference:
                wrong.append(f"{use.pointer}: compiled={compiled} jsonschema={reference}")
    return checked, wrong


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("which", ["digitalocean", "github"])
def test_compiled_check_matches_jsonschema(which: str) -> None:
    if which == "digitalocean":
        root = shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
    else:
        root = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    checked, wrong = _disagreements(root)
    assert checked > 300  # DigitalOcean: 336 media type examples; GitHub: more than 1,000
    assert wrong == []


def _error_differences(root: Path) -> tuple[int, list[str]]:
    """Rejected examples whose fast errors (shared between equal pairs, valid subschemas skipped) differ."""
    document = bundle_spec(root).document
    ctx = LintContext(document, LintConfig())
    validator = ExampleValidator(document, ctx.version)
    owners = [(u.node, u.schema_pointer, u.direction) for u in ctx.media_types if isinstance(u.schema, dict)]
    owners += [
        (p, f"{pointer}/schema", "request") for p, pointer in ctx.parameters if isinstance(p.get("schema"), dict)
    ]
    compared, wrong = 0, []
    for owner, schema_pointer, direction in owners:
        values = [owner["example"]] if "example" in owner else []
        for raw in (owner.get("examples") or {}).values():
            example, _ = ctx.resolve(raw, "")
            if isinstance(example, dict) and "value" in example:
                values.append(example["value"])
        for value in values:
            if validator.is_valid(value, schema_pointer, direction):
                continue
            compared += 1
            fast = [
                (describe(e), list(e.absolute_path)) for e in validator.first_errors(value, schema_pointer, direction)
            ]
            reference = [
                (describe(e), list(e.absolute_path))
                for e in validator.jsonschema_errors(value, schema_pointer, direction)
            ]
            if fast != reference:
                wrong.append(f"{schema_pointer}: {fast} != {reference}")
    return compared, wrong


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("which", ["digitalocean", "github"])
def test_fast_errors_match_jsonschema(which: str) -> None:
    if which == "digitalocean":
        root = shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
    else:
        root = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    compared, wrong = _error_differences(root)
    # DigitalOcean: 2 rejected examples (12 more were undecided while backtracking patterns were skipped)
    assert compared >= (2 if which == "digitalocean" else 700)
    assert wrong == []


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_a_failing_alternative_is_judged_by_its_first_error(version: str, keyword: str) -> None:
    """An example array against alternatives it fails: each is left at its first error, not walked to the end
    (jsonschema collects all of them for the error's context, which no finding shows); the finding is the same."""
    item = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    schema = {keyword: [{"type": "array", "items": item}, {"type": "array", "items": {**item, "required": ["name"]}}]}
    document = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"List": schema}},
    }
    value = [{"id": "not a number", "name": n} for n in range(400)]  # every item fails both alternatives
    validator = ExampleValidator(document, version[:3])
    pairs: list[int] = []
    compiled = validator.compiled

    def counted(schema: object, instance: object, direction: str) -> bool:
        pairs.append(1)
        return compiled(schema, instance, direction)

    validator.compiled = counted  # type: ignore[method-assign]
    fast = validator.first_errors(value, "/components/schemas/List", "response")
    reference = validator.jsonschema_errors(value, "/components/schemas/List", "response")
    assert [(describe(e), list(e.absolute_path)) for e in fast] == [
        (describe(e), list(e.absolute_path)) for e in reference
    ]
    assert len(pairs) < 50, f"{len(pairs)} (subschema, value) pairs judged: the alternatives were walked to the end"


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("direction", ["request", "response", "schema"])
def test_errors_under_valid_siblings_are_jsonschema_s(version: str, direction: str) -> None:
    """jsonschema descends only where the compiled check fails (through properties, items, $ref, allOf, oneOf,
    additionalProperties): the errors, their order and their paths are still jsonschema's own."""
    item = {
        "type": "object",
        "required": ["id", "secret"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "secret": {"type": "string", "writeOnly": True},
            "at": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
        },
        "additionalProperties": {"type": "string"},
    }
    schemas = {
        "Tag": {"allOf": [{"type": "object"}, {"required": ["name"], "properties": {"name": {"type": "string"}}}]},
        "Item": item,
        "List": {"oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/Item"}}, {"type": "string"}]},
    }
    document = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}, "components": {}}
    document["components"] = {"schemas": schemas}
    good = {"id": 1, "secret": "s", "at": "2024-01-01T00:00:00Z", "tags": [{"name": "a"}] * 20, "x": "y"}
    value = [good] * 30 + [
        {**good, "tags": [{"name": "a"}] * 5 + [{"name": 3}, {}]},
        {**good, "id": 0, "at": "yesterday"},
        {k: v for k, v in good.items() if k != "secret"},
        {**good, "extra": 1},
    ]
    value += [good] * 30
    validator = ExampleValidator(document, version[:3])
    for checked in (value, value[30:34], [value[32]], value[33]):
        pointer = "/components/schemas/List" if isinstance(checked, list) else "/components/schemas/Item"
        fast = [(describe(e), list(e.absolute_path)) for e in validator.first_errors(checked, pointer, direction)]
        reference = validator.jsonschema_errors(checked, pointer, direction)
        assert fast == [(describe(e), list(e.absolute_path)) for e in reference]
        assert fast or (direction == "response" and checked == [value[32]])


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_schemas_that_differ_only_in_a_value_s_type_are_told_apart(version: str) -> None:
    """Equal leaf schemas share one compiled check, so ``1`` and ``true`` (equal in Python) must stay apart."""
    schemas = {"One": {"enum": [1]}, "True": {"enum": [True]}, "Float": {"enum": [1.5, 2]}, "Int": {"enum": [1, 2]}}
    document = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": schemas}
    validator = ExampleValidator(document, version[:3])
    verdicts = [
        validator.is_valid(value, f"/components/schemas/{name}", "schema")
        for value, name in ((True, "One"), (True, "True"), (1, "True"), (1, "One"), (1.5, "Int"), (1.5, "Float"))
    ]
    assert verdicts == [False, True, False, True, False, True]
    for value, name in ((True, "One"), (1, "True"), (1.5, "Int")):
        assert validator.jsonschema_errors(value, f"/components/schemas/{name}", "schema")
