"""Artefact: ``<name>.mcp-tools.json``, one Model Context Protocol tool per operation, as a ``tools/list`` result.

A tool's ``inputSchema`` merges the operation's path, query, header and cookie parameters with its request body
(the property ``body``); its ``outputSchema`` is the schema of the first 2xx JSON response when that is an object
(MCP allows only objects there). Every ``$ref`` a schema uses is copied into the tool's own ``$defs``, so a
tool stands alone. The OpenAPI 3.0 schema words with a JSON Schema 2020-12 spelling (``nullable``, boolean
exclusive bounds, ``example``) are rewritten. Annotations follow the HTTP method and the ``Idempotency-Key``
header; scopes, rate class and the HTTP operation itself ride in ``_meta`` under the ``atlas-spec/`` prefix.
"""

from __future__ import annotations

import re
from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.operation_facts import OperationFacts, is_json, operation_facts, pick_media, resolve
from generators.artefacts.params import value_schema
from generators.artefacts.registry import kind
from generators.artefacts.samples import resolve_ref
from generators.core.jsonout import dump_json_bytes
from generators.core.operations import document_operations, http_method
from generators.core.pointer import escape_token, pointer_parts
from generators.core.settings import Settings, artefact_name

META_PREFIX = "atlas-spec/"
MAX_NAME = 128  # MCP: tool names are 1-128 characters of A-Z a-z 0-9 _ - .
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_SKIPPED_HEADERS = {"accept", "content-type", "authorization"}  # OpenAPI ignores these header parameters
_READ_ONLY = {"get", "head", "options", "query"}
_IDEMPOTENT = {"get", "head", "options", "put", "delete", "trace", "query"}
_SUCCESS = re.compile(r"^2(?:\d\d|XX)$")


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The tool catalogue of ``spec``: deterministic bytes for the same spec."""
    return Artefact(kind("mcp-tools").file_name(artefact_name(settings, spec)), dump_json_bytes(catalogue(spec)))


def catalogue(spec: dict[str, Any]) -> dict[str, Any]:
    """``{"tools": [...]}``: one tool per operation under ``paths``, in path and method order."""
    converter = _SchemaConverter(spec)
    tools: list[dict[str, Any]] = []
    taken: set[str] = set()
    for path, method, op, item in document_operations(spec):
        facts = operation_facts(spec, method, op, item)
        name = _unique(tool_name(op.get("operationId"), method, path), taken)
        tools.append(_tool(converter, name, path, method, op, facts))
    return {"tools": tools}


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def tool_name(op_id: Any, method: str, path: str) -> str:
    """An MCP tool name from the operationId (else method and path): only ``A-Za-z0-9_.-``, at most 128."""
    raw = op_id.strip() if isinstance(op_id, str) and op_id.strip() else f"{method}{path}"
    name = _NAME_UNSAFE.sub("_", raw).strip("_") or method
    return name[:MAX_NAME]


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        suffix = f"_{number}"
        candidate = name[: MAX_NAME - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _tool(
    converter: _SchemaConverter, name: str, path: str, method: str, op: dict[str, Any], facts: OperationFacts
) -> dict[str, Any]:
    tool: dict[str, Any] = {"name": name}
    summary = _str(op.get("summary"))
    if summary:
        tool["title"] = summary
    description = "\n\n".join(part for part in (summary, _str(op.get("description"))) if part)
    tool["description"] = description or f"{http_method(method)} {path}"
    tool["inputSchema"] = _input_schema(converter, op, facts)
    output = _output_schema(converter, op)
    if output is not None:
        tool["outputSchema"] = output
    annotations: dict[str, Any] = {"readOnlyHint": method in _READ_ONLY}
    if method == "delete":
        annotations["destructiveHint"] = True
    if method in _IDEMPOTENT or facts.idempotency_key:
        annotations["idempotentHint"] = True
    if summary:
        annotations["title"] = summary
    tool["annotations"] = annotations
    meta: dict[str, Any] = {META_PREFIX + "operation": {"method": http_method(method), "path": path}}
    if isinstance(op.get("operationId"), str):
        meta[META_PREFIX + "operation"]["operationId"] = op["operationId"]
    if facts.scopes is not None:
        meta[META_PREFIX + "scopes"] = list(facts.scopes)
    if facts.rate_class is not None:
        meta[META_PREFIX + "rateLimitClass"] = facts.rate_class
    tool["_meta"] = meta
    return tool


def _input_schema(converter: _SchemaConverter, op: dict[str, Any], facts: OperationFacts) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    refs: dict[str, str] = {}
    for param in facts.parameters:
        where, name = str(param.get("in")), param["name"]
        if where == "header" and name.lower() in _SKIPPED_HEADERS:
            continue
        key = name if name not in properties else f"{name}_{where}"
        schema = value_schema(param)
        prop = converter.convert(schema if schema is not None else {}, refs)
        prop = dict(prop) if isinstance(prop, dict) else {"allOf": [prop]}
        prop.setdefault("description", _param_text(param, where))
        properties[key] = prop
        if param.get("required") is True or where == "path":
            required.append(key)
    body = converter.resolve(op.get("requestBody"))
    picked = pick_media(body, converter.spec)
    if isinstance(body, dict) and picked is not None:
        media_type, media = picked
        body_schema = media.get("schema")
        prop = converter.convert(body_schema if body_schema is not None else {}, refs)
        prop = dict(prop) if isinstance(prop, dict) else {"allOf": [prop]}
        text = _str(body.get("description"))
        prop.setdefault("description", (text + "\n\n" if text else "") + f"Request body ({media_type}).")
        key = "body" if "body" not in properties else "requestBody"
        properties[key] = prop
        if body.get("required") is True:
            required.append(key)
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        result["required"] = required
    result["additionalProperties"] = False
    return converter.with_defs(result, refs)


def _output_schema(converter: _SchemaConverter, op: dict[str, Any]) -> dict[str, Any] | None:
    responses = op.get("responses")
    for status, raw in responses.items() if isinstance(responses, dict) else ():
        if not _SUCCESS.match(str(status)):
            continue
        response = converter.resolve(raw)
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict):
            return None
        media_types = {t: converter.resolve(m) for t, m in content.items() if is_json(t)}  # 3.2: a $ref
        json_types = [t for t, m in media_types.items() if isinstance(m, dict)]
        if not json_types:
            return None
        schema = media_types[json_types[0]].get("schema")
        target = converter.resolve(schema)
        if not (isinstance(target, dict) and _is_object(target)):
            return None
        refs: dict[str, str] = {}
        converted = converter.convert(target, refs)
        if not isinstance(converted, dict):
            return None
        out = dict(converted)
        out["type"] = "object"
        return converter.with_defs(out, refs)
    return None


def _param_text(param: dict[str, Any], where: str) -> str:
    text = _str(param.get("description"))
    note = f"{where} parameter {param['name']}"
    return f"{text} ({note})" if text else note.capitalize()


def _is_object(schema: dict[str, Any]) -> bool:
    kind_ = schema.get("type")
    if kind_ == "object" or (isinstance(kind_, list) and kind_ == ["object"]):
        return True
    return kind_ is None and ("properties" in schema or "additionalProperties" in schema)


class _SchemaConverter:
    """OpenAPI schemas to self-contained JSON Schema 2020-12: local ``$ref``s into ``$defs``, 3.0 words rewritten."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.openapi_30 = str(spec.get("openapi", "")).startswith("3.0")
        self._converted: dict[str, tuple[Any, tuple[str, ...]]] = {}  # ref -> (converted target, refs it uses)

    def resolve(self, node: Any) -> Any:
        """``node`` with its ``$ref`` chain followed."""
        return resolve(self.spec, node)

    def convert(self, schema: Any, refs: dict[str, str]) -> Any:
        """``schema`` with each local ``$ref`` pointing into ``$defs``; ``refs`` collects ref -> def name."""
        return self._walk(schema, refs)

    def with_defs(self, schema: dict[str, Any], refs: dict[str, str]) -> dict[str, Any]:
        """``schema`` plus the ``$defs`` its references need (transitively), in first-use order."""
        if not refs:
            return schema
        defs: dict[str, Any] = {}
        pending = list(refs)
        seen = set(pending)
        while pending:
            ref = pending.pop(0)
            converted, uses = self._target(ref)
            defs[refs[ref]] = converted
            for used in uses:
                if used not in seen:
                    seen.add(used)
                    refs[used] = _def_name(used)
                    pending.append(used)
        return {**schema, "$defs": defs}

    def _target(self, ref: str) -> tuple[Any, tuple[str, ...]]:
        cached = self._converted.get(ref)
        if cached is None:
            inner: dict[str, str] = {}
            target = resolve_ref(self.spec, ref)
            converted = self._walk(target if target is not None else {}, inner)
            cached = (converted, tuple(inner))  # first-use order: a set would follow the hash seed
            self._converted[ref] = cached
        return cached

    def _walk(self, node: Any, refs: dict[str, str]) -> Any:
        if isinstance(node, list):
            return [self._walk(item, refs) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith("#/"):
                    name = refs.setdefault(value, _def_name(value))
                    out[key] = "#/$defs/" + escape_token(name)
                else:
                    out[key] = value
            elif key in ("example", "nullable", "discriminator", "xml", "externalDocs") and self.openapi_30:
                continue  # rewritten below or OpenAPI-only
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                continue  # 3.0's boolean flag: folded into the bound below
            elif key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas") and isinstance(
                value, dict
            ):
                out[key] = {k: self._walk(v, refs) for k, v in value.items()}
            else:
                out[key] = self._walk(value, refs)
        if self.openapi_30:
            self._rewrite_30(node, out)
        return out

    @staticmethod
    def _rewrite_30(node: dict[str, Any], out: dict[str, Any]) -> None:
        if "example" in node:
            out["examples"] = [node["example"]]
        for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if node.get(flag) is True and isinstance(node.get(bound), (int, float)):
                out[flag] = node[bound]
                out.pop(bound, None)
        if node.get("nullable") is True:
            kind_ = out.get("type")
            if isinstance(kind_, str):
                out["type"] = [kind_, "null"]
            elif "type" not in out and ("$ref" in out or "allOf" in out or "oneOf" in out or "anyOf" in out):
                out.update(
                    {
                        "anyOf": [
                            {k: out.pop(k) for k in list(out) if k not in ("description", "title")},
                            {"type": "null"},
                        ]
                    }
                )
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]


def _def_name(ref: str) -> str:
    """``#/components/schemas/Task`` -> ``Task``; any other pointer keeps its path (``components/x/y``)."""
    parts = list(pointer_parts(ref[1:]))
    if len(parts) == 3 and parts[:2] == ["components", "schemas"]:
        return parts[2]
    return "/".join(parts)
