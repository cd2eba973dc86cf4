"""House rules: what the Atlas public API promises its integrators (off unless ``house-rules = true``).

They apply to the API's routes (``paths``), not to webhooks. The scope catalogue is read from the spec
itself: a root ``x-scopes`` map (or list), the ``x-scopes`` of any
security scheme, and the scopes of any OAuth2 flow, all merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from generators.core.diagnostics import Severity
from generators.core.pointer import pointer_join
from generators.core.shape import as_dict, as_list
from generators.lint.context import LintContext, Operation, components_of
from generators.lint.registry import Finding, rule

E = Severity.ERROR
CLASSES = ("read", "write", "ai")
RATE_HEADERS = ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
_CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_AI_PATH = re.compile(r"^/v1/ai(/|$)")


def scope_catalogue(ctx: LintContext) -> tuple[set[str], list[str]]:
    """Every documented scope, and the pointers it was read from."""
    scopes: set[str] = set()
    sources: list[str] = []

    def read(value: Any, pointer: str) -> None:
        if isinstance(value, dict):
            names = set(value)
        elif isinstance(value, list):
            names = {v if isinstance(v, str) else as_dict(v).get("name") for v in value} - {None}
        else:
            return
        scopes.update(str(n) for n in names)
        sources.append(pointer)

    read(ctx.document.get("x-scopes"), "/x-scopes")
    for name, scheme in components_of(ctx.document, "securitySchemes").items():
        scheme_pointer = pointer_join("/components/securitySchemes", name)
        read(as_dict(scheme).get("x-scopes"), pointer_join(scheme_pointer, "x-scopes"))
        for flow, spec in as_dict(as_dict(scheme).get("flows")).items():
            read(as_dict(spec).get("scopes"), pointer_join(scheme_pointer, "flows", flow, "scopes"))
    return scopes, sources


def routes(ctx: LintContext) -> list[Operation]:
    """The API's own operations: webhooks are calls Atlas makes, so the route promises do not apply to them."""
    return [op for op in ctx.operations if op.path is not None]


def is_secured(ctx: LintContext, op: Operation) -> bool:
    security = ctx.security_of(op)
    return isinstance(security, list) and bool(security) and all(as_dict(r) for r in security)


@rule(
    "house-required-scopes", E, "Every secured operation lists x-required-scopes from the scope catalogue.", house=True
)
def required_scopes(ctx: LintContext) -> Iterator[Finding]:
    catalogue, sources = scope_catalogue(ctx)
    secured = [op for op in routes(ctx) if is_secured(ctx, op)]
    if secured and not sources:
        yield Finding(
            "/components/securitySchemes" if "components" in ctx.document else "",
            "the spec documents no scope catalogue",
            "add x-scopes (scope name: description) to the bearer security scheme or the root",
        )
    for op in secured:
        scopes = op.node.get("x-required-scopes")
        if not isinstance(scopes, list) or not scopes:
            yield Finding(
                op.pointer,
                f"{op.label} has no x-required-scopes",
                "list the narrowest scopes a token needs: x-required-scopes: [tasks:read]",
            )
            continue
        for index, scope in enumerate(scopes):
            if sources and scope not in catalogue:
                yield Finding(
                    pointer_join(op.pointer, "x-required-scopes", index),
                    f"scope '{scope}' of {op.label} is not in the scope catalogue",
                    f"document it in {sources[0]} or fix the name",
                )


def expected_class(ctx: LintContext, op: Operation) -> str:
    """ai under /v1/ai/, read for GET/HEAD/OPTIONS, write otherwise (the server's base path counts)."""
    servers = as_list(ctx.document.get("servers")) or [{}]
    base = urlsplit(str(as_dict(servers[0]).get("url", ""))).path.rstrip("/")
    if _AI_PATH.match(base + (op.path or "")):
        return "ai"
    return "read" if op.method in ("get", "head", "options") else "write"


@rule("house-ratelimit-class", E, "x-ratelimit-class is read, write or ai and matches the method and path.", house=True)
def ratelimit_class(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        value, expected = op.node.get("x-ratelimit-class"), expected_class(ctx, op)
        if value is None:
            yield Finding(op.pointer, f"{op.label} has no x-ratelimit-class", f"add x-ratelimit-class: {expected}")
        elif value not in CLASSES:
            yield Finding(
                pointer_join(op.pointer, "x-ratelimit-class"),
                f"x-ratelimit-class '{value}' of {op.label} is not one of read, write, ai",
                f"use {expected}",
            )
        elif value != expected:
            yield Finding(
                pointer_join(op.pointer, "x-ratelimit-class"),
                f"{op.label} is in rate-limit class '{value}' but its method and path say '{expected}'",
                "/v1/ai/* is ai; other GETs are read; POST/PATCH/PUT/DELETE are write",
            )


@rule("house-rate-limits-declared", E, "Root x-rate-limits declares every rate-limit class operations use.", house=True)
def rate_limits_declared(ctx: LintContext) -> Iterator[Finding]:
    declared_raw = ctx.document.get("x-rate-limits")
    if isinstance(declared_raw, list):
        declared = {str(as_dict(v).get("class", v)) for v in declared_raw}
    else:
        declared = set(as_dict(declared_raw))
    used = {op.node.get("x-ratelimit-class"): op for op in reversed(routes(ctx))}
    for value, op in sorted(used.items(), key=lambda kv: str(kv[0])):
        if value in CLASSES and value not in declared:
            pointer = "/x-rate-limits" if declared_raw is not None else ""
            yield Finding(
                pointer,
                f"rate-limit class '{value}' (used by {op.label}) is not declared in x-rate-limits",
                f"add x-rate-limits.{value} with its default ceiling",
            )


def _refers_to(ctx: LintContext, schema: Any, target: str, depth: int = 0) -> bool:
    if not isinstance(schema, dict) or depth > 16:
        return False
    ref = schema.get("$ref")
    if ref == target:
        return True
    if isinstance(ref, str):
        return _refers_to(ctx, ctx.resolve(schema, "")[0], target, depth + 1)
    return any(_refers_to(ctx, s, target, depth + 1) for s in as_list(schema.get("allOf")))


@rule(
    "house-problem-json",
    E,
    "Every 4xx/5xx response is application/problem+json with the shared Problem schema.",
    redocly="operation-4xx-problem-details-rfc7807",
    house=True,
)
def problem_json(ctx: LintContext) -> Iterator[Finding]:
    target = "#" + pointer_join("/components/schemas", ctx.config.problem_schema)
    for op in routes(ctx):
        for code, (response, pointer) in op.responses.items():
            if code[:1] not in "45":
                continue
            content = as_dict(response.get("content"))
            if "application/problem+json" not in content:
                yield Finding(
                    pointer,
                    f"the {code} response is not application/problem+json",
                    "errors are RFC 9457 problem+json: content: application/problem+json",
                )
                continue
            others = sorted(set(content) - {"application/problem+json"})
            if others:
                yield Finding(
                    pointer_join(pointer, "content", others[0]),
                    f"the {code} response also offers {', '.join(others)}",
                    "errors use problem+json only",
                )
            media = as_dict(content["application/problem+json"])
            if not _refers_to(ctx, media.get("schema"), target):
                yield Finding(
                    pointer_join(pointer, "content", "application/problem+json"),
                    f"the {code} problem+json schema is not the shared {ctx.config.problem_schema} schema",
                    f"use $ref: '{target}' (directly or in allOf)",
                )


@rule("house-idempotency-key", E, "Every POST accepts an Idempotency-Key header.", house=True)
def idempotency_key(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        if op.method == "post" and op.parameter("Idempotency-Key", "header") is None:
            yield Finding(
                op.pointer,
                f"{op.label} does not accept an Idempotency-Key header",
                "add the shared IdempotencyKey header parameter",
            )


def _properties(ctx: LintContext, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Properties of a schema, through $ref and allOf."""
    schema = ctx.resolve(schema, "")[0]
    if not isinstance(schema, dict) or depth > 16:
        return {}
    found = dict(as_dict(schema.get("properties")))
    for part in schema.get("allOf") or []:
        found.update(_properties(ctx, part, depth + 1))
    return found


def _success_schema(op: Operation) -> Any:
    for code, (response, _) in sorted(op.responses.items()):
        if code.startswith("2"):
            for media, node in as_dict(response.get("content")).items():
                if "json" in media:
                    return as_dict(node).get("schema")
    return None


def _versioned(ctx: LintContext, op: Operation) -> bool:
    candidates = [op]
    candidates += [o for o in routes(ctx) if o.path_item is op.path_item and o.method == "get"]
    return any("version" in _properties(ctx, _success_schema(o)) for o in candidates)


@rule("house-if-match", E, "PATCH/PUT/DELETE on a versioned resource accept If-Match and document 409.", house=True)
def if_match(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        if op.method not in ("patch", "put", "delete") or not _versioned(ctx, op):
            continue
        if op.parameter("If-Match", "header") is None:
            yield Finding(
                op.pointer,
                f"{op.label} changes a versioned resource but takes no If-Match header",
                "add the shared IfMatch header parameter (optimistic concurrency)",
            )
        if "409" not in op.responses:
            yield Finding(
                op.pointer,
                f"{op.label} changes a versioned resource but documents no 409",
                "document 409: a concurrent edit changed the version",
            )


def _is_list(ctx: LintContext, op: Operation) -> bool:
    if op.method != "get":
        return False
    schema = ctx.resolve(_success_schema(op), "")[0]
    items = ctx.resolve(_properties(ctx, schema).get("items"), "")[0]
    return (
        as_dict(items).get("type") == "array"
        or as_dict(schema).get("type") == "array"
        or str(op.node.get("operationId", "")).startswith("list")
    )


@rule("house-pagination", E, "List operations take limit and cursor and return items and nextCursor.", house=True)
def pagination(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        if not _is_list(ctx, op):
            continue
        missing = [name for name in ("limit", "cursor") if op.parameter(name, "query") is None]
        if missing:
            yield Finding(
                op.pointer,
                f"list operation {op.label} does not take {' and '.join(missing)}",
                "add the shared limit and cursor query parameters",
            )
        properties = _properties(ctx, _success_schema(op))
        absent = [name for name in ("items", "nextCursor") if name not in properties]
        if absent:
            yield Finding(
                op.pointer,
                f"list operation {op.label} does not return {' and '.join(absent)}",
                "return { items: [...], nextCursor: string | null }",
            )


@rule("house-429-headers", E, "Every 429 documents Retry-After and the three X-RateLimit-* headers.", house=True)
def rate_limit_headers(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        if "429" not in op.responses:
            continue
        response, pointer = op.responses["429"]
        present = {name.lower() for name in as_dict(response.get("headers"))}
        missing = [h for h in RATE_HEADERS if h.lower() not in present]
        if missing:
            yield Finding(
                pointer,
                f"the 429 response does not document {', '.join(missing)}",
                "add the shared rate-limit headers to the 429 response",
            )


@rule("house-auth-responses", E, "Every secured operation documents 401 and 403.", house=True)
def auth_responses(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        if is_secured(ctx, op):
            missing = [code for code in ("401", "403") if code not in op.responses]
            if missing:
                yield Finding(
                    pointer_join(op.pointer, "responses") if "responses" in op.node else op.pointer,
                    f"secured {op.label} does not document {' and '.join(missing)}",
                    "reference the shared Unauthorized and Forbidden responses",
                )


@rule("house-operation-id-camel-case", E, "operationIds are camelCase.", house=True)
def camel_case(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        value = op.node.get("operationId")
        if isinstance(value, str) and not _CAMEL.match(value):
            yield Finding(
                pointer_join(op.pointer, "operationId"),
                f"operationId '{value}' is not camelCase",
                "use lowerCamelCase such as listTasks or createTask",
            )
