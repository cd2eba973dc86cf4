"""Parameters' values: the schema a value follows, and its text as OpenAPI's ``style`` and ``explode`` say. One
implementation for the Postman requests, the docs page's code samples and the MCP tools' inputs, so each sends
what the description documents."""

from __future__ import annotations

import json
from typing import Any

QUERY_LOCATIONS = ("query", "querystring")  # a parameter's ``in`` for one pair, or (3.2) for the whole string


def param_text(value: Any) -> str:
    """One value as text: booleans as JSON spells them, null empty, containers as compact JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def described_by_content(param: dict[str, Any]) -> bool:
    """A parameter with ``content`` (and no ``schema``): its media type serialises the whole value as one text
    (``filter={"color":"red"}`` for ``application/json``), ``style`` and ``explode`` do not apply."""
    return "schema" not in param and isinstance(param.get("content"), dict)


def value_schema(param: dict[str, Any]) -> Any:
    """The schema of a parameter's value: its ``schema``, else that of its (only) ``content`` media type."""
    schema = param.get("schema")
    content = param.get("content")
    if schema is None and isinstance(content, dict) and content:
        media = next(iter(content.values()))
        schema = media.get("schema") if isinstance(media, dict) else None
    return schema


def query_pairs(param: dict[str, Any], value: Any) -> list[tuple[str, str]]:
    """Query serialisation per ``style``/``explode`` (form + explode by default). An OpenAPI 3.2 ``querystring``
    parameter is the whole query string: an object's members become its pairs, as its (form) media type writes
    them, a list member repeating its key."""
    name = param["name"]
    if param.get("in") == "querystring" and isinstance(value, dict):
        return [(str(k), param_text(v)) for k, vs in value.items() for v in (vs if isinstance(vs, list) else [vs])]
    if described_by_content(param):
        return [(name, param_text(value))]
    style = param.get("style", "form")
    explode = param.get("explode", style == "form")
    if isinstance(value, list):
        if explode:
            return [(name, param_text(v)) for v in value] or [(name, "")]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, sep.join(param_text(v) for v in value))]
    if isinstance(value, dict):
        if style == "deepObject":
            return [(f"{name}[{k}]", param_text(v)) for k, v in value.items()]
        if explode:
            return [(str(k), param_text(v)) for k, v in value.items()]
        return [(name, ",".join(f"{k},{param_text(v)}" for k, v in value.items()))]
    return [(name, param_text(value))]


def simple_style(value: Any, param: dict[str, Any] | None = None) -> str:
    """``simple`` style used by path and header parameters (``param``'s media type, when it has ``content``)."""
    if param is not None and described_by_content(param):
        return param_text(value)
    if isinstance(value, list):
        return ",".join(param_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{param_text(v)}" for k, v in value.items())
    return param_text(value)


def path_style(value: Any, param: dict[str, Any]) -> str:
    """A path parameter's text per its ``style``: ``simple`` (the default), ``label`` (``.a.b``) or ``matrix``
    (``;id=5``), exploded or not (OpenAPI 3.0.3 4.7.12.4)."""
    style = param.get("style", "simple")
    if described_by_content(param) or style not in ("label", "matrix"):
        return simple_style(value, param)
    explode = param.get("explode") is True
    name = str(param.get("name", ""))
    if isinstance(value, dict):
        pairs = [(str(k), param_text(v)) for k, v in value.items()]
        if explode:
            return "".join(f"{'.' if style == 'label' else ';'}{k}={v}" for k, v in pairs)
        flat = ",".join(f"{k},{v}" for k, v in pairs)
        return f".{flat}" if style == "label" else f";{name}={flat}"
    items = [param_text(v) for v in value] if isinstance(value, list) else [param_text(value)]
    if style == "label":
        return "." + ("." if explode else ",").join(items)
    return "".join(f";{name}={v}" for v in items) if explode else f";{name}={','.join(items)}"
