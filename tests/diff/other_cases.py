"""One (base, revision) pair that fires each non-schema rule and one near miss that must not."""

from __future__ import annotations

from typing import Any

from generators.diff import Policy
from tests.diff.builders import ok, operation, query, spec, with_op

S = {"type": "string"}
BASE = operation()
DEPRECATED = with_op(BASE, deprecated=True)
TWO = spec({"/tasks/{id}": BASE["paths"]["/tasks/{id}"], "/users": operation("/users")["paths"]["/users"]})
BODY = operation("/tasks", "post", requestBody={"content": {"application/json": {"schema": S}}})
BODY_REQ = operation("/tasks", "post", requestBody={"required": True, "content": {"application/json": {"schema": S}}})
NO_BODY = operation("/tasks", "post")
JSON_OK = with_op(BASE, responses={"200": ok(S)})
HEAD = with_op(BASE, responses={"200": {"description": "OK", "headers": {"X-Rate": {"schema": S}}}})
HEAD_REQ = with_op(
    BASE, responses={"200": {"description": "OK", "headers": {"X-Rate": {"required": True, "schema": S}}}}
)
OAUTH = {
    "type": "oauth2",
    "flows": {
        "authorizationCode": {
            "authorizationUrl": "https://a.example/auth",
            "tokenUrl": "https://a.example/token",
            "scopes": {"read": "r", "write": "w"},
        }
    },
}
KEY = {"type": "apiKey", "in": "header", "name": "X-Key"}
BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def _secured(security: Any, schemes: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = with_op(BASE, security=security)
    doc["components"] = {"securitySchemes": schemes or {"oauth": OAUTH, "key": KEY}}
    return doc


def _schemes(**schemes: Any) -> dict[str, Any]:
    doc = with_op(BASE)
    doc["components"] = {"securitySchemes": schemes}
    return doc


def _oauth(**flow: Any) -> dict[str, Any]:
    base = dict(OAUTH["flows"]["authorizationCode"])
    base.update(flow)
    return {"type": "oauth2", "flows": {"authorizationCode": base}}


def _servers(*urls: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    servers: list[dict[str, Any]] = [{"url": u} for u in urls]
    if variables:
        servers[0]["variables"] = variables
    return {**BASE, "servers": servers}


def _hook(op: dict[str, Any] | None = None, name: str = "task.created") -> dict[str, Any]:
    doc = spec()
    hook = {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"id": S}}}}},
        "responses": {"200": {"description": "OK"}},
    }
    hook.update(op or {})
    doc["webhooks"] = {name: {"post": hook}}
    return doc


def _info(**info: Any) -> dict[str, Any]:
    return {**BASE, "info": {"title": "Tasks", "version": "1.0.0", **info}}


def _tags(*tags: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, "tags": list(tags)}


SUNSET_FUTURE = with_op(BASE, deprecated=True, **{"x-sunset": "2999-01-01"})
SUNSET_PAST = with_op(BASE, deprecated=True, **{"x-sunset": "2000-01-01"})
EMPTY = spec()

NOTICE = Policy(deprecation_days=90)  # TODAY is 2025-06-01: 2025-08-30 is the first date far enough away
SOON = with_op(BASE, deprecated=True, **{"x-sunset": "2025-07-01"})
LATER = with_op(BASE, deprecated=True, **{"x-sunset": "2025-12-01"})
BETA, STABLE = with_op(BASE, **{"x-stability-level": "beta"}), with_op(BASE, **{"x-stability-level": "stable"})


def _query_sunset(sunset: str | None, deprecated: bool = True) -> dict[str, Any]:
    extra = {"x-sunset": sunset} if sunset else {}
    return query(deprecated=deprecated, **extra)


def _callback(op: dict[str, Any] | None = None, name: str = "done", method: str = "post") -> dict[str, Any]:
    call: dict[str, Any] = {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "OK"}},
    }
    call.update(op or {})
    return with_op(BASE, callbacks={name: {"{$request.body#/url}": {method: call}}})


def _link(**link: Any) -> dict[str, Any]:
    target = {"operationId": "op", "parameters": {"id": "$response.body#/id"}, **link}
    return with_op(BASE, responses={"200": {"description": "OK", "links": {"self": target}}})


HEADER = {"name": "X-Signature", "in": "header", "required": True, "schema": S}

# rule -> (base, revision, quiet base, quiet revision[, policy])
CASES: dict[str, tuple[Any, ...]] = {
    "operation-removed": (BASE, EMPTY, DEPRECATED, EMPTY),
    "operation-removed-before-sunset": (SUNSET_FUTURE, EMPTY, SUNSET_PAST, EMPTY),
    "deprecated-operation-removed": (SUNSET_PAST, EMPTY, SUNSET_FUTURE, EMPTY),
    "operation-added": (EMPTY, BASE, BASE, BASE),
    "operation-deprecated": (BASE, DEPRECATED, DEPRECATED, BASE),
    "operation-undeprecated": (DEPRECATED, BASE, BASE, DEPRECATED),
    "operation-sunset-changed": (SUNSET_PAST, SUNSET_FUTURE, SUNSET_FUTURE, SUNSET_PAST),
    "operation-sunset-moved-earlier": (SUNSET_FUTURE, SUNSET_PAST, SUNSET_PAST, SUNSET_FUTURE),
    "operation-id-changed": (BASE, with_op(BASE, operationId="getTask"), BASE, BASE),
    "path-parameter-renamed": (
        BASE,
        operation("/tasks/{taskId}", parameters=[{"name": "taskId", "in": "path", "required": True, "schema": S}]),
        BASE,
        BASE,
    ),
    "operation-summary-changed": (BASE, with_op(BASE, summary="Get"), BASE, with_op(BASE, description="d")),
    "operation-description-changed": (BASE, with_op(BASE, description="d"), BASE, with_op(BASE, summary="s")),
    "operation-tags-changed": (
        BASE,
        with_op(BASE, tags=["a"]),
        with_op(BASE, tags=["a", "b"]),
        with_op(BASE, tags=["b", "a"]),
    ),
    "operation-external-docs-changed": (BASE, with_op(BASE, externalDocs={"url": "https://x.example"}), BASE, BASE),
    "request-parameter-removed": (query(), operation("/tasks"), query(deprecated=True), operation("/tasks")),
    "request-parameter-removed-before-sunset": (
        query(deprecated=True, **{"x-sunset": "2999-01-01"}),
        operation("/tasks"),
        query(deprecated=True, **{"x-sunset": "2000-01-01"}),
        operation("/tasks"),
    ),
    "deprecated-request-parameter-removed": (query(deprecated=True), operation("/tasks"), query(), operation("/tasks")),
    "request-parameter-added-required": (operation("/tasks"), query(required=True), operation("/tasks"), query()),
    "request-parameter-added-optional": (operation("/tasks"), query(), operation("/tasks"), query(required=True)),
    "request-parameter-became-required": (query(), query(required=True), query(required=True), query()),
    "request-parameter-became-optional": (query(required=True), query(), query(), query(required=True)),
    "request-parameter-location-changed": (query(), query(**{"in": "header"}), query(), query()),
    "request-parameter-style-changed": (query(), query(style="spaceDelimited"), query(), query(style="form")),
    "request-parameter-explode-changed": (query(), query(explode=False), query(), query(explode=True)),
    "request-parameter-default-changed": (
        query(schema={**S, "default": "a"}),
        query(schema={**S, "default": "b"}),
        query(),
        query(schema={**S, "default": "b"}),
    ),
    "request-parameter-default-added": (
        query(),
        query(schema={**S, "default": "a"}),
        query(schema={**S, "default": "a"}),
        query(),
    ),
    "request-parameter-default-removed": (
        query(schema={**S, "default": "a"}),
        query(),
        query(),
        query(schema={**S, "default": "a"}),
    ),
    "request-parameter-deprecated": (query(), query(deprecated=True), query(deprecated=True), query()),
    "request-parameter-empty-value-disallowed": (
        query(allowEmptyValue=True),
        query(),
        query(),
        query(allowEmptyValue=True),
    ),
    "request-parameter-empty-value-allowed": (
        query(),
        query(allowEmptyValue=True),
        query(allowEmptyValue=True),
        query(),
    ),
    "request-parameter-media-type-changed": (
        query(schema=None, content={"application/json": {"schema": S}}),
        query(schema=None, content={"text/plain": {"schema": S}}),
        query(schema=None, content={"application/json": {"schema": S}}),
        query(schema=None, content={"application/json": {"schema": S}}),
    ),
    "request-parameter-description-changed": (query(), query(description="q"), query(), query()),
    "request-body-added-required": (NO_BODY, BODY_REQ, NO_BODY, BODY),
    "request-body-added-optional": (NO_BODY, BODY, NO_BODY, BODY_REQ),
    "request-body-removed": (BODY, NO_BODY, NO_BODY, BODY),
    "request-body-became-required": (BODY, BODY_REQ, BODY_REQ, BODY),
    "request-body-became-optional": (BODY_REQ, BODY, BODY, BODY_REQ),
    "request-body-media-type-removed": (
        operation(
            "/tasks", "post", requestBody={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}
        ),
        BODY,
        BODY,
        BODY,
    ),
    "request-body-media-type-added": (
        BODY,
        operation(
            "/tasks", "post", requestBody={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}
        ),
        BODY,
        BODY,
    ),
    "request-body-description-changed": (
        BODY,
        operation("/tasks", "post", requestBody={"description": "d", "content": {"application/json": {"schema": S}}}),
        BODY,
        BODY,
    ),
    "response-success-status-removed": (
        with_op(BASE, responses={"200": ok(), "201": ok()}),
        BASE,
        with_op(BASE, responses={"200": ok(), "404": ok()}),
        BASE,
    ),
    "response-error-status-removed": (
        with_op(BASE, responses={"200": ok(), "404": ok()}),
        BASE,
        with_op(BASE, responses={"200": ok(), "201": ok()}),
        BASE,
    ),
    "response-status-added": (BASE, with_op(BASE, responses={"200": ok(), "404": ok()}), BASE, BASE),
    "response-media-type-removed": (JSON_OK, BASE, BASE, JSON_OK),
    "response-media-type-added": (BASE, JSON_OK, JSON_OK, BASE),
    "response-header-removed": (HEAD, BASE, BASE, HEAD),
    "response-header-added": (BASE, HEAD, HEAD, BASE),
    "response-header-became-optional": (HEAD_REQ, HEAD, HEAD, HEAD_REQ),
    "response-header-became-required": (HEAD, HEAD_REQ, HEAD_REQ, HEAD),
    "response-description-changed": (BASE, with_op(BASE, responses={"200": {"description": "Fine"}}), BASE, BASE),
    "schema-description-changed": (
        JSON_OK,
        with_op(BASE, responses={"200": ok({**S, "description": "d"})}),
        JSON_OK,
        JSON_OK,
    ),
    "schema-title-changed": (JSON_OK, with_op(BASE, responses={"200": ok({**S, "title": "T"})}), JSON_OK, JSON_OK),
    "example-changed": (JSON_OK, with_op(BASE, responses={"200": ok({**S, "example": "x"})}), JSON_OK, JSON_OK),
    "security-added": (_secured([]), _secured([{"key": []}]), _secured([{"key": []}]), _secured([])),
    "security-removed": (_secured([{"key": []}]), _secured([]), _secured([]), _secured([{"key": []}])),
    "security-requirement-added": (
        _secured([{"key": []}]),
        _secured([{"key": []}, {"oauth": ["read"]}]),
        _secured([{"key": []}, {"oauth": ["read"]}]),
        _secured([{"key": []}]),
    ),
    "security-requirement-removed": (
        _secured([{"key": []}, {"oauth": ["read"]}]),
        _secured([{"key": []}]),
        _secured([{"key": []}]),
        _secured([{"key": []}, {"oauth": ["read"]}]),
    ),
    "security-scope-added": (
        _secured([{"oauth": ["read"]}]),
        _secured([{"oauth": ["read", "write"]}]),
        _secured([{"oauth": ["read", "write"]}]),
        _secured([{"oauth": ["read"]}]),
    ),
    "security-scope-removed": (
        _secured([{"oauth": ["read", "write"]}]),
        _secured([{"oauth": ["read"]}]),
        _secured([{"oauth": ["read"]}]),
        _secured([{"oauth": ["read", "write"]}]),
    ),
    "security-scheme-added": (
        _schemes(key=KEY),
        _schemes(key=KEY, oauth=OAUTH),
        _schemes(key=KEY, oauth=OAUTH),
        _schemes(key=KEY),
    ),
    "security-scheme-removed": (
        _schemes(key=KEY, oauth=OAUTH),
        _schemes(key=KEY),
        _schemes(key=KEY),
        _schemes(key=KEY, oauth=OAUTH),
    ),
    "security-scheme-type-changed": (_schemes(a=KEY), _schemes(a=BEARER), _schemes(a=KEY), _schemes(a=KEY)),
    "security-scheme-api-key-changed": (
        _schemes(a=KEY),
        _schemes(a={**KEY, "in": "query"}),
        _schemes(a=KEY),
        _schemes(a={**KEY, "description": "d"}),
    ),
    "security-scheme-http-scheme-changed": (
        _schemes(a=BEARER),
        _schemes(a={**BEARER, "scheme": "basic"}),
        _schemes(a=BEARER),
        _schemes(a={**BEARER, "scheme": "Bearer"}),
    ),
    "security-scheme-bearer-format-changed": (
        _schemes(a=BEARER),
        _schemes(a={**BEARER, "bearerFormat": "opaque"}),
        _schemes(a=BEARER),
        _schemes(a=BEARER),
    ),
    "security-scheme-flow-added": (
        _schemes(a=OAUTH),
        _schemes(
            a={
                "type": "oauth2",
                "flows": {**OAUTH["flows"], "clientCredentials": {"tokenUrl": "https://a.example/token", "scopes": {}}},
            }
        ),
        _schemes(a=OAUTH),
        _schemes(a=OAUTH),
    ),
    "security-scheme-flow-removed": (
        _schemes(
            a={
                "type": "oauth2",
                "flows": {**OAUTH["flows"], "clientCredentials": {"tokenUrl": "https://a.example/token", "scopes": {}}},
            }
        ),
        _schemes(a=OAUTH),
        _schemes(a=OAUTH),
        _schemes(a=OAUTH),
    ),
    "security-scheme-url-changed": (
        _schemes(a=OAUTH),
        _schemes(a=_oauth(tokenUrl="https://b.example/token")),
        _schemes(a=OAUTH),
        _schemes(a=OAUTH),
    ),
    "security-scheme-scope-added": (
        _schemes(a=OAUTH),
        _schemes(a=_oauth(scopes={"read": "r", "write": "w", "admin": "a"})),
        _schemes(a=OAUTH),
        _schemes(a=_oauth(scopes={"read": "r", "write": "W"})),
    ),
    "security-scheme-scope-removed": (
        _schemes(a=OAUTH),
        _schemes(a=_oauth(scopes={"read": "r"})),
        _schemes(a=OAUTH),
        _schemes(a=_oauth(scopes={"read": "r", "write": "W"})),
    ),
    "required-scope-added": (
        with_op(BASE, **{"x-required-scopes": ["tasks:read"]}),
        with_op(BASE, **{"x-required-scopes": ["tasks:read", "tasks:admin"]}),
        with_op(BASE, **{"x-required-scopes": ["tasks:read", "tasks:admin"]}),
        with_op(BASE, **{"x-required-scopes": ["tasks:read"]}),
    ),
    "required-scope-removed": (
        with_op(BASE, **{"x-required-scopes": ["tasks:read", "tasks:admin"]}),
        with_op(BASE, **{"x-required-scopes": ["tasks:read"]}),
        with_op(BASE, **{"x-required-scopes": ["tasks:read"]}),
        with_op(BASE, **{"x-required-scopes": ["tasks:read", "tasks:admin"]}),
    ),
    "ratelimit-class-changed": (
        with_op(BASE, **{"x-ratelimit-class": "standard"}),
        with_op(BASE, **{"x-ratelimit-class": "heavy"}),
        with_op(BASE, **{"x-ratelimit-class": "standard"}),
        with_op(BASE, **{"x-ratelimit-class": "standard"}),
    ),
    "server-url-changed": (
        _servers("https://api.example/v1"),
        _servers("https://api.example/v2"),
        _servers("https://api.example/v1"),
        _servers("https://api.example/v1", "https://eu/v1"),
    ),
    "server-added": (
        _servers("https://api.example/v1"),
        _servers("https://api.example/v1", "https://eu/v1"),
        _servers("https://api.example/v1"),
        _servers("https://api.example/v2"),
    ),
    "server-removed": (
        _servers("https://api.example/v1", "https://eu/v1"),
        _servers("https://api.example/v1"),
        _servers("https://api.example/v1"),
        _servers("https://api.example/v1", "https://eu/v1"),
    ),
    "server-variable-default-changed": (
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "us", "enum": ["eu", "us"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us", "ap"]}}),
    ),
    "server-variable-enum-value-removed": (
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us"]}}),
    ),
    "server-variable-enum-value-added": (
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu", "us"]}}),
        _servers("https://{r}.example", variables={"r": {"default": "eu", "enum": ["eu"]}}),
    ),
    "webhook-removed": (_hook(), spec(), _hook({"deprecated": True}), spec()),
    "webhook-removed-before-sunset": (
        _hook({"deprecated": True, "x-sunset": "2999-01-01"}),
        spec(),
        _hook({"deprecated": True, "x-sunset": "2000-01-01"}),
        spec(),
    ),
    "deprecated-webhook-removed": (_hook({"deprecated": True}), spec(), _hook(), spec()),
    "webhook-added": (spec(), _hook(), _hook(), spec()),
    "webhook-deprecated": (_hook(), _hook({"deprecated": True}), _hook({"deprecated": True}), _hook()),
    "webhook-payload-media-type-removed": (
        _hook({"requestBody": {"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}}),
        _hook({"requestBody": {"content": {"application/json": {"schema": S}}}}),
        _hook(),
        _hook(),
    ),
    "webhook-payload-media-type-added": (
        _hook({"requestBody": {"content": {"application/json": {"schema": S}}}}),
        _hook({"requestBody": {"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}}),
        _hook(),
        _hook(),
    ),
    "info-title-changed": (BASE, _info(title="Tasks API"), BASE, _info(version="9.9.9")),
    "info-description-changed": (BASE, _info(description="d"), BASE, _info(version="1.0.1")),
    "info-contact-changed": (BASE, _info(contact={"email": "a@example.com"}), BASE, BASE),
    "info-license-changed": (BASE, _info(license={"name": "MIT"}), BASE, BASE),
    "info-terms-of-service-changed": (BASE, _info(termsOfService="https://t.example"), BASE, BASE),
    "tag-added": (
        _tags({"name": "a"}),
        _tags({"name": "a"}, {"name": "b"}),
        _tags({"name": "a"}),
        _tags({"name": "a"}),
    ),
    "tag-removed": (
        _tags({"name": "a"}, {"name": "b"}),
        _tags({"name": "a"}),
        _tags({"name": "a"}),
        _tags({"name": "a"}, {"name": "b"}),
    ),
    "tag-description-changed": (
        _tags({"name": "a"}),
        _tags({"name": "a", "description": "d"}),
        _tags({"name": "a"}),
        _tags({"name": "a"}),
    ),
    "external-docs-changed": (BASE, {**BASE, "externalDocs": {"url": "https://d.example"}}, BASE, BASE),
    "openapi-version-changed": ({**BASE, "openapi": "3.0.3"}, BASE, BASE, BASE),
    # security alternatives: OR of ANDs
    "security-requirement-scheme-added": (
        _secured([{"key": []}, {"oauth": ["read"]}]),
        _secured([{"key": [], "oauth": ["read"]}]),
        _secured([{"key": []}]),
        _secured([{"key": []}, {"oauth": ["read"]}]),
    ),
    "security-requirement-scheme-removed": (
        _secured([{"key": [], "oauth": ["read"]}]),
        _secured([{"key": []}]),
        _secured([{"key": []}]),
        _secured([{"key": [], "oauth": ["read"]}]),
    ),
    # lifecycle policy (deprecation-days)
    "deprecated-without-sunset": (BASE, DEPRECATED, BASE, LATER, NOTICE),
    "sunset-too-soon": (BASE, SOON, BASE, LATER, NOTICE),
    "sunset-moved-earlier": (
        _query_sunset("2026-01-01"),
        _query_sunset("2025-12-01"),
        _query_sunset("2025-12-01"),
        _query_sunset("2026-01-01"),
    ),
    "sunset-removed": (LATER, DEPRECATED, BASE, DEPRECATED),
    "sunset-invalid": (BASE, with_op(BASE, deprecated=True, **{"x-sunset": "next spring"}), BASE, LATER),
    "stability-decreased": (STABLE, BETA, BETA, STABLE),
    "stability-level-invalid": (BASE, with_op(BASE, **{"x-stability-level": "gamma"}), BASE, BETA),
    # callbacks: calls we make, directions inverted
    "callback-added": (BASE, _callback(), _callback(), _callback({"description": "d"})),
    "callback-removed": (_callback(), BASE, _callback(), _callback(name="done")),
    "callback-payload-media-type-removed": (
        _callback({"requestBody": {"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}}),
        _callback({"requestBody": {"content": {"application/json": {"schema": S}}}}),
        _callback(),
        _callback(),
    ),
    "callback-payload-media-type-added": (
        _callback({"requestBody": {"content": {"application/json": {"schema": S}}}}),
        _callback({"requestBody": {"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}}),
        _callback(),
        _callback(),
    ),
    "callback-parameter-removed": (
        _callback({"parameters": [HEADER]}),
        _callback(),
        _callback(),
        _callback({"parameters": [HEADER]}),
    ),
    "callback-parameter-added": (
        _callback(),
        _callback({"parameters": [HEADER]}),
        _callback({"parameters": [HEADER]}),
        _callback(),
    ),
    "callback-response-status-removed": (
        _callback({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
        _callback(),
        _callback(),
        _callback({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
    ),
    "callback-response-status-added": (
        _callback(),
        _callback({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
        _callback({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
        _callback(),
    ),
    "webhook-parameter-removed": (_hook({"parameters": [HEADER]}), _hook(), _hook(), _hook({"parameters": [HEADER]})),
    "webhook-parameter-added": (_hook(), _hook({"parameters": [HEADER]}), _hook({"parameters": [HEADER]}), _hook()),
    "webhook-response-status-removed": (
        _hook({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
        _hook(),
        _hook(),
        _hook({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
    ),
    "webhook-response-status-added": (
        _hook(),
        _hook({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
        _hook({"responses": {"200": {"description": "OK"}, "204": {"description": "none"}}}),
        _hook(),
    ),
    # links
    "response-link-removed": (_link(), BASE, _link(), _link(description="d")),
    "response-link-added": (BASE, _link(), _link(), _link(description="d")),
    "response-link-changed": (_link(), _link(operationId="other"), _link(), _link(description="d")),
    # the catch-all: a difference no rule claims (an extension here); the near miss is a claimed one
    "other-change": (BASE, with_op(BASE, **{"x-internal-note": "n"}), BASE, with_op(BASE, summary="s")),
}
