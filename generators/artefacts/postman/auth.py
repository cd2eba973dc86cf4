"""Postman auth from OpenAPI security: Bearer ``{{apiKey}}`` by default, API keys and Basic where declared."""

from __future__ import annotations

from typing import Any

from generators.artefacts.postman.common import API_KEY
from generators.artefacts.samples import resolve_ref


def auth_for(spec: dict[str, Any], security: Any) -> dict[str, Any]:
    """Postman auth for the first requirement of an OpenAPI security list; ``[]`` or ``[{}, ...]`` is no auth."""
    if not isinstance(security, list) or not security or security[0] == {}:
        return {"type": "noauth"}
    schemes = spec.get("components", {}).get("securitySchemes", {}) if isinstance(spec.get("components"), dict) else {}
    requirement = security[0] if isinstance(security[0], dict) else {}
    for scheme_name in requirement:
        scheme = schemes.get(scheme_name) if isinstance(schemes, dict) else None
        if isinstance(scheme, dict) and isinstance(scheme.get("$ref"), str):
            scheme = resolve_ref(spec, scheme["$ref"])
        if not isinstance(scheme, dict):
            continue
        kind = scheme.get("type")
        token = "{{" + API_KEY + "}}"
        if kind == "apiKey" and scheme.get("in") in ("header", "query"):
            attrs = [
                {"key": "key", "value": str(scheme.get("name", "")), "type": "string"},
                {"key": "value", "value": token, "type": "string"},
                {"key": "in", "value": scheme["in"], "type": "string"},
            ]
            return {"type": "apikey", "apikey": attrs}
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            attrs = [{"key": "username", "value": token, "type": "string"}]
            return {"type": "basic", "basic": attrs}
    return bearer_auth()


def collection_auth(spec: dict[str, Any]) -> dict[str, Any]:
    """The collection's auth: from the root ``security``, Bearer ``{{apiKey}}`` when the root names none."""
    if "security" not in spec:
        return bearer_auth()
    return auth_for(spec, spec["security"])


def bearer_auth() -> dict[str, Any]:
    """``Authorization: Bearer {{apiKey}}``."""
    return {"type": "bearer", "bearer": [{"key": "token", "value": "{{" + API_KEY + "}}", "type": "string"}]}
