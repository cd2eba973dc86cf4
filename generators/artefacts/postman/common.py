"""What the Postman collection and environment share: options, stable ids, the server URL, variable names."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generators.core.diagnostics import AtlasError, Location
from generators.core.settings import Settings, did_you_mean

# A fixed namespace: ids are uuid5(namespace, what the object is), so re-builds are byte-identical.
NAMESPACE = uuid.UUID("5b0d8c2e-4f43-4a8e-9c1b-6a7f0e2d3c41")

BASE_URL = "baseUrl"
API_KEY = "apiKey"
IDEMPOTENCY_KEY = "idempotencyKey"
IDEMPOTENCY_HEADER = "Idempotency-Key"

FOLDER_CHOICES = ("tags", "paths")
PARAM_CHOICES = ("example", "schema")
_OPTION_CHOICES = {"folders": FOLDER_CHOICES, "params": PARAM_CHOICES}
_SERVER_VAR = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class PostmanOptions:
    """``[tool.atlas-spec.postman]`` after checking: how to group requests and where values come from."""

    folders: str = "tags"
    params: str = "example"

    @property
    def use_examples(self) -> bool:
        """``example``: documented examples first; ``schema``: values built from the schemas only."""
        return self.params == "example"


def postman_options(settings: Settings) -> PostmanOptions:
    """Check ``[tool.atlas-spec.postman]`` and return its options (AtlasError with a did-you-mean hint)."""
    table: Mapping[str, Any] = settings.postman
    where = Location(str(settings.config_file)) if settings.config_file else None
    values: dict[str, str] = {}
    for key, value in table.items():
        choices = _OPTION_CHOICES.get(key)
        if choices is None:
            hint = did_you_mean(key, _OPTION_CHOICES)
            raise AtlasError.at("config-key", f"unknown key '{key}' in [tool.atlas-spec.postman]", where, hint)
        if value not in choices:
            raise AtlasError.at(
                "config-value",
                f"[tool.atlas-spec.postman] '{key}' is {value!r}",
                where,
                f"use one of: {', '.join(choices)}",
            )
        values[key] = value
    return PostmanOptions(**values)


def stable_id(*parts: str) -> str:
    """A UUID derived from what the object is (never random)."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def server_variables(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(name, default, description)`` of the first server's variables, in written order."""
    server = _first_server(spec)
    variables = server.get("variables") if server else None
    if not isinstance(variables, dict):
        return []
    found = []
    for name, var in variables.items():
        if isinstance(var, dict):
            found.append((str(name), str(var.get("default", "")), str(var.get("description", ""))))
    return found


def base_url(spec: dict[str, Any]) -> str:
    """The first server's URL with its variables replaced by their defaults, without a trailing slash."""
    server = _first_server(spec)
    url = str(server.get("url", "")) if server else ""
    defaults = {name: default for name, default, _ in server_variables(spec)}
    url = _SERVER_VAR.sub(lambda m: defaults.get(m.group(1), m.group(0)), url)
    return url.rstrip("/")


def _first_server(spec: dict[str, Any]) -> dict[str, Any] | None:
    servers = spec.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        return servers[0]
    return None


def spec_title(spec: dict[str, Any], fallback: str) -> str:
    """``info.title``, or the artefact name when the spec has none."""
    info = spec.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return title if isinstance(title, str) and title.strip() else fallback


def with_postman_flags(settings: Settings, **flags: str | None) -> Settings:
    """Command-line ``--folders``/``--params`` over ``[tool.atlas-spec.postman]`` (None: not given)."""
    given = {key: value for key, value in flags.items() if value is not None}
    return settings.with_overrides(postman={**settings.postman, **given}) if given else settings
