"""The catch-all: every difference between the two documents that no rule reported becomes ``other-change``.

Both documents are walked side by side the way the rules read them, so equivalent spellings stay silent: ``$ref``
is followed (a shared component is compared once, at its own pointer), schemas are compared through the
normalised view (nullable spellings, ``const``, an ``allOf`` split), paths are matched by template, parameters
by location and name wherever they are declared, lists of plain values as multisets. Plain data below an
extension or an example (no references, no schemas) is handed to deepdiff, which names each differing leaf.
Entries added to or removed from ``components`` are not changes by themselves: they matter through their uses;
``info.version`` is the release's own number (``version --check`` judges it).
A difference is claimed by a rule when the rule reported on that node, on a node inside it or on the keyword.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from generators.core.operations import ADDITIONAL_OPERATIONS, additional_method, http_method, operations_of
from generators.core.structure import SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS, SCHEMA_ONE_KEYWORDS
from generators.diff.claims import claims, through_item_refs
from generators.diff.matching import MEDIA_SCHEMAS, METHODS, OpRef, Raw, params, template_key
from generators.diff.model import Finding
from generators.diff.resolve import Resolver, escape, has_siblings, pointer, refs_in, unescape

_SUBSCHEMA = frozenset(SCHEMA_ONE_KEYWORDS)
_SCHEMA_MAPS = frozenset(SCHEMA_MAP_KEYWORDS)
_SCHEMA_LISTS = frozenset(SCHEMA_LIST_KEYWORDS)
# Keys whose values are plain data (no schemas inside): deepdiff names the differing leaves.
_DATA = frozenset(
    {"example", "examples", "default", "enum", "const", "info", "externalDocs", "discriminator", "xml", "flows"}
)
_SHOWN = 60
# Entries of these maps are not changes by themselves when they come or go (their uses are compared).
_QUIET = frozenset({"components", "components-group", "component-schemas"})


class _Walker:
    def __init__(self, base: Resolver, rev: Resolver) -> None:
        self.base, self.rev = base, rev
        self.refs: dict[int, tuple[Any, frozenset[str]]] = {}
        self.seen: dict[tuple[int, int, str], tuple[Any, Any]] = {}
        self.found: list[tuple[str, str, str | None]] = []

    def report(self, where: str, text: str, name: str | None = None) -> None:
        """A difference at ``where``, told as "<name> <text>" (``name``: the last token of ``where``)."""
        self.found.append((where, text, name))

    def identical(self, b: Any, r: Any) -> bool:
        """Equal as written. References inside need no check: the nodes they reach are walked where they live
        (every component pair is compared under /components), and differences are reported there."""
        return b is r or b == r

    def walk(self, b: Any, r: Any, where: str, context: str) -> None:
        if context == "schema" and self.combined(b, r):
            key = (id(b), id(r), "combined")
            if key not in self.seen:
                self.seen[key] = (b, r)
                self.mapping(_view(self.base, b), _view(self.rev, r), where, "schema")
            return
        if (isinstance(b, dict) and "$ref" in b) or (isinstance(r, dict) and "$ref" in r):
            self.ref_siblings(b, r, where)
        b, _ = self.base.resolve(b)
        r, r_ref = self.rev.resolve(r)
        if r_ref is not None and r_ref.startswith("#/"):
            where = r_ref[1:]
            if r_ref.startswith("#/components/schemas/"):
                context = "schema"  # a schema reached from an extension or an example is still a schema
        key = (id(b), id(r), context)
        if key in self.seen:
            return
        self.seen[key] = (b, r)  # kept alive: an id is only unique while its object lives
        if self.identical(b, r):
            return
        if context == "schema" and isinstance(b, dict) and isinstance(r, dict):
            self.mapping(_view(self.base, b), _view(self.rev, r), where, "schema")
        elif isinstance(b, dict) and isinstance(r, dict):
            self.mapping(b, r, where, context)
        elif isinstance(b, list) and isinstance(r, list):
            self.sequence(b, r, where, context)
        else:
            self.report(where, f"changed from {_show(b)} to {_show(r)}")

    def combined(self, b: Any, r: Any) -> bool:
        """True when a schema side is a ``$ref`` with keywords beside it that the other side does not share:
        both are compared as what they mean, the target with those keywords. With the same reference and the same
        keywords on both sides, the target is compared once, where it lives."""
        if not has_siblings(b) and not has_siblings(r):
            return False
        same_ref = isinstance(b, dict) and isinstance(r, dict) and b.get("$ref") == r.get("$ref")
        return not (same_ref and _siblings(b) == _siblings(r))

    def ref_siblings(self, b: Any, r: Any, where: str) -> None:
        """Keys beside a ``$ref`` (3.1's summary and description, extensions): compared as written."""
        bs = {k: v for k, v in b.items() if k != "$ref"} if isinstance(b, dict) and "$ref" in b else {}
        rs = {k: v for k, v in r.items() if k != "$ref"} if isinstance(r, dict) and "$ref" in r else {}
        if bs != rs:
            self.data(bs, rs, where)

    def mapping(self, b: dict[str, Any], r: dict[str, Any], where: str, context: str) -> None:
        if context == "root":
            b, r = _root(b), _root(r)
        if context in ("paths", "webhooks"):
            self.paths(b, r, where, context)
            return
        if context == "item":
            self.path_item(b, r, where)
            return
        for key in [*b, *(k for k in r if k not in b)]:
            at = f"{where}/{escape(str(key))}"
            # an extension of the Components Object is no component: its coming and going is a change
            quiet = context in _QUIET and not (context == "components" and str(key).startswith("x-"))
            if key not in r:
                if not quiet:
                    self.report(at, "removed")
            elif key not in b:
                if not quiet:
                    self.report(at, f"added: {_show(r[key])}")
            else:
                self.child(b[key], r[key], at, context, str(key))

    def child(self, b: Any, r: Any, at: str, context: str, key: str) -> None:
        if key == "security" and isinstance(b, list) and isinstance(r, list) and context != "data":
            # an OR of requirements, each scheme's scopes a set: order means nothing
            self.multiset([_requirement(x) for x in b], [_requirement(x) for x in r], at)
            return
        if context == "schema":
            sub = (
                "schema"
                if key in _SUBSCHEMA
                else "schema-map"
                if key in _SCHEMA_MAPS
                else "schema-list"
                if key in _SCHEMA_LISTS
                else "data"
            )
        elif context in ("schema-map", "schema-list", "component-schemas"):
            sub = "schema"
        elif context == "root":
            sub = {"paths": "paths", "webhooks": "webhooks", "x-webhooks": "webhooks", "components": "components"}.get(
                key, "doc"
            )
        elif context == "components":
            groups = {"schemas": "component-schemas", "pathItems": "paths"}
            sub = "data" if key.startswith("x-") else groups.get(key, "components-group")
        elif context == "components-group":
            sub = "doc"
        elif context == "callbacks":
            sub = "callback"
        elif context == "callback":
            sub = "item"
        else:
            sub = "schema" if key in MEDIA_SCHEMAS else "callbacks" if key == "callbacks" else "doc"
        if (
            context not in ("data", "components")
            and (key.startswith("x-") or key in _DATA)
            and sub not in ("schema", "schema-map", "component-schemas")
        ):
            sub = "data"
        if sub == "data" and not refs_in(b, self.refs) and not refs_in(r, self.refs):
            self.data(b, r, at)
            return
        self.walk(b, r, at, sub)

    def data(self, b: Any, r: Any, at: str) -> None:
        """Plain values: deepdiff lists every differing leaf (lists of plain values compared as multisets)."""
        if b == r:
            return
        if _scalars(b) and _scalars(r):
            self.multiset(b, r, at)
            return
        from deepdiff import DeepDiff  # 0.1 s to import: only when plain data differs

        tree = DeepDiff(b, r, view="tree", ignore_order=False, verbose_level=2)
        for kind, items in tree.items():
            for item in items:
                tokens = item.path(output_format="list")
                where = at + "".join("/" + escape(str(t)) for t in tokens)
                name = _entry_name(at, tokens)
                if "added" in kind:
                    self.report(where, f"added: {_show(item.t2)}", name)
                elif "removed" in kind:
                    self.report(where, "removed", name)
                else:
                    self.report(where, f"changed from {_show(item.t1)} to {_show(item.t2)}", name)

    def sequence(self, b: list[Any], r: list[Any], where: str, context: str) -> None:
        if _scalars(b) and _scalars(r):
            self.multiset(b, r, where)
        elif len(b) == len(r):
            for index, (bi, ri) in enumerate(zip(b, r, strict=True)):
                self.walk(bi, ri, f"{where}/{index}", "schema" if context == "schema-list" else context)
        elif context in ("doc", "components-group") and all(isinstance(x, dict) for x in (*b, *r)):
            self.keyed(b, r, where, context)
        else:
            self.report(where, f"changed from {len(b)} to {len(r)} entries")

    def keyed(self, b: list[Any], r: list[Any], where: str, context: str) -> None:
        """Lists of objects with a natural key (servers by url, tags by name, security alternatives as sets)."""
        b_keys = {_list_key(x): x for x in b}
        r_keys = {_list_key(x): (i, x) for i, x in enumerate(r)}
        for k in b_keys:
            if k not in r_keys:
                self.report(where, f"entry {k} removed")
        for k, (index, node) in r_keys.items():
            if k not in b_keys:  # at the new entry, named as the list it joined (not by its index)
                self.report(f"{where}/{index}", f"entry {_cut(k)} added", unescape(where.rsplit("/", 1)[-1]))
            else:
                self.walk(b_keys[k], node, f"{where}/{index}", context)

    def multiset(self, b: Any, r: Any, where: str) -> None:
        bl, rl = (b if isinstance(b, list) else [b]), (r if isinstance(r, list) else [r])
        if not isinstance(b, list) or not isinstance(r, list):
            if b != r:
                self.report(where, f"changed from {_show(b)} to {_show(r)}")
            return
        bs, rs = sorted(map(_canon, bl)), sorted(map(_canon, rl))
        if bs == rs:
            return
        added = [x for x in rs if x not in bs or rs.count(x) > bs.count(x)]
        removed = [x for x in bs if x not in rs or bs.count(x) > rs.count(x)]
        parts = ([f"added {_cut(', '.join(dict.fromkeys(added)))}"] if added else []) + (
            [f"removed {_cut(', '.join(dict.fromkeys(removed)))}"] if removed else []
        )
        self.report(where, "; ".join(parts))

    def paths(self, b: dict[str, Any], r: dict[str, Any], where: str, context: str) -> None:
        def key(path: str) -> str:
            return template_key(path) if context == "paths" else path

        b_keys = {key(p): p for p in b}
        r_keys = {key(p): p for p in r}
        for k, p in b_keys.items():
            if k not in r_keys:
                self.report(f"{where}/{escape(p)}", "removed")
        for k, p in r_keys.items():
            if k not in b_keys:
                self.report(f"{where}/{escape(p)}", "added")
                continue
            b_item, r_item = self.base.resolve(b[b_keys[k]])[0], self.rev.resolve(r[p])[0]
            if isinstance(b_item, dict) and isinstance(r_item, dict) and not self.identical(b_item, r_item):
                self.path_item(b_item, r_item, f"{where}/{escape(p)}", b_keys[k])
            elif not isinstance(b_item, dict) or not isinstance(r_item, dict):
                self.walk(b_item, r_item, f"{where}/{escape(p)}", "doc")

    def path_item(self, b: dict[str, Any], r: dict[str, Any], where: str, b_template: str | None = None) -> None:
        """A path item: operations with their parameters merged from both levels, the rest key by key."""
        b_ops, r_ops = dict(operations_of(b)), dict(operations_of(r))
        has_operations = any(m in r_ops for m in b_ops)
        for key in [*b, *(k for k in r if k not in b)]:
            if key == "parameters" or (key == "servers" and has_operations):
                continue  # compared per operation, where both levels merge
            at = f"{where}/{escape(str(key))}"
            if key not in r:
                self.report(at, "removed")
            elif key not in b:
                self.report(at, f"added: {_show(r[key])}")
            elif key in METHODS and isinstance(b[key], dict) and isinstance(r[key], dict):
                self.operation(b, r, b[key], r[key], where, at, b_template)
            elif key == ADDITIONAL_OPERATIONS and isinstance(b[key], dict) and isinstance(r[key], dict):
                self.additional_operations(b, r, where, b_template)
            else:
                self.child(b[key], r[key], at, "doc", str(key))

    def additional_operations(self, b: dict[str, Any], r: dict[str, Any], where: str, b_template: str | None) -> None:
        """OpenAPI 3.2's map of operations by method: each compared as an operation, the rest key by key."""
        b_map, r_map = b[ADDITIONAL_OPERATIONS], r[ADDITIONAL_OPERATIONS]
        for key in [*b_map, *(k for k in r_map if k not in b_map)]:
            child = f"{where}/{ADDITIONAL_OPERATIONS}/{escape(str(key))}"
            if key not in r_map:
                self.report(child, "removed")
            elif key not in b_map:
                self.report(child, f"added: {_show(r_map[key])}")
            elif additional_method(key) and isinstance(b_map[key], dict) and isinstance(r_map[key], dict):
                self.operation(b, r, b_map[key], r_map[key], where, child, b_template)
            else:
                self.child(b_map[key], r_map[key], child, "doc", str(key))

    def operation(
        self,
        b_item: dict[str, Any],
        r_item: dict[str, Any],
        b_op: dict[str, Any],
        r_op: dict[str, Any],
        item_at: str,
        at: str,
        b_template: str | None,
    ) -> None:
        path = tuple(unescape(t) for t in at.split("/")[1:])
        b_path = (path[0], b_template, *path[2:]) if b_template is not None and len(path) >= 3 else path
        b_ref = OpRef("", b_path, _template(b_path), b_op, b_item)
        r_ref = OpRef("", path, _template(path), r_op, r_item)
        bp, rp = params(self.base, b_ref), params(self.rev, r_ref)
        for key, (_, b_path) in bp.items():
            if key not in rp:
                self.report(pointer(b_path), "removed")
        for key, (param, r_path) in rp.items():
            if key not in bp:
                self.report(pointer(r_path), "added")
                continue
            old = dict(bp[key][0])
            if key[0] == "path":
                old["name"] = param.get("name")  # a renamed path parameter is path-parameter-renamed's
            self.walk(old, param, pointer(r_path), "doc")
        b_servers, b_at = _servers_of(b_op, b_item, at, item_at, self.base.document)
        r_servers, r_at = _servers_of(r_op, r_item, at, item_at, self.rev.document)
        if (b_at or r_at) and b_servers != r_servers:  # servers that apply, wherever they are written
            self.walk(b_servers, r_servers, r_at or b_at or at, "doc")
        for name in [*b_op, *(k for k in r_op if k not in b_op)]:
            if name in ("parameters", "servers"):
                continue
            child = f"{at}/{escape(str(name))}"
            if name not in r_op:
                self.report(child, "removed")
            elif name not in b_op:
                self.report(child, f"added: {_show(r_op[name])}")
            else:
                self.child(b_op[name], r_op[name], child, "doc", str(name))


def _servers_of(
    op: dict[str, Any], item: dict[str, Any], at: str, item_at: str, document: Any
) -> tuple[list[Any], str | None]:
    """The servers that apply to an operation and the pointer of the level that declares them (None: the root)."""
    for owner, where in ((op, at), (item, item_at)):
        if isinstance(owner.get("servers"), list):
            return owner["servers"], f"{where}/servers"
    servers = document.get("servers") if isinstance(document, dict) else None
    return (servers if isinstance(servers, list) else []), None


def _requirement(node: Any) -> str:
    if isinstance(node, dict):
        node = {k: sorted(map(str, v)) if isinstance(v, list) else v for k, v in node.items()}
    return _canon(node)


def _root(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the rules read it: 3.0's ``x-webhooks`` is the webhooks section, no components is none."""
    root = {**document, "components": document.get("components") or {}}
    if "webhooks" not in root and "x-webhooks" in root:
        root["webhooks"] = root.pop("x-webhooks")
    return root


def _template(path: tuple[str, ...]) -> str:
    return path[1] if len(path) > 1 else ""


def _siblings(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k != "$ref"}


def _view(resolver: Resolver, node: dict[str, Any]) -> dict[str, Any]:
    view = dict(resolver.view(node))
    if "enum" in view:
        view.pop("const", None)
    for key in ("type", "nullable"):
        value = view.get(key)
        if isinstance(value, frozenset):
            view[key] = sorted(value)
    return view


def _scalars(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(x, (dict, list)) for x in value)
    return not isinstance(value, dict)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _list_key(node: Any) -> str:
    if isinstance(node, dict):
        for field in ("url", "name"):
            if isinstance(node.get(field), str):
                return str(node[field])
    return _canon(node)


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _show(value: Any) -> str:
    """A value as compact JSON, cut short (large examples are summarised without being serialised whole)."""
    if isinstance(value, dict) and len(value) > 4:
        return _cut("{" + ", ".join(json.dumps(str(k)) + ": …" for k in list(value)[:4]) + ", …}")
    if isinstance(value, list) and len(value) > 4:
        return f"[{len(value)} entries]"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str) if len(str(value)) < 400 else "…"
    return _cut(text)


def _operation_of(where: str) -> str | None:
    tokens = [unescape(t) for t in where.split("/")[1:]]
    if len(tokens) >= 3 and tokens[0] in ("paths", "webhooks") and tokens[2] in METHODS:
        return f"{http_method(tokens[2])} {tokens[1]}"
    if len(tokens) >= 4 and tokens[0] in ("paths", "webhooks") and tokens[2] == ADDITIONAL_OPERATIONS:
        return f"{tokens[3]} {tokens[1]}" if additional_method(tokens[3]) else None
    return None


def other_changes(base: Resolver, rev: Resolver, reported: Iterable[Finding]) -> Iterator[Raw]:
    """An ``other-change`` for every difference between the documents that no reported finding claims."""
    walker = _Walker(base, rev)
    walker.walk(base.document, rev.document, "", "root")
    claimed = claims(reported)
    claimed |= through_item_refs(claimed, base, rev)
    covered = set(claimed)
    for c in claimed:  # a difference that contains a claimed node was seen by that rule too
        parts = c.split("/")
        covered.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for where, text, name in walker.found:
        parts = where.split("/")
        if (
            where == "/info/version"
            or where in covered
            or any("/".join(parts[:i]) in claimed for i in range(1, len(parts)))
        ):
            continue
        path = tuple(unescape(t) for t in parts[1:])
        component = f"#{where}" if where.startswith("/components/") else None
        key = name or (path[-1] if path else "document")
        yield Raw(_operation_of(where), "", Finding("other-change", path, (("value", f"{key} {text}"),), component))


def _entry_name(at: str, tokens: list[Any]) -> str | None:
    """A list entry is named with its list, ``tags[2]`` (its index alone would read as a count: "2 added")."""
    if not tokens or type(tokens[-1]) is not int:
        return None
    owner = str(tokens[-2]) if len(tokens) > 1 else unescape(at.rsplit("/", 1)[-1])
    return f"{owner}[{tokens[-1]}]"
