"""openapi-spec-validator's keyword checks (validation/keywords.py), re-walked on plain dicts.

The library walks the document through jsonschema-path, resolving every ``$ref`` on each step; that walk costs
more than the checks. This walk visits the same nodes in the same order, with the same identity-based
de-duplication, and stops at the first finding: any finding (or anything it is not sure the library would
accept without an exception) raises ``Unsupported`` and the caller asks the library for the located errors.
Defaults are not judged here; they are collected with the path the library would report, so the caller can
check just them.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from typing import Any, Protocol
from urllib.parse import unquote

from generators.core.operations import HTTP_METHODS
from generators.validate.fastcheck.resources import Unsupported

Parts = tuple[str | int, ...]


class Marks(Protocol):
    """A set: ``in`` and ``add`` (of schema ids, or of operationIds)."""

    def __contains__(self, key: object, /) -> bool: ...
    def add(self, key: Any, /) -> None: ...


_OPERATIONS = frozenset(HTTP_METHODS)
_MAX_HOPS = 64


class KeywordWalk:
    """One pass over ``document``; ``meta_valid`` is the compiled meta-schema check of a Schema Object."""

    def __init__(
        self,
        document: dict[str, Any],
        meta_valid: Callable[[Any], bool],
        visited: Marks | None = None,
        meta_checked: Marks | None = None,
        operation_ids: Marks | None = None,
    ) -> None:
        """``visited``, ``meta_checked``, ``operation_ids``: the ids of the schemas walked and meta-checked so
        far, the operationIds met (the library's own, when this walk stands in for part of its walk; else new
        sets)."""
        self._document = document
        self._meta_valid = meta_valid
        self._meta_checked: Marks = set() if meta_checked is None else meta_checked
        self._visited: Marks = set() if visited is None else visited
        self._operation_ids: Marks = set() if operation_ids is None else operation_ids
        self._targets: dict[str, Any] = {}  # reference -> the node it names
        # (path of the schema, its default, the schema), in the library's order
        self.defaults: list[tuple[Parts, Any, dict[str, Any]]] = []

    def run(self) -> None:
        """Walk tags, paths and component schemas; raise ``Unsupported`` on the first finding."""
        root = self._document
        if "tags" in root:
            self._tags(root["tags"])
        if "paths" in root:
            for url, item in self._mapping(root["paths"]).items():
                if not url.startswith("x-"):  # extensions, not path items (validate.py hides them from the library)
                    self._path(url, item, ("paths", url))
        if "components" in root:
            components = self._mapping(root["components"])
            if "schemas" in components:
                for name, schema in self._mapping(components["schemas"]).items():
                    self._schema(schema, ("components", "schemas", name))

    # --- references and shapes -------------------------------------------------------------------------------
    def _deref(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        hops = 0
        while isinstance(ref := node.get("$ref"), str):
            node = self._targets.get(ref) or self._pointer(ref)
            hops += 1
            if hops > _MAX_HOPS:
                raise Unsupported("reference loop")
            if not isinstance(node, dict):
                return node
        if "$id" in node:
            raise Unsupported("$id changes the base URI")  # the library's resolver would follow it
        return node

    def _pointer(self, ref: str) -> Any:
        """The node ``ref`` names (each reference string resolved once)."""
        if ref in self._targets:
            return self._targets[ref]
        node = self._resolve(ref)
        self._targets[ref] = node
        return node

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#") or (len(ref) > 1 and not ref.startswith("#/")):
            raise Unsupported(f"reference {ref!r}")
        node: Any = self._document
        for raw in unquote(ref[2:]).split("/") if len(ref) > 1 else ():
            try:
                if isinstance(node, list):
                    node = node[int(raw)]
                elif isinstance(node, dict):
                    node = node[raw.replace("~1", "/").replace("~0", "~")]
                else:
                    raise Unsupported(f"unresolvable {ref!r}")
            except (KeyError, IndexError, ValueError):
                raise Unsupported(f"unresolvable {ref!r}") from None
        return node

    def _mapping(self, node: Any) -> dict[str, Any]:
        value = self._deref(node)
        if not isinstance(value, dict):
            raise Unsupported("expected a mapping")
        return value

    def _sequence(self, node: Any) -> Iterator[tuple[int, Any]]:
        value = self._deref(node)
        if not isinstance(value, list):
            raise Unsupported("expected a list")
        return enumerate(value)

    def _string(self, node: Any) -> str:
        value = self._deref(node)
        if not isinstance(value, str):
            raise Unsupported("expected a string")
        return value

    # --- tags, paths, operations, parameters ------------------------------------------------------------------
    def _tags(self, node: Any) -> None:
        seen: set[str] = set()
        for _, tag in self._sequence(node):
            name = self._string(self._mapping(tag)["name"])
            if name in seen:
                raise Unsupported(f"duplicate tag {name!r}")
            seen.add(name)

    def _path(self, url: str, node: Any, parts: Parts) -> None:
        item = self._mapping(node)
        shared = None
        if "parameters" in item:
            shared = item["parameters"]
            self._parameters(shared, (*parts, "parameters"))
        for field, operation in item.items():
            if field in _OPERATIONS:
                self._operation(url, operation, (*parts, field), shared)

    def _parameters(self, node: Any, parts: Parts) -> None:
        seen: set[tuple[str, str]] = set()
        for index, parameter in self._sequence(node):
            value = self._mapping(parameter)
            if "schema" in value:
                self._schema(value["schema"], (*parts, index, "schema"))
            name, where = value.get("name"), value.get("in")
            if not (isinstance(name, str) and isinstance(where, str)):
                raise Unsupported("parameter without name or in")
            key = (name, where)
            if key in seen:
                raise Unsupported(f"duplicate parameter {key[0]!r}")
            seen.add(key)

    def _path_names(self, node: Any) -> list[str]:
        names = []
        for _, parameter in self._sequence(node):
            value = self._mapping(parameter)
            if self._string(value["in"]) == "path":
                names.append(self._string(value["name"]))
        return names

    def _operation(self, url: str, node: Any, parts: Parts, shared: Any) -> None:
        operation = self._mapping(node)
        if "operationId" in operation:
            operation_id = self._deref(operation["operationId"])
            if operation_id is not None:
                if not isinstance(operation_id, str) or operation_id in self._operation_ids:
                    raise Unsupported(f"duplicate operationId {operation_id!r}")
                self._operation_ids.add(operation_id)
        if "responses" in operation:
            self._responses(operation["responses"], (*parts, "responses"))
        names: list[str] = []
        if "parameters" in operation:
            self._parameters(operation["parameters"], (*parts, "parameters"))
            names += self._path_names(operation["parameters"])
        if shared is not None:
            names += self._path_names(shared)
        try:
            in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        except ValueError:
            raise Unsupported(f"unparsable path {url!r}") from None
        if in_url != set(names):
            raise Unsupported(f"path parameters of {url!r} do not match")

    def _responses(self, node: Any, parts: Parts) -> None:
        for code, response in self._mapping(node).items():
            value = self._deref(response)
            if isinstance(value, dict) and "content" in value:
                for media_type, media in self._mapping(value["content"]).items():
                    media_value = self._deref(media)
                    if isinstance(media_value, dict) and "schema" in media_value:
                        self._schema(media_value["schema"], (*parts, code, "content", media_type, "schema"))

    # --- Schema Objects -----------------------------------------------------------------------------------------
    def path(self, url: str, node: Any) -> None:
        """Walk one Path Item as the library's path check does; raise ``Unsupported`` on a finding."""
        self._path(url, node, ("paths", url))

    def schema(self, node: Any, require_properties: bool, meta_checked: bool) -> None:
        """Walk one Schema Object as the library's schema check does; raise ``Unsupported`` on a finding."""
        self._schema(node, (), require_properties, meta_checked)

    def _schema(self, node: Any, parts: Parts, require_properties: bool = True, meta_checked: bool = False) -> None:
        value = self._deref(node)
        if not isinstance(value, (dict, bool)):
            raise Unsupported("schema is not an object or boolean")
        key = id(value)
        if not meta_checked and key not in self._meta_checked:
            self._meta_checked.add(key)
            if not self._meta_valid(value):
                raise Unsupported("schema breaks its meta-schema")
        if key in self._visited:
            return
        self._visited.add(key)
        if isinstance(value, bool):
            return
        nested: set[Any] = set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for index, sub in self._sequence(value[keyword]):
                    self._schema(sub, (*parts, keyword, index), False, True)
                    if keyword == "allOf":
                        nested |= self._collect_properties(sub, ())
        for keyword in ("not", "items"):
            if keyword in value:
                self._schema(value[keyword], (*parts, keyword), False, True)
        properties: dict[str, Any] = self._mapping(value["properties"]) if "properties" in value else {}
        for name, sub in properties.items():
            self._schema(sub, (*parts, "properties", name), False, True)
        self._required(value, properties, nested, require_properties)
        if "default" in value:
            default = self._deref(value["default"])
            nullable = self._deref(value["nullable"]) if "nullable" in value else False
            if default is not None or nullable is not True:
                self.defaults.append((parts, default, value))

    def _required(self, value: dict[str, Any], properties: dict[str, Any], nested: set[Any], require: bool) -> None:
        required = self._deref(value["required"]) if "required" in value else []
        if "allOf" not in value or not required:
            return
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
            raise Unsupported("odd required list")
        if require and set(required) - set(properties) - nested:
            raise Unsupported("required properties not defined")

    def _collect_properties(self, node: Any, stack: tuple[int, ...]) -> set[Any]:
        value = self._deref(node)
        if not isinstance(value, dict):
            return set()
        if id(value) in stack:
            raise Unsupported("recursive allOf")  # the library recurses without end here
        stack = (*stack, id(value))
        found: set[Any] = set(self._mapping(value["properties"])) if "properties" in value else set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for _, sub in self._sequence(value[keyword]):
                    found |= self._collect_properties(sub, stack)
        for keyword in ("items", "not"):
            if keyword in value:
                found |= self._collect_properties(value[keyword], stack)
        return found
