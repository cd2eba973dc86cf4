"""Prefetching files on two cores is only a cache: same bundle, same errors, unreferenced junk ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError
from generators.core.jsonout import dump_json
from generators.source import prefetch
from tests.support import HEAD, make_tree


def many_files(root: Path, broken_referenced: bool = False) -> Path:
    refs = "".join(f"        p{n}: {{$ref: './schemas/S{n}.yaml'}}\n" for n in range(80))
    files = {
        "openapi.yaml": HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema:\n"
        "                type: object\n                properties:\n" + refs.replace("        ", "                  "),
        "junk/dup.yaml": "a: 1\na: 2\n",  # never referenced: must not matter
        "junk/bomb.yaml": "a: &a [x, x]\nb: &b [*a, *a]\n",
    }
    for n in range(80):
        files[f"schemas/S{n}.yaml"] = f"type: string\nexample: s{n}\n"
    if broken_referenced:
        files["schemas/S7.yaml"] = "type: string\ntype: integer\n"
    return make_tree(root, files)


def test_prefetched_bundle_equals_the_sequential_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    parallel = dump_json(bundle_spec(root).document)
    monkeypatch.setattr(prefetch, "MIN_FILES", 10**9)
    assert dump_json(bundle_spec(root).document) == parallel
    assert "S79" in parallel


def test_a_broken_referenced_file_is_reported_as_without_prefetch(tmp_path: Path) -> None:
    root = many_files(tmp_path, broken_referenced=True)
    with pytest.raises(AtlasError) as caught:
        bundle_spec(root)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "yaml-duplicate-key"
    assert diagnostic.location is not None and diagnostic.location.file.endswith("S7.yaml")
    assert diagnostic.location.line == 2
