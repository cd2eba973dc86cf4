"""Golden files: the whole collection and environment, byte for byte (``pytest --update-golden`` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.postman import environment as postman_environment
from tests.conftest import REPO
from tests.postman.postman_harness import GOLDEN, SHOP, bundled, settings

CASES = {
    "shop": (SHOP, "shop", {}),
    "shop-paths-schema": (SHOP, "shop", {"folders": "paths", "params": "schema"}),
    "atlas": (REPO / "spec" / "openapi.yaml", "atlas-public-api", {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, tmp_path: Path, update_golden: bool) -> None:
    root, name, options = CASES[case]
    if not root.is_file():
        pytest.fail(f"{root} is missing")
    document = bundled(root)
    config = settings(name, tmp_path, **options)
    produced = {
        "collection.json": postman_collection.generate(document, config).content,
        "environment.json": postman_environment.generate(document, config).content,
    }
    folder = GOLDEN / case
    if update_golden:
        folder.mkdir(parents=True, exist_ok=True)
        for file, content in produced.items():
            (folder / file).write_bytes(content)
    on_disk = {p.name: p.read_bytes() for p in folder.glob("*.json")} if folder.is_dir() else {}
    assert sorted(on_disk) == sorted(produced), f"golden files of {case} missing or extra: run with --update-golden"
    for file, content in produced.items():
        assert content == on_disk[file], f"{case}/{file} differs from its golden file (review, then --update-golden)"
