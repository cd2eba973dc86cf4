"""Artefact: ``<name>.postman_environment.json``, the companion environment the user pastes a token into.

Postman publishes no schema for environments; this is the shape Postman exports and Newman's ``-e`` reads.
Every entry stays enabled (Newman ignores ``enabled: false``); unknown values are ``""``. ``idempotencyKey`` is
offered only when some request of the collection sends the idempotency key.
"""

from __future__ import annotations

from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.postman.common import (
    API_KEY,
    BASE_URL,
    IDEMPOTENCY_KEY,
    api_identity,
    base_url,
    postman_options,
    sends_idempotency_key,
    server_variables,
    spec_title,
    stable_id,
)
from generators.artefacts.registry import kind
from generators.core.jsonout import dump_json_bytes
from generators.core.settings import Settings, artefact_name


def environment(spec: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The environment document as data."""
    values = [_value(BASE_URL, base_url(spec)), _value(API_KEY, "", secret=True)]
    if sends_idempotency_key(spec, postman_options(settings).idempotency):
        values.append(_value(IDEMPOTENCY_KEY, ""))
    taken = {value["key"] for value in values}
    for name, default, _ in server_variables(spec):
        if name not in taken:
            taken.add(name)
            values.append(_value(name, default))
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
