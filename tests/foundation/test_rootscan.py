"""A big JSON root's text is scanned on the other core while it is parsed: same bundles, same refusals."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import generators.bundle.refs as refs
import generators.bundle.rootscan as rootscan
from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError
from generators.core.jsonout import dump_json
from generators.source.json_loader import raw_facts
from generators.validate.structural import validate_bundle
from tests.support import counting_forks, make_tree, no_child_left


def root_json(extra: str = "", ref: str = "#/components/schemas/S0") -> str:
    """A JSON root whose schemas end with ``extra`` (JSON text: a duplicate key cannot be built as a dict)."""
    schemas = {f"S{n}": {"type": "string", "example": f"s{n}: a colon"} for n in range(40)}
    content = {"application/json": {"schema": {"$ref": ref}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1.0"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}},
        "components": {"schemas": schemas},
    }
    return json.dumps(document)[: -len("}}}")] + extra + "}}}"


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every JSON root is scanned in a child, and the scans never run in this process."""
    monkeypatch.setattr(rootscan, "MIN_FORKED", 1)
    here = os.getpid()

    def only_in_the_child(real: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
        def scan(text: bytes) -> Any:
            assert os.getpid() != here, "scanned here, not in the child"
            return real(text)

        return scan

    monkeypatch.setattr(rootscan, "raw_facts", only_in_the_child(raw_facts))
    monkeypatch.setattr(rootscan, "ref_strings", only_in_the_child(rootscan.ref_strings))
    return counting_forks(monkeypatch)


def bundled(root: Path) -> str:
    return dump_json(bundle_spec(root).document)


def test_the_childs_scans_give_the_bundle_made_here(tmp_path: Path, forked: list[int]) -> None:
    root = make_tree(tmp_path, {"api.json": root_json()})
    scanned = bundled(root)
    assert forked == [1]
    assert no_child_left()
    assert scanned == json.dumps(json.loads(root.read_text()), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "extra",
    [', "S0": {"type": "integer"}', ', "S1\\u003a": {}, "S1\\u003a": {}'],
    ids=["duplicate", "duplicate-escaped-colon"],
)
def test_a_duplicate_key_is_refused_with_the_childs_facts(tmp_path: Path, forked: list[int], extra: str) -> None:
    root = make_tree(tmp_path, {"api.json": root_json(extra)})
    with pytest.raises(AtlasError) as caught:
        bundle_spec(root)
    assert caught.value.diagnostics[0].code == "yaml-duplicate-key"
    assert forked == [1]
    assert no_child_left()


def test_a_ref_to_another_file_found_by_the_child_is_bundled(tmp_path: Path, forked: list[int]) -> None:
    root = make_tree(tmp_path, {"api.json": root_json(ref="./Pet.json"), "Pet.json": '{"type": "object"}'})
    document = bundle_spec(root).document
    assert document["components"]["schemas"]["Pet"] == {"type": "object"}
    assert forked == [1]


def _raise(text: bytes) -> Any:
    raise RuntimeError("the scan failed")


@pytest.mark.parametrize("failure", ["dies", "raises"])
def test_a_failing_child_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    root = make_tree(tmp_path, {"api.json": root_json(ref="./Pet.json"), "Pet.json": '{"type": "object"}'})
    expected = bundled(root)
    monkeypatch.setattr(rootscan, "MIN_FORKED", 1)
    forks = counting_forks(monkeypatch)
    if failure == "dies":
        monkeypatch.setattr(rootscan, "_scan", lambda text: os._exit(1))
    else:
        monkeypatch.setattr(rootscan, "_scan", _raise)
    assert bundled(root) == expected
    assert forks == [1]
    assert no_child_left()


def test_a_small_root_is_scanned_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forks = counting_forks(monkeypatch)
    bundled(make_tree(tmp_path, {"api.json": root_json()}))
    assert forks == []


@pytest.mark.parametrize("big", [False, True], ids=["small", "scanned-in-a-child"])
@pytest.mark.parametrize("key", ["\\u0024ref", "$r\\u0065f", "\\u0024\\u0072\\u0065\\u0066"])
def test_a_ref_key_written_with_escapes_is_still_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big: bool, key: str
) -> None:
    # the text scan saw no ref to another file, so the root was taken as its own bundle, the ref left behind
    if big:
        monkeypatch.setattr(rootscan, "MIN_FORKED", 1)
    extra = f', "Pet": {{"{key}": "./Pet.json"}}'
    root = make_tree(tmp_path, {"api.json": root_json(extra), "Pet.json": '{"type": "object"}'})
    bundle = bundle_spec(root)
    assert bundle.document["components"]["schemas"]["Pet"] == {"type": "object"}
    assert bundle.local_refs is None


def test_an_escaped_mapping_key_is_still_bundled(tmp_path: Path) -> None:
    discriminator = '"discriminator": {"propertyName": "k", "m\\u0061pping": {"p": "./Pet.json"}}'
    extra = f', "Any": {{"oneOf": [{{"$ref": "#/components/schemas/S1"}}], {discriminator}}}'
    root = make_tree(tmp_path, {"api.json": root_json(extra), "Pet.json": '{"type": "object"}'})
    mapping = bundle_spec(root).document["components"]["schemas"]["Any"]["discriminator"]["mapping"]
    assert mapping == {"p": "#/components/schemas/Pet"}


def test_the_refs_of_a_self_contained_root_spare_the_cycle_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(tmp_path, {"api.json": root_json()})
    bundle = bundle_spec(root)
    assert bundle.local_refs == frozenset({"#/components/schemas/S0"})

    def no_walk(*args: Any, **kwargs: Any) -> list[str]:
        raise AssertionError("walked the document for its refs")

    monkeypatch.setattr(refs, "local_refs", no_walk)
    assert validate_bundle(bundle) == []
    assert bundle_spec(root, dereference=True).local_refs is None


def test_an_alias_cycle_in_a_self_contained_root_is_found(tmp_path: Path) -> None:
    extra = ', "A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}'
    root = make_tree(tmp_path, {"api.json": root_json(extra, ref="#/components/schemas/A")})
    bundle = bundle_spec(root)
    assert bundle.local_refs is not None
    found = validate_bundle(bundle)
    assert [d.code for d in found] == ["ref-circular"]
    assert found[0].message == refs_walked_message(bundle)
    assert refs.alias_cycles(bundle.document, bundle.local_refs) == refs.alias_cycles(bundle.document)


def refs_walked_message(bundle: Any) -> str:
    """The message the walk of every ref gives (the path taken before refs were known)."""
    [chain] = refs.alias_cycles(bundle.document)
    return f"circular $ref with no way out: {' -> '.join(chain)}"
