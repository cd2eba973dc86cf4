"""Artefact: ``<name>.postman_environment.json``, the companion environment the user pastes a token into.

Postman publishes no schema for environments; this is the shape Postman exports and Newman's ``-e`` reads.
Every entry stays enabled (Newman ignores ``enabled: false``); unknown values are ``""``. Credentials are offered
as the collection's auth uses them (``postman/auth.py``), ``idempotencyKey`` only when some request of the
collection sends the idempotency key. ``baseUrl`` keeps the server's variables as ``{{variable}}`` references
(Postman and Newman resolve variables inside variables), each variable beside it at its default.
"""

from __future__ import annotations

from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.postman.auth import AuthPlan
from generators.artefacts.postman.common import (
    BASE_URL,
    IDEMPOTENCY_KEY,
    api_identity,
    postman_options,
    sends_idempotency_key,
    spec_title,
    stable_id,
    templated_base_url,
)
from generators.artefacts.registry import kind
from generators.core.jsonout import dump_json_bytes
from generators.core.settings import Settings, artefact_name


def environment(spec: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The environment document as data: ``baseUrl``, the credentials some request uses, ``idempotencyKey``
    when some request sends one, then the variables of the first server's URL (``baseUrl`` refers to them)."""
    values = [_value(v.name, "", secret=v.secret) for v in AuthPlan(spec).variables]
    if sends_idempotency_key(spec, postman_options(settings).idempotency):
        values.append(_value(IDEMPOTENCY_KEY, ""))
    url, variables = templated_base_url(spec, {BASE_URL, *(value["key"] for value in values)})
    values = [_value(BASE_URL, url), *values, *(_value(name, default) for name, default in variables)]
    return {
        "id": stable_id("environment", api_identity(spec, settings)),
        "name": spec_title(spec, artefact_name(settings, spec)),
        "values": values,
        "_postman_variable_scope": "environment",
    }


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The environment, serialised deterministically."""
    file_name = kind("postman-environment").file_name(artefact_name(settings, spec))
    return Artefact(file_name, dump_json_bytes(environment(spec, settings)))


def _value(key: str, value: str, secret: bool = False) -> dict[str, Any]:
    return {"key": key, "value": value, "type": "secret" if secret else "default", "enabled": True}
