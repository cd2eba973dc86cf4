"""One OpenAPI operation as one Postman v2.1 item: URL, parameters, headers, body, auth and saved 2xx responses."""

from __future__ import annotations

import http
import re
from dataclasses import dataclass, field
from typing import Any

from generators.artefacts.forms import FormField, form_fields, is_form
from generators.artefacts.operation_facts import first_example, is_json, pick_media, resolve
from generators.artefacts.params import QUERY_LOCATIONS, path_style, query_pairs, simple_style, value_schema
from generators.artefacts.postman.auth import AuthPlan, RequestAuth
from generators.artefacts.postman.common import (
    BASE_URL,
    IDEMPOTENCY_KEY,
    Idempotency,
    operation_parameters,
    stable_id,
)
from generators.artefacts.samples import SampleBuilder
from generators.core.jsonout import dump_compact_ascii, dump_json
from generators.core.operations import http_method

_PATH_PARAM = re.compile(r"^\{([^{}]+)\}$")
_INLINE_PARAM = re.compile(r"\{([^{}]+)\}")
_SUCCESS = re.compile(r"^2(?:\d\d|XX)$")
# OpenAPI says these header parameters are ignored: Postman sets them from the body, Accept and auth.
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


@dataclass
class Context:
    """What every request of one collection shares."""

    spec: dict[str, Any]
    identity: str  # what the ids derive from (common.api_identity)
    request_samples: SampleBuilder
    response_samples: SampleBuilder
    use_examples: bool
    idempotency: Idempotency
    auth: AuthPlan
    keyed_requests: int = 0  # how many requests send the idempotency key so far
    keys: set[str] = field(default_factory=set)  # what the requests' ids derive from so far


def build_item(ctx: Context, path: str, method: str, path_item: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    """The Postman item (request plus saved 2xx responses) for ``method path``."""
    op_id = op.get("operationId")
    key = op_id if isinstance(op_id, str) and op_id else f"{http_method(method)} {path}"
    if key in ctx.keys:  # an operationId used twice (two paths sharing one Path Item): the ids stay unique
        key = f"{key}\x1f{http_method(method)} {path}"
    ctx.keys.add(key)
    security = ctx.auth.for_operation(op)
    # a parameter the credential sends (an API key also listed as a header parameter) is sent once, by the auth
    params = [
        p
        for p in operation_parameters(ctx.spec, path_item, op)
        if (str(p.get("in")), str(p["name"]).lower()) not in security.covers
    ]
    url = _url(ctx, path, params, security.query)
    headers = _headers(ctx, params) + [{"key": key, "value": value} for key, value in security.headers]
    request: dict[str, Any] = {"method": http_method(method), "header": headers, "url": url}
    body_media = pick_media(_resolve(ctx, op.get("requestBody")), ctx.spec)
    if body_media is not None:
        media_type, media = body_media
        headers.append({"key": "Content-Type", "value": media_type})
        request["body"] = _body(ctx, media_type, media, _media_value(ctx, media_type, media, ctx.request_samples))
    responses = _success_responses(ctx, op)
    if responses and responses[0][2] is not None:
        headers.append({"key": "Accept", "value": responses[0][2]})
    if ctx.idempotency.applies(method, params):
        _idempotency_header(headers, ctx.idempotency.header)
        ctx.keyed_requests += 1
    auth = _operation_auth(ctx, op, security)
    if auth is not None:
        request["auth"] = auth
    description = op.get("description") or op.get("summary")
    if isinstance(description, str) and description:
        request["description"] = description
    item: dict[str, Any] = {"id": stable_id(ctx.identity, "request", key), "name": _name(op, method, path)}
    item["request"] = request
    item["response"] = [_saved_response(ctx, key, request, r) for r in responses]
    return item


def _name(op: dict[str, Any], method: str, path: str) -> str:
    for key in ("summary", "operationId"):
        value = op.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return f"{http_method(method)} {path}"


def _resolve(ctx: Context, node: Any) -> Any:
    """Follow ``$ref`` chains of parameters, request bodies, responses and examples."""
    return resolve(ctx.spec, node)


# ---------------------------------------------------------------------- parameters and URL


def _first_example(ctx: Context, holder: dict[str, Any]) -> tuple[bool, Any]:
    """``(True, value)`` of the holder's first usable example, when examples are wanted (see ``first_example``)."""
    return first_example(ctx.spec, holder) if ctx.use_examples else (False, None)


def _param_value(ctx: Context, param: dict[str, Any], builder: SampleBuilder | None = None) -> Any:
    found, value = _first_example(ctx, param)
    if found:
        return value
    return (builder or ctx.request_samples).sample(value_schema(param))


def _inline_value(ctx: Context, param: dict[str, Any]) -> str:
    return path_style(_param_value(ctx, param), param)


def _header_text(ctx: Context, header: dict[str, Any]) -> str:
    """A response header's sample (a Header Object may have ``content`` instead of ``schema`` too)."""
    return simple_style(_param_value(ctx, header, ctx.response_samples), header)


def _url(ctx: Context, path: str, params: list[dict[str, Any]], credentials: list[tuple[str, str]]) -> dict[str, Any]:
    by_name = {p["name"]: p for p in params if p.get("in") == "path"}
    segments: list[str] = []
    variables: list[dict[str, Any]] = []
    for segment in path.strip("/").split("/") if path.strip("/") else []:
        whole = _PATH_PARAM.match(segment)
        if whole:
            name = whole.group(1)
            param = by_name.get(name, {"name": name})
            segments.append(f":{name}")
            variable = {"key": name, "value": path_style(_param_value(ctx, param), param)}
            if isinstance(param.get("description"), str):
                variable["description"] = param["description"]
            variables.append(variable)
        else:  # a variable inside a segment (``{name}.json``): Postman has no syntax for it, so fill it in
            segments.append(_INLINE_PARAM.sub(lambda m: _inline_value(ctx, by_name.get(m.group(1), {})), segment))
    query: list[dict[str, Any]] = []
    for param in params:
        if param.get("in") not in QUERY_LOCATIONS:
            continue
        required = param.get("required") is True
        for key, value in query_pairs(param, _param_value(ctx, param)):
            entry: dict[str, Any] = {"key": key, "value": value}
            if isinstance(param.get("description"), str):
                entry["description"] = param["description"]
            if not required:
                entry["disabled"] = True
            query.append(entry)
    query.extend({"key": key, "value": value} for key, value in credentials)
    raw = "{{" + BASE_URL + "}}" + ("/" + "/".join(segments) if segments else "")
    enabled = [f"{q['key']}={q['value']}" for q in query if not q.get("disabled")]
    if enabled:
        raw += "?" + "&".join(enabled)
    url: dict[str, Any] = {"raw": raw, "host": ["{{" + BASE_URL + "}}"], "path": segments}
    if query:
        url["query"] = query
    if variables:
        url["variable"] = variables
    return url


def _headers(ctx: Context, params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    headers: list[dict[str, Any]] = []
    for param in params:
        if param.get("in") != "header" or param["name"].lower() in _IGNORED_HEADERS:
            continue
        entry: dict[str, Any] = {"key": param["name"], "value": simple_style(_param_value(ctx, param), param)}
        if isinstance(param.get("description"), str):
            entry["description"] = param["description"]
        if param.get("required") is not True:
            entry["disabled"] = True
        headers.append(entry)
    return headers


def _idempotency_header(headers: list[dict[str, Any]], header: str) -> None:
    """Send ``header: {{idempotencyKey}}``, replacing a documented one's sample value (and enabling it)."""
    value = "{{" + IDEMPOTENCY_KEY + "}}"
    for entry in headers:
        if entry["key"].lower() == header.lower():
            entry["value"] = value
            entry.pop("disabled", None)
            return
    headers.append({"key": header, "value": value})


# ---------------------------------------------------------------------- bodies and responses


def _media_value(ctx: Context, media_type: str, media: dict[str, Any], builder: SampleBuilder) -> Any:
    """The media type's first example, else a value synthesised from its schema; for a sequential media type
    described only item by item (OpenAPI 3.2's ``itemSchema``), one item as the stream writes it."""
    found, value = _first_example(ctx, media)
    if found:
        return value
    if "schema" not in media and "itemSchema" in media:
        return _stream_item(media_type, builder.sample(media["itemSchema"]))
    return builder.sample(media.get("schema"))


_RECORD_START = {"application/json-seq": "\x1e"}  # RFC 7464's record separator; JSON Lines and NDJSON: none


def _stream_item(media_type: str, item: Any) -> str:
    """``item`` written as one record of ``media_type``: a JSON line (JSON Lines, NDJSON, JSON text sequences),
    or an event's ``field: value`` lines (server-sent events, whose itemSchema describes the event)."""
    base = media_type.split(";")[0].strip().lower()
    if base == "text/event-stream" and isinstance(item, dict):
        lines = []
        for field, value in item.items():
            text = value if isinstance(value, str) else dump_compact_ascii(value)
            lines += [f"{field}: {line}" for line in text.split("\n")]
        return "\n".join(lines) + "\n\n"
    return _RECORD_START.get(base, "") + dump_compact_ascii(item) + "\n"


def _body_text(media_type: str, value: Any) -> str:
    if is_json(media_type) or not isinstance(value, str):
        return dump_json(value)[:-1]  # the house encoder: json.dumps(indent=2) bytes, faster
    return value


def _body(ctx: Context, media_type: str, media: dict[str, Any], value: Any) -> dict[str, Any]:
    if is_form(media_type) and isinstance(value, dict):
        mode = "urlencoded" if media_type.strip().lower().startswith("application/") else "formdata"
        return {
            "mode": mode,
            mode: [_form_field(f) for f in form_fields(media_type, media, value, ctx.request_samples)],
        }
    body: dict[str, Any] = {"mode": "raw", "raw": _body_text(media_type, value)}
    if is_json(media_type):
        body["options"] = {"raw": {"language": "json"}}
    return body


def _form_field(field: FormField) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": field.key}
    entry.update({"type": "file", "src": []} if field.file else {"value": field.value, "type": "text"})
    if field.content_type is not None:
        entry["contentType"] = field.content_type
    return entry


def _success_responses(ctx: Context, op: dict[str, Any]) -> list[tuple[str, dict[str, Any], str | None]]:
    """``(status, response, media type)`` of every documented 2xx, in written order."""
    responses = op.get("responses")
    found: list[tuple[str, dict[str, Any], str | None]] = []
    for status, raw in responses.items() if isinstance(responses, dict) else ():
        response = _resolve(ctx, raw)
        if _SUCCESS.match(str(status)) and isinstance(response, dict):
            media = pick_media(response, ctx.spec)
            found.append((str(status), response, media[0] if media else None))
    return found


def _original_request(request: dict[str, Any]) -> dict[str, Any]:
    """The request as an example shows it: the URL as text and only the headers sent.

    Slimmer than the full request (no descriptions, no disabled entries): the collection stays about a
    quarter smaller on large APIs, which is also what serialising it costs.
    """
    original: dict[str, Any] = {
        "method": request["method"],
        "header": [{"key": h["key"], "value": h["value"]} for h in request["header"] if not h.get("disabled")],
        "url": request["url"]["raw"],
    }
    if "body" in request:
        original["body"] = request["body"]
    return original


def _saved_response(
    ctx: Context, key: str, request: dict[str, Any], found: tuple[str, dict[str, Any], str | None]
) -> dict[str, Any]:
    status, response, media_type = found
    code = 200 if status == "2XX" else int(status)
    try:
        reason = http.HTTPStatus(code).phrase
    except ValueError:
        reason = "Success"
    headers: list[dict[str, Any]] = []
    if media_type is not None:
        headers.append({"key": "Content-Type", "value": media_type})
    declared = response.get("headers")
    for name, raw in declared.items() if isinstance(declared, dict) else ():
        header = _resolve(ctx, raw)
        if isinstance(header, dict) and name.lower() != "content-type":
            headers.append({"key": name, "value": _header_text(ctx, {**header, "name": name})})
    body = ""
    media = pick_media(response, ctx.spec)
    if media is not None:
        body = _body_text(media[0], _media_value(ctx, media[0], media[1], ctx.response_samples))
    description = response.get("description")
    name = description.strip().splitlines()[0] if isinstance(description, str) and description.strip() else reason
    return {
        "id": stable_id(ctx.identity, "response", key, status),
        "name": name,
        "originalRequest": _original_request(request),
        "status": reason,
        "code": code,
        "_postman_previewlanguage": "json" if media_type and is_json(media_type) else "text",
        "header": headers,
        "cookie": [],
        "body": body,
    }


# ---------------------------------------------------------------------- auth


def _operation_auth(ctx: Context, op: dict[str, Any], security: RequestAuth) -> dict[str, Any] | None:
    """The request's own auth; None when it inherits the collection's (the same auth, or no ``security``)."""
    if not isinstance(op.get("security"), list) or security.auth == ctx.auth.collection:
        return None
    return security.auth
