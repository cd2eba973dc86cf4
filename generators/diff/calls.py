"""Calls we make and what surrounds an operation: webhooks' and callbacks' parameters and answers (directions
inverted: their request is data we send, judged like a response), callbacks matched and compared as operations,
servers at path and operation level, response links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generators.core.operations import http_method, method_segments, operations_of
from generators.core.shape import as_dict
from generators.diff.matching import MEDIA_SCHEMAS, OpRef, Raw, params
from generators.diff.model import Finding
from generators.diff.resolve import Resolver
from generators.diff.servers import compare_servers


class CallsDiffer:
    """The comparisons of OperationDiffer that concern calls we make and an operation's surroundings."""

    base: Resolver
    rev: Resolver

    def compare(self, b: OpRef, r: OpRef, webhook: bool = False, kind: str | None = None) -> Iterator[Raw]:
        raise NotImplementedError  # OperationDiffer's

    def _schema(
        self, label: str, where: str, path: tuple[str, ...], b: Any, r: Any, side: str, skip_root_default: bool = False
    ) -> Iterator[Raw]:
        raise NotImplementedError  # OperationDiffer's

    def _servers(self, b: OpRef, r: OpRef, label: str) -> Iterator[Raw]:
        """Path- and operation-level servers, compared as the list that applies to this operation."""
        b_list, b_at = _effective_servers(b)
        r_list, r_at = _effective_servers(r)
        if b_at is None and r_at is None:
            return  # both inherit the document's servers, compared once at the top
        b_list = b_list if b_at is not None else _doc_servers(self.base)
        r_list = r_list if r_at is not None else _doc_servers(self.rev)
        path = r_at or b_at or ()
        for finding in compare_servers(b_list, r_list, path):
            yield Raw(label, "servers", finding)

    def _outgoing_parameters(self, b: OpRef, r: OpRef, label: str, kind: str) -> Iterator[Raw]:
        """Parameters of a call we make: one we stop sending breaks receivers, a new one does not."""
        bp, rp = params(self.base, b), params(self.rev, r)
        for key, (param, path) in bp.items():
            name = f"{param.get('in')} parameter {param['name']}"
            if key not in rp:
                yield Raw(label, "", Finding(f"{kind}-parameter-removed", path, (("name", name),)))
                continue
            r_param, r_path = rp[key]
            yield from self._schema(
                label, name, (*r_path, "schema"), param.get("schema"), r_param.get("schema"), "response"
            )
        for key, (param, path) in rp.items():
            if key not in bp:
                name = f"{param.get('in')} parameter {param['name']}"
                yield Raw(label, "", Finding(f"{kind}-parameter-added", path, (("name", name),)))

    def _answers(self, b: OpRef, r: OpRef, label: str, kind: str) -> Iterator[Raw]:
        """Responses of a call we make: the statuses and bodies we accept from the subscriber."""
        br = {str(k).upper(): v for k, v in as_dict(b.op.get("responses")).items()}
        rr = {str(k).upper(): (k, v) for k, v in as_dict(r.op.get("responses")).items()}
        for status in br:
            if status not in rr:
                path = (*b.path, "responses", status)
                yield Raw(label, "", Finding(f"{kind}-response-status-removed", path, (("value", status),)))
        for status, (key, raw_response) in rr.items():
            path = (*r.path, "responses", str(key))
            if status not in br:
                yield Raw(label, "", Finding(f"{kind}-response-status-added", path, (("value", str(key)),)))
                continue
            bresp, _ = self.base.resolve(br[status])
            rresp, _ = self.rev.resolve(raw_response)
            if isinstance(bresp, dict) and isinstance(rresp, dict):
                bc, rc = as_dict(bresp.get("content")), as_dict(rresp.get("content"))
                for media in sorted(set(bc) & set(rc)):
                    where = f"answer {key} {media}"
                    yield from self._media_schemas(
                        label, where, (*path, "content", media), bc[media], rc[media], "request"
                    )

    def _media_schemas(self, label: str, where: str, path: tuple[str, ...], b: Any, r: Any, side: str) -> Iterator[Raw]:
        """The schemas of one media type object (at ``path``) compared: ``schema``, and OpenAPI 3.2's
        ``itemSchema``, the schema of each item of a sequence (JSON Lines, server-sent events)."""
        for keyword in MEDIA_SCHEMAS:
            yield from self._schema(
                label, where, (*path, keyword), as_dict(b).get(keyword), as_dict(r).get(keyword), side
            )

    def _callbacks(self, b: OpRef, r: OpRef) -> Iterator[Raw]:
        """Callbacks of an operation: matched by name, expression and method, compared as calls we make."""
        bc, rc = _callback_ops(self.base, b), _callback_ops(self.rev, r)
        for key, ref in bc.items():
            if key not in rc:
                yield Raw(r.label, "", Finding("callback-removed", ref.item_path, (("name", key),)))
        for key, ref in rc.items():
            if key not in bc:
                yield Raw(r.label, "", Finding("callback-added", ref.path, (("name", key),)))
            else:
                yield from self.compare(bc[key], ref, kind="callback")

    def _links(
        self, label: str, where: str, path: tuple[str, ...], b: dict[str, Any], r: dict[str, Any]
    ) -> Iterator[Raw]:
        for name in b:
            if name not in r:
                yield Raw(label, where, Finding("response-link-removed", (*path, "links"), (("name", name),)))
        for name, link in r.items():
            lpath = (*path, "links", name)
            if name not in b:
                yield Raw(label, where, Finding("response-link-added", lpath, (("name", name),)))
                continue
            bl, rl = self.base.resolve(b[name])[0], self.rev.resolve(link)[0]
            if isinstance(bl, dict) and isinstance(rl, dict) and _link_target(bl) != _link_target(rl):
                yield Raw(label, where, Finding("response-link-changed", lpath, (("name", name),)))


def _link_target(link: dict[str, Any]) -> tuple[Any, ...]:
    """What a link promises: its target operation and the values it passes."""
    return (link.get("operationId"), link.get("operationRef"), link.get("parameters"), link.get("requestBody"))


def _effective_servers(ref: OpRef) -> tuple[list[Any], tuple[str, ...] | None]:
    """The servers an operation declares itself or inherits from its path item (and where), if any."""
    for owner, at in ((ref.op, ref.path), (ref.item, ref.item_path)):
        if isinstance(owner.get("servers"), list):
            return owner["servers"], (*at, "servers")
    return [], None


def _doc_servers(resolver: Resolver) -> list[Any]:
    servers = resolver.document.get("servers") if isinstance(resolver.document, dict) else None
    return servers if isinstance(servers, list) else []


def _callback_ops(resolver: Resolver, ref: OpRef) -> dict[str, OpRef]:
    """Every operation of every callback of an operation, keyed ``name expression METHOD``."""
    found: dict[str, OpRef] = {}
    for name, raw_callback in as_dict(ref.op.get("callbacks")).items():
        callback, _ = resolver.resolve(raw_callback)
        for expression, raw_item in as_dict(callback).items():
            item, _ = resolver.resolve(raw_item)
            if not isinstance(item, dict):
                continue
            for method, op in operations_of(item):
                path = (*ref.path, "callbacks", str(name), str(expression), *method_segments(method))
                label = f"{ref.label} callback {name} {http_method(method)} {expression}"
                found[f"{name} {expression} {http_method(method)}"] = OpRef(label, path, str(expression), op, item)
    return found
