"""Artefact: ``<name>.postman_environment.json``, the companion environment the user pastes a token into.

Postman publishes no schema for environments; this is the shape Postman exports and Newman's ``-e`` reads.
Every entry stays enabled (Newman ignores ``enabled: false``); unknown values are ``""``.
"""

from __future__ import annotations

from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.postman.common import (
    API_KEY,
    BASE_URL,
    IDEMPOTENCY_KEY,
    base_url,
    server_variables,
    spec_title,
    stable_id,
)
from generators.artefacts.registry import kind
from generators.core.jsonout import dump_json_bytes
from generators.core.settings import Settings


def environment(spec: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The environment document as data."""
    values = [
        _value(BASE_URL, base_url(spec)),
        _value(API_KEY, "", secret=True),
        _value(IDEMPOTENCY_KEY, ""),
    ]
    taken = {BASE_URL, API_KEY, IDEMPOTENCY_KEY}
    for name, default, _ in server_variables(spec):
        if name not in taken:
            taken.add(name)
            values.append(_value(name, default))
    return {
        "id": stable_id("environment", settings.name),
        "name": spec_title(spec, settings.name),
        "values": values,
        "_postman_variable_scope": "environment",
    }


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The environment, serialised deterministically."""
    file_name = kind("postman-environment").file_name(settings.name)
    return Artefact(file_name, dump_json_bytes(environment(spec, settings)))


def _value(key: str, value: str, secret: bool = False) -> dict[str, Any]:
    return {"key": key, "value": value, "type": "secret" if secret else "default", "enabled": True}
