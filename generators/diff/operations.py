"""Compare matched operations: parameters, bodies, responses and security (calls we make: see ``calls``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generators.core.shape import as_dict, strings
from generators.diff.calls import CallsDiffer
from generators.diff.lifecycle import lifecycle
from generators.diff.matching import METHODS, PARAM, OpRef, Raw, operations, params, template_key
from generators.diff.model import Finding
from generators.diff.schemas import SchemaDiffer, show, sunset_passed

__all__ = ["METHODS", "OpRef", "OperationDiffer", "Raw", "operations", "params", "template_key"]

_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


class OperationDiffer(CallsDiffer):
    """Compares matched operations (and webhooks, judged like responses)."""

    def __init__(self, schemas: SchemaDiffer, today: Any) -> None:
        self.schemas = schemas
        self.base = schemas.base
        self.rev = schemas.rev
        self.today = today

    def compare(self, b: OpRef, r: OpRef, webhook: bool = False, kind: str | None = None) -> Iterator[Raw]:
        """Every finding between one base operation and its revision.

        Webhooks and callbacks are operations we call: their request is data we send (judged like a response)
        and their responses are data the subscriber sends us (judged like a request).
        """
        kind = kind or ("webhook" if webhook else "operation")
        label = r.label

        def raw(rule: str, path: tuple[str, ...], where: str = "", **args: Any) -> Raw:
            return Raw(label, where, Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items()))))

        yield from self._operation_fields(b, r, raw, kind != "operation")
        yield from self._servers(b, r, label)
        if kind != "operation":
            yield from self._outgoing_parameters(b, r, label, kind)
            yield from self._bodies(b, r, label, "response", f"{kind}-payload")
            yield from self._answers(b, r, label, kind)
            return
        yield from self._parameters(b, r, label)
        yield from self._bodies(b, r, label, "request", "request-body")
        yield from self._responses(b, r, label)
        yield from self._security(b, r, raw)
        yield from self._callbacks(b, r)

    def _operation_fields(self, b: OpRef, r: OpRef, raw: Any, webhook: bool) -> Iterator[Raw]:
        bo, ro, p = b.op, r.op, r.path
        for rule, args in lifecycle(bo, ro, self.today, self.schemas.deprecation_days, operation=True):
            yield raw(rule, (*p, "deprecated" if "days" in args else "x-sunset"), what="operation", **args)
        if ro.get("deprecated") is True and bo.get("deprecated") is not True:
            yield raw("webhook-deprecated" if webhook else "operation-deprecated", (*p, "deprecated"))
        if bo.get("deprecated") is True and ro.get("deprecated") is not True and not webhook:
            yield raw("operation-undeprecated", (*p, "deprecated"))
        bs, rs = bo.get("x-sunset"), ro.get("x-sunset")
        if bs != rs and rs is not None:
            earlier = bs is not None and str(rs) < str(bs)
            yield raw(
                "operation-sunset-moved-earlier" if earlier else "operation-sunset-changed",
                (*p, "x-sunset"),
                old=bs,
                new=rs,
            )
        if bo.get("operationId") != ro.get("operationId") and bo.get("operationId") is not None:
            yield raw("operation-id-changed", (*p, "operationId"), old=bo.get("operationId"), new=ro.get("operationId"))
        for key, rule in (
            ("summary", "operation-summary-changed"),
            ("description", "operation-description-changed"),
            ("externalDocs", "operation-external-docs-changed"),
        ):
            if bo.get(key) != ro.get(key):
                yield raw(rule, (*p, key))
        if sorted(strings(bo.get("tags"))) != sorted(strings(ro.get("tags"))):
            yield raw(
                "operation-tags-changed",
                (*p, "tags"),
                old=show(strings(bo.get("tags"))),
                new=show(strings(ro.get("tags"))),
            )
        for old, new in zip(PARAM.findall(b.template), PARAM.findall(r.template), strict=False):
            if old != new and not webhook:
                yield raw("path-parameter-renamed", p[:2], old=old, new=new)
        old_scopes, new_scopes = set(strings(bo.get("x-required-scopes"))), set(strings(ro.get("x-required-scopes")))
        for scope in sorted(new_scopes - old_scopes):
            yield raw("required-scope-added", (*p, "x-required-scopes"), value=scope)
        for scope in sorted(old_scopes - new_scopes):
            yield raw("required-scope-removed", (*p, "x-required-scopes"), value=scope)
        if bo.get("x-ratelimit-class") != ro.get("x-ratelimit-class"):
            yield raw(
                "ratelimit-class-changed",
                (*p, "x-ratelimit-class"),
                old=bo.get("x-ratelimit-class"),
                new=ro.get("x-ratelimit-class"),
            )

    def _schema(
        self, label: str, where: str, path: tuple[str, ...], b: Any, r: Any, side: str, skip_root_default: bool = False
    ) -> Iterator[Raw]:
        for f in self.schemas.compare(b, r, side):
            if skip_root_default and not f.path and f.rule.endswith("-default-changed"):
                continue
            yield Raw(label, where, f.under(*path))

    def _parameters(self, b: OpRef, r: OpRef, label: str) -> Iterator[Raw]:
        bp, rp = params(self.base, b), params(self.rev, r)
        moved = {k[1]: k for k in rp if k not in bp}

        def raw(rule: str, path: tuple[str, ...], **args: Any) -> Raw:
            return Raw(label, "", Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items()))))

        for key, (param, path) in bp.items():
            name = f"{param.get('in')} parameter {param['name']}"
            if key in rp:
                yield from self._parameter(label, name, param, path, *rp[key])
                continue
            other = moved.pop(key[1], None)
            if other is not None and other[0] != key[0]:
                yield raw(
                    "request-parameter-location-changed", rp[other][1], name=param["name"], old=key[0], new=other[0]
                )
            elif param.get("deprecated") is True:
                passed, sunset = sunset_passed(param, self.today)
                rule = "deprecated-request-parameter-removed" if passed else "request-parameter-removed-before-sunset"
                yield raw(rule, path, name=name, sunset=sunset)
            else:
                yield raw("request-parameter-removed", path, name=name)
        for key, (param, path) in rp.items():
            if key in bp or key[1] not in moved:
                continue
            name = f"{param.get('in')} parameter {param['name']}"
            required = param.get("required") is True or param.get("in") == "path"
            yield raw(
                "request-parameter-added-required" if required else "request-parameter-added-optional", path, name=name
            )

    def _parameter(
        self,
        label: str,
        name: str,
        b: dict[str, Any],
        b_path: tuple[str, ...],
        r: dict[str, Any],
        path: tuple[str, ...],
    ) -> Iterator[Raw]:
        def raw(rule: str, **args: Any) -> Raw:
            return Raw(
                label, "", Finding(rule, path, tuple(sorted((k, str(v)) for k, v in {"name": name, **args}.items())))
            )

        if bool(b.get("required")) != bool(r.get("required")) and r.get("in") != "path":
            yield raw("request-parameter-became-required" if r.get("required") else "request-parameter-became-optional")
        where = str(r.get("in"))
        style_b, style_r = b.get("style", _DEFAULT_STYLE.get(where)), r.get("style", _DEFAULT_STYLE.get(where))
        if style_b != style_r:
            yield raw("request-parameter-style-changed", old=style_b, new=style_r)
        explode_b, explode_r = b.get("explode", style_b == "form"), r.get("explode", style_r == "form")
        if explode_b != explode_r:
            yield raw("request-parameter-explode-changed", old=explode_b, new=explode_r)
        if r.get("deprecated") is True and b.get("deprecated") is not True:
            yield raw("request-parameter-deprecated")
        for rule, args in lifecycle(b, r, self.today, self.schemas.deprecation_days):
            yield Raw(
                label, "", Finding(rule, path, tuple(sorted((k, str(v)) for k, v in {"what": name, **args}.items())))
            )
        if b.get("allowEmptyValue") is True and r.get("allowEmptyValue") is not True:
            yield raw("request-parameter-empty-value-disallowed")
        elif r.get("allowEmptyValue") is True and b.get("allowEmptyValue") is not True:
            yield raw("request-parameter-empty-value-allowed")
        if b.get("description") != r.get("description"):
            yield raw("request-parameter-description-changed")
        bd, rd = self.base.view(b.get("schema")).get("default"), self.rev.view(r.get("schema")).get("default")
        if bd != rd:
            rule = (
                "request-parameter-default-added"
                if bd is None
                else "request-parameter-default-removed"
                if rd is None
                else "request-parameter-default-changed"
            )
            yield raw(rule, old=show(bd), new=show(rd))
        where_text = name
        yield from self._schema(
            label, where_text, (*path, "schema"), b.get("schema"), r.get("schema"), "request", skip_root_default=True
        )
        bc, rc = b.get("content"), r.get("content")
        if isinstance(bc, dict) and isinstance(rc, dict):
            if set(bc) != set(rc):
                yield raw("request-parameter-media-type-changed", old=show(sorted(bc)), new=show(sorted(rc)))
            for media in sorted(set(bc) & set(rc)):
                yield from self._media_schemas(
                    label, f"{name} {media}", (*path, "content", media), bc[media], rc[media], "request"
                )

    def _bodies(self, b: OpRef, r: OpRef, label: str, side: str, prefix: str) -> Iterator[Raw]:
        bb, _ = self.base.resolve(b.op.get("requestBody"))
        rb, _ = self.rev.resolve(r.op.get("requestBody"))
        path = (*r.path, "requestBody")

        def raw(rule: str, **args: Any) -> Raw:
            return Raw(label, "", Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items()))))

        if not isinstance(bb, dict) and not isinstance(rb, dict):
            return
        if prefix == "request-body":
            if not isinstance(bb, dict):
                yield raw("request-body-added-required" if rb.get("required") else "request-body-added-optional")
                return
            if not isinstance(rb, dict):
                yield raw("request-body-removed")
                return
            if bool(bb.get("required")) != bool(rb.get("required")):
                yield raw("request-body-became-required" if rb.get("required") else "request-body-became-optional")
            if bb.get("description") != rb.get("description"):
                yield raw("request-body-description-changed")
        bc = as_dict(as_dict(bb).get("content"))
        rc = as_dict(as_dict(rb).get("content"))
        where = "payload" if side == "response" else "request body"
        yield from self._content(label, where, path, bc, rc, side, prefix)

    def _content(
        self,
        label: str,
        where: str,
        path: tuple[str, ...],
        bc: dict[str, Any],
        rc: dict[str, Any],
        side: str,
        prefix: str,
    ) -> Iterator[Raw]:
        for media in bc:
            if media not in rc:
                yield Raw(label, where, Finding(f"{prefix}-media-type-removed", path, (("value", media),)))
        for media in rc:
            if media not in bc:
                yield Raw(label, where, Finding(f"{prefix}-media-type-added", path, (("value", media),)))
            elif isinstance(bc[media], dict) and isinstance(rc[media], dict):
                yield from self._media_schemas(
                    label, f"{where} {media}", (*path, "content", media), bc[media], rc[media], side
                )

    def _responses(self, b: OpRef, r: OpRef, label: str) -> Iterator[Raw]:
        br = {str(k).upper(): v for k, v in as_dict(b.op.get("responses")).items()}
        rr = {str(k): v for k, v in as_dict(r.op.get("responses")).items()}
        rr_upper = {k.upper(): k for k in rr}
        for status in br:
            if status not in rr_upper:
                success = status[:1] in "23"
                rule = "response-success-status-removed" if success else "response-error-status-removed"
                yield Raw(label, "", Finding(rule, (*b.path, "responses", status), (("value", status),)))
        for status_key, raw_response in rr.items():
            status = status_key.upper()
            path = (*r.path, "responses", status_key)
            if status not in br:
                yield Raw(label, "", Finding("response-status-added", path, (("value", status_key),)))
                continue
            bresp, _ = self.base.resolve(br[status])
            rresp, _ = self.rev.resolve(raw_response)
            if isinstance(bresp, dict) and isinstance(rresp, dict):
                yield from self._response(label, f"response {status_key}", path, bresp, rresp)

    def _response(
        self, label: str, where: str, path: tuple[str, ...], b: dict[str, Any], r: dict[str, Any]
    ) -> Iterator[Raw]:
        if b.get("description") != r.get("description"):
            yield Raw(label, where, Finding("response-description-changed", path))
        bh = {k.lower(): v for k, v in as_dict(b.get("headers")).items()}
        rh = {k.lower(): (k, v) for k, v in as_dict(r.get("headers")).items()}
        for name in bh:
            if name not in rh:
                yield Raw(label, where, Finding("response-header-removed", (*path, "headers"), (("name", name),)))
        for name, (key, raw_header) in rh.items():
            hpath = (*path, "headers", key)
            if name not in bh:
                yield Raw(label, where, Finding("response-header-added", hpath, (("name", key),)))
                continue
            bhead, _ = self.base.resolve(bh[name])
            rhead, _ = self.rev.resolve(raw_header)
            if not isinstance(bhead, dict) or not isinstance(rhead, dict):
                continue
            if bool(bhead.get("required")) != bool(rhead.get("required")):
                rule = "response-header-became-required" if rhead.get("required") else "response-header-became-optional"
                yield Raw(label, where, Finding(rule, hpath, (("name", key),)))
            yield from self._schema(
                label, f"{where} header {key}", (*hpath, "schema"), bhead.get("schema"), rhead.get("schema"), "response"
            )
        yield from self._content(
            label, where, path, as_dict(b.get("content")), as_dict(r.get("content")), "response", "response"
        )
        yield from self._links(label, where, path, as_dict(b.get("links")), as_dict(r.get("links")))

    def _security(self, b: OpRef, r: OpRef, raw: Any) -> Iterator[Raw]:
        root_b = self.base.document.get("security") or []
        root_r = self.rev.document.get("security") or []
        bs = _requirements(b.op.get("security", root_b))
        rs = _requirements(r.op.get("security", root_r))
        path = (*r.path, "security")
        b_open, r_open = not bs or frozenset() in bs, not rs or frozenset() in rs
        if b_open and not r_open:
            yield raw("security-added", path, new=" or ".join(sorted("+".join(sorted(k)) for k in rs)))
            return
        if r_open and not b_open:
            yield raw("security-removed", path)
            return
        yield from _alternatives(bs, rs, path, raw)


def _alternatives(
    bs: dict[frozenset[str], dict[str, set[str]]], rs: dict[frozenset[str], dict[str, set[str]]], path: Any, raw: Any
) -> Iterator[Raw]:
    """Security alternatives (OR) of schemes (AND): an alternative kept, grown, shrunk, added or removed."""
    b_free = [k for k in bs if k not in rs]
    r_free = [k for k in rs if k not in bs]
    pairs = [(k, k) for k in bs if k in rs]
    for old in list(b_free):
        # The closest alternative that only gained or lost schemes is the same one, changed.
        match = next((new for new in r_free if old < new or new < old), None)
        if match is not None:
            pairs.append((old, match))
            b_free.remove(old)
            r_free.remove(match)
    for new in r_free:
        yield raw("security-requirement-added", path, value="+".join(sorted(new)))
    for old in b_free:
        yield raw("security-requirement-removed", path, value="+".join(sorted(old)))
    for old, new in pairs:
        label = "+".join(sorted(old))
        for scheme in sorted(new - old):
            yield raw("security-requirement-scheme-added", path, old=label, value=scheme)
        for scheme in sorted(old - new):
            yield raw("security-requirement-scheme-removed", path, old=label, value=scheme)
        for scheme in sorted(old & new):
            for scope in sorted(rs[new][scheme] - bs[old][scheme]):
                yield raw("security-scope-added", path, value=scope, name=scheme)
            for scope in sorted(bs[old][scheme] - rs[new][scheme]):
                yield raw("security-scope-removed", path, value=scope, name=scheme)


def _requirements(raw: Any) -> dict[frozenset[str], dict[str, set[str]]]:
    """Security requirements keyed by the set of scheme names (alternatives are OR, schemes inside AND)."""
    found: dict[frozenset[str], dict[str, set[str]]] = {}
    for requirement in raw if isinstance(raw, list) else []:
        if isinstance(requirement, dict):
            # scopes are a list of strings; anything else (a malformed `true`, a map) counts as no scopes
            found[frozenset(map(str, requirement))] = {
                str(k): {str(s) for s in v} if isinstance(v, list) else set() for k, v in requirement.items()
            }
    return found
