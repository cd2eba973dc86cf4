"""Documents for the parity tests: slices of big descriptions, single mutations, and the two verdicts compared."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from generators.bundle.bundler import BundledSpec
from generators.core.diagnostics import Severity
from generators.validate.fastcheck import fast_check
from generators.validate.structural import validate_bundle

Node = tuple[tuple[str | int, ...], Any]
_KINDS = ("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks")


def walk(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[Node]:
    """Every node of a JSON document with its path, parents before children."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def _refs(node: Any) -> Iterator[str]:
    for _, value in walk(node):
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            yield value["$ref"]


def slice_document(document: dict[str, Any], start: int, count: int) -> dict[str, Any]:
    """``count`` path items from ``start`` on, with just the components they reach (a small, real document)."""
    urls = list(document.get("paths", {}))[start : start + count]
    paths = {url: document["paths"][url] for url in urls}
    components = document.get("components", {})
    kept: dict[str, dict[str, Any]] = {}
    pending = list(_refs(paths))
    while pending:
        ref = pending.pop()
        parts = ref.split("/")
        if len(parts) != 4 or parts[:2] != ["#", "components"] or parts[2] not in _KINDS:
            continue
        kind, name = parts[2], parts[3].replace("~1", "/").replace("~0", "~")
        if name in kept.get(kind, {}) or name not in components.get(kind, {}):
            continue
        kept.setdefault(kind, {})[name] = components[kind][name]
        pending.extend(_refs(components[kind][name]))
    if "securitySchemes" in components:
        kept["securitySchemes"] = components["securitySchemes"]
    sliced = {k: v for k, v in document.items() if k not in ("paths", "components", "webhooks", "x-webhooks")}
    sliced["paths"] = paths
    sliced["components"] = kept
    return copy.deepcopy(sliced)


def with_document(bundled: BundledSpec, document: dict[str, Any]) -> BundledSpec:
    """The same source map over another (mutated) document."""
    return dataclasses.replace(bundled, document=document)


def _outcome(run: Callable[[], Any]) -> Any:
    try:
        return ("ok", run())
    except Exception as error:  # noqa: BLE001 - a crash of the library must be the same crash on both paths
        return ("raised", type(error).__name__)


def assert_parity(bundled: BundledSpec) -> None:
    """Our validate equals openapi-spec-validator's, and the fast path alone decides whether there are errors."""
    reference = _outcome(lambda: validate_bundle(bundled, fast=False))
    ours = _outcome(lambda: validate_bundle(bundled))
    assert ours == reference
    minor = ".".join(str(bundled.document.get("openapi", "")).split(".")[:2])
    verdict = fast_check(bundled.document, minor)
    library_clean = reference[0] == "ok" and not any(d.severity is Severity.ERROR for d in reference[1])
    assert verdict.clean == library_clean, verdict.reason


# --- single mutations: each returns a mutated copy, or None when the document offers no place for it ----------
Mutation = Callable[[dict[str, Any], int], dict[str, Any] | None]


def _pick(document: dict[str, Any], seed: int, test: Callable[[tuple[str | int, ...], Any], bool]) -> Node | None:
    candidates = [(path, node) for path, node in walk(document) if test(path, node)]
    return candidates[seed % len(candidates)] if candidates else None


def _at(document: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = document
    for part in path:
        node = node[part]
    return node


def _mutate(document: dict[str, Any], seed: int, test: Callable[..., bool], change: Callable[..., None]) -> Any:
    picked = _pick(document, seed, test)
    if picked is None:
        return None
    mutated = copy.deepcopy(document)
    change(mutated, picked[0], _at(mutated, picked[0]))
    return mutated


def _in_schema(path: tuple[str | int, ...]) -> bool:
    return "schema" in path or "schemas" in path or "items" in path or "properties" in path


def _is_schema(path: tuple[str | int, ...], node: Any) -> bool:
    return isinstance(node, dict) and _in_schema(path) and ("type" in node or "properties" in node)


def delete_key(document: dict[str, Any], seed: int) -> Any:
    def change(doc: Any, path: Any, node: Any) -> None:
        del _at(doc, path[:-1])[path[-1]]

    return _mutate(document, seed, lambda p, n: bool(p) and isinstance(p[-1], str), change)


def wrong_type(document: dict[str, Any], seed: int) -> Any:
    def change(doc: Any, path: Any, node: Any) -> None:
        _at(doc, path[:-1])[path[-1]] = 7 if isinstance(node, (str, dict, list)) else "seven"

    return _mutate(document, seed, lambda p, n: bool(p), change)


def unknown_key(document: dict[str, Any], seed: int) -> Any:
    return _mutate(document, seed, lambda p, n: isinstance(n, dict), lambda d, p, n: n.update(bogus=1))


def bad_enum(document: dict[str, Any], seed: int) -> Any:
    def test(path: Any, node: Any) -> bool:
        return bool(path) and path[-1] in ("in", "type", "style", "openapi", "format") and isinstance(node, str)

    return _mutate(document, seed, test, lambda d, p, n: _at(d, p[:-1]).update({p[-1]: "nonsense"}))


def undeclared_path_parameter(document: dict[str, Any], seed: int) -> Any:
    def change(doc: Any, path: Any, node: Any) -> None:
        paths = doc["paths"]
        paths[path[1] + "/{undeclared}"] = paths.pop(path[1])

    return _mutate(document, seed, lambda p, n: len(p) == 2 and p[0] == "paths", change)


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation under ``paths`` as the library's walk finds them (3.2: ``query`` and each member of
    ``additionalOperations`` too)."""
    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
    found = []
    for item in document.get("paths", {}).values():
        found += [op for m, op in item.items() if m in methods and isinstance(op, dict)]
        additional = item.get("additionalOperations")
        found += [op for op in additional.values() if isinstance(op, dict)] if isinstance(additional, dict) else []
    return found


def duplicate_operation_id(document: dict[str, Any], seed: int) -> Any:
    mutated = copy.deepcopy(document)
    operations = [op for op in _operations(mutated) if "operationId" in op]
    if len(operations) < 2:
        return None
    first = operations[seed % len(operations)]
    second = operations[(seed + 1) % len(operations)]
    second["operationId"] = first["operationId"]
    return mutated


def duplicate_parameter(document: dict[str, Any], seed: int) -> Any:
    def test(path: Any, node: Any) -> bool:
        return bool(path) and path[-1] == "parameters" and isinstance(node, list) and bool(node)

    return _mutate(document, seed, test, lambda d, p, n: n.append(copy.deepcopy(n[0])))


def invalid_default(document: dict[str, Any], seed: int) -> Any:
    def change(doc: Any, path: Any, node: Any) -> None:
        node["default"] = [] if node.get("type") != "array" else "not a list"

    return _mutate(document, seed, lambda p, n: _is_schema(p, n) and "type" in n, change)


def undefined_required(document: dict[str, Any], seed: int) -> Any:
    def change(doc: Any, path: Any, node: Any) -> None:
        node["allOf"] = [{"type": "object"}]
        node["required"] = [*node.get("required", []), "never-defined"]

    return _mutate(document, seed, lambda p, n: len(p) == 3 and p[:2] == ("components", "schemas"), change)


def duplicate_tag(document: dict[str, Any], seed: int) -> Any:
    if not document.get("tags"):
        return None
    mutated = copy.deepcopy(document)
    mutated["tags"].append(copy.deepcopy(mutated["tags"][seed % len(mutated["tags"])]))
    return mutated


def tag_parent(document: dict[str, Any], seed: int) -> Any:
    """A tag whose ``parent`` (3.2) names no tag, the tag itself, or a tag below it (a cycle)."""
    tags = document.get("tags")
    if not isinstance(tags, list) or not tags:
        return None
    mutated = copy.deepcopy(document)
    tags = mutated["tags"]
    tag = tags[seed % len(tags)]
    children = [t for t in tags if isinstance(t, dict) and t.get("parent") == tag.get("name")]
    choices = ["no-such-tag", tag.get("name"), *(c.get("name") for c in children)]
    tag["parent"] = choices[seed % len(choices)]
    return mutated


def meta_break(document: dict[str, Any], seed: int) -> Any:
    breaks: list[dict[str, Any]] = [
        {"minLength": -1},
        {"pattern": "("},
        {"enum": []},
        {"required": []},
        {"type": "nonsense"},
        {"exclusiveMinimum": True},
        {"enum": ["a", "a"]},
        {"items": [{"type": "string"}]},
        {"properties": {"p": 5}},
        {"discriminator": {"mapping": {}}},
        {"xml": {"bogus": 1}},
    ]
    extra = breaks[seed % len(breaks)]
    return _mutate(document, seed // len(breaks), _is_schema, lambda d, p, n: n.update(extra))


def dangling_ref(document: dict[str, Any], seed: int) -> Any:
    def test(path: Any, node: Any) -> bool:
        return isinstance(node, dict) and isinstance(node.get("$ref"), str)

    return _mutate(document, seed, test, lambda d, p, n: n.update({"$ref": "#/components/schemas/NoSuchThing"}))


MUTATIONS: dict[str, Mutation] = {
    f.__name__: f
    for f in (
        delete_key,
        wrong_type,
        unknown_key,
        bad_enum,
        undeclared_path_parameter,
        duplicate_operation_id,
        duplicate_parameter,
        invalid_default,
        undefined_required,
        duplicate_tag,
        tag_parent,
        meta_break,
        dangling_ref,
    )
}
