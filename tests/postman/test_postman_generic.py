"""Nothing Atlas-specific leaks into another API's collection: ids from the API's own identity, an
Idempotency-Key only where the spec declares one (or the configuration asks for it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.postman import environment as postman_environment
from generators.core.diagnostics import AtlasError
from generators.core.settings import Settings
from tests.conftest import REPO, shared_path
from tests.postman.postman_harness import FIXTURES, SHOP, bundled, items, settings

DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
KEY = ("Idempotency-Key", "{{idempotencyKey}}")


def _unconfigured(tmp: Path, **postman: Any) -> Settings:
    """What a project without any configuration gets: no name, no postman table (unless given)."""
    return Settings(spec=tmp / "openapi.yaml", out_dir=tmp, project_dir=tmp, postman=postman)


def _generate(spec: dict[str, Any], config: Settings) -> tuple[dict[str, Any], dict[str, Any]]:
    collection = json.loads(postman_collection.generate(spec, config).content)
    environment = json.loads(postman_environment.generate(spec, config).content)
    return collection, environment


def _ids(spec: dict[str, Any], config: Settings) -> tuple[str, str]:
    collection, environment = _generate(spec, config)
    return collection["info"]["_postman_id"], environment["id"]


def _keys_by_method(collection: dict[str, Any]) -> dict[str, list[int]]:
    """Per method, how many ``Idempotency-Key: {{idempotencyKey}}`` headers each request sends."""
    found: dict[str, list[int]] = {}
    for item in items(collection):
        request = item["request"]
        headers = [(h["key"], h["value"]) for h in request["header"] if not h.get("disabled")]
        found.setdefault(request["method"], []).append(headers.count(KEY))
    return found


@pytest.fixture(scope="module")
def shop() -> dict[str, Any]:
    return bundled(SHOP)


def test_two_apis_never_share_a_collection_or_environment_id(shop: dict[str, Any], tmp_path: Path) -> None:
    retry = bundled(FIXTURES / "retry" / "openapi.yaml")
    config = _unconfigured(tmp_path)
    shop_ids, retry_ids = _ids(shop, config), _ids(retry, config)
    assert shop_ids[0] != retry_ids[0] and shop_ids[1] != retry_ids[1]
    assert len({*shop_ids, *retry_ids}) == 4
    # same title, another server: another API
    elsewhere = json.loads(json.dumps(shop))
    elsewhere["servers"] = [{"url": "https://shop.other.example"}]
    other = _ids(elsewhere, config)
    assert other[0] != shop_ids[0] and other[1] != shop_ids[1]
    # request ids follow the identity too (a second API's requests never replace the first's)
    first = {i["id"] for i in items(_generate(shop, config)[0])}
    assert first.isdisjoint(i["id"] for i in items(_generate(elsewhere, config)[0]))
    # and the same API always gets the same ids
    assert _ids(json.loads(json.dumps(shop)), config) == shop_ids


def test_a_configured_name_is_the_identity(shop: dict[str, Any], tmp_path: Path) -> None:
    """A project that names itself keeps its ids across a new title or server (Postman re-imports replace)."""
    renamed = json.loads(json.dumps(shop))
    renamed["info"]["title"] = "Shop API v2"
    renamed["servers"] = [{"url": "https://v2.shop.example"}]
    named = settings("shop", tmp_path)
    assert _ids(renamed, named) == _ids(shop, named)
    assert _ids(shop, named) != _ids(shop, settings("other-shop", tmp_path))


def test_unconfigured_artefacts_are_named_after_the_title(shop: dict[str, Any], tmp_path: Path) -> None:
    config = _unconfigured(tmp_path)
    assert postman_collection.generate(shop, config).path == "shop-api.postman_collection.json"
    assert postman_environment.generate(shop, config).path == "shop-api.postman_environment.json"


def test_only_declared_operations_send_the_key(tmp_path: Path) -> None:
    retry = bundled(FIXTURES / "retry" / "openapi.yaml")
    undeclared = json.loads(json.dumps(retry))
    for item in undeclared["paths"].values():
        for operation in item.values():
            operation.pop("parameters", None)
    collection, environment = _generate(undeclared, _unconfigured(tmp_path))
    assert _keys_by_method(collection) == {"GET": [0], "POST": [0, 0, 0, 0]}
    assert "event" not in collection, "no retry scripts for an API without idempotency keys"
    assert "idempotencyKey" not in [v["key"] for v in environment["values"]]
    collection, environment = _generate(retry, _unconfigured(tmp_path))
    assert _keys_by_method(collection) == {"GET": [0], "POST": [1, 1, 1, 1]}
    assert [e["listen"] for e in collection["event"]] == ["prerequest", "test"]
    # the Retry API declares no security: no credential to offer
    assert [v["key"] for v in environment["values"]] == ["baseUrl", "idempotencyKey"]


def test_a_declared_key_on_another_method_is_honoured(shop: dict[str, Any], tmp_path: Path) -> None:
    spec = json.loads(json.dumps(shop))
    spec["paths"]["/pets/{petId}"]["parameters"].append({"name": "idempotency-key", "in": "header"})
    collection, _ = _generate(spec, _unconfigured(tmp_path))
    for item in items(collection):
        if item["request"]["url"]["path"] == ["pets", ":petId"]:
            headers = [(h["key"], h["value"]) for h in item["request"]["header"]]
            assert headers.count(("idempotency-key", "{{idempotencyKey}}")) == 1, item["name"]


def test_a_configured_header_name(shop: dict[str, Any], tmp_path: Path) -> None:
    spec = json.loads(json.dumps(shop))
    order = spec["paths"]["/orders"]["post"]
    order["parameters"] = [{"name": "X-Request-Key", "in": "header", "schema": {"type": "string"}}]
    config = _unconfigured(tmp_path, **{"idempotency-header": "X-Request-Key"})
    collection, environment = _generate(spec, config)
    keyed = {
        i["name"]: [h["key"] for h in i["request"]["header"] if h["value"] == "{{idempotencyKey}}"]
        for i in items(collection)
    }
    assert {name: keys for name, keys in keyed.items() if keys} == {"Place an order": ["X-Request-Key"]}
    scripts = "\n".join(line for event in collection["event"] for line in event["script"]["exec"])
    assert 'var header = "X-Request-Key";' in scripts and '"Idempotency-Key"' not in scripts
    assert "idempotencyKey" in [v["key"] for v in environment["values"]]


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ({"idempotency-header": "Idempotency Key"}, "use a header name"),
        ({"idempotency-header": 3}, "use a header name"),
        ({"idempotency-methods": "post"}, "use a list of HTTP methods"),
        ({"idempotency-methods": ["post", "fetch"]}, "use a list of HTTP methods"),
        ({"idempotency-method": ["post"]}, "did you mean 'idempotency-methods'?"),
    ],
)
def test_bad_idempotency_settings_are_explained(
    shop: dict[str, Any], tmp_path: Path, table: dict[str, Any], needle: str
) -> None:
    with pytest.raises(AtlasError, match=needle):
        postman_collection.generate(shop, _unconfigured(tmp_path, **table))


@pytest.mark.slow
def test_digitalocean_gets_no_idempotency_key(tmp_path: Path) -> None:
    """DigitalOcean documents no Idempotency-Key header: none of its 142 creates sends one (all did before)."""
    spec = bundled(shared_path(*DO_ROOT))
    collection, environment = _generate(spec, _unconfigured(tmp_path))
    by_method = _keys_by_method(collection)
    assert len(by_method["POST"]) == 142
    assert all(count == 0 for counts in by_method.values() for count in counts)
    assert "Idempotency-Key" not in json.dumps(collection)
    assert "event" not in collection
    assert "idempotencyKey" not in [v["key"] for v in environment["values"]]


def test_atlas_keeps_the_key_on_every_post(tmp_path: Path) -> None:
    """Atlas declares Idempotency-Key on every create; its collection sends it on exactly those."""
    spec = bundled(REPO / "spec" / "openapi.yaml")
    collection, environment = _generate(spec, settings("atlas-public-api", tmp_path))
    by_method = _keys_by_method(collection)
    assert len(by_method["POST"]) >= 20 and set(by_method["POST"]) == {1}
    assert {count for method, counts in by_method.items() if method != "POST" for count in counts} == {0}
    assert [e["listen"] for e in collection["event"]] == ["prerequest", "test"]
    assert [v["key"] for v in environment["values"]][:3] == ["baseUrl", "apiKey", "idempotencyKey"]


def test_a_parameter_with_content_is_sent_as_its_media_type_serialises_it(tmp_path: Path) -> None:
    # `content` instead of `schema`: the whole value is one JSON text, not exploded into form fields
    json_content = {"application/json": {"schema": {"type": "object", "properties": {"color": {"type": "string"}}}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "C", "version": "1"},
        "paths": {
            "/pets/{sel}": {
                "get": {
                    "parameters": [
                        {"name": "sel", "in": "path", "required": True, "content": json_content},
                        {"name": "filter", "in": "query", "required": True, "content": json_content},
                        {"name": "X-Filter", "in": "header", "required": True, "content": json_content},
                        {
                            "name": "plain",
                            "in": "query",
                            "required": True,
                            "schema": json_content["application/json"]["schema"],
                        },
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }
    collection, _ = _generate(spec, settings("c", tmp_path))
    request = next(items(collection))["request"]
    assert request["url"]["variable"][0]["value"] == '{"color":"string"}'
    assert [(q["key"], q["value"]) for q in request["url"]["query"]] == [
        ("filter", '{"color":"string"}'),
        ("color", "string"),  # a schema's object: form style, exploded
    ]
    assert {h["key"]: h["value"] for h in request["header"]}["X-Filter"] == '{"color":"string"}'
