"""What the Postman collection and environment share: options, stable ids, the server URL, variable names."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generators.artefacts.operation_facts import resolve
from generators.core.diagnostics import AtlasError
from generators.core.operations import HTTP_METHODS, document_operations
from generators.core.settings import Settings, artefact_name, config_place, did_you_mean

# A fixed namespace: ids are uuid5(namespace, what the object is), so re-builds are byte-identical.
NAMESPACE = uuid.UUID("5b0d8c2e-4f43-4a8e-9c1b-6a7f0e2d3c41")

BASE_URL = "baseUrl"
API_KEY = "apiKey"
IDEMPOTENCY_KEY = "idempotencyKey"
IDEMPOTENCY_HEADER = "Idempotency-Key"

FOLDER_CHOICES = ("tags", "paths")
PARAM_CHOICES = ("example", "schema")
_OPTION_CHOICES = {"folders": FOLDER_CHOICES, "params": PARAM_CHOICES}
IDEMPOTENCY_HEADER_KEY = "idempotency-header"
IDEMPOTENCY_METHODS_KEY = "idempotency-methods"
_OPTION_KEYS = (*_OPTION_CHOICES, IDEMPOTENCY_HEADER_KEY, IDEMPOTENCY_METHODS_KEY)
_TABLE = "[tool.atlas-spec.postman]"
_SERVER_VAR = re.compile(r"\{([^{}]+)\}")
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,128}")  # a Postman variable name safe inside {{...}}
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")  # an RFC 9110 token


@dataclass(frozen=True)
class Idempotency:
    """Which requests send ``<header>: {{idempotencyKey}}`` and run the retry-safe scripts.

    An operation that declares the header as a parameter gets it (that is how a spec says its server honours
    the key); ``methods`` (``idempotency-methods`` in ``[tool.atlas-spec.postman]``) adds it to every operation
    of those methods, declared or not. By default no request gets a header its API does not document.
    """

    header: str = IDEMPOTENCY_HEADER
    methods: frozenset[str] = field(default_factory=frozenset)

    def applies(self, method: str, params: Iterable[Mapping[str, Any]]) -> bool:
        """True when the ``method`` operation with these (resolved, merged) parameters sends the key."""
        if method.lower() in self.methods:
            return True
        wanted = self.header.lower()
        return any(p.get("in") == "header" and str(p.get("name", "")).lower() == wanted for p in params)


@dataclass(frozen=True)
class PostmanOptions:
    """``[tool.atlas-spec.postman]`` after checking: how to group requests, where values come from, and which
    requests carry an idempotency key."""

    folders: str = "tags"
    params: str = "example"
    idempotency: Idempotency = field(default_factory=Idempotency)

    @property
    def use_examples(self) -> bool:
        """``example``: documented examples first; ``schema``: values built from the schemas only."""
        return self.params == "example"


def postman_options(settings: Settings) -> PostmanOptions:
    """Check ``[tool.atlas-spec.postman]`` and return its options (AtlasError with a did-you-mean hint)."""
    table: Mapping[str, Any] = settings.postman
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in _OPTION_KEYS:
            hint = did_you_mean(key, _OPTION_KEYS)
            raise AtlasError.at(
                "config-key", f"unknown key '{key}' in {_TABLE}", config_place(settings, "postman", key), hint
            )
        choices = _OPTION_CHOICES.get(key)
        if choices is None:
            continue  # an idempotency key: checked below
        if value not in choices:
            where = config_place(settings, "postman", key)
            raise AtlasError.at(
                "config-value", f"{_TABLE} '{key}' is {value!r}", where, f"use one of: {', '.join(choices)}"
            )
        values[key] = value
    return PostmanOptions(**values, idempotency=_idempotency(table, settings))


def _idempotency(table: Mapping[str, Any], settings: Settings) -> Idempotency:
    header = table.get(IDEMPOTENCY_HEADER_KEY, IDEMPOTENCY_HEADER)
    if not isinstance(header, str) or not _HEADER_NAME.fullmatch(header):
        raise AtlasError.at(
            "config-value",
            f"{_TABLE} '{IDEMPOTENCY_HEADER_KEY}' is {header!r}",
            config_place(settings, "postman", IDEMPOTENCY_HEADER_KEY),
            f'use a header name, e.g. {IDEMPOTENCY_HEADER_KEY} = "{IDEMPOTENCY_HEADER}"',
        )
    methods = table.get(IDEMPOTENCY_METHODS_KEY, [])
    if not isinstance(methods, list) or not all(isinstance(m, str) and m.lower() in HTTP_METHODS for m in methods):
        raise AtlasError.at(
            "config-value",
            f"{_TABLE} '{IDEMPOTENCY_METHODS_KEY}' is {methods!r}",
            config_place(settings, "postman", IDEMPOTENCY_METHODS_KEY),
            f'use a list of HTTP methods, e.g. {IDEMPOTENCY_METHODS_KEY} = ["post"]',
        )
    return Idempotency(header, frozenset(m.lower() for m in methods))


def operation_parameters(spec: dict[str, Any], path_item: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
    """Path-level parameters overridden by operation-level ones with the same name and location (resolved)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (path_item.get("parameters"), op.get("parameters")):
        for raw in source if isinstance(source, list) else ():
            param = resolve(spec, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(str(param.get("in")), param["name"])] = param
    return list(merged.values())


def sends_idempotency_key(spec: dict[str, Any], idempotency: Idempotency) -> bool:
    """True when some operation of ``spec`` sends the idempotency key (the environment then offers it)."""
    return any(
        idempotency.applies(method, operation_parameters(spec, item, op))
        for _, method, op, item in document_operations(spec)
    )


def api_identity(spec: dict[str, Any], settings: Settings) -> str:
    """What every Postman id derives from, so two APIs never share a collection or environment id.

    A configured ``name`` is the project's chosen identity: ids then survive a new title or server (a re-import
    replaces the collection). Without one, the title's slug, the title and the first server's URL.
    """
    if settings.name is not None:
        return settings.name
    server = _first_server(spec)
    url = server.get("url") if server else None
    return "\x1f".join((artefact_name(settings, spec), spec_title(spec, ""), url if isinstance(url, str) else ""))


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


def templated_base_url(spec: dict[str, Any], taken: Iterable[str]) -> tuple[str, list[tuple[str, str]]]:
    """The first server's URL for the environment, each declared variable as a ``{{variable}}`` of its own,
    and those variables with their defaults: changing ``region`` in Postman then changes ``baseUrl``.

    A variable whose name the environment already uses (``taken``) or that ``{{...}}`` cannot carry is filled
    in with its default instead.
    """
    server = _first_server(spec)
    url = _server_url(server)
    defaults = {name: default for name, default, _ in server_variables(spec)}
    reserved = set(taken)
    used: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in defaults:
            return match.group(0)
        if name in reserved or not _VARIABLE_NAME.fullmatch(name):
            return defaults[name]
        used[name] = defaults[name]
        return "{{" + name + "}}"

    return _SERVER_VAR.sub(fill, url).rstrip("/"), list(used.items())


def base_url(spec: dict[str, Any]) -> str:
    """The first server's URL with its variables replaced by their defaults, without a trailing slash."""
    server = _first_server(spec)
    url = _server_url(server)
    defaults = {name: default for name, default, _ in server_variables(spec)}
    url = _SERVER_VAR.sub(lambda m: defaults.get(m.group(1), m.group(0)), url)
    return url.rstrip("/")


def _server_url(server: dict[str, Any] | None) -> str:
    """The server's URL as written; a scheme-relative one (``//host/api``) gets ``https:``, as a browser on an
    https page would resolve it (Postman and curl need a scheme)."""
    url = str(server.get("url", "")) if server else ""
    return "https:" + url if url.startswith("//") else url


def _first_server(spec: dict[str, Any]) -> dict[str, Any] | None:
    servers = spec.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        return servers[0]
    return None


def spec_title(spec: dict[str, Any], fallback: str) -> str:
    """``info.title``, or ``fallback`` (the artefact name) when the spec has none."""
    info = spec.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return title if isinstance(title, str) and title.strip() else fallback


def with_postman_flags(settings: Settings, **flags: str | None) -> Settings:
    """Command-line ``--folders``/``--params`` over ``[tool.atlas-spec.postman]`` (None: not given)."""
    given = {key: value for key, value in flags.items() if value is not None}
    return settings.with_overrides(postman={**settings.postman, **given}) if given else settings
