"""Local ``$ref`` resolution and the normalised view of a schema both sides are compared through.

The view makes equivalent spellings equal: 3.0 ``nullable`` and 3.1 ``type: [..., "null"]``; an
``anyOf``/``oneOf`` with a ``{type: "null"}`` branch; boolean and numeric ``exclusiveMinimum``; ``const``
and a one-value ``enum``; an ``allOf`` split whose parts merge without conflict.
"""

from __future__ import annotations

from typing import Any

from generators.core.pointer import escape_token, follow_local_refs, fragment_target, to_pointer, unescape_token
from generators.core.shape import strings

DOC_KEYS = frozenset({"description", "title", "example", "examples", "externalDocs", "$comment"})
_OVERLAY_KEYS = (
    "description",
    "title",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "x-sunset",
)
_NULL_ONLY = ({"type": "null"}, {"type": ["null"]}, {"enum": [None]}, {"const": None})


# RFC 6901 tokens, one implementation for the whole package (core/pointer); the short names read well here.
unescape = unescape_token
escape = escape_token
pointer = to_pointer


class Resolver:
    """Follows local ``$ref`` chains inside one document (cycle-safe) and caches normalised schema views."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._targets: dict[str, Any] = {}
        self._views: dict[int, tuple[Any, dict[str, Any]]] = {}

    def target(self, ref: str) -> Any:
        """The node a local ``#/...`` reference points at, or None when it points nowhere."""
        if ref not in self._targets:  # a URI fragment: percent-encoded (``%7Bid%7D`` for ``{id}``), as bundled
            self._targets[ref] = fragment_target(self.document, ref) if ref.startswith("#") else None
        return self._targets[ref]

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """Follow ``$ref`` until a real node; returns it with the last reference followed (or None)."""
        return follow_local_refs(node, self.target)

    def view(self, node: Any) -> dict[str, Any]:
        """The normalised view of a schema node (resolved first); memoised per node.

        A ``$ref`` with keywords beside it (JSON Schema 2020-12, OpenAPI 3.1) reads as its target with those
        keywords applied: annotations (``default``, ``description``...) written beside it win, the other
        keywords combine with the target's as an ``allOf`` would. OpenAPI 3.0 ignores them, and so does this.
        """
        if has_siblings(node):
            return self._with_siblings(node)
        node, _ = self.resolve(node)
        if not isinstance(node, dict):
            return {"type": None, "nullable": False} if node is not False else {"type": frozenset(), "nullable": False}
        cached = self._views.get(id(node))
        if cached is not None:
            return cached[1]
        self._views[id(node)] = (node, {"type": None, "nullable": False})  # cycle guard while building
        result = self._build(node)
        self._views[id(node)] = (node, result)
        return result

    def _with_siblings(self, node: dict[str, Any]) -> dict[str, Any]:
        cached = self._views.get(id(node))
        if cached is not None:
            return cached[1]
        self._views[id(node)] = (node, {"type": None, "nullable": False})  # cycle guard while building
        overlay = {k: v for k, v in node.items() if k in _OVERLAY_KEYS}
        rest = {k: v for k, v in node.items() if k != "$ref" and k not in _OVERLAY_KEYS}
        if rest:  # constraints beside the reference: both apply
            result = dict(self._build({**rest, "allOf": [{"$ref": node["$ref"]}]}))
        else:
            result = dict(self.view({"$ref": node["$ref"]}))
        result.update(overlay)
        self._views[id(node)] = (node, result)
        return result

    def _build(self, node: dict[str, Any]) -> dict[str, Any]:
        nulled = self._null_branch(node)
        if nulled is not None:
            return nulled
        view = dict(node)
        raw_type = node.get("type")
        types = [raw_type] if isinstance(raw_type, str) else strings(raw_type) if isinstance(raw_type, list) else None
        nullable = node.get("nullable") is True or (types is not None and "null" in types)
        view["type"] = frozenset(t for t in types if t != "null") if types is not None else None
        if "const" in node:
            view["enum"] = [node["const"]]
        if isinstance(view.get("enum"), list):
            nullable = nullable or None in view["enum"]
            view["enum"] = [v for v in view["enum"] if v is not None]
        if "required" in node:
            view["required"] = strings(node["required"])
        if "properties" in node and not isinstance(node["properties"], dict):
            view["properties"] = {}
        view["nullable"] = nullable
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            value, flag = node.get(bound), node.get(exclusive)
            if isinstance(flag, (int, float)) and not isinstance(flag, bool):
                view[bound] = (flag, True)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                view[bound] = (value, flag is True)
            else:
                view.pop(bound, None)
            view.pop(exclusive, None)
        if isinstance(node.get("allOf"), list) and node["allOf"]:
            merged = self._merge_all_of(view, node["allOf"])
            if merged is not None:
                return merged
        return view

    def _null_branch(self, node: dict[str, Any]) -> dict[str, Any] | None:
        """``anyOf: [X, {type: null}]`` reads as X made nullable."""
        for key in ("anyOf", "oneOf"):
            branches = node.get(key)
            if not isinstance(branches, list) or len(branches) != 2:
                continue
            resolved = [self.resolve(b)[0] for b in branches]
            nulls = [i for i, b in enumerate(resolved) if b in _NULL_ONLY]
            other_keys = set(node) - {key, *_OVERLAY_KEYS, *DOC_KEYS, "nullable"}
            if len(nulls) == 1 and not other_keys:
                base = dict(self.view(branches[1 - nulls[0]]))
                base["nullable"] = True
                for overlay in _OVERLAY_KEYS + tuple(DOC_KEYS):
                    if overlay in node:
                        base[overlay] = node[overlay]
                return base
        return None

    def _merge_all_of(self, outer: dict[str, Any], parts: list[Any]) -> dict[str, Any] | None:
        """Merge ``allOf`` parts into one flat view when no keyword conflicts; None keeps the split."""
        merged = {k: v for k, v in outer.items() if k != "allOf"}
        outer_nullable = outer.get("nullable", False)
        explicit_type = outer["type"] is not None
        nullable_parts = []
        for part in parts:
            view = self.view(part)
            nullable_parts.append(view.get("nullable", False))
            for key, value in view.items():
                if key == "nullable":
                    continue
                if key in DOC_KEYS:
                    merged.setdefault(key, value)
                elif key == "type":
                    if value is None:
                        continue
                    current = merged.get("type")
                    merged["type"] = value if current is None else current & value
                    if not merged["type"]:
                        return None
                elif key == "properties" and isinstance(value, dict):
                    props = dict(merged.get("properties") or {})
                    for name, sub in value.items():
                        if name in props and props[name] is not sub and props[name] != sub:
                            return None
                        props[name] = sub
                    merged["properties"] = props
                elif key == "required" and isinstance(value, list):
                    merged["required"] = sorted(set(merged.get("required") or []) | set(value))
                elif key in merged and merged[key] != value:
                    tighter = _tighter(key, merged[key], value)
                    if tighter is None:
                        return None
                    merged[key] = tighter
                else:
                    merged[key] = value
        merged["nullable"] = outer_nullable or (bool(nullable_parts) and all(nullable_parts) and not explicit_type)
        return merged


def has_siblings(node: Any) -> bool:
    """True for a ``$ref`` written with keywords beside it (read as its target with them, see ``Resolver.view``)."""
    return isinstance(node, dict) and len(node) > 1 and isinstance(node.get("$ref"), str)


_LOWER_BOUNDS = frozenset({"minimum", "minLength", "minItems", "minProperties", "minContains"})
_UPPER_BOUNDS = frozenset({"maximum", "maxLength", "maxItems", "maxProperties", "maxContains"})


def _tighter(key: str, one: Any, other: Any) -> Any:
    """Where two ``allOf`` parts bound the same keyword, both apply: the tighter bound, else None (no merge).

    ``minimum``/``maximum`` are (value, exclusive) pairs in a view; the length and count bounds plain integers.
    """
    if key not in _LOWER_BOUNDS and key not in _UPPER_BOUNDS:
        return None
    try:
        if key in ("minimum", "maximum"):
            (a, a_excl), (b, b_excl) = one, other
            if a == b:
                return (a, bool(a_excl or b_excl))
            return one if (a > b) == (key == "minimum") else other
        if isinstance(one, bool) or isinstance(other, bool):
            return None
        return max(one, other) if key in _LOWER_BOUNDS else min(one, other)
    except (TypeError, ValueError):
        return None


def refs_in(node: Any, memo: dict[int, tuple[Any, frozenset[str]]]) -> frozenset[str]:
    """Every ``$ref`` string inside ``node`` (memoised per node identity)."""
    cached = memo.get(id(node))
    if cached is not None:
        return cached[1]
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            if isinstance(value, (dict, list)):
                found |= refs_in(value, memo)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, (dict, list)):
                found |= refs_in(value, memo)
    result = frozenset(found)
    memo[id(node)] = (node, result)
    return result


def unchanged_refs(base: Resolver, revision: Resolver) -> set[str]:
    """Component references whose target is identical on both sides, all the way down (a greatest fixpoint)."""
    memo: dict[int, tuple[Any, frozenset[str]]] = {}
    candidates: dict[str, frozenset[str]] = {}
    b_components = base.document.get("components") if isinstance(base.document, dict) else None
    r_components = revision.document.get("components") if isinstance(revision.document, dict) else None
    if not isinstance(b_components, dict) or not isinstance(r_components, dict):
        return set()
    for kind, r_group in r_components.items():
        b_group = b_components.get(kind)
        if not isinstance(r_group, dict) or not isinstance(b_group, dict):
            continue
        for name, node in r_group.items():
            if name in b_group and b_group[name] == node:
                candidates[f"#/components/{escape(kind)}/{escape(name)}"] = refs_in(node, memo)
    same = set(candidates)
    changed = True
    while changed:
        changed = False
        for ref in list(same):
            if not candidates[ref] <= same:
                same.discard(ref)
                changed = True
    return same
