"""Incremental bundling (``bundle/memo.py``): after any sequence of edits, a bundle that replays kept walk results
is the full bundle, byte for byte, with the same origins, files and findings; and it walks only what changed."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.bundle.memo import WalkMemo
from generators.core.diagnostics import AtlasError
from generators.core.jsonout import dump_json_bytes
from generators.core.settings import load_settings
from generators.pipeline import check_bundle
from generators.source.cache import ParseCache


@dataclass
class Ref:
    """A ``$ref`` in the model: the file it names (relative to the spec folder), a pointer, sibling keys."""

    file: str
    pointer: str = ""
    siblings: dict[str, Any] = field(default_factory=dict)


class Project:
    """A modular spec as data; ``write()`` puts on disk exactly the files whose text changed."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.files: dict[str, Any] = {}
        self.broken: dict[str, str] = {}  # files whose text is a YAML error for now
        self.written: dict[str, str] = {}
        self.serial = 0
        schemas = ["schemas/Pet.yaml", "models/Pet.yaml", "schemas/Owner.yaml", "schemas/sub/Tag.yaml"]
        for index, path in enumerate(schemas):
            self.files[path] = {"type": "object", "properties": {"id": {"type": "integer"}, f"f{index}": {}}}
        self.files["schemas/Owner.yaml"]["properties"]["pet"] = Ref("schemas/Pet.yaml")
        self.files["shared/responses.yaml"] = {
            "NotFound": {
                "description": "not found",
                "content": {"application/json": {"schema": Ref("models/Pet.yaml")}},
            },
            "Error": {"description": "error"},
        }
        self.files["samples/curl.yaml"] = {"lang": "curl", "source": "curl https://api.test"}
        self.files["samples/go.yaml"] = {"lang": "go", "source": "client.Do()"}
        paths = {}
        for index in range(4):
            path = f"paths/op{index}.yaml"
            self.files[path] = {
                "operationId": f"op{index}",
                "summary": f"Operation {index}",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": Ref(self.rng.choice(schemas))}},
                    },
                    "404": Ref("shared/responses.yaml", "/NotFound"),
                },
                "x-codeSamples": [Ref("samples/curl.yaml")],
            }
            paths[f"/r{index}"] = {"get": Ref(path)}
        self.files["openapi.yaml"] = {
            "openapi": "3.1.0",
            "info": {"title": "Memo", "version": "1.0"},
            "paths": paths,
            "components": {"schemas": {"Local": {"type": "string"}}},
        }

    # ------------------------------------------------------------ disk

    def render(self, where: str, node: Any) -> Any:
        if isinstance(node, Ref):
            relative = os.path.relpath(node.file, os.path.dirname(where) or ".")
            return {"$ref": relative + (f"#{node.pointer}" if node.pointer else ""), **node.siblings}
        if isinstance(node, dict):
            return {key: self.render(where, value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.render(where, value) for value in node]
        return node

    def write(self) -> None:
        texts = {path: yaml.safe_dump(self.render(path, data), sort_keys=False) for path, data in self.files.items()}
        texts.update(self.broken)
        for path in set(self.written) - set(texts):
            (self.folder / path).unlink()
        for path, text in texts.items():
            if self.written.get(path) != text:
                (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
                (self.folder / path).write_text(text, encoding="utf-8")
        self.written = texts

    # ------------------------------------------------------------ edits

    def refs(self) -> Iterator[tuple[str, Any, Any]]:
        """(file, container, key) of every Ref in the model."""
        for path, data in self.files.items():
            stack: list[Any] = [data]
            while stack:
                node = stack.pop()
                members = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
                for key, value in members:
                    if isinstance(value, Ref):
                        yield path, node, key
                    else:
                        stack.append(value)

    def schema_files(self) -> list[str]:
        return sorted(p for p in self.files if p.startswith(("schemas/", "models/", "other/")))

    def edit(self) -> str:
        """One random edit; its name."""
        self.serial += 1
        if self.broken:  # a YAML error is fixed by the next edit
            self.broken.clear()
            return "fix-yaml"
        edits: list[Callable[[], None]] = [
            self.add_ref,
            self.add_ref,
            self.remove_ref,
            self.edit_text,
            self.edit_text,
            self.rename_file,
            self.delete_file,
            self.new_schema,
            self.inline_cycle,
            self.break_yaml,
            self.author_name,
            self.discriminator,
            self.sibling,
            self.local_ref,
            self.share_sample,
        ]
        chosen = self.rng.choice(edits)
        chosen()
        return chosen.__name__

    def add_ref(self) -> None:
        source = self.rng.choice(self.schema_files())
        properties = self.files[source].setdefault("properties", {})
        properties[f"p{self.serial}"] = Ref(self.rng.choice(self.schema_files()))  # cycles included

    def remove_ref(self) -> None:
        found = [(p, c, k) for p, c, k in self.refs() if p in self.schema_files() and isinstance(k, str)]
        if found:
            _, container, key = self.rng.choice(found)
            del container[key]

    def edit_text(self) -> None:
        path = self.rng.choice(sorted(self.files))
        data = self.files[path]
        if isinstance(data, dict):
            data["x-note" if path != "openapi.yaml" else "x-root-note"] = f"edit {self.serial}"

    def rename_file(self) -> None:
        old = self.rng.choice([p for p in self.schema_files() if p != "schemas/Owner.yaml"] or self.schema_files())
        new = self.rng.choice(["schemas/", "models/", "schemas/sub/", "other/"]) + f"R{self.serial}.yaml"
        if self.rng.random() < 0.3:
            new = "models/Pet.yaml" if old != "models/Pet.yaml" else "schemas/Pet.yaml"  # a name that collides
            if new in self.files:
                return
        self.files[new] = self.files.pop(old)
        for _, container, key in list(self.refs()):
            if container[key].file == old:
                container[key].file = new

    def delete_file(self) -> None:
        if len(self.schema_files()) < 3:
            return
        victim = self.rng.choice(self.schema_files())
        del self.files[victim]  # its refs dangle until a later edit brings a file there or drops them
        if self.rng.random() < 0.5:
            self.files[victim] = {"type": "string", "description": f"back {self.serial}"}

    def new_schema(self) -> None:
        path = self.rng.choice(["schemas/", "models/", "other/"]) + self.rng.choice(["Pet", "Owner", "Tag"]) + ".yaml"
        self.files.setdefault(path, {"type": "object", "properties": {"n": Ref(self.rng.choice(self.schema_files()))}})
        owner = self.rng.choice([p for p in self.files if p.startswith("paths/")])
        self.files[owner]["responses"]["201"] = {
            "description": "created",
            "content": {"application/json": {"schema": Ref(path)}},
        }

    def inline_cycle(self) -> None:
        # vendor extensions are inlined: a sample naming a sample that names it back is a cycle with no way out
        self.files["samples/go.yaml"]["x-see"] = Ref("samples/curl.yaml")
        if self.rng.random() < 0.5:
            self.files["samples/curl.yaml"]["x-see"] = Ref("samples/go.yaml")
        else:
            self.files["samples/curl.yaml"].pop("x-see", None)

    def break_yaml(self) -> None:
        path = self.rng.choice(sorted(self.files))
        self.broken[path] = "summary: [unclosed\n"

    def author_name(self) -> None:
        schemas = self.files["openapi.yaml"]["components"]["schemas"]
        named = [k for k in schemas if k != "Local"]
        if named and self.rng.random() < 0.5:
            del schemas[self.rng.choice(named)]
        else:
            schemas[self.rng.choice(["Pet", "Named", "Owner"])] = Ref(self.rng.choice(self.schema_files()))

    def discriminator(self) -> None:
        path = self.rng.choice(self.schema_files())
        target = os.path.relpath(self.rng.choice(self.schema_files()), os.path.dirname(path))
        self.files[path]["discriminator"] = {"propertyName": "kind", "mapping": {"a": target}}
        self.files[path]["oneOf"] = [Ref(self.rng.choice(self.schema_files()))]

    def sibling(self) -> None:
        found = list(self.refs())
        _, container, key = self.rng.choice(found)
        container[key].siblings = {"description": f"sibling {self.serial}"} if not container[key].siblings else {}

    def local_ref(self) -> None:
        path = self.rng.choice(self.schema_files())
        self.files[path].setdefault("properties", {})["local"] = Ref("openapi.yaml", "/components/schemas/Local")
        if self.rng.random() < 0.3:  # the target goes away (a dangling local ref), or comes back
            schemas = self.files["openapi.yaml"]["components"]["schemas"]
            schemas.pop("Local") if "Local" in schemas else schemas.setdefault("Local", {"type": "string"})

    def share_sample(self) -> None:
        # the same file inlined in two places: each place gets its own nodes, as in a full walk
        for path in self.rng.sample([p for p in self.files if p.startswith("paths/")], 2):
            self.files[path]["x-codeSamples"] = [Ref("samples/curl.yaml"), Ref("samples/go.yaml")]


def outcome(build: Callable[[], BundledSpec]) -> tuple[BundledSpec | None, list[str]]:
    try:
        return build(), []
    except AtlasError as exc:
        return None, [d.render() for d in exc.diagnostics]


def shared_nodes(document: Any) -> list[list[str]]:
    """Paths of every container that appears more than once in ``document`` (by identity)."""
    places: dict[int, list[str]] = {}
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, (dict, list)):
            places.setdefault(id(node), []).append(path)
            members = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((value, f"{path}/{key}") for key, value in members)
    return sorted(sorted(paths) for paths in places.values() if len(paths) > 1)


@pytest.mark.parametrize("seed", range(6))
def test_incremental_bundles_equal_full_bundles_after_random_edits(tmp_path: Path, seed: int) -> None:
    project = Project(tmp_path / "spec", random.Random(seed))
    project.write()
    root = tmp_path / "spec" / "openapi.yaml"
    settings = load_settings(spec=root)
    cache, memo = ParseCache(), WalkMemo()
    previous: tuple[BundledSpec, bytes] | None = None
    kinds: set[str] = set()
    for step in range(100):
        cache.begin()
        incremental, inc_errors = outcome(lambda: bundle_spec(root, cache=cache, memo=memo))
        full, full_errors = outcome(lambda: bundle_spec(root))
        context = f"seed {seed}, step {step}, after {sorted(kinds)}"
        assert inc_errors == full_errors, context
        if full is not None and incremental is not None:
            kinds.add("ok")
            assert dump_json_bytes(incremental.document) == dump_json_bytes(full.document), context
            assert list(incremental.origins.items()) == list(full.origins.items()), context
            assert set(incremental.files_read) == set(full.files_read), context
            assert shared_nodes(incremental.document) == shared_nodes(full.document), context
            if step % 7 == 0:
                checked = [d.render() for d in check_bundle(incremental, settings).diagnostics]
                assert checked == [d.render() for d in check_bundle(full, settings).diagnostics], context
            if previous is not None:  # an earlier bundle shares kept trees: none of them was written to
                assert dump_json_bytes(previous[0].document) == previous[1], context
            previous = (incremental, dump_json_bytes(incremental.document))
        else:
            kinds.add(inc_errors[0].split("[", 1)[-1].split("]", 1)[0])
        kinds.add(project.edit())
        project.write()
    # the run met each kind of edit, and builds that fail (YAML error, missing file, cycle) as well as succeed
    assert {"ok", "yaml-syntax", "ref-missing-file"} <= kinds, kinds


def test_a_one_file_edit_walks_only_the_units_that_read_it(tmp_path: Path) -> None:
    project = Project(tmp_path / "spec", random.Random(0))
    project.write()
    root = tmp_path / "spec" / "openapi.yaml"
    cache, memo = ParseCache(racy_seconds=0), WalkMemo()
    first = bundle_spec(root, cache=cache, memo=memo)
    assert memo.walked > 10 and memo.replayed == 0
    cache.begin()
    assert dump_json_bytes(bundle_spec(root, cache=cache, memo=memo).document) == dump_json_bytes(first.document)
    assert memo.walked == 0 and cache.parses == 0
    # a schema used from many places: that component alone is walked again
    project.files["schemas/Pet.yaml"]["description"] = "edited"
    project.write()
    cache.begin()
    edited = bundle_spec(root, cache=cache, memo=memo)
    assert (memo.walked, cache.parses) == (1, 1)
    assert dump_json_bytes(edited.document) == dump_json_bytes(bundle_spec(root).document)
    # an inlined operation: it and the root that inlines it (whose other operations are replayed)
    project.files["paths/op2.yaml"]["summary"] = "edited"
    project.write()
    cache.begin()
    edited = bundle_spec(root, cache=cache, memo=memo)
    assert (memo.walked, cache.parses) == (2, 1)
    assert dump_json_bytes(edited.document) == dump_json_bytes(bundle_spec(root).document)


@pytest.mark.slow
@pytest.mark.external
def test_digitalocean_incremental_bundle_after_edits(tmp_path: Path) -> None:
    from tests.conftest import shared_path

    source = shared_path("corpus", "digitalocean", "specification")
    shutil.copytree(source, tmp_path / "do")
    root = tmp_path / "do" / "DigitalOcean-public.v2.yaml"
    from generators.artefacts.docs.enrich import page_copy
    from generators.core.jsonout import dump_compact_ascii
    from generators.serve.fragments import Fragments

    cache, memo = ParseCache(racy_seconds=0), WalkMemo()
    indented, compact = Fragments(indented=True), Fragments(indented=False)
    first = bundle_spec(root, cache=cache, memo=memo).document
    indented.dump(first)
    compact.dump(page_copy(first, "do"))
    edits = [
        ("resources/droplets/models/droplet.yml", "type: object\n", "type: object\ndescription: edited\n"),
        ("resources/droplets/droplets_get.yml", "summary: Retrieve an Existing Droplet", "summary: Edited"),
        ("shared/responses/unauthorized.yml", "headers:\n", "headers:\n  x-new:\n    schema: {type: string}\n"),
    ]
    for file, old, new in edits:
        path = tmp_path / "do" / file
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        cache.begin()
        incremental = bundle_spec(root, cache=cache, memo=memo)
        assert cache.parses == 1 and memo.walked <= 2, file
        full = bundle_spec(root)
        assert dump_json_bytes(incremental.document) == dump_json_bytes(full.document), file
        assert list(incremental.origins.items()) == list(full.origins.items()), file
        # serve writes the JSON reusing the text of the subtrees the edit left alone: the same bytes
        assert indented.dump(incremental.document) == dump_json_bytes(full.document), file
        copy = page_copy(incremental.document, "do")
        assert compact.dump(copy) == dump_compact_ascii(page_copy(full.document, "do")).encode("ascii"), file
        assert indented.written < 50, file
