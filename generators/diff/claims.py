"""Which differences the rules' findings account for, so the catch-all reports only the rest.

A finding covers its node; rules that report on a node while reading only some of its keys (a schema's type, a
parameter's style) cover those keys only, so another difference on the same node still surfaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generators.core.pointer import parse_fragment
from generators.diff.model import Finding
from generators.diff.resolve import Resolver, escape, pointer

# Rules that report on a node but read only some of its keys: the keys they claim (others stay the catch-all's).
_KEYS: dict[str, tuple[str, ...]] = {
    "type-changed": ("type", "nullable"),
    "type-widened": ("type", "nullable"),
    "type-narrowed": ("type", "nullable"),
    "nullable-added": ("type", "nullable", "enum", "anyOf", "oneOf"),
    "nullable-removed": ("type", "nullable", "enum", "anyOf", "oneOf"),
    "format-changed": ("format",),
    "format-added": ("format",),
    "format-removed": ("format",),
    "enum-value-added": ("enum", "const", "x-extensible-enum"),
    "enum-value-removed": ("enum", "const", "x-extensible-enum"),
    "extensible-enum-value-added": ("x-extensible-enum",),
    "enum-added": ("enum", "const"),
    "enum-removed": ("enum", "const"),
    "pattern-added": ("pattern",),
    "pattern-changed": ("pattern",),
    "pattern-removed": ("pattern",),
    "multiple-of-changed": ("multipleOf",),
    "unique-items-added": ("uniqueItems",),
    "unique-items-removed": ("uniqueItems",),
    "default-changed": ("default",),
    "additional-properties-narrowed": ("additionalProperties",),
    "additional-properties-widened": ("additionalProperties",),
    "discriminator-added": ("discriminator",),
    "discriminator-removed": ("discriminator",),
    "content-media-type-added": ("contentMediaType",),
    "content-media-type-removed": ("contentMediaType",),
    "content-media-type-changed": ("contentMediaType",),
    "content-encoding-added": ("contentEncoding",),
    "content-encoding-removed": ("contentEncoding",),
    "content-encoding-changed": ("contentEncoding",),
    "schema-description-changed": ("description",),
    "schema-title-changed": ("title",),
    "example-changed": ("example", "examples"),
    "request-parameter-became-required": ("required",),
    "request-parameter-became-optional": ("required",),
    "request-parameter-style-changed": ("style",),
    "request-parameter-explode-changed": ("explode",),
    "request-parameter-deprecated": ("deprecated",),
    "request-parameter-empty-value-disallowed": ("allowEmptyValue",),
    "request-parameter-empty-value-allowed": ("allowEmptyValue",),
    "request-parameter-description-changed": ("description",),
    "request-parameter-default-changed": ("schema/default",),
    "request-parameter-default-added": ("schema/default",),
    "request-parameter-default-removed": ("schema/default",),
    "request-parameter-media-type-changed": ("content",),
    "request-body-became-required": ("required",),
    "request-body-became-optional": ("required",),
    "request-body-description-changed": ("description",),
    "response-description-changed": ("description",),
    "response-header-became-optional": ("required",),
    "response-header-became-required": ("required",),
    "tag-description-changed": ("description", "externalDocs"),
    "path-parameter-renamed": (),
    "sunset-invalid": ("x-sunset",),
    "sunset-removed": ("x-sunset",),
    "sunset-moved-earlier": ("x-sunset",),
    "sunset-too-soon": ("x-sunset",),
    "deprecated-without-sunset": ("deprecated",),
    "stability-decreased": ("x-stability-level",),
    "stability-level-invalid": ("x-stability-level",),
}
_PROPERTY_RULES = ("property-", "required-property-added", "optional-property-added")


def claims(findings: Iterable[Finding]) -> set[str]:
    """The pointers the rules' findings cover (revision-side, components at their own pointer)."""
    claimed: set[str] = set()
    for f in findings:
        where = f.component[1:] if f.component else pointer(f.path)
        check = f.rule.split("-", 1)[1] if f.rule.startswith(("request-", "response-")) else f.rule
        keys = _KEYS.get(f.rule, _KEYS.get(check))
        args = dict(f.args)
        if f.rule.endswith("media-type-added") or f.rule.endswith("media-type-removed"):
            keys = (f"content/{escape(args.get('value', ''))}",)
        if f.rule.endswith("header-removed") or f.rule == "tag-removed":
            keys = (escape(args.get("name", "")),) if f.rule != "tag-removed" else None
        if keys is None:
            claimed.add(where)
        else:
            claimed.update(f"{where}/{key}" for key in keys)
        if check.startswith(_PROPERTY_RULES) and "/properties/" in where:
            claimed.add(where.rsplit("/properties/", 1)[0] + "/required")
        if f.rule.startswith("security-") and not f.rule.startswith("security-scheme-"):
            # an operation's effective security: when it changed through the root's list, that list is told
            claimed.add("/security")
    return claimed


def through_item_refs(claimed: set[str], base: Resolver, rev: Resolver) -> set[str]:
    """The places a claim under a Path Item written as a ``$ref`` also covers in the items it leads to.

    The rules read ``/paths/~1a/get`` through ``$ref: '#/components/pathItems/A'`` and report it there; the
    walk compares a shared item once, at its own pointer (``/components/pathItems/A/get``), or at the pointer of
    a component that is itself a ``$ref`` on the way.
    """
    items: dict[str, set[str]] = {}
    for resolver in (rev, base):
        document = resolver.document
        chains: dict[str, list[str]] = {}  # items that are the same $ref share one walk of its chain
        for section in ("paths", "webhooks"):
            members = document.get(section) if isinstance(document, dict) else None
            for key, raw in members.items() if isinstance(members, dict) else ():
                ref = raw.get("$ref") if isinstance(raw, dict) else None
                chain = chains.get(ref) if isinstance(ref, str) else None
                if chain is None:
                    chain = _chain(resolver, raw)
                    if isinstance(ref, str):
                        chains[ref] = chain
                if chain:
                    items.setdefault(f"/{section}/{escape(str(key))}", set()).update(chain)
    extra: set[str] = set()
    for where in claimed if items else ():
        parts = where.split("/", 3)  # "", section, the item's key, the rest
        for target in items.get("/".join(parts[:3]), ()) if len(parts) >= 3 else ():
            extra.add("/".join([target, *parts[3:]]))
    return extra


def _chain(resolver: Resolver, node: Any) -> list[str]:
    """The pointers (as the walk names places) of the nodes a chain of local refs from ``node`` passes."""
    found: dict[str, None] = {}  # in order, and a loop seen at once (a list's `in` made a long chain quadratic)
    while isinstance(node, dict) and isinstance(ref := node.get("$ref"), str) and ref.startswith("#"):
        target = resolver.target(ref)
        if target is None:
            break
        where = pointer(parse_fragment(ref[1:]))  # each token escaped, none percent-encoded
        if where in found:
            break
        found[where] = None
        node = target
    return list(found)
