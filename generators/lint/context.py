"""What rules see: the bundled document plus indexes built once (operations, parameters, media types, schemas).

Nothing is copied: every index holds the document's own nodes with their JSON pointers, so a finding can be
placed at the source line where the node was written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generators.core.operations import http_method, method_segments, operations_of
from generators.core.pointer import follow_local_refs, node_at, pointer_join, pointer_parts
from generators.core.shape import as_dict
from generators.core.structure import (
    ANY,
    COMPONENT_KINDS,
    LITERAL,
    ROOT,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
    SCHEMA_ONE_KEYWORDS,
    child_context,
    item_context,
)
from generators.lint.config import LintConfig

_UNSEEN = object()

Node = dict[str, Any]


@dataclass
class Operation:
    """One operation with its effective (path-level merged) parameters and responses, refs followed."""

    path: str | None  # None for a 3.1 webhook
    method: str
    node: Node
    pointer: str
    path_item: Node
    path_item_pointer: str
    parameters: list[tuple[Node, str]] = field(default_factory=list)
    responses: dict[str, tuple[Node, str]] = field(default_factory=dict)
    callback: str | None = None  # a callback's operation: the callback's name (``path`` is its expression)
    under_paths: bool = False  # a callback's operation reached from an operation under ``paths``

    @property
    def label(self) -> str:
        """``GET /tasks`` for messages (``POST {$request.body#/url} (callback 'onEvent')``)."""
        label = f"{http_method(self.method)} {self.path if self.path is not None else '(webhook)'}"
        return label if self.callback is None else f"{label} (callback '{self.callback}')"

    def parameter(self, name: str, where: str) -> Node | None:
        """The effective parameter ``name`` in ``where`` (header names case-insensitively)."""
        for param, _ in self.parameters:
            own = param.get("name")
            same = own.lower() == name.lower() if where == "header" and isinstance(own, str) else own == name
            if same and param.get("in") == where:
                return param
        return None


@dataclass(frozen=True)
class MediaTypeUse:
    """A media type object (request or response body, or header/parameter content) and its schema."""

    node: Node
    pointer: str
    schema: Any
    schema_pointer: str
    direction: str  # "request" or "response"


class LintContext:
    """The bundled document and helpers for rules; built once per lint run."""

    def __init__(self, document: Node, config: LintConfig, local_refs: Collection[str] | None = None) -> None:
        self.document = document
        self.config = config
        self.local_refs = local_refs  # every local ref string, when the bundler knows them (None: not known)
        version = str(document.get("openapi", "3.0"))
        self.version = "3.1" if version.startswith("3.1") else "3.0"
        self.cache: dict[str, Any] = {}  # per-run state rules share (e.g. compiled example validators)
        self._targets: dict[str, Any] = {}  # local ref -> its target (rules never change the document)

    # ------------------------------------------------------------ references

    def get(self, pointer: str) -> Any:
        """The node at a local JSON pointer, or None."""
        return node_at(self.document, pointer_parts(pointer))

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref`` chains; the target and its pointer (unchanged when not a resolvable ref)."""
        node, last = follow_local_refs(node, self._target, limit=64)
        return node, pointer if last is None else last[1:]

    def _target(self, ref: str) -> Any:
        target = self._targets.get(ref, _UNSEEN)
        if target is _UNSEEN:  # '#name' (an anchor, no pointer) names nothing here, not the whole document
            target = self._targets[ref] = self.get(ref[1:]) if ref[1:2] in ("", "/") else None
        return target

    @cached_property
    def walk(self) -> tuple[set[str], list[tuple[str, list[str], str]]]:
        """One pass over the whole document: every reference (each ``$ref`` value, and each discriminator
        ``mapping`` value as a ref), and each ``$ref`` with sibling keys.

        An object's ``example``, ``value`` and ``dataValue`` are literal values (a ``$ref`` in one is data), but a
        member of a map of names (``properties``, ``components/schemas``, an ``examples`` map, ...) is named by the
        author: a property called ``value`` is walked (``_NAME_MAPS``).
        """
        refs: set[str] = set()
        with_siblings = False
        stack: list[Any] = [self.document]
        pop, push = stack.pop, stack.append
        plain = _WALK_SPECIAL.isdisjoint
        while stack:  # a million nodes on GitHub's description: no places are kept here
            node = pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    refs.add(ref)
                    with_siblings = with_siblings or len(node) > 1
                if plain(node):
                    for value in node.values():
                        if isinstance(value, (dict, list)):
                            push(value)
                else:
                    for key, value in node.items():
                        if key in _NAME_MAPS and type(value) is dict:
                            for member in value.values():
                                if isinstance(member, (dict, list)):
                                    push(member)
                        elif isinstance(value, (dict, list)) and key not in _LITERAL:
                            if key == "discriminator" and type(value) is dict:
                                refs.update(_mapping_refs(value))
                            push(value)
            else:
                for value in node:
                    if isinstance(value, (dict, list)):
                        push(value)
        return refs, self._ref_siblings() if with_siblings else []

    def _ref_siblings(self) -> list[tuple[str, list[str], str]]:
        """Each ``$ref`` with sibling keys where an OpenAPI object stands (not in literal data, nor in a value
        whose meaning the specification leaves open, such as an extension's): its pointer, the keys and the kind
        of object (``core.structure``: a reference to a schema, a parameter, a path item ...)."""
        siblings: list[tuple[str, list[str], str]] = []
        # a node's place is a chain (parent's chain, key): only a $ref with siblings needs it as a pointer
        stack: list[tuple[Any, Any, str]] = [(self.document, None, ROOT)]
        pop, push = stack.pop, stack.append
        while stack:
            node, chain, context = pop()
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str) and len(node) > 1:
                    siblings.append((pointer_of(chain), [str(k) for k in node if k != "$ref"], context))
                for key, value in node.items():
                    child = child_context(context, str(key))
                    if isinstance(value, (dict, list)) and child not in _UNTYPED:
                        push((value, (chain, key), child))
            else:
                child = item_context(context)
                if child not in _UNTYPED:
                    for index, value in enumerate(node):
                        if isinstance(value, (dict, list)):
                            push((value, (chain, index), child))
        return siblings

    # ------------------------------------------------------------ operations

    @cached_property
    def operations(self) -> list[Operation]:
        """Every operation under ``paths`` and ``webhooks`` (3.1; ``x-webhooks`` in 3.0), in document order."""
        result: list[Operation] = []
        for section in ("paths", "webhooks", "x-webhooks"):  # x-webhooks: the 3.0 extension Redocly reads too
            items = self.document.get(section)
            if not isinstance(items, dict):
                continue
            for key, raw_item in items.items():
                if section == "paths" and key.startswith("x-"):  # an extension, not a path
                    continue
                item, item_pointer = self.resolve(raw_item, pointer_join("/" + section, key))
                if isinstance(item, dict):
                    result.extend(self._operations_of(key if section == "paths" else None, item, item_pointer))
        return result

    @cached_property
    def callback_operations(self) -> list[Operation]:
        """Every operation of a callback, each once: those of the callbacks of ``operations`` (and of theirs),
        then those of the ``components/callbacks`` that none of them names. Each is placed where it was written
        (a callback's $ref followed), and says whether an operation under ``paths`` reaches it."""
        queue = [(c, p, name, op.path is not None) for op in self.operations for c, p, name in _callbacks(op)]
        callbacks = components_of(self.document, "callbacks").items()
        queue += [(raw, pointer_join("/components/callbacks", name), name, False) for name, raw in callbacks]
        found: list[Operation] = []
        seen: set[str] = set()
        for raw, pointer, name, under_paths in queue:  # grows as callbacks of callbacks are met
            callback, callback_pointer = self.resolve(raw, pointer)
            for expression, raw_item in as_dict(callback).items():
                item, item_pointer = self.resolve(raw_item, pointer_join(callback_pointer, expression))
                if str(expression).startswith("x-") or not isinstance(item, dict) or item_pointer in seen:
                    continue
                seen.add(item_pointer)
                for op in self._operations_of(str(expression), item, item_pointer):
                    op.callback, op.under_paths = name, under_paths
                    found.append(op)
                    queue += [(c, p, n, under_paths) for c, p, n in _callbacks(op)]
        return found

    def _operations_of(self, path: str | None, item: Node, item_pointer: str) -> list[Operation]:
        shared = self._parameters(item.get("parameters"), pointer_join(item_pointer, "parameters"))
        found = []
        for method, node in operations_of(item):
            pointer = pointer_join(item_pointer, *method_segments(method))
            own = self._parameters(node.get("parameters"), pointer_join(pointer, "parameters"))
            names = {(p.get("name"), p.get("in")) for p, _ in own}
            merged = [p for p in shared if (p[0].get("name"), p[0].get("in")) not in names] + own
            responses = {}
            raw = node.get("responses")
            if isinstance(raw, dict):
                for code, response in raw.items():
                    target = self.resolve(response, pointer_join(pointer, "responses", code))
                    if isinstance(target[0], dict):
                        responses[str(code)] = target
            found.append(Operation(path, method, node, pointer, item, item_pointer, merged, responses))
        return found

    def _parameters(self, raw: Any, pointer: str) -> list[tuple[Node, str]]:
        if not isinstance(raw, list):
            return []
        resolved = (self.resolve(p, f"{pointer}/{i}") for i, p in enumerate(raw))
        # a parameter whose name or location is not text is malformed (the structural check says so): rules,
        # which compare and group parameters by (name, in), do not see it
        return [(p, ptr) for p, ptr in resolved if isinstance(p, dict) and _textual(p, "name") and _textual(p, "in")]

    def security_of(self, op: Operation) -> Any:
        """The security requirements in force for ``op`` (its own, else the root's); None when neither."""
        if "security" in op.node:
            return op.node["security"]
        return self.document.get("security")

    # ------------------------------------------------------------ parameters, bodies, schemas

    @cached_property
    def parameters(self) -> list[tuple[Node, str]]:
        """Every distinct parameter object (path items, operations, components), refs followed."""
        seen: dict[str, tuple[Node, str]] = {}
        for op in self.operations:
            for param, pointer in op.parameters:
                seen.setdefault(pointer, (param, pointer))
        for name, param in components_of(self.document, "parameters").items():
            pointer = pointer_join("/components/parameters", name)
            target = self.resolve(param, pointer)
            if isinstance(target[0], dict):
                seen.setdefault(target[1], target)
        return list(seen.values())

    @cached_property
    def headers(self) -> list[tuple[Node, str]]:
        """Every distinct header object of responses and components, refs followed."""
        seen: dict[str, tuple[Node, str]] = {}
        for response, pointer in self._responses():
            for name, header in as_dict(response.get("headers")).items():
                target = self.resolve(header, pointer_join(pointer, "headers", name))
                if isinstance(target[0], dict):
                    seen.setdefault(target[1], target)
        for name, header in components_of(self.document, "headers").items():
            target = self.resolve(header, pointer_join("/components/headers", name))
            if isinstance(target[0], dict):
                seen.setdefault(target[1], target)
        return list(seen.values())

    def _responses(self) -> list[tuple[Node, str]]:
        seen: dict[str, tuple[Node, str]] = {}
        for op in self.operations:
            for response, pointer in op.responses.values():
                seen.setdefault(pointer, (response, pointer))
        for name, response in components_of(self.document, "responses").items():
            target = self.resolve(response, pointer_join("/components/responses", name))
            if isinstance(target[0], dict):
                seen.setdefault(target[1], target)
        return list(seen.values())

    @cached_property
    def media_types(self) -> list[MediaTypeUse]:
        """Every distinct media type object of request bodies and responses (operations and components)."""
        uses: dict[str, MediaTypeUse] = {}
        bodies: list[tuple[Any, str]] = [
            (op.node.get("requestBody"), pointer_join(op.pointer, "requestBody"))
            for op in self.operations
            if "requestBody" in op.node
        ]
        bodies += [
            (b, pointer_join("/components/requestBodies", n))
            for n, b in components_of(self.document, "requestBodies").items()
        ]
        for raw, pointer in bodies:
            self._add_content(uses, *self.resolve(raw, pointer), "request")
        for response, pointer in self._responses():
            self._add_content(uses, response, pointer, "response")
        return list(uses.values())

    def _add_content(self, uses: dict[str, MediaTypeUse], owner: Any, pointer: str, direction: str) -> None:
        if not isinstance(owner, dict):
            return
        for media, raw in as_dict(owner.get("content")).items():
            # OpenAPI 3.2: a $ref to components/mediaTypes, checked once, where it is written
            node, media_pointer = self.resolve(raw, pointer_join(pointer, "content", media))
            if isinstance(node, dict) and media_pointer not in uses:
                schema_pointer = pointer_join(media_pointer, "schema")
                uses[media_pointer] = MediaTypeUse(node, media_pointer, node.get("schema"), schema_pointer, direction)

    @cached_property
    def schemas(self) -> list[tuple[Node, str]]:
        """Every schema object in the document, each once (component schemas and inline ones, nested too)."""
        return [(node, pointer_of(chain)) for node, chain in self.schema_nodes]

    @cached_property
    def enum_schemas(self) -> list[tuple[Node, Chain]]:
        """The ``schema_nodes`` that have an ``enum`` list."""
        return [(node, chain) for node, chain in self.schema_nodes if isinstance(node.get("enum"), list)]

    @cached_property
    def schema_nodes(self) -> list[tuple[Node, Chain]]:
        """``schemas`` with each place as a ``Chain`` (``pointer_of`` makes it a pointer): rules that visit
        every schema (about 40,000 on GitHub's description) only build the pointers of their findings."""
        roots: list[tuple[Any, Chain]] = [
            (s, pointer_join("/components/schemas", n)) for n, s in components_of(self.document, "schemas").items()
        ]
        for owner, pointer in [*self.parameters, *self.headers]:
            roots.append((owner.get("schema"), pointer_join(pointer, "schema")))
            for media, node in as_dict(owner.get("content")).items():
                if isinstance(node, dict):
                    roots.append((node.get("schema"), pointer_join(pointer, "content", media, "schema")))
        roots += [(use.schema, use.schema_pointer) for use in self.media_types]
        roots += [  # OpenAPI 3.2: the schema of each item of a sequential media type (JSON Lines, events)
            (use.node["itemSchema"], pointer_join(use.pointer, "itemSchema"))
            for use in self.media_types
            if "itemSchema" in use.node
        ]
        found: list[tuple[Node, Chain]] = []
        seen: set[int] = set()
        stack = list(reversed(roots))
        while stack:
            node, chain = stack.pop()
            if not isinstance(node, dict) or id(node) in seen or ("$ref" in node and len(node) == 1):
                continue
            seen.add(id(node))
            found.append((node, chain))
            if not _SCHEMA_KEYS.isdisjoint(node):
                stack.extend(reversed(_subschemas(node, chain)))
        return found


Chain = Any
"""A node's place: a JSON pointer, or ``(parent's chain, key or index)``; ``pointer_of`` spells it out."""


def pointer_of(chain: Chain) -> str:
    """The JSON pointer of a ``Chain``."""
    keys: list[str | int] = []
    while type(chain) is tuple:
        chain, key = chain
        keys.append(key)
    return pointer_join(chain or "", *reversed(keys))


def _callbacks(op: Operation) -> list[tuple[Any, str, str]]:
    """``(callback, pointer, name)`` of each callback ``op`` declares."""
    own = as_dict(op.node.get("callbacks")).items()
    return [(raw, pointer_join(op.pointer, "callbacks", name), str(name)) for name, raw in own]


def _subschemas(schema: Node, chain: Chain) -> list[tuple[Any, Chain]]:
    # only keys the schema has are looked at, and only object children are kept: this runs on every
    # schema node of the document
    children: list[tuple[Any, Chain]] = []
    for key in SCHEMA_MAP_KEYWORDS:
        value = schema.get(key)
        if type(value) is dict:
            base = (chain, key)
            children.extend((child, (base, name)) for name, child in value.items() if type(child) is dict)
    for key in SCHEMA_LIST_KEYWORDS:
        value = schema.get(key)
        if type(value) is list:
            base = (chain, key)
            children.extend((child, (base, i)) for i, child in enumerate(value) if type(child) is dict)
    for key in SCHEMA_ONE_KEYWORDS:
        value = schema.get(key)
        if type(value) is dict:
            children.append((value, (chain, key)))
        elif key == "items" and type(value) is list:
            base = (chain, key)
            children.extend((child, (base, i)) for i, child in enumerate(value) if type(child) is dict)
    return children


_SCHEMA_KEYS = frozenset((*SCHEMA_MAP_KEYWORDS, *SCHEMA_LIST_KEYWORDS, *SCHEMA_ONE_KEYWORDS))
# keys whose object value maps names the author chose (a property, a component, an example, a header, an
# encoded property, a callback) to objects: ``value`` or ``example`` there is a name, not a literal
_NAME_MAPS = frozenset((*SCHEMA_MAP_KEYWORDS, *COMPONENT_KINDS, "encoding"))
_LITERAL = frozenset(("example", "value", "dataValue"))  # an example's value (3.2: dataValue) is data
_WALK_SPECIAL = _NAME_MAPS | _LITERAL | {"discriminator"}
_UNTYPED = (ANY, LITERAL)  # no OpenAPI object stands there: a $ref with siblings is not a Reference Object


def _mapping_refs(discriminator: dict[str, Any]) -> list[str]:
    """A discriminator's ``mapping`` values as refs: a schema name (no ``/``) names a ``components/schemas``
    member (as OpenAPI says: "schema names or references")."""
    refs = []
    for value in as_dict(discriminator.get("mapping")).values():
        if isinstance(value, str):
            refs.append(value if "/" in value else pointer_join("#/components/schemas", value))
    return refs


def _textual(node: dict[str, Any], key: str) -> bool:
    return isinstance(node.get(key, ""), str)


def components_of(document: Node, kind: str) -> dict[str, Any]:
    """``components/<kind>`` of ``document`` (empty when absent or malformed)."""
    return as_dict(as_dict(document.get("components")).get(kind))
