"""Artefact: ``<name>.postman_collection.json`` (Postman Collection Format v2.1.0).

One folder per tag in the root ``tags`` order (or per first path segment with ``folders = "paths"``),
collection-level auth from the root ``security`` (``noauth`` when there is none; see ``auth.py``), and, when a
request sends an idempotency key (see ``common.Idempotency``), the retry-safe scripts rendered from
``templates/postman_prerequest.js.jinja`` and ``postman_test.js.jinja``.
"""

from __future__ import annotations

from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.postman.auth import AuthPlan
from generators.artefacts.postman.common import (
    IDEMPOTENCY_KEY,
    PostmanOptions,
    api_identity,
    postman_options,
    spec_title,
    stable_id,
)
from generators.artefacts.postman.request import Context, build_item
from generators.artefacts.registry import kind
from generators.artefacts.samples import SampleBuilder
from generators.artefacts.templating import environment
from generators.core.jsonout import dump_json_bytes
from generators.core.operations import document_operations
from generators.core.settings import Settings, artefact_name

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
# Collection variable where the scripts keep generated keys awaiting a definitive answer, per request id.
PENDING_KEYS = "pendingIdempotencyKeys"
UNTAGGED = "default"


def collection(spec: dict[str, Any], settings: Settings, options: PostmanOptions | None = None) -> dict[str, Any]:
    """The collection document as data."""
    options = options or postman_options(settings)
    identity = api_identity(spec, settings)
    ctx = Context(
        spec=spec,
        identity=identity,
        request_samples=SampleBuilder(spec, "request", options.use_examples),
        response_samples=SampleBuilder(spec, "response", options.use_examples),
        use_examples=options.use_examples,
        idempotency=options.idempotency,
        auth=AuthPlan(spec),
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    loose: list[dict[str, Any]] = []
    for path, method, op, path_item in document_operations(spec):
        item = build_item(ctx, path, method, path_item, op)
        group = _group(op, path, options)
        if group is None:
            loose.append(item)
        else:
            groups.setdefault(group, []).append(item)
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    doc: dict[str, Any] = {
        "info": {
            "_postman_id": stable_id(identity, "collection"),
            "name": spec_title(spec, artefact_name(settings, spec)),
            "schema": SCHEMA_URL,
        }
    }
    if isinstance(info.get("description"), str):
        doc["info"]["description"] = info["description"]
    if isinstance(info.get("version"), str):
        doc["info"]["version"] = info["version"]
    doc["item"] = _folders(spec, identity, groups, options) + loose
    doc["auth"] = ctx.auth.collection
    if ctx.keyed_requests:
        header = options.idempotency.header
        doc["event"] = [_event(identity, "prerequest", header), _event(identity, "test", header)]
    return doc


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The collection, serialised deterministically."""
    file_name = kind("postman-collection").file_name(artefact_name(settings, spec))
    return Artefact(file_name, dump_json_bytes(collection(spec, settings)))


def _group(op: dict[str, Any], path: str, options: PostmanOptions) -> str | None:
    """The folder an operation goes in: its first tag, or its first path segment; None for the root."""
    if options.folders == "paths":
        first = path.strip("/").split("/")[0]
        return first or None
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str):
        return tags[0]
    return None


def _folders(
    spec: dict[str, Any], name: str, groups: dict[str, list[dict[str, Any]]], options: PostmanOptions
) -> list[dict[str, Any]]:
    """Folders in the root ``tags`` order, then tags used but never declared, in first-use order."""
    declared: dict[str, dict[str, Any]] = {}
    if options.folders == "tags" and isinstance(spec.get("tags"), list):
        for tag in spec["tags"]:
            if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                declared.setdefault(tag["name"], tag)
    order = [t for t in declared if t in groups] + [g for g in groups if g not in declared]
    folders = []
    for group in order:
        folder: dict[str, Any] = {"id": stable_id(name, "folder", options.folders, group), "name": group}
        description = declared.get(group, {}).get("description")
        if isinstance(description, str) and description:
            folder["description"] = description
        folder["item"] = groups[group]
        folders.append(folder)
    return folders


def _event(name: str, listen: str, header: str) -> dict[str, Any]:
    """A collection-level script rendered from its template; only constants and the configured header name
    (a checked token) go in, never spec text."""
    template = environment().get_template(f"postman_{listen}.js.jinja")
    text = template.render(header=header, variable=IDEMPOTENCY_KEY, store=PENDING_KEYS)
    return {
        "listen": listen,
        "script": {"id": stable_id(name, "script", listen), "type": "text/javascript", "exec": text.splitlines()},
    }
