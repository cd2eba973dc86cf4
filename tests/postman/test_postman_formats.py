"""The collection and environment: the official v2.1.0 schema, Postman's own SDK, determinism, structure."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.postman import environment as postman_environment
from generators.artefacts.registry import artefact_generators
from generators.core.diagnostics import AtlasError
from generators.core.operations import HTTP_METHODS
from tests.conftest import REPO, node_package_file, shared_path
from tests.postman.postman_harness import HERE, SHOP, bundled, items, settings

DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")


@pytest.fixture(scope="module")
def shop() -> dict[str, Any]:
    return bundled(SHOP)


@pytest.fixture(scope="module")
def digitalocean() -> dict[str, Any]:
    return bundled(shared_path(*DO_ROOT))


def _collection(spec: dict[str, Any], tmp: Path, **options: str) -> dict[str, Any]:
    return dict(json.loads(postman_collection.generate(spec, settings("t", tmp, **options)).content))


def _schema_errors(collection: dict[str, Any]) -> list[str]:
    schema = json.loads(shared_path("schemas", "postman-collection-v2.1.0.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(collection)]


def _check_environment(env: dict[str, Any], keyed: bool, credentials: tuple[str, ...] = ("apiKey",)) -> None:
    """The shape Postman exports and Newman reads (there is no official schema; see shared/schemas/README.md);
    ``keyed``: some request sends an idempotency key, so the environment offers ``idempotencyKey``;
    ``credentials``: the variables the spec's security needs."""
    assert set(env) == {"id", "name", "values", "_postman_variable_scope"}
    assert env["_postman_variable_scope"] == "environment"
    for value in env["values"]:
        assert set(value) == {"key", "value", "type", "enabled"}
        assert isinstance(value["value"], str) and value["enabled"] is True
        assert value["type"] in ("default", "secret")
    keys = [v["key"] for v in env["values"]]
    assert keys[: 1 + len(credentials)] == ["baseUrl", *credentials] and len(set(keys)) == len(keys)
    assert (keys[1 + len(credentials) : 2 + len(credentials)] == ["idempotencyKey"]) is keyed


def test_shop_collection_follows_the_official_schema(shop: dict[str, Any], tmp_path: Path) -> None:
    for options in ({}, {"folders": "paths"}, {"params": "schema"}):
        assert _schema_errors(_collection(shop, tmp_path, **options)) == []


@pytest.mark.slow
def test_digitalocean_collection_follows_the_official_schema(digitalocean: dict[str, Any], tmp_path: Path) -> None:
    collection = _collection(digitalocean, tmp_path)
    assert _schema_errors(collection) == []
    operations = sum(1 for p in digitalocean["paths"].values() for m in p if m in HTTP_METHODS)
    assert len(list(items(collection))) == operations


@pytest.mark.slow
@pytest.mark.external
def test_github_description_converts(tmp_path: Path) -> None:
    from generators.source.loader import load_file

    spec = load_file(node_package_file("@octokit", "openapi", "generated", "api.github.com.json"))
    collection = _collection(spec, tmp_path)
    assert _schema_errors(collection) == []
    assert len(list(items(collection))) == 1223
    env = json.loads(postman_environment.generate(spec, settings("t", tmp_path)).content)
    # GitHub documents no Idempotency-Key header, and no security scheme: no credential, no auth
    _check_environment(env, keyed=False, credentials=())
    assert "event" not in collection and collection["auth"] == {"type": "noauth"}
    assert env["values"][0]["value"] == "https://api.github.com"


def test_environment(shop: dict[str, Any], tmp_path: Path) -> None:
    env = json.loads(postman_environment.generate(shop, settings("t", tmp_path)).content)
    _check_environment(env, keyed=True)
    assert env["name"] == "Shop API"
    values = {v["key"]: (v["value"], v["type"]) for v in env["values"]}
    # baseUrl refers to the server's variable: choosing "us" for region in Postman changes the base URL
    assert values == {
        "baseUrl": ("https://{{region}}.shop.example/v1", "default"),
        "apiKey": ("", "secret"),
        "idempotencyKey": ("", "default"),
        "region": ("eu", "default"),
    }


@pytest.mark.external
@pytest.mark.parametrize("case", ["shop", "digitalocean"])
def test_postman_sdk_loads_both_files(case: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    node_package_file("postman-collection", "package.json")
    spec = request.getfixturevalue(case)
    config = settings("t", tmp_path)
    paths = []
    for generator in (postman_collection.generate, postman_environment.generate):
        artefact = generator(spec, config)
        (tmp_path / artefact.path).write_bytes(artefact.content)
        paths.append(str(tmp_path / artefact.path))
    out = subprocess.run(["node", str(HERE / "sdk_load.js"), *paths], capture_output=True, check=True, cwd=REPO)
    seen = json.loads(out.stdout)
    ours = json.loads(Path(paths[0]).read_text(encoding="utf-8"))
    assert seen["id"] == ours["info"]["_postman_id"] and seen["auth"] == "bearer"
    # the shop declares Idempotency-Key on one create; DigitalOcean declares it nowhere: no retry scripts
    assert seen["events"] == (["prerequest", "test"] if case == "shop" else [])
    assert seen["folders"] == [f["name"] for f in ours["item"] if "item" in f]
    assert [(r["id"], r["name"]) for r in seen["requests"]] == [(i["id"], i["name"]) for i in items(ours)]
    assert all(r["url"].startswith("{{baseUrl}}") for r in seen["requests"])
    assert set(seen["environment"]) >= {"baseUrl", "apiKey"}
    assert ("idempotencyKey" in seen["environment"]) is (case == "shop")


def test_rebuilds_are_byte_identical_and_ids_follow_operation_ids(shop: dict[str, Any], tmp_path: Path) -> None:
    config = settings("t", tmp_path)
    first = postman_collection.generate(shop, config).content
    assert postman_collection.generate(json.loads(json.dumps(shop)), config).content == first
    renamed = json.loads(json.dumps(shop))
    renamed["paths"]["/pets"]["get"]["summary"] = "All the pets"
    ids = {i["name"]: i["id"] for i in items(json.loads(first))}
    assert {i["name"]: i["id"] for i in items(_collection(renamed, tmp_path))}["All the pets"] == ids["List pets"]
    assert len(set(ids.values())) == len(ids)


def test_folders_follow_root_tag_order(shop: dict[str, Any], tmp_path: Path) -> None:
    collection = _collection(shop, tmp_path)
    folders = [(e["name"], e.get("description")) for e in collection["item"] if "item" in e]
    assert folders == [("Orders", "Orders placed by customers."), ("Pets", "Pets for sale.")]
    loose = [e["name"] for e in collection["item"] if "item" not in e]
    assert loose == ["Health check"]
    by_paths = _collection(shop, tmp_path, folders="paths")
    assert [e["name"] for e in by_paths["item"]] == ["pets", "orders", "health"]


def _item(collection: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in items(collection) if i["name"] == name)


def _keyed(collection: dict[str, Any], header: str = "Idempotency-Key") -> dict[str, int]:
    """How many enabled ``header: {{idempotencyKey}}`` each request sends (requests sending none left out)."""
    counts = {}
    for item in items(collection):
        sent = [h for h in item["request"]["header"] if not h.get("disabled")]
        count = sum((h["key"], h["value"]) == (header, "{{idempotencyKey}}") for h in sent)
        if count:
            counts[item["name"]] = count
    return counts


def test_requests_carry_params_auth_and_idempotency(shop: dict[str, Any], tmp_path: Path) -> None:
    collection = _collection(shop, tmp_path)
    assert collection["auth"]["type"] == "bearer"
    assert collection["auth"]["bearer"][0]["value"] == "{{apiKey}}"
    assert "variable" not in collection, "the environment holds every value"
    listing = _item(collection, "List pets")["request"]
    query = [(q["key"], q["value"], q.get("disabled", False)) for q in listing["url"]["query"]]
    assert query == [
        ("limit", "20", True),
        ("species", "dog", False),
        ("tag", "small", True),
        ("tag", "friendly", True),
    ]
    assert listing["url"]["raw"] == "{{baseUrl}}/pets?species=dog"
    assert listing["description"] == "Pets in the shop, newest first."
    assert "Idempotency-Key" not in [h["key"] for h in listing["header"]]
    pet = _item(collection, "Get a pet")["request"]["url"]
    assert pet["path"] == ["pets", ":petId"]
    assert pet["variable"] == [{"key": "petId", "value": "42", "description": "The pet's id."}]
    # only the create that declares an Idempotency-Key header parameter sends one (as an enabled header)
    assert _keyed(collection) == {"Place an order": 1}
    # idempotency-methods adds it to every create, declared or not, and never twice
    configured = _collection(shop, tmp_path, **{"idempotency-methods": ["POST"]})
    assert _keyed(configured) == {"Create a pet": 1, "Place an order": 1, "Add a note to an order": 1}
    assert _item(collection, "Health check")["request"]["auth"] == {"type": "noauth"}
    assert "auth" not in _item(collection, "List pets")["request"]


def test_auth_follows_security_schemes(shop: dict[str, Any], tmp_path: Path) -> None:
    spec = json.loads(json.dumps(shop))
    spec["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "basic": {"type": "http", "scheme": "basic"},
    }
    spec["security"] = [{"key": []}]
    spec["paths"]["/pets"]["get"]["security"] = [{"basic": []}, {}]
    collection = _collection(spec, tmp_path)
    assert collection["auth"] == {
        "type": "apikey",
        "apikey": [
            {"key": "key", "value": "X-Api-Key", "type": "string"},
            {"key": "value", "value": "{{apiKey}}", "type": "string"},
            {"key": "in", "value": "header", "type": "string"},
        ],
    }
    assert _item(collection, "List pets")["request"]["auth"]["type"] == "basic"
    assert "auth" not in _item(collection, "Get a pet")["request"], "inherits the collection's auth"
    del spec["security"]
    assert _collection(spec, tmp_path)["auth"] == {"type": "noauth"}, "no root security: no auth"


def test_bodies_and_saved_responses(shop: dict[str, Any], tmp_path: Path) -> None:
    collection = _collection(shop, tmp_path)
    create = json.loads(_item(collection, "Create a pet")["request"]["body"]["raw"])
    assert "id" not in create and create["name"] == "Rex" and create["status"] == "available"
    replace = _item(collection, "Replace a pet")["request"]["body"]
    assert json.loads(replace["raw"]) == {"name": "Rexy", "species": "dog"}, "the first example wins"
    order = json.loads(_item(collection, "Place an order")["request"]["body"]["raw"])
    assert order["payment"]["method"] == "card" and len(order["payment"]["cardToken"]) >= 8
    note = _item(collection, "Add a note to an order")["request"]["body"]
    assert note["mode"] == "urlencoded" and [f["key"] for f in note["urlencoded"]] == ["text", "pinned"]
    saved = _item(collection, "List pets")["response"]
    assert [(r["code"], r["status"]) for r in saved] == [(200, "OK")], "only 2xx responses are saved"
    assert {"key": "X-Next-Cursor", "value": "eyJpZCI6NDJ9"} in saved[0]["header"]
    placed = json.loads(_item(collection, "Place an order")["response"][0]["body"])
    assert "note" not in placed and placed["id"] == "ord_abc123", "writeOnly left out of responses"
    pet = json.loads(_item(collection, "Get a pet")["response"][0]["body"])
    assert "secret" not in pet and "parent" not in pet, "writeOnly and the recursive parent are left out"


def test_params_schema_ignores_examples(shop: dict[str, Any], tmp_path: Path) -> None:
    collection = _collection(shop, tmp_path, params="schema")
    query = {q["key"]: q["value"] for q in _item(collection, "List pets")["request"]["url"]["query"]}
    assert query["species"] == "cat" and query["tag"] == "string"
    assert json.loads(_item(collection, "Create a pet")["request"]["body"]["raw"])["name"] == "string"


def test_scripts_never_contain_spec_text(shop: dict[str, Any], tmp_path: Path) -> None:
    hostile = json.loads(json.dumps(shop))
    hostile["info"]["title"] = "'); pm.environment.clear(); //"
    hostile["paths"]["/pets"]["post"]["operationId"] = 'x"); throw 1; //'
    events = _collection(shop, tmp_path)["event"]
    assert _collection(hostile, tmp_path)["event"] == events
    assert [e["listen"] for e in events] == ["prerequest", "test"]


def test_unknown_postman_setting_is_explained(shop: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(AtlasError) as caught:
        postman_collection.generate(shop, settings("t", tmp_path, folder="tags"))
    assert "unknown key 'folder' in [tool.atlas-spec.postman]" in str(caught.value)
    assert "did you mean 'folders'?" in str(caught.value)
    with pytest.raises(AtlasError, match="use one of: example, schema"):
        postman_collection.generate(shop, settings("t", tmp_path, params="examples"))


def test_build_runs_both_generators() -> None:
    assert postman_collection.generate in artefact_generators()
    assert postman_environment.generate in artefact_generators()


def test_form_bodies_send_files_as_files_and_objects_as_json(tmp_path: Path) -> None:
    # before: a binary field was the text "string" (openapi2postmanv2 gives a file field) and an object
    # "a,string" in both form types
    upload = {
        "type": "object",
        "allOf": [{"properties": {"doc": {"type": "string", "contentMediaType": "application/pdf"}}}],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "meta": {"type": "object", "properties": {"a": {"type": "string"}}},
            "tags": {"type": "array", "items": {"type": "string"}, "example": ["x", "y"]},
        },
    }
    content = {
        "multipart/form-data": {"schema": upload, "encoding": {"meta": {"contentType": "application/vnd.a+json"}}},
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"o": upload["properties"]["meta"]}}
        },
    }
    spec: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "F", "version": "1"}, "paths": {}}
    for media_type, media in content.items():
        op = {"requestBody": {"content": {media_type: media}}, "responses": {"204": {"description": "n"}}}
        spec["paths"][f"/{media_type.split('/')[0]}"] = {"post": op}
    collection = _collection(spec, tmp_path)
    assert _schema_errors(collection) == []
    bodies = {i["request"]["url"]["raw"]: i["request"]["body"] for i in items(collection)}
    assert bodies["{{baseUrl}}/multipart"]["formdata"] == [
        {"key": "doc", "type": "file", "src": [], "contentType": "application/pdf"},  # from the allOf part
        {"key": "file", "type": "file", "src": [], "contentType": "application/octet-stream"},
        {"key": "meta", "value": '{"a":"string"}', "type": "text", "contentType": "application/vnd.a+json"},
        {"key": "tags", "value": "x", "type": "text"},
        {"key": "tags", "value": "y", "type": "text"},
    ]
    assert bodies["{{baseUrl}}/application"]["urlencoded"] == [{"key": "a", "value": "string", "type": "text"}]
