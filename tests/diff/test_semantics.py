"""Verdicts checked against the OpenAPI specification, each with a case that fires and a near miss that must not.

The per-rule tables (schema_cases, other_cases) prove each rule fires; these pin down the readings of the
specification behind the harder verdicts: security requirements, mutability per direction, calls we make.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from generators.diff import diff_documents
from tests.diff.builders import operation, request_schema, response_schema, with_op

TODAY = date(2025, 6, 1)
S = {"type": "string"}
SCHEMES = {"securitySchemes": {k: {"type": "apiKey", "in": "header", "name": f"X-{k}"} for k in ("a", "b", "c")}}


def _verdicts(base: Any, revision: Any) -> dict[str, str]:
    return {c.rule: c.level.value for c in diff_documents(base, revision, today=TODAY).changes}


def _secured(security: list[dict[str, list[str]]]) -> dict[str, Any]:
    doc = with_op(operation(), security=security)
    doc["components"] = SCHEMES
    return doc


# A security list is an OR of requirement objects; each object is an AND of schemes (OpenAPI 3.1 4.8.30).
@pytest.mark.parametrize(
    ("base", "revision", "expected"),
    [
        # another way in: clients using A still get in
        ([{"a": []}], [{"a": []}, {"b": []}], {"security-requirement-added": "info"}),
        # a way in closed: clients using B are locked out
        ([{"a": []}, {"b": []}], [{"a": []}], {"security-requirement-removed": "breaking"}),
        # A alone is no longer enough: every client must now also present C
        ([{"a": []}], [{"a": [], "c": []}], {"security-requirement-scheme-added": "breaking"}),
        # fewer credentials demanded
        ([{"a": [], "c": []}], [{"a": []}], {"security-requirement-scheme-removed": "info"}),
        # a scope more is demanded of the token
        ([{"a": ["read"]}], [{"a": ["read", "write"]}], {"security-scope-added": "breaking"}),
        # near miss: alternatives and scopes reordered
        ([{"a": ["read", "write"]}, {"b": []}], [{"b": []}, {"a": ["write", "read"]}], {}),
    ],
)
def test_security_alternatives(base: Any, revision: Any, expected: dict[str, str]) -> None:
    assert _verdicts(_secured(base), _secured(revision)) == expected


def _obj(b: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": {"a": S, "b": b}, "required": required}


RO, WO = {**S, "readOnly": True}, {**S, "writeOnly": True}


@pytest.mark.parametrize(
    ("build", "base", "revision", "expected"),
    [
        # readOnly + required binds responses only; writable + required now binds requests
        (request_schema, _obj(RO, ["b"]), _obj(S, ["b"]), "request-required-property-added"),
        (request_schema, _obj(RO, []), _obj(S, []), "request-property-became-not-read-only"),
        # a property clients may send becomes server-managed: sending it may be rejected
        (request_schema, _obj(S, []), _obj(RO, []), "request-property-became-read-only"),
        # a returned property becomes write-only: readers lose it
        (response_schema, _obj(S, ["b"]), _obj(WO, ["b"]), "response-property-became-write-only"),
        # a write-only (secret?) property starts being returned
        (response_schema, _obj(WO, []), _obj(S, []), "response-property-became-not-write-only"),
    ],
)
def test_mutability_per_direction(build: Any, base: Any, revision: Any, expected: str) -> None:
    assert expected in _verdicts(build(base), build(revision))


def test_mutability_near_miss_readonly_in_responses_changes_nothing_for_requests() -> None:
    # the readOnly flag moving on a property only responses carry is no request change
    assert "request-required-property-added" not in _verdicts(
        request_schema(_obj(RO, ["b"])), request_schema(_obj({**RO, "description": "d"}, ["b"]))
    )


def _hook(payload: Any, header: Any = None, answer: Any = None) -> dict[str, Any]:
    doc = operation("/tasks")
    hook: dict[str, Any] = {
        "requestBody": {"content": {"application/json": {"schema": payload}}},
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": answer or S}}}},
    }
    if header is not None:
        hook["parameters"] = [{"name": "X-Sig", "in": "header", "schema": header}]
    doc["webhooks"] = {"done": {"post": hook}}
    return doc


@pytest.mark.parametrize(
    ("base", "revision", "fires", "quiet"),
    [
        # a payload we send is read by the subscriber: widening it breaks them, narrowing does not
        (_hook({"type": "integer"}), _hook({"type": "number"}), "response-type-widened", "request-type-widened"),
        # a header we send, judged the same way
        (
            _hook(S, header={"type": "integer"}),
            _hook(S, header={"type": "number"}),
            "response-type-widened",
            "request-type-widened",
        ),
        # the subscriber's answer is data we accept: narrowing what we accept breaks them
        (
            _hook(S, answer={"type": "number"}),
            _hook(S, answer={"type": "integer"}),
            "request-type-narrowed",
            "response-type-narrowed",
        ),
    ],
)
def test_calls_we_make_invert_directions(base: Any, revision: Any, fires: str, quiet: str) -> None:
    found = _verdicts(base, revision)
    assert found.get(fires) == "breaking" and quiet not in found


def _media(*types: str, where: str = "response") -> dict[str, Any]:
    content = {t: {"schema": S} for t in types}
    if where == "response":
        return with_op(operation(), responses={"200": {"description": "OK", "content": content}})
    return operation("/tasks", "post", requestBody={"content": content})


@pytest.mark.parametrize(
    ("base", "revision", "expected"),
    [
        # content negotiation: a client asking for text/plain gets nothing now
        (_media("application/json", "text/plain"), _media("application/json"), "breaking"),
        # a new representation clients may ask for
        (_media("application/json"), _media("application/json", "text/plain"), "info"),
        # a request media type we stop accepting
        (
            _media("application/json", "text/plain", where="request"),
            _media("application/json", where="request"),
            "breaking",
        ),
        # another media type we accept
        (
            _media("application/json", where="request"),
            _media("application/json", "text/plain", where="request"),
            "info",
        ),
    ],
)
def test_content_negotiation(base: Any, revision: Any, expected: str) -> None:
    levels = {level for rule, level in _verdicts(base, revision).items() if "media-type" in rule}
    assert levels == {expected}


def test_operation_level_servers_are_compared_and_inherited_ones_are_not_repeated() -> None:
    base = {**operation(), "servers": [{"url": "https://a.example"}]}
    moved = with_op(base, servers=[{"url": "https://b.example"}])
    assert _verdicts(base, moved) == {"server-url-changed": "breaking"}
    same = with_op(base, servers=[{"url": "https://a.example"}])  # spelled at the operation, same server
    assert _verdicts(base, same) == {}


@pytest.mark.parametrize(
    ("build", "base", "revision", "expected"),
    [
        # const is a one-value enum: another value in a response is a value clients never saw
        (
            response_schema,
            {"const": "a"},
            {"const": "b"},
            {"response-enum-value-added": "breaking", "response-enum-value-removed": "info"},
        ),
        # near miss: the same value spelled as a one-value enum
        (response_schema, {"const": "a"}, {"enum": ["a"]}, {}),
        # a type array gaining "null" is 3.0's nullable: true
        (response_schema, {"type": "string"}, {"type": ["string", "null"]}, {"response-nullable-added": "breaking"}),
        # near miss: nullable spelled as an anyOf with a null branch, same meaning
        (response_schema, {"type": ["string", "null"]}, {"anyOf": [S, {"type": "null"}]}, {}),
        # a request that may now carry null is fine for the server
        (request_schema, {"type": "string"}, {"type": ["string", "null"]}, {"request-nullable-added": "info"}),
    ],
)
def test_const_and_nullable_spellings(build: Any, base: Any, revision: Any, expected: dict[str, str]) -> None:
    found = _verdicts(build(base), build(revision))
    assert found == expected


def test_a_malformed_security_requirement_is_compared_not_a_crash() -> None:
    """Found by the catch-all's property test: a requirement whose scopes are ``true`` raised TypeError."""
    base = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "security": [{"a": []}]}
    revision = {**base, "security": [{"a": True}]}
    for one, two in ((base, revision), (revision, base)):
        changes = diff_documents(one, two, today=TODAY).changes  # `true` reads as no scopes: reported, not breaking
        assert [(c.rule, c.level.value) for c in changes] == [("other-change", "info")]


OBJ = {"type": "object", "properties": {"id": S, "name": S}, "required": ["id"]}


def _told(base: Any, revision: Any) -> list[tuple[str, str, str]]:
    return [(c.rule, c.level.value, c.message) for c in diff_documents(base, revision, today=TODAY).changes]


# A schema moved into a oneOf/anyOf is compared with the alternative it became: before, the revision's outer
# object (no type, no properties) read as "type widened to any" and "property id removed", and the catch-all
# added "type changed from [object] to null".
@pytest.mark.parametrize(
    ("base", "revision", "expected"),
    [
        (
            OBJ,
            {"oneOf": [OBJ, S]},
            {
                ("response-wrapped-in-one-of", "breaking", "restructured into a oneOf of #0 (the former schema), #1"),
                ("response-one-of-added", "breaking", "oneOf alternative #1 added"),
            },
        ),
        (OBJ, {"anyOf": [S, OBJ]}, {("response-any-of-added", "breaking", "anyOf alternative #0 added")}),
        # a change inside the alternative the schema became is still found, under it
        (
            OBJ,
            {"oneOf": [{**OBJ, "required": []}, S]},
            {
                ("response-wrapped-in-one-of", "breaking", "restructured into a oneOf of #0 (the former schema), #1"),
                ("response-one-of-added", "breaking", "oneOf alternative #1 added"),
                ("response-property-became-optional", "breaking", "property id became optional"),
            },
        ),
        # the opposite edit: one alternative kept as the whole schema
        ({"oneOf": [OBJ, S]}, OBJ, {("response-one-of-removed", "info", "oneOf alternative #1 removed")}),
        # no alternative is the former schema: every one is new
        (
            S,
            {"oneOf": [{"type": "integer"}, {"type": "boolean"}]},
            {
                ("response-wrapped-in-one-of", "breaking", "restructured into a oneOf of #0, #1"),
                ("response-one-of-added", "breaking", "oneOf alternative #0 added"),
                ("response-one-of-added", "breaking", "oneOf alternative #1 added"),
            },
        ),
    ],
)
def test_a_schema_wrapped_in_alternatives_is_compared_with_the_one_it_became(
    base: Any, revision: Any, expected: set[tuple[str, str, str]]
) -> None:
    told = [
        (rule, level, message.split(": ", 1)[-1])
        for rule, level, message in _told(response_schema(base), response_schema(revision))
    ]
    assert sorted(told) == sorted(expected)


def test_a_request_schema_wrapped_in_a_one_of_is_compared_with_the_one_it_became() -> None:
    told = {rule for rule, _, _ in _told(request_schema(OBJ), request_schema({"oneOf": [OBJ, S]}))}
    assert told == {"request-wrapped-in-one-of", "request-one-of-added"}


def test_a_callback_path_item_parameter_is_placed_in_its_callback() -> None:
    """The parameters a callback's Path Item shares were placed at the calling path item's (``/paths/~1a``),
    a place that does not hold them."""
    item = {
        "parameters": [{"name": "X-Sig", "in": "header", "required": True, "schema": {"type": "string"}}],
        "post": {"responses": {"200": {"description": "ok"}}},
    }
    callbacks = {"onEvent": {"{$request.body#/url}": item}}
    paths = {"/a": {"post": {"responses": {"200": {"description": "ok"}}, "callbacks": callbacks}}}
    base = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    revision = copy.deepcopy(base)
    del revision["paths"]["/a"]["post"]["callbacks"]["onEvent"]["{$request.body#/url}"]["parameters"]
    ((change,),) = [diff_documents(base, revision, today=date(2026, 12, 3)).changes]
    assert change.rule == "callback-parameter-removed"
    assert change.json_path == "/paths/~1a/post/callbacks/onEvent/{$request.body#~1url}/parameters/0"
