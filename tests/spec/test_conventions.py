"""The conventions every Atlas operation follows, asserted on the bundled spec (cheap, structural checks)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.spec.atlas_spec import bundled, operations, resolve

DOC = bundled().document
OPS = list(operations("paths"))
OP_IDS = [op.get("operationId", f"{method} {path}") for path, method, op in OPS]
SCHEME = DOC["components"]["securitySchemes"]["bearerAuth"]
CATALOGUE = SCHEME["x-scopes"]


def _is_public(op: dict[str, Any]) -> bool:
    return op.get("security", DOC.get("security")) == []


def _parameters(path: str, op: dict[str, Any]) -> list[dict[str, Any]]:
    shared = DOC["paths"][path].get("parameters", [])
    return [resolve(DOC, p)[0] for p in [*shared, *op.get("parameters", [])]]


def _parameter_names(path: str, op: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["in"], p["name"]) for p in _parameters(path, op)}


def _success_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    for status, response in op["responses"].items():
        if status.startswith("2"):
            content = resolve(DOC, response)[0].get("content", {})
            if "application/json" in content:
                return dict(resolve(DOC, content["application/json"]["schema"])[0])
    return None


def test_surface_is_large_enough() -> None:
    tags = {op["tags"][0] for _, _, op in OPS}
    assert len(OPS) >= 60, f"{len(OPS)} operations"
    assert len(tags) >= 10, sorted(tags)
    assert len(DOC["webhooks"]) >= 8, sorted(DOC["webhooks"])


def test_root_declares_default_rate_limits_and_server() -> None:
    limits = {name: (spec["limit"], spec["window"]) for name, spec in DOC["x-rate-limits"].items()}
    assert limits == {"read": (300, "1m"), "write": (60, "1m"), "ai": (20, "1m")}
    assert DOC["servers"][0]["url"] == "https://api-atlas.wrxstack.com"
    assert DOC["info"]["version"] == "2.0.0"


def test_operation_ids_are_unique_camel_case() -> None:
    assert len(OP_IDS) == len(set(OP_IDS))
    webhook_ids = [op["operationId"] for _, _, op in operations("webhooks")]
    assert len(set(OP_IDS) | set(webhook_ids)) == len(OP_IDS) + len(webhook_ids)
    assert all(re.fullmatch(r"[a-z][a-zA-Z0-9]*", i) for i in OP_IDS + webhook_ids)


@pytest.mark.parametrize(("path", "method", "op"), OPS, ids=OP_IDS)
class TestEveryOperation:
    def test_documented_with_one_declared_tag(self, path: str, method: str, op: dict[str, Any]) -> None:
        declared = {t["name"] for t in DOC["tags"]}
        assert op["summary"].strip() and op["description"].strip()
        assert len(op["tags"]) == 1 and op["tags"][0] in declared

    def test_scopes(self, path: str, method: str, op: dict[str, Any]) -> None:
        scopes = op["x-required-scopes"]
        if _is_public(op):
            assert scopes == [], "a public operation needs no scope"
        else:
            assert scopes, "a secured operation lists the scopes a PAT needs"
            assert set(scopes) <= set(CATALOGUE), set(scopes) - set(CATALOGUE)

    def test_rate_limit_class_matches_method_and_path(self, path: str, method: str, op: dict[str, Any]) -> None:
        expected = "ai" if path.startswith("/v1/ai/") else "read" if method == "get" else "write"
        assert op["x-ratelimit-class"] == expected

    def test_errors_are_problems_specific_where_it_matters(self, path: str, method: str, op: dict[str, Any]) -> None:
        """400/401/409/5XX share one response; 429 shares one per rate class; 403/404/422 are the operation's own."""
        responses = op["responses"]
        cls = op["x-ratelimit-class"].capitalize()
        shared = {"400": "BadRequest", "401": "Unauthorized", "409": "Conflict", "5XX": "ServerError"}
        shared["429"] = f"TooManyRequests{cls}"
        for status, response in responses.items():
            if status[0] not in "45":
                continue
            if status in shared:
                assert response == {"$ref": f"#/components/responses/{shared[status]}"}, status
            else:
                assert "$ref" not in response, f"{status} is the operation's own, with its own examples"
                examples = response["content"]["application/problem+json"]["examples"]
                own = [resolve(DOC, e)[0]["value"] for e in examples.values() if "$ref" not in e]
                assert own and all(e["status"] == int(status) for e in own), status
            assert list(resolve(DOC, response)[0]["content"]) == ["application/problem+json"]
        assert "429" in responses and "5XX" in responses
        if not _is_public(op):
            assert "401" in responses and "403" in responses

    def test_every_response_carries_the_request_id(self, path: str, method: str, op: dict[str, Any]) -> None:
        for status, response in op["responses"].items():
            headers = resolve(DOC, response)[0].get("headers", {})
            assert headers.get("X-Request-Id") == {"$ref": "#/components/headers/RequestId"}, status

    def test_scopes_in_security_equal_x_required_scopes(self, path: str, method: str, op: dict[str, Any]) -> None:
        if _is_public(op):
            assert op["security"] == []
        else:
            assert op["security"] == [{"bearerAuth": op["x-required-scopes"]}]

    def test_idempotency_and_concurrency(self, path: str, method: str, op: dict[str, Any]) -> None:
        names = _parameter_names(path, op)
        if method == "post":
            assert ("header", "Idempotency-Key") in names
        if ("header", "If-Match") in names:
            assert "409" in op["responses"]
        versioned = "version" in (_success_schema(op) or {}).get("properties", {})
        if method in ("patch", "put") and versioned:
            assert ("header", "If-Match") in names

    def test_lists_paginate(self, path: str, method: str, op: dict[str, Any]) -> None:
        schema = _success_schema(op)
        is_list = schema is not None and "nextCursor" in schema.get("properties", {})
        names = _parameter_names(path, op)
        assert is_list == (("query", "limit") in names) == (("query", "cursor") in names)
        if is_list:
            assert schema is not None and set(schema["required"]) >= {"items", "nextCursor"}
            limit = next(p for p in _parameters(path, op) if p["name"] == "limit")["schema"]
            assert (limit["default"], limit["maximum"]) == (50, 200)


def test_versioned_resources_take_if_match_on_every_change() -> None:
    """A path whose GET returns a `version` accepts If-Match (and documents 409) on its PATCH, PUT and DELETE."""
    for path, item in DOC["paths"].items():
        get = item.get("get")
        schema = _success_schema(get) if get else None
        if schema and "version" in schema.get("properties", {}):
            for method in ("patch", "put", "delete"):
                if method in item:
                    assert ("header", "If-Match") in _parameter_names(path, item[method]), f"{method} {path}"
                    assert "409" in item[method]["responses"], f"{method} {path}"


def test_scope_catalogue_table_matches_x_scopes() -> None:
    table = dict(re.findall(r"^\| `([a-z]+:[a-z]+)` \| (.+?) \|$", SCHEME["description"], re.MULTILINE))
    assert list(table) == list(CATALOGUE)
    used = {s for _, _, op in OPS for s in op["x-required-scopes"]}
    assert used == set(CATALOGUE), "every documented scope gates some operation"


@pytest.mark.parametrize("event", sorted(DOC["webhooks"]))
def test_webhook_events_are_signed_envelopes(event: str) -> None:
    op = DOC["webhooks"][event]["post"]
    headers = {resolve(DOC, p)[0]["name"] for p in op["parameters"]}
    assert headers == {"X-Atlas-Event", "X-Atlas-Signature", "X-Atlas-Delivery"}
    payload = resolve(DOC, op["requestBody"]["content"]["application/json"]["schema"])[0]
    envelope, body = payload["allOf"]
    assert envelope["$ref"] == "#/components/schemas/payloads_EventEnvelope"
    assert body["properties"]["type"]["const"] == event
    assert event in DOC["components"]["schemas"]["WebhookEventType"]["enum"]
    assert set(op["x-required-scopes"]) <= set(CATALOGUE)
