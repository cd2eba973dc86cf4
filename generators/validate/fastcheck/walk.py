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

from generators.core.operations import ADDITIONAL_OPERATIONS, HTTP_METHODS, METHODS_3_1
from generators.source.limits import MAX_SCHEMA_NESTING
from generators.validate.fastcheck.resources import Unsupported

Parts = tuple[str | int, ...]


class Marks(Protocol):
    """A set: ``in`` and ``add`` (of schema ids, or of operationIds)."""

    def __contains__(self, key: object, /) -> bool: ...
    def add(self, key: Any, /) -> None: ...


_OPERATIONS = frozenset(METHODS_3_1)
_OPERATIONS_3_2 = frozenset(HTTP_METHODS)  # and ``query``; ``additionalOperations`` holds more


class TooDeep(Exception):
    """Schema Objects nest (through ``$ref``s) deeper than ``MAX_SCHEMA_NESTING``: ``parts`` is the path of the
    one where the limit is passed. Not a finding the library could word: it would recurse until Python gives up."""

    def __init__(self, parts: Parts, limit: int = MAX_SCHEMA_NESTING) -> None:
        super().__init__(f"schemas nest deeper than {limit} levels")
        self.parts = parts
        self.limit = limit


class KeywordWalk:
    """One pass over ``document``; ``meta_valid`` is the compiled meta-schema check of a Schema Object."""

    def __init__(
        self,
        document: dict[str, Any],
        meta_valid: Callable[[Any], bool],
        visited: Marks | None = None,
        meta_checked: Marks | None = None,
        operation_ids: Marks | None = None,
        oas32: bool = False,
    ) -> None:
        """``visited``, ``meta_checked``, ``operation_ids``: the ids of the schemas walked and meta-checked so
        far, the operationIds met (the library's own, when this walk stands in for part of its walk; else new
        sets). ``oas32``: walk as the library's OpenAPI 3.2 checks do (``query``, ``additionalOperations``, tag
        parents)."""
        self._oas32 = oas32
        self._operations = _OPERATIONS_3_2 if oas32 else _OPERATIONS
        self._document = document
        self._meta_valid = meta_valid
        self._meta_checked: Marks = set() if meta_checked is None else meta_checked
        self._visited: Marks = set() if visited is None else visited
        self._operation_ids: Marks = set() if operation_ids is None else operation_ids
        self._targets: dict[str, Any] = {}  # reference -> the node it names
        # reference -> (the node at the end of its chain of refs,): each chain followed once, however long
        self._ends: dict[str, tuple[Any]] = {}
        self._depth = 0  # Schema Objects being walked, one inside the other
        self.max_depth = MAX_SCHEMA_NESTING  # past it: TooDeep
        # id of a schema -> the schema (kept alive), for each one whose property names can be collected
        self._collectable: dict[int, Any] = {}
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
        ref = node.get("$ref")
        if isinstance(ref, str):
            node = self._end(ref)
            if not isinstance(node, dict):
                return node
        if "$id" in node:
            raise Unsupported("$id changes the base URI")  # the library's resolver would follow it
        return node

    def _end(self, ref: str) -> Any:
        """The node at the end of ``ref``'s chain of refs (a ref to a ref to ...); every ref on the way remembers
        it, so a chain of n refs costs n steps in all, not n per ref on it."""
        known = self._ends.get(ref)
        if known is not None:
            return known[0]
        chain, seen = [ref], {ref}
        node = self._pointer(ref)
        while isinstance(node, dict) and isinstance(following := node.get("$ref"), str):
            known = self._ends.get(following)
            if known is not None:
                node = known[0]
                break
            if following in seen:
                raise Unsupported("reference loop")  # refused before validating (alias_cycles); never loop here
            chain.append(following)
            seen.add(following)
            node = self._pointer(following)
        for step in chain:
            self._ends[step] = (node,)
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
        parents: dict[str, str] = {}
        for _, tag in self._sequence(node):
            value = self._mapping(tag)
            name = self._string(value["name"])
            if name in seen:
                raise Unsupported(f"duplicate tag {name!r}")
            seen.add(name)
            if self._oas32 and "parent" in value:
                parents[name] = self._string(value["parent"])
        for name in parents:  # 3.2: every parent is a tag, and no tag is its own ancestor
            trail = {name}
            while name in parents:
                name = parents[name]
                if name not in seen:
                    raise Unsupported(f"unknown parent tag {name!r}")
                if name in trail:
                    raise Unsupported(f"circular tag hierarchy at {name!r}")
                trail.add(name)

    def _path(self, url: str, node: Any, parts: Parts) -> None:
        item = self._mapping(node)
        shared = None
        if "parameters" in item:
            shared = item["parameters"]
            self._parameters(shared, (*parts, "parameters"))
        for field, operation in item.items():
            if field in self._operations:
                self._operation(url, operation, (*parts, field), shared)
            elif field == ADDITIONAL_OPERATIONS and self._oas32:  # every key: the library's walk takes each
                for method, additional in self._mapping(operation).items():
                    self._operation(url, additional, (*parts, field, method), shared)

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

    def schema(self, node: Any, require_properties: bool, meta_checked: bool, parts: Parts = ()) -> None:
        """Walk one Schema Object (at ``parts``) as the library's schema check does; raise ``Unsupported`` on a
        finding, ``TooDeep`` where its schemas nest too deeply."""
        self._schema(node, parts, require_properties, meta_checked)

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
        if self._depth >= self.max_depth:
            raise TooDeep(parts, self.max_depth)
        self._depth += 1
        try:
            self._inside(value, parts, require_properties)
        finally:
            self._depth -= 1

    def _inside(self, value: dict[str, Any], parts: Parts, require_properties: bool) -> None:
        all_of: list[Any] = []
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for index, sub in self._sequence(value[keyword]):
                    self._schema(sub, (*parts, keyword, index), False, True)
                    if keyword == "allOf":
                        self._check_collectable(sub)
                        all_of.append(sub)
        for keyword in ("not", "items"):
            if keyword in value:
                self._schema(value[keyword], (*parts, keyword), False, True)
        properties: dict[str, Any] = self._mapping(value["properties"]) if "properties" in value else {}
        for name, sub in properties.items():
            self._schema(sub, (*parts, "properties", name), False, True)
        self._required(value, properties, all_of, require_properties)
        if "default" in value:
            default = self._deref(value["default"])
            nullable = self._deref(value["nullable"]) if "nullable" in value else False
            if default is not None or nullable is not True:
                self.defaults.append((parts, default, value))

    def _required(self, value: dict[str, Any], properties: dict[str, Any], all_of: list[Any], require: bool) -> None:
        required = self._deref(value["required"]) if "required" in value else []
        if "allOf" not in value or not required:
            return
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
            raise Unsupported("odd required list")
        missing = set(required) - set(properties) if require else set()
        if missing and not self._reach(all_of, missing):
            raise Unsupported("required properties not defined")

    def _collected(self, value: dict[str, Any]) -> list[Any]:
        """The subschemas the library collects property names from (``_collect_properties``), in its order."""
        found: list[Any] = []
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                found += [sub for _, sub in self._sequence(value[keyword])]
        for keyword in ("items", "not"):
            if keyword in value:
                found.append(value[keyword])
        return found

    def _check_collectable(self, node: Any) -> None:
        """Raise ``Unsupported`` where the library's collection of property names below ``node`` (an ``allOf``
        item) would never end: a schema that reaches itself. Each schema is looked at once per walk (the library
        looks again for every ``allOf`` above it: quadratic on a chain), without recursion."""
        done = self._collectable
        on_path: set[int] = set()
        stack: list[tuple[Any, bool]] = [(node, False)]
        while stack:
            current, leaving = stack.pop()
            value = self._deref(current)
            if not isinstance(value, dict):
                continue
            key = id(value)
            if leaving:
                on_path.discard(key)
                done[key] = value
                continue
            if key in done:
                continue
            if key in on_path:
                raise Unsupported("recursive allOf")  # the library recurses without end here
            on_path.add(key)
            stack.append((current, True))
            stack.extend((sub, False) for sub in reversed(self._collected(value)))

    def _reach(self, all_of: list[Any], names: set[Any]) -> bool:
        """Whether the ``properties`` of the schemas below ``all_of`` (checked by ``_check_collectable``) name
        every one of ``names``; stops as soon as they do."""
        wanted = set(names)
        seen: set[int] = set()
        stack = list(reversed(all_of))
        while stack and wanted:
            value = self._deref(stack.pop())
            if not isinstance(value, dict) or id(value) in seen:
                continue
            seen.add(id(value))
            if "properties" in value:
                wanted.difference_update(self._mapping(value["properties"]))
            stack.extend(reversed(self._collected(value)))
        return not wanted
