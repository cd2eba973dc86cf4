"""Small spec builders for rule cases: one operation, one schema in a request or a response."""

from __future__ import annotations

import copy
from typing import Any

Spec = dict[str, Any]
NO_SCHEMA = "(a media type without a schema)"


def _media(schema: Any) -> dict[str, Any]:
    return {} if schema == NO_SCHEMA else {"schema": copy.deepcopy(schema)}


def spec(paths: dict[str, Any] | None = None, **top: Any) -> Spec:
    """A minimal OpenAPI 3.1 document."""
    doc: Spec = {"openapi": "3.1.0", "info": {"title": "Tasks", "version": "1.0.0"}, "paths": paths or {}}
    doc.update(copy.deepcopy(top))
    return doc


def ok(schema: Any = None) -> dict[str, Any]:
    """A 200 response, with a JSON body when ``schema`` is given."""
    response: dict[str, Any] = {"description": "OK"}
    if schema is not None:
        response["content"] = {"application/json": _media(schema)}
    return response


def operation(
    path: str = "/tasks/{id}", method: str = "get", item: dict[str, Any] | None = None, **fields: Any
) -> Spec:
    """A document with one operation (``fields`` merged into it) and path-item fields ``item``."""
    op: dict[str, Any] = {"operationId": "op", "responses": {"200": ok()}}
    op.update(copy.deepcopy(fields))
    path_item: dict[str, Any] = dict(copy.deepcopy(item or {}))
    path_item[method] = op
    if "{id}" in path and not any(
        p.get("in") == "path" for p in op.get("parameters", []) + path_item.get("parameters", [])
    ):
        path_item.setdefault("parameters", []).append(
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        )
    return spec({path: path_item})


def response_schema(schema: Any, **top: Any) -> Spec:
    """The schema as the 200 JSON response of GET /tasks/{id}."""
    doc = operation(responses={"200": ok(schema)})
    doc.update(copy.deepcopy(top))
    return doc


def request_schema(schema: Any, **top: Any) -> Spec:
    """The schema as the required JSON request body of POST /tasks."""
    doc = operation(
        "/tasks",
        "post",
        requestBody={"required": True, "content": {"application/json": _media(schema)}},
    )
    doc.update(copy.deepcopy(top))
    return doc


def query(**param: Any) -> Spec:
    """GET /tasks with one query parameter ``q`` (fields override)."""
    p: dict[str, Any] = {"name": "q", "in": "query", "schema": {"type": "string"}}
    p.update(param)
    return operation("/tasks", parameters=[p])


def with_op(doc: Spec, **fields: Any) -> Spec:
    """A copy of ``doc`` with fields set on its only operation."""
    doc = copy.deepcopy(doc)
    for item in doc["paths"].values():
        for key, op in item.items():
            if key in ("get", "post", "put", "delete", "patch"):
                op.update(copy.deepcopy(fields))
    return doc
