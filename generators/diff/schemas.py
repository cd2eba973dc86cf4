"""Compare two schemas in one direction (``request`` or ``response``) and return relative findings.

Every pair of nodes is compared once per direction (memoised by node identity), so a change in a shared
component costs one comparison however many operations reach it; cycles are cut where they close.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from generators.core.jsonvalues import is_number
from generators.core.shape import as_dict, as_list
from generators.diff.lifecycle import lifecycle
from generators.diff.model import Finding
from generators.diff.resolve import Resolver, has_siblings, pointer, refs_in, unchanged_refs
from generators.diff.rules import BOUND_KEYWORDS, SUBSCHEMA_KEYWORDS
from generators.diff.wrapping import label, rewrapped, shaped

_Emit = Callable[..., None]


def _cover(types: frozenset[str]) -> frozenset[str]:
    """The types a set accepts: a number also accepts every integer."""
    return types | {"integer"} if "number" in types else types


def show(value: Any) -> str:
    """A value as compact JSON for messages."""
    if isinstance(value, frozenset):
        return "|".join(sorted(value)) or "nothing"
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bool):
        return f"{show(value[0])} (exclusive)" if value[1] else show(value[0])
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def sunset_passed(node: dict[str, Any], today: date) -> tuple[bool, str]:
    """Whether a deprecated node may go now: no ``x-sunset``, or a sunset date on or before today."""
    raw = node.get("x-sunset")
    if raw is None:
        return True, ""
    text = str(raw)
    try:
        return date.fromisoformat(text[:10]) <= today, text
    except ValueError:
        return False, text


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per rule, component and arguments (the shortest path wins, keeping first-seen order)."""
    best: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        key = (f.rule, f.component or pointer(f.path), f.args)
        if key not in best or len(f.path) < len(best[key].path):
            best[key] = f
    return list(best.values())


class SchemaDiffer:
    """Schema comparison between a base and a revision document."""

    def __init__(self, base: Resolver, revision: Resolver, today: date, deprecation_days: int = 0) -> None:
        self.base = base
        self.rev = revision
        self.today = today
        self.deprecation_days = deprecation_days
        self._memo: dict[tuple[int, int, str], list[Finding]] = {}
        self._active: set[tuple[int, int, str]] = set()
        # Identical subtrees whose references all reach identical components need no comparison at all.
        self._same = unchanged_refs(base, revision)
        self._refs: dict[int, tuple[Any, frozenset[str]]] = {}

    def _identical(self, b: Any, r: Any) -> bool:
        return bool(b == r and refs_in(r, self._refs) <= self._same)

    def compare(self, b: Any, r: Any, side: str) -> list[Finding]:
        """Findings (paths relative to this pair) for schema ``b`` in base against ``r`` in revision."""
        if has_siblings(b) or has_siblings(r):
            # a $ref with keywords beside it means its target with those keywords: compared as that, here
            b_node, r_node, r_ref = b, r, None
        else:
            b_node, _ = self.base.resolve(b)
            r_node, r_ref = self.rev.resolve(r)
        if (b_node is None) != (r_node is None):
            # A schema where any value was allowed (or the opposite): a media type or items gained a schema.
            return [Finding(f"{side}-schema-added" if b_node is None else f"{side}-schema-removed", ())]
        key = (id(b_node), id(r_node), side)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        if key in self._active or b_node is None or r_node is None or self._identical(b_node, r_node):
            self._memo[key] = [] if key not in self._active else self._memo.get(key, [])
            return self._memo[key]
        self._active.add(key)
        try:
            b_view, r_view = self.base.view(b_node), self.rev.view(r_node)
            found = rewrapped(b, r, b_view, r_view, side, lambda x, y: self.compare(x, y, side))
            if found is None:
                found = []
                self._compare(b_view, r_view, side, found)
        finally:
            self._active.discard(key)
        if r_ref is not None:
            found = [f if f.component else Finding(f.rule, f.path, f.args, r_ref + pointer(f.path)) for f in found]
        found = dedupe(found)
        self._memo[key] = found
        return found

    def _compare(self, b: dict[str, Any], r: dict[str, Any], side: str, out: list[Finding]) -> None:
        def emit(check: str, *path: str, **args: Any) -> None:
            rule = check if check.startswith(("schema-", "example-")) else f"{side}-{check}"
            out.append(Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items()))))

        self._docs(b, r, emit)
        if not self._types(b, r, emit):
            return
        self._scalars(b, r, side, emit)
        self._properties(b, r, side, out, emit)
        self._children(b, r, side, out, emit)
        self._combinators(b, r, side, out, emit)

    @staticmethod
    def _docs(b: dict[str, Any], r: dict[str, Any], emit: _Emit) -> None:
        if b.get("description") != r.get("description"):
            emit("schema-description-changed")
        if b.get("title") != r.get("title"):
            emit("schema-title-changed")
        if (b.get("example"), b.get("examples")) != (r.get("example"), r.get("examples")):
            emit("example-changed")

    @staticmethod
    def _types(b: dict[str, Any], r: dict[str, Any], emit: _Emit) -> bool:
        """Compare types; False when they are incompatible (nothing below is worth comparing)."""
        bt, rt = b["type"], r["type"]
        if b["nullable"] != r["nullable"]:
            emit("nullable-added" if r["nullable"] else "nullable-removed")
        if bt == rt:
            return True
        if bt is None or rt is None:
            emit("type-widened" if rt is None else "type-narrowed", old=show(bt or "any"), new=show(rt or "any"))
            return True
        if bt <= _cover(rt):
            emit("type-widened", old=show(bt), new=show(rt))
        elif rt <= _cover(bt):
            emit("type-narrowed", old=show(bt), new=show(rt))
        else:
            emit("type-changed", old=show(bt), new=show(rt))
            return False
        return True

    def _scalars(self, b: dict[str, Any], r: dict[str, Any], side: str, emit: _Emit) -> None:
        _added_removed_changed("format", b.get("format"), r.get("format"), emit)
        self._enum(b, r, side, emit)
        for short, keyword in BOUND_KEYWORDS.items():
            self._bound(short, b.get(keyword), r.get(keyword), emit)
        _added_removed_changed("pattern", b.get("pattern"), r.get("pattern"), emit)
        if b.get("multipleOf") != r.get("multipleOf"):
            emit("multiple-of-changed", old=show(b.get("multipleOf")), new=show(r.get("multipleOf")))
        if bool(b.get("uniqueItems")) != bool(r.get("uniqueItems")):
            emit("unique-items-added" if r.get("uniqueItems") else "unique-items-removed")
        if "default" in b and "default" in r and b["default"] != r["default"]:
            emit("default-changed", old=show(b["default"]), new=show(r["default"]))
        self._discriminator(b.get("discriminator"), r.get("discriminator"), emit)
        _added_removed_changed("content-media-type", b.get("contentMediaType"), r.get("contentMediaType"), emit)
        _added_removed_changed("content-encoding", b.get("contentEncoding"), r.get("contentEncoding"), emit)

    @staticmethod
    def _enum(b: dict[str, Any], r: dict[str, Any], side: str, emit: _Emit) -> None:
        be, re_ = b.get("enum"), r.get("enum")
        bx, rx = b.get("x-extensible-enum"), r.get("x-extensible-enum")
        if isinstance(bx, list) or isinstance(rx, list):
            old, new = {show(v) for v in as_list(bx)}, {show(v) for v in as_list(rx)}
            for value in sorted(new - old):
                emit("extensible-enum-value-added", value=value)
            for value in sorted(old - new):
                emit("enum-value-removed", value=value)
        if not isinstance(be, list) and not isinstance(re_, list):
            return
        if not isinstance(be, list):
            emit("enum-added", new=show(re_))
        elif not isinstance(re_, list):
            emit("enum-removed", old=show(be))
        else:
            old, new = {show(v) for v in be}, {show(v) for v in re_}
            for value in sorted(new - old):
                emit("enum-value-added", value=value)
            for value in sorted(old - new):
                emit("enum-value-removed", value=value)

    @staticmethod
    def _bound(short: str, old: Any, new: Any, emit: _Emit) -> None:
        old, new = (v if isinstance(v, tuple) or is_number(v) else None for v in (old, new))
        if old == new:
            return
        if old is None:
            emit(f"{short}-added", new=show(new))
            return
        if new is None:
            emit(f"{short}-removed", old=show(old))
            return
        o = old if isinstance(old, tuple) else (old, False)
        n = new if isinstance(new, tuple) else (new, False)
        # For a maximum, smaller (or the same value made exclusive) is tighter; the opposite for a minimum.
        sign = 1 if short.startswith("max") else -1
        tighter = (n[0] - o[0]) * sign < 0 or (n[0] == o[0] and n[1] and not o[1])
        verb = ("decreased" if sign == 1 else "increased") if tighter else ("increased" if sign == 1 else "decreased")
        emit(f"{short}-{verb}", old=show(old), new=show(new))

    @staticmethod
    def _discriminator(b: Any, r: Any, emit: _Emit) -> None:
        if b == r:
            return
        if not isinstance(b, dict) or not isinstance(r, dict):
            if isinstance(r, dict):
                emit("discriminator-added", new=r.get("propertyName"))
            elif isinstance(b, dict):
                emit("discriminator-removed", old=b.get("propertyName"))
            return
        if b.get("propertyName") != r.get("propertyName"):
            emit("discriminator-property-changed", old=b.get("propertyName"), new=r.get("propertyName"))
        bm, rm = as_dict(b.get("mapping")), as_dict(r.get("mapping"))
        for value in sorted(set(rm) - set(bm)):
            emit("discriminator-mapping-added", value=value)
        for value in sorted(set(bm) - set(rm)):
            emit("discriminator-mapping-removed", value=value)
        for value in sorted(set(bm) & set(rm)):
            if bm[value] != rm[value]:
                emit("discriminator-mapping-changed", value=value)

    def _properties(self, b: dict[str, Any], r: dict[str, Any], side: str, out: list[Finding], emit: _Emit) -> None:
        bprops, rprops = b.get("properties") or {}, r.get("properties") or {}
        if not isinstance(bprops, dict) or not isinstance(rprops, dict):
            return
        breq, rreq = set(b.get("required") or []), set(r.get("required") or [])
        # Properties a direction never carries are no contract there: readOnly in requests, writeOnly in responses.
        hidden = "readOnly" if side == "request" else "writeOnly"
        for name in list(bprops) + [n for n in rprops if n not in bprops]:
            if (
                name in bprops
                and name in rprops
                and (name in breq) == (name in rreq)
                and self._identical(bprops[name], rprops[name])
            ):
                continue
            bv = self.base.view(bprops[name]) if name in bprops else None
            rv = self.rev.view(rprops[name]) if name in rprops else None
            if bv is not None and rv is None:
                if bv.get(hidden) is True:
                    continue
                if bv.get("deprecated") is True:
                    passed, sunset = sunset_passed(bv, self.today)
                    if passed:
                        emit("deprecated-property-removed", "properties", name, name=name)
                    else:
                        emit("property-removed-before-sunset", "properties", name, name=name, sunset=sunset)
                else:
                    emit("property-removed", "properties", name, name=name)
                continue
            if rv is None:
                continue
            if bv is None:
                if rv.get(hidden) is True:
                    continue
                check = "required-property-added" if name in rreq else "optional-property-added"
                emit(check, "properties", name, name=name)
                continue
            if rv.get(hidden) is True and bv.get(hidden) is True:
                continue
            if rv.get(hidden) is True:
                emit(
                    "property-became-read-only" if side == "request" else "property-became-write-only",
                    "properties",
                    name,
                    name=name,
                )
                continue
            if bv.get(hidden) is True:
                # The property enters this direction: a required one must now be sent (readOnly + required only
                # bound responses), a writeOnly one is now returned.
                emit(
                    "property-became-not-read-only" if side == "request" else "property-became-not-write-only",
                    "properties",
                    name,
                    name=name,
                )
                if side == "request" and name in rreq:
                    emit("required-property-added", "properties", name, name=name)
                continue
            if (name in breq) != (name in rreq):
                emit(
                    "property-became-required" if name in rreq else "property-became-optional",
                    "properties",
                    name,
                    name=name,
                )
            if rv.get("deprecated") is True and bv.get("deprecated") is not True:
                emit("property-deprecated", "properties", name, name=name)
            for rule, args in lifecycle(bv, rv, self.today, self.deprecation_days):
                out.append(_plain(rule, ("properties", name), what=f"property {name}", **args))
            out.extend(f.under("properties", name) for f in self.compare(bprops[name], rprops[name], side))

    def _children(self, b: dict[str, Any], r: dict[str, Any], side: str, out: list[Finding], emit: _Emit) -> None:
        ba, ra = _additional(b), _additional(r)
        if isinstance(ba, dict) and isinstance(ra, dict):
            out.extend(f.under("additionalProperties") for f in self.compare(ba, ra, side))
        elif ba != ra:
            emit("additional-properties-widened" if ba is False or ra is True else "additional-properties-narrowed")
        bi, ri = b.get("items"), r.get("items")
        if isinstance(bi, dict) or isinstance(ri, dict):
            out.extend(f.under("items") for f in self.compare(bi, ri, side))
        for stem, keyword, mapped in SUBSCHEMA_KEYWORDS:
            if keyword in b or keyword in r:
                self._subschemas(stem, keyword, mapped, b.get(keyword), r.get(keyword), side, out, emit)
        self._prefix_items(b.get("prefixItems"), r.get("prefixItems"), side, out, emit)
        bd, rd = b.get("dependentRequired"), r.get("dependentRequired")
        if bd != rd:
            bd, rd = bd if isinstance(bd, dict) else {}, rd if isinstance(rd, dict) else {}
            for name in sorted(set(bd) | set(rd)):
                old, new = set(map(str, as_list(bd.get(name)))), set(map(str, as_list(rd.get(name))))
                if new - old:
                    emit("dependent-required-added", "dependentRequired", name=name, value=", ".join(sorted(new - old)))
                if old - new:
                    emit(
                        "dependent-required-removed", "dependentRequired", name=name, value=", ".join(sorted(old - new))
                    )

    def _subschemas(
        self, stem: str, keyword: str, mapped: bool, b: Any, r: Any, side: str, out: list[Finding], emit: _Emit
    ) -> None:
        """A subschema keyword (or one entry of a map of them): added constrains, removed relaxes, kept compares."""
        pairs = (
            {k: (as_dict(b).get(k), as_dict(r).get(k)) for k in [*as_dict(b), *as_dict(r)]}
            if mapped and (isinstance(b, dict) or isinstance(r, dict))
            else {"": (b, r)}
        )
        for key, (old, new) in pairs.items():
            path = (keyword, key) if key else (keyword,)
            old, new = (None if v is True or v == {} else v for v in (old, new))
            if old is None and new is not None:
                emit(f"{stem}-added", *path, value=key)
            elif new is None and old is not None:
                emit(f"{stem}-removed", *path, value=key)
            elif isinstance(old, dict) and isinstance(new, dict):
                out.extend(f.under(*path) for f in self.compare(old, new, side))
            elif old != new:
                emit(f"{stem}-added" if new is False else f"{stem}-removed", *path, value=key)

    def _prefix_items(self, b: Any, r: Any, side: str, out: list[Finding], emit: _Emit) -> None:
        bl, rl = (b if isinstance(b, list) else []), (r if isinstance(r, list) else [])
        for index in range(max(len(bl), len(rl))):
            if index >= len(bl):
                emit("prefix-items-added", "prefixItems", str(index), value=index)
            elif index >= len(rl):
                emit("prefix-items-removed", "prefixItems", value=index)
            else:
                out.extend(f.under("prefixItems", str(index)) for f in self.compare(bl[index], rl[index], side))

    def _combinators(self, b: dict[str, Any], r: dict[str, Any], side: str, out: list[Finding], emit: _Emit) -> None:
        for keyword, check in (("oneOf", "one-of"), ("anyOf", "any-of"), ("allOf", "all-of")):
            bl, rl = b.get(keyword), r.get(keyword)
            if not isinstance(bl, list) and not isinstance(rl, list):
                continue
            if keyword == "oneOf" and isinstance(rl, list) and not isinstance(bl, list) and shaped(b):
                labels = ", ".join(label(node, i) for i, node in enumerate(rl))
                emit("wrapped-in-one-of", keyword, value=labels)
            pairs, removed, added = _match_alternatives(
                as_list(bl), as_list(rl), lambda x, y: not self.compare(x, y, side)
            )
            for name in removed:
                emit(f"{check}-removed", keyword, value=name)
            for name in added:
                emit(f"{check}-added", keyword, value=name)
            for bi, ri in pairs:
                out.extend(f.under(keyword, str(ri)) for f in self.compare(bl[bi], rl[ri], side))  # type: ignore[index]


def _plain(rule: str, path: tuple[str, ...], **args: Any) -> Finding:
    """A finding whose rule id is used as is (no direction prefix)."""
    return Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items())))


def _additional(view: dict[str, Any]) -> Any:
    value = view.get("additionalProperties", True)
    if value is True or value == {}:
        return True
    return value


_EQUIVALENCE_PAIRS = 400  # alternatives left unpaired on both sides, multiplied: beyond this, no search by meaning


def _match_alternatives(
    bl: list[Any], rl: list[Any], equivalent: Callable[[Any, Any], bool]
) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """Pair alternatives by $ref name, then equal content, then equivalent content (a reference and the schema it
    names written inline, either way), then inline ones by position; the rest were removed or added."""
    pairs: list[tuple[int, int]] = []
    b_free, r_free = list(range(len(bl))), list(range(len(rl)))
    matches: list[Callable[[Any, Any], bool]] = [lambda x, y: label(x, -1) == label(y, -2), lambda x, y: x == y]
    if len(bl) * len(rl) <= _EQUIVALENCE_PAIRS:
        matches.append(equivalent)
    for match in matches:
        if len(b_free) * len(r_free) > _EQUIVALENCE_PAIRS and match is equivalent:
            break
        for bi in list(b_free):
            for ri in r_free:
                if match(bl[bi], rl[ri]):
                    pairs.append((bi, ri))
                    b_free.remove(bi)
                    r_free.remove(ri)
                    break
    b_inline = [i for i in b_free if label(bl[i], i).startswith("#")]
    r_inline = [i for i in r_free if label(rl[i], i).startswith("#")]
    for bi, ri in zip(b_inline, r_inline, strict=False):
        pairs.append((bi, ri))
        b_free.remove(bi)
        r_free.remove(ri)
    return pairs, [label(bl[i], i) for i in b_free], [label(rl[i], i) for i in r_free]


def _added_removed_changed(keyword: str, old: Any, new: Any, emit: _Emit) -> None:
    """``<keyword>-added``, ``-removed`` or ``-changed`` for a keyword whose value is text (format, pattern)."""
    if old == new:
        return
    if old and new:
        emit(f"{keyword}-changed", old=old, new=new)
    elif new:
        emit(f"{keyword}-added", new=new)
    else:
        emit(f"{keyword}-removed", old=old)
