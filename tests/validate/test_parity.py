"""The fast path's verdict equals openapi-spec-validator's, on real descriptions and on single mutations of them.

Each case compares ``validate_bundle`` (fast path first) with ``validate_bundle(fast=False)`` (the library alone):
same diagnostics, same locations, same crash if the library crashes; and ``fast_check`` alone says "clean"
exactly when the library reports no error. Mutations are drawn by hypothesis (derandomized: CI replays the same
cases) from small slices of the big descriptions, so the library's slow walk stays affordable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.core.diagnostics import Severity
from generators.validate.fastcheck import fast_check
from generators.validate.structural import validate_bundle
from tests.conftest import REPO, node_package_file, shared_path
from tests.foundation.test_conformance import github_31
from tests.validate.documents import MUTATIONS, assert_parity, slice_document, walk, with_document

# tests/invalid holds sources the loader or bundler refuses on purpose: nothing reaches validation there
FIXTURES = sorted(
    p for p in (REPO / "tests").rglob("openapi.yaml") if "validate" not in p.parts and "invalid" not in p.parts
)
SLICE_PATHS = 12
_CASES = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
_MANY_CASES = settings(_CASES, max_examples=150)  # the slow-marked corpus runs


@pytest.fixture(scope="module")
def atlas() -> BundledSpec:
    return bundle_spec(REPO / "spec" / "openapi.yaml")


@pytest.fixture(scope="module")
def digitalocean() -> BundledSpec:
    return bundle_spec(shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml"))


@pytest.fixture(scope="module")
def github() -> BundledSpec:
    return bundle_spec(node_package_file("@octokit", "openapi", "generated", "api.github.com.json"))


@pytest.fixture(scope="module")
def github31(github: BundledSpec, tmp_path_factory: pytest.TempPathFactory) -> BundledSpec:
    root = tmp_path_factory.mktemp("github31") / "github-3.1.json"
    root.write_text(json.dumps(github_31(github.document)))
    return bundle_spec(root)


@pytest.mark.parametrize("root", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "tests").parent))
def test_fixture_parity(root: Path) -> None:
    assert_parity(bundle_spec(root))


def test_atlas_spec_parity(atlas: BundledSpec) -> None:
    assert_parity(atlas)
    assert validate_bundle(atlas) == []


@pytest.mark.slow
def test_digitalocean_parity(digitalocean: BundledSpec) -> None:
    assert_parity(digitalocean)
    # its one invalid default is a warning, worded and located by the library on both paths
    assert [d.code for d in validate_bundle(digitalocean)] == ["oas-default-invalid"]


@pytest.mark.slow
@pytest.mark.external
def test_github_30_parity(github: BundledSpec) -> None:
    assert_parity(github)


@pytest.mark.slow
@pytest.mark.external
def test_github_31_parity(github31: BundledSpec) -> None:
    assert_parity(github31)


@pytest.fixture(scope="module")
def github32(github: BundledSpec, tmp_path_factory: pytest.TempPathFactory) -> BundledSpec:
    root = tmp_path_factory.mktemp("github32") / "github-3.2.json"
    root.write_text(json.dumps(github_32(github.document)))
    return bundle_spec(root)


def github_32(document: dict[str, Any]) -> dict[str, Any]:
    """GitHub's description as 3.1 (``github_31``), then 3.2 with its new places used: every 7th path's POST as a
    QUERY, every 11th path's DELETE as an additional PURGE, and tags in a hierarchy (each under the first)."""
    converted = github_31(document)
    converted["openapi"] = "3.2.0"
    for index, item in enumerate(converted["paths"].values()):
        if index % 7 == 0 and "post" in item:
            item["query"] = item.pop("post")
        if index % 11 == 0 and "delete" in item:
            item["additionalOperations"] = {"PURGE": item.pop("delete")}
    tags = converted.get("tags", [])
    for tag in tags[1:]:
        tag["parent"] = tags[0]["name"]
    return converted


@pytest.fixture(scope="module")
def oas32() -> BundledSpec:
    return bundle_spec(REPO / "tests" / "foundation" / "fixtures" / "oas32" / "openapi.yaml")


def test_oas32_is_judged_by_the_fast_path(oas32: BundledSpec) -> None:
    """OpenAPI 3.2 has a fast path: a clean 3.2 description never needs the library (14 s on GitHub's)."""
    assert fast_check(oas32.document, "3.2").clean
    assert validate_bundle(oas32) == []


@pytest.mark.slow
@pytest.mark.external
def test_github_32_parity(github32: BundledSpec) -> None:
    assert fast_check(github32.document, "3.2").clean
    assert_parity(github32)


def _mutation_cases(source: Callable[[], BundledSpec], cases: settings) -> Any:
    @cases
    @given(kind=st.sampled_from(sorted(MUTATIONS)), seed=st.integers(0, 10**6), start=st.integers(0, 10**4))
    def run(kind: str, seed: int, start: int) -> None:
        bundled = source()
        document = bundled.document
        document = slice_document(document, start % max(1, len(document["paths"]) - SLICE_PATHS), SLICE_PATHS)
        mutated = MUTATIONS[kind](document, seed)
        assume(mutated is not None)
        assert_parity(with_document(bundled, mutated))

    return run


def test_mutations_of_atlas_spec(atlas: BundledSpec) -> None:
    _mutation_cases(lambda: atlas, _CASES)()


@pytest.mark.slow
def test_mutations_of_digitalocean(digitalocean: BundledSpec) -> None:
    _mutation_cases(lambda: digitalocean, _MANY_CASES)()


@pytest.mark.slow
@pytest.mark.external
def test_mutations_of_github_30(github: BundledSpec) -> None:
    _mutation_cases(lambda: github, _MANY_CASES)()


@pytest.mark.slow
@pytest.mark.external
def test_mutations_of_github_31(github31: BundledSpec) -> None:
    _mutation_cases(lambda: github31, _MANY_CASES)()


def test_mutations_of_oas32(oas32: BundledSpec) -> None:
    _mutation_cases(lambda: oas32, _CASES)()


@pytest.mark.slow
@pytest.mark.external
def test_mutations_of_github_32(github32: BundledSpec) -> None:
    _mutation_cases(lambda: github32, _CASES)()  # the library alone walks 3.2 (no pruning): 0.45 s a case


_SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x-a", "string", "path", "{id}"])
_KEYS = st.sampled_from(["type", "name", "x-k", "$ref", "in", "schema"])
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_KEYS, inner, max_size=2),
    max_leaves=4,
)


@_CASES
@given(index=st.integers(0, 10**6), value=_JSON, start=st.integers(0, 10**4))
def test_any_node_replaced_by_any_value(index: int, value: Any, start: int) -> None:
    bundled = _small_fixture()
    document = slice_document(bundled.document, start % max(1, len(bundled.document["paths"])), 4)
    nodes = [path for path, _ in walk(document) if path]
    parent: Any = document
    path = nodes[index % len(nodes)]
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    assert_parity(with_document(bundled, document))


_FIXTURE_CACHE: dict[str, BundledSpec] = {}


def _small_fixture() -> BundledSpec:
    if "atlas" not in _FIXTURE_CACHE:
        _FIXTURE_CACHE["atlas"] = bundle_spec(REPO / "spec" / "openapi.yaml")
    return _FIXTURE_CACHE["atlas"]


def test_errors_are_located_in_the_source(atlas: BundledSpec) -> None:
    """A finding reached through the fast path's fallback still names file:line and the JSON path."""
    document = json.loads(json.dumps(atlas.document))
    first_path = next(iter(document["paths"].values()))
    next(op for m, op in first_path.items() if m in ("get", "post", "put", "delete", "patch"))["bogus"] = 1
    diagnostics = validate_bundle(with_document(atlas, document))
    assert [d.severity for d in diagnostics] == [Severity.ERROR]
    assert diagnostics[0].code == "struct"
    assert diagnostics[0].location is not None and diagnostics[0].location.line > 0
    assert "bogus" in diagnostics[0].message


def test_path_extensions_are_not_path_items(atlas: BundledSpec) -> None:
    document = json.loads(json.dumps(atlas.document))
    document["paths"]["x-note"] = "paths may carry extensions; they are not path items"
    bundled = with_document(atlas, document)
    assert_parity(bundled)
    assert validate_bundle(bundled) == []


# (schema, default) pairs the fast path settles alone or leaves to the library: either way, the library's findings
_DEFAULTS = [
    ({"type": "integer"}, 10),
    ({"type": "integer"}, "ten"),
    ({"type": "integer", "format": "int32"}, 2**40),
    ({"type": "string", "format": "date-time"}, "yesterday"),
    ({"type": "string", "format": "regex"}, "\\p{L}+"),
    ({"type": "string", "pattern": "^\\p{Lu}"}, "Abc"),
    ({"type": "string", "pattern": "^\\p{Lu}"}, "abc"),
    ({"type": "string", "nullable": True}, None),
    ({"type": "string"}, None),
    ({"enum": [1, 2]}, True),
    ({"type": "array", "items": {"type": "string"}, "uniqueItems": True}, ["a", "a"]),
    ({"type": "object", "required": ["a"], "readOnly": True}, {}),
    ({"$ref": "#/components/schemas/Count"}, "many"),
    ({"allOf": [{"$ref": "#/components/schemas/Count"}], "default": 3}, 3),
    ({"type": "object", "properties": {"n": {"$ref": "#/components/schemas/Count"}}}, {"n": "x"}),
    ({"type": "object", "properties": {"$ref": {"type": "string"}}}, {"$ref": 1}),
]


@pytest.mark.parametrize("oas", ["3.0.3", "3.1.0", "3.2.0"])
@pytest.mark.parametrize(("schema", "default"), _DEFAULTS, ids=lambda v: json.dumps(v)[:40])
def test_defaults_settled_here_or_by_the_library(tmp_path: Path, oas: str, schema: Any, default: Any) -> None:
    if not oas.startswith("3.0") and schema.get("nullable"):
        schema = {"type": ["string", "null"]}
    document = {
        "openapi": oas,
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Count": {"type": "integer"}, "WithDefault": {**schema, "default": default}}},
    }
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    bundled = bundle_spec(tmp_path / "openapi.json")
    verdict = fast_check(bundled.document, oas[:3])
    assert verdict.clean, verdict.reason  # the fast path does reach the defaults
    assert_parity(bundled)
