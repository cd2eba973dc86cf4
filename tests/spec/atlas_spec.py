"""The Atlas spec bundled once per test session, and a walk over every example written in its source.

Each example is paired with the schema it must satisfy, named by a JSON pointer into the bundled document, so that
``$ref``s resolve exactly as integrators' tools resolve them.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generators.bundle.bundler import BundledSpec, bundle_spec
from tests.conftest import REPO

SPEC_ROOT = REPO / "spec" / "openapi.yaml"
BASE_URI = "urn:atlas:bundle"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords whose value is a schema, a list of schemas, or a map of schemas (JSON Schema 2020-12).
_SUBSCHEMA = (
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


@dataclass(frozen=True)
class ExampleCase:
    """One example value and the bundled-document pointer of the schema it must validate against."""

    label: str
    value: Any
    schema_pointer: str
    example_pointer: str


@functools.cache
def bundled() -> BundledSpec:
    """spec/openapi.yaml bundled by our own bundler (once per session)."""
    return bundle_spec(SPEC_ROOT)


@functools.cache
def _registry(strict: bool) -> Registry[Any]:
    document = _closed(bundled().document) if strict else bundled().document
    resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT202012)
    return Registry().with_resource(BASE_URI, resource)


def validator_for(schema_pointer: str, strict: bool = False) -> Draft202012Validator:
    """A 2020-12 validator (formats checked) for the schema at ``schema_pointer`` of the bundled document.

    ``strict`` closes every object schema (``unevaluatedProperties: false``) so that a misspelt or undocumented
    member of an example is caught too; response schemas stay open in the spec itself for forward compatibility.
    """
    return Draft202012Validator(
        {"$ref": f"{BASE_URI}#{schema_pointer}"}, registry=_registry(strict), format_checker=FormatChecker()
    )


def _closed(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` whose object schemas admit only the members they (or their allOf parts) declare.

    The parts of an ``allOf`` stay open (each sees only its own members); the schema holding the ``allOf`` is
    closed instead, which accounts for the members of every part.
    """
    closed = copy.deepcopy(document)
    parts: set[int] = set()
    for node in _schema_nodes(closed):
        for part in node.get("allOf", []):
            parts.add(id(resolve(closed, part)[0]))
    for node in _schema_nodes(closed):
        if id(node) in parts or "unevaluatedProperties" in node or "additionalProperties" in node:
            continue
        if "allOf" in node or "properties" in node:
            node["unevaluatedProperties"] = False
    return closed


def _schema_nodes(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every inline schema object of the document (named schemas, and schemas under ``schema`` keys)."""
    stack: list[Any] = list(document.get("components", {}).get("schemas", {}).values())
    stack += [v["schema"] for v in _dicts(document) if isinstance(v.get("schema"), dict)]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack += [node[k] for k in _SUBSCHEMA if k in node]
        stack += [sub for k in _SUBSCHEMA_LISTS for sub in node.get(k) or []]
        stack += [sub for k in _SUBSCHEMA_MAPS for sub in (node.get(k) or {}).values()]


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in ``node``, depth first, skipping literal example data."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in ("example", "examples", "value", "default", "enum", "const"):
                yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape(str(t)) for t in tokens)


def resolve(document: dict[str, Any], node: Any) -> tuple[Any, str | None]:
    """Follow a local ``$ref`` (as the bundle writes them); return the target and its pointer."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        pointer = node["$ref"][1:]
        target: Any = document
        for token in pointer.split("/")[1:]:
            target = target[token.replace("~1", "/").replace("~0", "~")]
        return target, pointer
    return node, None


class ExampleWalk:
    """Collects every example of the bundled document, and which component examples were used."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.cases: list[ExampleCase] = []
        self.used_component_examples: set[str] = set()

    def run(self) -> list[ExampleCase]:
        components = self.document.get("components", {})
        for name, schema in components.get("schemas", {}).items():
            self.schema(schema, join("/components/schemas", name), f"schema {name}")
        for name, parameter in components.get("parameters", {}).items():
            self.parameter(parameter, join("/components/parameters", name), f"parameter {name}")
        for name, header in components.get("headers", {}).items():
            self.parameter(header, join("/components/headers", name), f"header {name}")
        for name, response in components.get("responses", {}).items():
            self.response(response, join("/components/responses", name), f"response {name}")
        for section in ("paths", "webhooks"):
            for key, item in self.document.get(section, {}).items():
                self.path_item(item, join(f"/{section}", key), key)
        return self.cases

    def add(self, label: str, value: Any, schema_pointer: str, example_pointer: str) -> None:
        self.cases.append(ExampleCase(label, value, schema_pointer, example_pointer))

    def schema(self, schema: Any, pointer: str, label: str) -> None:
        """Schema ``example`` and ``examples``, in this schema and every inline subschema."""
        if not isinstance(schema, dict) or ("$ref" in schema and len(schema) == 1):
            return
        if "example" in schema:
            self.add(f"{label} example", schema["example"], pointer, join(pointer, "example"))
        for index, value in enumerate(schema.get("examples") or []):
            self.add(f"{label} examples[{index}]", value, pointer, join(pointer, "examples", index))
        for key in _SUBSCHEMA:
            if isinstance(schema.get(key), dict):
                self.schema(schema[key], join(pointer, key), f"{label}.{key}")
        for key in _SUBSCHEMA_LISTS:
            for index, sub in enumerate(schema.get(key) or []):
                self.schema(sub, join(pointer, key, index), f"{label}.{key}[{index}]")
        for key in _SUBSCHEMA_MAPS:
            for name, sub in (schema.get(key) or {}).items():
                self.schema(sub, join(pointer, key, name), f"{label}.{name}")

    def parameter(self, parameter: Any, pointer: str, label: str) -> None:
        """A parameter or header: its ``example``/``examples`` against its schema (or its content's)."""
        if not isinstance(parameter, dict) or "$ref" in parameter:
            return  # a reference: the component is walked once, under components
        if "schema" in parameter:
            self.examples_of(parameter, pointer, join(pointer, "schema"), label)
            self.schema(parameter["schema"], join(pointer, "schema"), f"{label} schema")
        for media, content in (parameter.get("content") or {}).items():
            self.media_type(content, join(pointer, "content", media), f"{label} {media}")

    def media_type(self, media: dict[str, Any], pointer: str, label: str) -> None:
        if "schema" not in media:
            return
        self.examples_of(media, pointer, join(pointer, "schema"), label)
        self.schema(media["schema"], join(pointer, "schema"), f"{label} schema")

    def examples_of(self, holder: dict[str, Any], pointer: str, schema_pointer: str, label: str) -> None:
        """``example`` and every entry of ``examples`` (inline or a component) of a media type or parameter."""
        if "example" in holder:
            self.add(f"{label} example", holder["example"], schema_pointer, join(pointer, "example"))
        for name, example in (holder.get("examples") or {}).items():
            target, ref = resolve(self.document, example)
            if ref is not None:
                self.used_component_examples.add(ref)
            if "value" in target:
                where = join(ref, "value") if ref else join(pointer, "examples", name, "value")
                self.add(f"{label} [{name}]", target["value"], schema_pointer, where)

    def response(self, response: Any, pointer: str, label: str) -> None:
        if not isinstance(response, dict) or "$ref" in response:
            return
        for name, header in (response.get("headers") or {}).items():
            self.parameter(header, join(pointer, "headers", name), f"{label} header {name}")
        for media, content in (response.get("content") or {}).items():
            self.media_type(content, join(pointer, "content", media), f"{label} {media}")

    def path_item(self, item: dict[str, Any], pointer: str, key: str) -> None:
        for index, parameter in enumerate(item.get("parameters") or []):
            self.parameter(parameter, join(pointer, "parameters", index), f"{key} parameter {index}")
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            op_pointer = join(pointer, method)
            name = operation.get("operationId", f"{method.upper()} {key}")
            for index, parameter in enumerate(operation.get("parameters") or []):
                label = f"{name} parameter {parameter.get('name', index)}"
                self.parameter(parameter, join(op_pointer, "parameters", index), label)
            body = operation.get("requestBody") or {}
            for media, content in (body.get("content") or {}).items():
                self.media_type(content, join(op_pointer, "requestBody", "content", media), f"{name} request {media}")
            for status, response in (operation.get("responses") or {}).items():
                self.response(response, join(op_pointer, "responses", status), f"{name} {status}")


@functools.cache
def walk() -> ExampleWalk:
    """The walk over the bundled spec (cached: collection and tests share it)."""
    result = ExampleWalk(bundled().document)
    result.run()
    return result


def operations(section: str = "paths") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path or webhook name, method, operation) of every operation in ``section``."""
    for key, item in bundled().document.get(section, {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield key, method, item[method]
