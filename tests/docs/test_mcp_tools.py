"""The MCP tool catalogue: valid for the official SDK's wire types, one tool per operation, stable bytes."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from docs_site import FIXTURES

from generators.artefacts.mcp_tools import catalogue, generate, tool_name
from generators.bundle.bundler import bundle_spec
from generators.core.operations import iter_operations
from generators.core.settings import Settings
from tests.conftest import REPO, missing, node_package_file, shared_path

GOLDEN = Path(__file__).resolve().parent / "golden" / "petstore.mcp-tools.json"
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")


def _validate(tools: list[dict[str, Any]]) -> None:
    """Parse the catalogue as a ``tools/list`` result with the ``mcp-types`` package (the Python SDK's types)."""
    try:
        from mcp_types import methods
    except ImportError:
        missing("the mcp-types test dependency is not installed (pip install -e '.[test]')")
    methods.parse_server_result("tools/list", "2025-11-25", {"tools": tools})
    envelope = {"cacheScope": "public", "resultType": "complete", "ttlMs": 0}  # 2026's result fields, not the tools'
    methods.parse_server_result("tools/list", "2026-07-28", {"tools": tools, **envelope})


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref" and isinstance(v, str)] + [
            r for k, v in node.items() if k != "$ref" for r in _refs(v)
        ]
    return [r for item in node for r in _refs(item)] if isinstance(node, list) else []


def _self_contained(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    for ref in _refs(schema):
        assert ref.startswith("#/$defs/"), ref
        name = ref[len("#/$defs/") :].replace("~1", "/").replace("~0", "~")
        assert name in schema["$defs"], ref


def _settings(name: str = "fixture") -> Settings:
    return Settings(spec=Path("openapi.yaml"), out_dir=Path("build"), name=name)


def test_atlas_has_one_valid_tool_per_operation_with_its_scopes() -> None:
    spec = bundle_spec(REPO / "spec" / "openapi.yaml").document
    tools = catalogue(spec)["tools"]
    _validate(tools)
    operations = list(iter_operations(spec["paths"]))
    assert len(tools) == len(operations) == 78
    for tool, (path, method, op, _) in zip(tools, operations, strict=True):
        assert tool["name"] == op["operationId"] and NAME.match(tool["name"])
        meta = tool["_meta"]
        operation = {"method": method.upper(), "path": path, "operationId": op["operationId"]}
        assert meta["atlas-spec/operation"] == operation
        assert meta["atlas-spec/scopes"] == op["x-required-scopes"]
        assert meta["atlas-spec/rateLimitClass"] == op["x-ratelimit-class"]
        assert tool["annotations"]["readOnlyHint"] is (method == "get")
        assert tool["annotations"].get("destructiveHint", False) is (method == "delete")
        _self_contained(tool["inputSchema"])
        if "outputSchema" in tool:
            assert tool["outputSchema"]["type"] == "object"
            _self_contained(tool["outputSchema"])
    by_name = {t["name"]: t for t in tools}
    create = by_name["createTask"]
    assert create["annotations"]["idempotentHint"] is True  # it takes an Idempotency-Key
    assert "body" in create["inputSchema"]["required"]
    assert {"taskId"} <= set(by_name["getTask"]["inputSchema"]["required"])


def test_names_follow_mcp_rules_and_stay_unique() -> None:
    assert tool_name("list pets/all (v2)", "get", "/p") == "list_pets_all_v2"
    assert tool_name(None, "get", "/pets/{petId}") == "get_pets_petId"
    assert tool_name("x" * 300, "get", "/") == "x" * 128
    assert tool_name("</script>", "post", "/") == "script"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "same thing", "responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"operationId": "same_thing", "responses": {"200": {"description": "ok"}}}},
        },
    }
    tools = catalogue(spec)["tools"]
    assert [t["name"] for t in tools] == ["same_thing", "same_thing_2"]
    _validate(tools)


def test_openapi_30_schemas_become_json_schema_2020_12() -> None:
    schema = {"type": "integer", "nullable": True, "minimum": 1, "exclusiveMinimum": True, "example": 2}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{n}": {
                "put": {
                    "parameters": [{"name": "n", "in": "path", "required": True, "schema": schema}],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"example": {"type": "string"}, "next": {"$ref": "#/components/schemas/Thing"}},
                }
            }
        },
    }
    (tool,) = catalogue(spec)["tools"]
    _validate([tool])
    n = tool["inputSchema"]["properties"]["n"]
    assert n["type"] == ["integer", "null"] and n["exclusiveMinimum"] == 1 and "minimum" not in n
    assert n["examples"] == [2] and "nullable" not in n
    assert tool["inputSchema"]["$defs"]["Thing"]["properties"]["example"] == {"type": "string"}  # a property name
    assert tool["inputSchema"]["properties"]["body"]["$ref"] == "#/$defs/Thing"
    assert tool["outputSchema"]["properties"]["next"] == {"$ref": "#/$defs/Thing"}
    assert tool["annotations"] == {"readOnlyHint": False, "idempotentHint": True}
    _self_contained(tool["inputSchema"])
    _self_contained(tool["outputSchema"])


def test_golden_catalogue(update_golden: bool) -> None:
    spec = bundle_spec(FIXTURES / "petstore" / "openapi.yaml").document
    settings = replace(_settings(), name="petstore")
    content = generate(spec, settings).content
    assert generate(spec, settings).content == content
    assert generate(spec, settings).path == "petstore.mcp-tools.json"
    if update_golden:
        GOLDEN.write_bytes(content)
    assert content == GOLDEN.read_bytes(), "the catalogue changed; review it and run `make golden`"
    _validate(json.loads(content)["tools"])


@pytest.mark.slow
@pytest.mark.parametrize("source", ["github", "digitalocean"])
def test_real_descriptions_give_a_valid_catalogue(source: str) -> None:
    if source == "github":
        root = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    else:
        root = shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
    spec = bundle_spec(root).document
    tools = catalogue(spec)["tools"]
    assert len(tools) == len(list(iter_operations(spec["paths"])))
    assert len({t["name"] for t in tools}) == len(tools)
    _validate(tools)
    for tool in tools[:: max(1, len(tools) // 50)]:  # the metaschema check is slow; a spread sample of tools
        _self_contained(tool["inputSchema"])


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Regression: the $defs order followed a set's iteration order, so two builds of Atlas differed."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from generators.bundle.bundler import bundle_spec; "
        "from generators.artefacts.mcp_tools import generate; from generators.core.settings import Settings; "
        "doc = bundle_spec(Path(sys.argv[1])).document; "
        "sys.stdout.buffer.write(generate(doc, Settings(spec=Path('x'), out_dir=Path('.'), name='a')).content)"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(REPO / "spec" / "openapi.yaml")],
            capture_output=True,
            check=True,
            cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
