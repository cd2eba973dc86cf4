"""Document-level comparisons: info, tags, externalDocs, servers and security schemes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generators.core.shape import as_dict, as_list
from generators.diff.matching import Raw
from generators.diff.model import Finding
from generators.diff.resolve import Resolver
from generators.diff.schemas import show
from generators.diff.servers import compare_servers

_SCHEME_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")


def _raw(rule: str, path: tuple[str, ...], **args: Any) -> Raw:
    return Raw(None, "", Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items()))))


def compare_document(base: Resolver, rev: Resolver) -> Iterator[Raw]:
    """Findings that belong to no single operation."""
    b, r = base.document, rev.document
    if b.get("openapi") != r.get("openapi"):
        yield _raw("openapi-version-changed", ("openapi",), old=b.get("openapi"), new=r.get("openapi"))
    bi, ri = as_dict(b.get("info")), as_dict(r.get("info"))
    for key, rule in (
        ("title", "info-title-changed"),
        ("description", "info-description-changed"),
        ("contact", "info-contact-changed"),
        ("license", "info-license-changed"),
        ("termsOfService", "info-terms-of-service-changed"),
    ):
        if bi.get(key) != ri.get(key):
            yield _raw(rule, ("info", key))
    if b.get("externalDocs") != r.get("externalDocs"):
        yield _raw("external-docs-changed", ("externalDocs",))
    yield from _tags(as_list(b.get("tags")), as_list(r.get("tags")))
    for finding in compare_servers(as_list(b.get("servers")), as_list(r.get("servers")), ("servers",)):
        yield Raw(None, "", finding)
    yield from _schemes(base, rev)


def _tags(b: list[Any], r: list[Any]) -> Iterator[Raw]:
    bt = {t["name"]: t for t in b if isinstance(t, dict) and isinstance(t.get("name"), str)}
    rt = {t["name"]: (i, t) for i, t in enumerate(r) if isinstance(t, dict) and isinstance(t.get("name"), str)}
    for name in bt:
        if name not in rt:
            yield _raw("tag-removed", ("tags",), name=name)
    for name, (index, tag) in rt.items():
        if name not in bt:
            yield _raw("tag-added", ("tags", str(index)), name=name)
        elif (bt[name].get("description"), bt[name].get("externalDocs")) != (
            tag.get("description"),
            tag.get("externalDocs"),
        ):
            yield _raw("tag-description-changed", ("tags", str(index)), name=name)


def _schemes(base: Resolver, rev: Resolver) -> Iterator[Raw]:
    bs = as_dict(as_dict(base.document.get("components")).get("securitySchemes"))
    rs = as_dict(as_dict(rev.document.get("components")).get("securitySchemes"))
    for name in bs:
        if name not in rs:
            yield _raw("security-scheme-removed", ("components", "securitySchemes"), name=name)
    for name in rs:
        path = ("components", "securitySchemes", name)
        if name not in bs:
            yield _raw("security-scheme-added", path, name=name)
            continue
        b, _ = base.resolve(bs[name])
        r, _ = rev.resolve(rs[name])
        if isinstance(b, dict) and isinstance(r, dict):
            yield from _scheme(name, b, r, path)


def _scheme(name: str, b: dict[str, Any], r: dict[str, Any], path: tuple[str, ...]) -> Iterator[Raw]:
    if b.get("type") != r.get("type"):
        yield _raw("security-scheme-type-changed", path, name=name, old=b.get("type"), new=r.get("type"))
        return
    if (b.get("in"), b.get("name")) != (r.get("in"), r.get("name")):
        yield _raw(
            "security-scheme-api-key-changed",
            path,
            name=name,
            old=f"{b.get('in')} {b.get('name')}",
            new=f"{r.get('in')} {r.get('name')}",
        )
    if str(b.get("scheme", "")).lower() != str(r.get("scheme", "")).lower():
        yield _raw("security-scheme-http-scheme-changed", path, name=name, old=b.get("scheme"), new=r.get("scheme"))
    if b.get("bearerFormat") != r.get("bearerFormat"):
        yield _raw(
            "security-scheme-bearer-format-changed",
            path,
            name=name,
            old=b.get("bearerFormat"),
            new=r.get("bearerFormat"),
        )
    if b.get("openIdConnectUrl") != r.get("openIdConnectUrl"):
        yield _raw(
            "security-scheme-url-changed",
            path,
            name=name,
            value="openIdConnectUrl",
            old=b.get("openIdConnectUrl"),
            new=r.get("openIdConnectUrl"),
        )
    bf, rf = as_dict(b.get("flows")), as_dict(r.get("flows"))
    for flow in bf:
        if flow not in rf:
            yield _raw("security-scheme-flow-removed", path, name=name, value=flow)
    for flow in rf:
        if flow not in bf:
            yield _raw("security-scheme-flow-added", (*path, "flows", flow), name=name, value=flow)
            continue
        fb, fr = as_dict(bf[flow]), as_dict(rf[flow])
        for key in _SCHEME_URLS:
            if fb.get(key) != fr.get(key):
                yield _raw(
                    "security-scheme-url-changed",
                    (*path, "flows", flow, key),
                    name=name,
                    value=key,
                    old=fb.get(key),
                    new=fr.get(key),
                )
        sb, sr = set(as_dict(fb.get("scopes"))), set(as_dict(fr.get("scopes")))
        for scope in sorted(sb - sr):
            yield _raw("security-scheme-scope-removed", (*path, "flows", flow, "scopes"), name=name, value=scope)
        for scope in sorted(sr - sb):
            yield _raw("security-scheme-scope-added", (*path, "flows", flow, "scopes"), name=name, value=scope)


__all__ = ["compare_document", "show"]
