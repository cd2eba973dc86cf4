"""Reference resolution and bundling: every case of the issue, with file:line on every refusal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError
from generators.core.jsonout import dump_json
from tests.support import HEAD, make_tree


def bundle(root: Path, **options: object) -> dict:
    return bundle_spec(root, **options).document  # type: ignore[arg-type]


def refused(root: Path, **options: object) -> AtlasError:
    with pytest.raises(AtlasError) as caught:
        bundle_spec(root, **options)  # type: ignore[arg-type]
    return caught.value


def op_schema(doc: dict, path: str = "/a") -> dict:
    return doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


ROOT_WITH_SCHEMA_REF = (
    HEAD
    + """\
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: {ref}
"""
)


def test_relative_refs_nested_files_and_pointers_into_other_files(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./schemas/Task.yaml"),
            "schemas/Task.yaml": """
            type: object
            properties:
              owner: {$ref: ./people/Person.yaml}
              limit: {$ref: '../common.yaml#/components/schemas/Limit'}
            """,
            "schemas/people/Person.yaml": "type: object\nproperties:\n  name: {type: string}\n",
            "common.yaml": "components:\n  schemas:\n    Limit: {type: integer, maximum: 200}\n",
        },
    )
    doc = bundle(root)
    assert op_schema(doc) == {"$ref": "#/components/schemas/Task"}
    schemas = doc["components"]["schemas"]
    assert schemas["Task"]["properties"]["owner"] == {"$ref": "#/components/schemas/people_Person"}
    assert schemas["Task"]["properties"]["limit"] == {"$ref": "#/components/schemas/Limit"}
    assert schemas["Limit"] == {"type": "integer", "maximum": 200}
    assert schemas["people_Person"]["properties"]["name"] == {"type": "string"}


def test_json_pointer_escapes_and_percent_encoding(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="'./defs.yaml#/a~1b/c~0d/e%20f'"),
            "defs.yaml": "a/b:\n  c~d:\n    e f: {type: string, format: uuid}\n",
        },
    )
    doc = bundle(root)
    name = op_schema(doc)["$ref"].rsplit("/", 1)[1]
    assert doc["components"]["schemas"][name] == {"type": "string", "format": "uuid"}


def test_ref_to_ref_and_local_refs_inside_referenced_files(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./a.yaml"),
            "a.yaml": "$ref: './b.yaml#/Thing'\n",
            "b.yaml": "Thing:\n  type: object\n  properties:\n    other: {$ref: '#/Other'}\nOther: {type: string}\n",
        },
    )
    doc = bundle(root)
    schemas = doc["components"]["schemas"]
    assert schemas["a"] == {"$ref": "#/components/schemas/b_Thing"}
    assert schemas["b_Thing"]["properties"]["other"] == {"$ref": "#/components/schemas/b_Other"}
    assert schemas["b_Other"] == {"type": "string"}


def test_path_item_refs_operation_refs_and_description_refs_are_inlined(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": HEAD
            + """\
            tags:
              - name: t
                description: {$ref: './texts.yaml#/intro'}
            paths:
              /a: {$ref: ./paths/a.yaml}
              /b:
                get: {$ref: ./ops/b_get.yaml}
            """.replace("            ", ""),
            "paths/a.yaml": "get:\n  responses:\n    '200': {description: ok}\n",
            "ops/b_get.yaml": "operationId: getB\nx-codeSamples:\n  - $ref: ../samples/b.yaml\n"
            "responses:\n  '204': {description: gone}\n",
            "samples/b.yaml": "lang: curl\nsource: curl /b\n",
            "texts.yaml": "intro: Hello **world**\n",
        },
    )
    doc = bundle(root)
    assert doc["tags"][0]["description"] == "Hello **world**"
    assert doc["paths"]["/a"] == {"get": {"responses": {"200": {"description": "ok"}}}}
    assert doc["paths"]["/b"]["get"]["operationId"] == "getB"
    assert doc["paths"]["/b"]["get"]["x-codeSamples"] == [{"lang": "curl", "source": "curl /b"}]


def test_31_ref_siblings_are_kept(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": HEAD
            + """\
            paths:
              /a:
                get:
                  parameters:
                    - $ref: ./p.yaml
                      description: Overridden here
                  responses:
                    '200': {description: ok}
            """.replace("            ", ""),
            "p.yaml": "name: limit\nin: query\nschema: {type: integer}\n",
        },
    )
    doc = bundle(root)
    assert doc["paths"]["/a"]["get"]["parameters"][0] == {
        "$ref": "#/components/parameters/p",
        "description": "Overridden here",
    }


def test_legitimate_recursion_is_bundled_as_component_refs(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./Tree.yaml"),
            "Tree.yaml": "type: object\nproperties:\n  children:\n    type: array\n    items: {$ref: ./Tree.yaml}\n",
        },
    )
    doc = bundle(root)
    assert doc["components"]["schemas"]["Tree"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Tree"
    }
    dereferenced = bundle(root, dereference=True)
    tree = op_schema(dereferenced)
    assert tree["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Tree"}


def test_literal_data_keeps_ref_keys_and_big_integers(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./S.yaml"),
            "S.yaml": """
            type: object
            example: {$ref: not-a-file.yaml}
            default: {$ref: '#/nowhere'}
            enum: [{$ref: x}]
            properties:
              id: {type: integer, const: 18446744073709551615}
            """,
        },
    )
    schema = bundle(root)["components"]["schemas"]["S"]
    assert schema["example"] == {"$ref": "not-a-file.yaml"}
    assert schema["default"] == {"$ref": "#/nowhere"}
    assert schema["enum"] == [{"$ref": "x"}]
    assert schema["properties"]["id"]["const"] == 18446744073709551615
    assert "18446744073709551615" in dump_json(bundle(root))


def test_author_named_components_keep_their_names(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./schemas/Task.yaml")
            + "components:\n  schemas:\n    TaskV1:\n      $ref: ./schemas/Task.yaml\n",
            "schemas/Task.yaml": "type: object\n",
        },
    )
    doc = bundle(root)
    assert op_schema(doc) == {"$ref": "#/components/schemas/TaskV1"}
    assert doc["components"]["schemas"] == {"TaskV1": {"type": "object"}}


def test_names_are_stable_when_refs_are_added_elsewhere(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./models/Task.yaml"),
        "models/Task.yaml": "type: object\nproperties:\n  p: {$ref: ./Project.yaml}\n",
        "models/Project.yaml": "type: object\n",
        "other/Project.yaml": "type: string\n",
    }
    before = bundle(make_tree(tmp_path / "one", files))["components"]["schemas"]
    files["openapi.yaml"] += (
        "  /b:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema: {$ref: ./other/Project.yaml}\n"
    )
    after = bundle(make_tree(tmp_path / "two", files))["components"]["schemas"]
    for name, value in before.items():
        assert after[name] == value  # nothing renamed
    assert len(after) == len(before) + 1


def test_colliding_short_names_get_distinct_names(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": HEAD + "paths:\n  /a:\n    get:\n      parameters:\n"
            "        - $ref: ./shared/parameters.yml#/limit\n        - $ref: ./shared/more/parameters.yml#/limit\n"
            "      responses:\n        '200': {description: ok}\n",
            "shared/parameters.yml": "limit: {name: limit, in: query, schema: {type: integer}}\n",
            "shared/more/parameters.yml": "limit: {name: max, in: query, schema: {type: integer}}\n",
        },
    )
    doc = bundle(root)
    refs = [p["$ref"] for p in doc["paths"]["/a"]["get"]["parameters"]]
    assert len(set(refs)) == 2
    names = [r.rsplit("/", 1)[1] for r in refs]
    assert {doc["components"]["parameters"][n]["name"] for n in names} == {"limit", "max"}


def test_remove_unused_components(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="'#/components/schemas/Used'")
            + "components:\n  schemas:\n    Used: {$ref: '#/components/schemas/Inner'}\n    Inner: {type: string}\n"
            "    Unused: {type: integer}\n",
        },
    )
    assert set(bundle(root)["components"]["schemas"]) == {"Used", "Inner", "Unused"}
    assert set(bundle(root, remove_unused=True)["components"]["schemas"]) == {"Used", "Inner"}


def test_output_is_byte_deterministic(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./b.yaml") + "x-text: 'café ✓'\n",
            "b.yaml": "type: object\nproperties:\n  z: {$ref: ./a.yaml}\n  y: {$ref: ./c.yaml}\n",
            "a.yaml": "type: string\n",
            "c.yaml": "type: integer\n",
        },
    )
    first = dump_json(bundle(root))
    assert first == dump_json(bundle(root))
    assert first.endswith("}\n") and '  "openapi"' in first and "café ✓" in first
    assert list(json.loads(first)["components"]["schemas"]) == ["a", "b", "c"]


# ------------------------------------------------------------------------------------------ refusals

REFUSALS = {
    "missing-file": ("./nope.yaml", "ref-missing-file"),
    "missing-pointer": ("./defs.yaml#/Nope", "ref-missing-pointer"),
    "into-scalar": ("./defs.yaml#/Thing/type/x", "ref-into-scalar"),
    "traversal": ("../../../../../../etc/passwd", "ref-outside-root"),
    "absolute": ("/etc/passwd", "ref-absolute"),
    "file-uri": ("file:///etc/passwd", "ref-scheme"),
    "remote": ("https://example.com/schema.yaml", "ref-remote"),
    "directory": ("./sub", "ref-directory"),
    "empty": ("./empty.yaml", "empty-file"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_name_the_referencing_file_and_line(tmp_path: Path, case: str) -> None:
    ref, code = REFUSALS[case]
    root = make_tree(
        tmp_path / "spec",
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref=f"'{ref}'"),
            "defs.yaml": "Thing: {type: string}\n",
            "empty.yaml": "",
            "sub/x.yaml": "a: 1\n",
        },
    )
    error = refused(root)
    diagnostic = error.diagnostics[0]
    assert diagnostic.code == code
    assert diagnostic.location is not None
    if code == "empty-file":
        assert diagnostic.location.file.endswith("empty.yaml")
    else:
        assert diagnostic.location.file.endswith("openapi.yaml")
        assert diagnostic.location.line == 14  # the `$ref:` line
    assert "passwd" not in str(error) or code in ("ref-outside-root", "ref-absolute", "ref-scheme")


def test_symlink_leading_out_of_the_root_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("type: string\ndescription: TOP SECRET\n")
    root = make_tree(tmp_path / "spec", {"openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./link.yaml")})
    os.symlink(secret, tmp_path / "spec" / "link.yaml")
    error = refused(root)
    assert error.diagnostics[0].code == "ref-outside-root"
    assert "TOP SECRET" not in str(error)


def test_ref_roots_widen_the_allowed_folders(tmp_path: Path) -> None:
    make_tree(tmp_path / "common", {"limit.yaml": "type: integer\n"})
    root = make_tree(tmp_path / "spec", {"openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="../common/limit.yaml")})
    assert refused(root).diagnostics[0].code == "ref-outside-root"
    doc = bundle(root, ref_roots=(tmp_path / "common",))
    assert doc["components"]["schemas"]["limit"] == {"type": "integer"}


def test_circular_refs_with_no_way_out_show_the_chain(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": HEAD + "paths:\n  /a: {$ref: ./a.yaml}\n",
            "a.yaml": "$ref: ./b.yaml\n",
            "b.yaml": "$ref: ./a.yaml\n",
        },
    )
    error = refused(root)
    assert error.diagnostics[0].code == "ref-circular"
    assert "circular" in str(error) and "a.yaml -> b.yaml -> a.yaml" in str(error)
    assert error.diagnostics[0].location is not None and error.diagnostics[0].location.line == 1


def test_self_referencing_schema_alias_is_circular(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT_WITH_SCHEMA_REF.format(ref="./a.yaml"),
            "a.yaml": "$ref: ./a.yaml\n",
        },
    )
    doc = bundle(root)  # a schema that is only a ref to itself: kept as a component ref, no hang
    assert doc["components"]["schemas"]["a"] == {"$ref": "#/components/schemas/a"}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_json_root_positions_come_from_the_bytes_that_were_bundled(tmp_path: Path, newline: str) -> None:
    lines = ['{"openapi": "3.1.0",', ' "info": {"title": "T", "version": "1"},', ' "paths": {"/a": {"get": {}}}}']
    root = tmp_path / "api.json"
    root.write_bytes(newline.join(lines).encode())
    bundled = bundle_spec(root)
    root.write_text("{}")  # edited after bundling: positions still describe what was bundled
    where = bundled.locate("/paths/~1a/get")
    assert where is not None and (where.line, where.col) == (3, 19)
    assert bundled.locate("/info/version") == type(where)(str(root.resolve()), 2, 25)


@pytest.mark.parametrize("spacing", ['"mapping":{', '"mapping" :\n  { '])
def test_a_json_root_whose_discriminator_maps_to_a_file_is_bundled(tmp_path: Path, spacing: str) -> None:
    """A single JSON file is its own bundle only when nothing in it names another file: mappings count too."""
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/A"}],
        "discriminator": {"propertyName": "kind", "mapping": {"a": "./a.json"}},
    }
    operation = {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}
    root = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": operation}},
        "components": {"schemas": {"A": {"type": "object"}}},
    }
    text = json.dumps(root).replace('"mapping": {', spacing)
    make_tree(tmp_path, {"openapi.json": text, "a.json": '{"type": "object", "title": "from a.json"}'})
    doc = bundle(tmp_path / "openapi.json")
    mapping = op_schema(doc)["discriminator"]["mapping"]
    assert mapping["a"].startswith("#/components/schemas/")
    assert doc["components"]["schemas"][mapping["a"].rsplit("/", 1)[1]]["title"] == "from a.json"


def test_ref_paths_resolve_as_realpath_does_through_folder_links_and_dotdot(tmp_path: Path) -> None:
    """Folders on a ref's way are resolved step by step and remembered (refs.py ``_real_folder``): the file each
    ref names must be the one ``os.path.realpath`` names, ``..`` after a link included (the link's parent)."""
    import itertools

    from generators.bundle.refs import RefResolver

    spec = make_tree(tmp_path / "spec", {"openapi.yaml": HEAD, "a/b/x.yaml": "a: 1\n", "shared/x.yaml": "a: 1\n"})
    make_tree(tmp_path / "elsewhere" / "inner", {"x.yaml": "a: 1\n"})
    folder = spec.parent
    os.symlink("a/b", folder / "link")
    os.symlink("..", folder / "a" / "up")
    os.symlink("../elsewhere/inner", folder / "out")
    os.symlink("link", folder / "shared" / "chain")  # a dangling link: relative to shared/
    resolver = RefResolver(spec)
    parts = ["..", ".", "link", "a", "b", "up", "shared", "out", "chain", "missing"]
    checked = 0
    for base in (folder / "openapi.yaml", folder / "a" / "b" / "x.yaml", folder / "shared" / "x.yaml"):
        base = Path(os.path.realpath(base))
        for size in range(4):
            for way in itertools.product(parts, repeat=size):
                ref = "/".join([*way, "x.yaml"])
                expected = os.path.realpath(os.path.join(base.parent, ref))
                if expected.startswith(str(folder) + os.sep):
                    assert str(resolver.target_of(ref, base, lambda: None).file) == expected, (base, ref)
                else:
                    with pytest.raises(AtlasError) as caught:
                        resolver.target_of(ref, base, lambda: None)
                    assert caught.value.diagnostics[0].code == "ref-outside-root", (base, ref)
                checked += 1
    assert checked == 3 * sum(len(parts) ** n for n in range(4))


FARM = {
    "openapi.yaml": """
        openapi: 3.1.0
        info: {title: Farm, version: 1.0.0}
        paths:
          /animals:
            get:
              responses:
                "200":
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: ./schemas/Animal.yaml}
        components:
          schemas:
            Cow.V1: {$ref: ./schemas/Cow.yaml}
            Horse.V2: {type: object, title: horse}
        """,
    "schemas/Animal.yaml": """
        oneOf:
          - $ref: ./Cow.yaml
          - $ref: ./Pig.yaml
        discriminator:
          propertyName: kind
          mapping:
            cow: Cow.V1
            pig: Pig.yaml
            horse: Horse.V2
        """,
    "schemas/Cow.yaml": "type: object\ntitle: cow\n",
    "schemas/Pig.yaml": "type: object\ntitle: pig\n",
}


@pytest.mark.parametrize("remove_unused", [False, True])
def test_a_discriminator_mapping_name_with_a_dot_is_a_schema_name(tmp_path: Path, remove_unused: bool) -> None:
    # before: "Cow.V1" in a mapping was taken for a file beside Animal.yaml: ref-missing-file, no bundle.
    # A bare value naming a root components/schemas entry is that name (OpenAPI 3.1.1; Redocly writes the same
    # bundle); another bare value with a dot is still a file ("Pig.yaml"), as Redocly also resolves it.
    doc = bundle(make_tree(tmp_path, FARM), remove_unused=remove_unused)
    schemas = doc["components"]["schemas"]
    assert schemas["Animal"]["discriminator"]["mapping"] == {
        "cow": "Cow.V1",
        "pig": "#/components/schemas/Pig",
        "horse": "Horse.V2",
    }
    assert schemas["Cow.V1"]["title"] == "cow" and schemas["Pig"]["title"] == "pig"
    # named only by the mapping (as a subtype that allOf's its parent is): used, also when unused ones go
    assert schemas["Horse.V2"]["title"] == "horse"
