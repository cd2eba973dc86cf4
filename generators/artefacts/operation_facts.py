"""What the docs page, its code samples and the MCP catalogue say about one operation beyond its schemas.

Scopes come from ``x-required-scopes`` when the operation has it, else from the scopes its security requirements
name (the operation's, else the root's); the rate class from ``x-ratelimit-class``. Parameters are the path
item's merged with the operation's (an operation parameter replaces a path one of the same name and location),
``$ref`` resolved. Nothing here is Atlas-specific: an API without these extensions has no scopes or rate class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generators.artefacts.samples import resolve_ref, usable_example

IDEMPOTENCY_HEADER = "idempotency-key"
IF_MATCH_HEADER = "if-match"
IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete", "trace", "query"})
_MAX_RESOLVE = 16


@dataclass(frozen=True)
class OperationFacts:
    """The facts of one operation; ``scopes`` and ``rate_class`` are None when the spec says nothing."""

    method: str
    parameters: tuple[dict[str, Any], ...]
    scopes: tuple[str, ...] | None
    rate_class: str | None
    idempotency_key: str | None  # the header's name as documented, when the operation takes one
    if_match: bool

    @property
    def idempotent(self) -> bool:
        """Safe to repeat: an idempotent HTTP method, or a request an ``Idempotency-Key`` makes repeatable."""
        return self.method in IDEMPOTENT_METHODS or self.idempotency_key is not None


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a chain of local ``$ref``s (at most 16 links); None when one dangles."""
    for _ in range(_MAX_RESOLVE):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        node = resolve_ref(spec, node["$ref"])
    return None


def operation_facts(spec: dict[str, Any], method: str, op: dict[str, Any], item: dict[str, Any]) -> OperationFacts:
    """The facts of the operation ``op`` (``method`` of the path item ``item``)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (item.get("parameters"), op.get("parameters")):
        for raw in source if isinstance(source, list) else ():
            param = resolve(spec, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(str(param.get("in")), param["name"])] = param
    headers = {name.lower(): name for where, name in merged if where == "header"}
    rate_class = op.get("x-ratelimit-class")
    return OperationFacts(
        method=method,  # as ``operations_of`` names it: a field's name, or an additional operation's key
        parameters=tuple(merged.values()),
        scopes=_scopes(spec, op),
        rate_class=rate_class if isinstance(rate_class, str) else None,
        idempotency_key=headers.get(IDEMPOTENCY_HEADER),
        if_match=IF_MATCH_HEADER in headers,
    )


def _scopes(spec: dict[str, Any], op: dict[str, Any]) -> tuple[str, ...] | None:
    declared = op.get("x-required-scopes")
    if isinstance(declared, list):
        return tuple(s for s in declared if isinstance(s, str))
    security = op["security"] if "security" in op else spec.get("security")
    found: list[str] = []
    for requirement in security if isinstance(security, list) else ():
        for scopes in requirement.values() if isinstance(requirement, dict) else ():
            for scope in scopes if isinstance(scopes, list) else ():
                if isinstance(scope, str) and scope not in found:
                    found.append(scope)
    return tuple(found) if found else None


def first_example(spec: dict[str, Any], holder: dict[str, Any]) -> tuple[bool, Any]:
    """``(True, value)`` of a parameter's or media type's ``example`` or first usable ``examples`` entry."""
    candidates = [holder["example"]] if "example" in holder else []
    examples = holder.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            resolved = resolve(spec, example)
            if isinstance(resolved, dict) and "value" in resolved:
                candidates.append(resolved["value"])
    for value in candidates:
        if usable_example(value):
            return True, value
    return False, None


def pick_media(holder: Any, spec: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The media type to show of a request body or response: JSON first, then forms, then the first written.

    The media type object comes resolved: OpenAPI 3.2 lets one be a ``$ref`` to ``components/mediaTypes``.
    """
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return None
    media_types = {t: resolve(spec, m) for t, m in content.items()}
    types = [t for t, m in media_types.items() if isinstance(m, dict)]
    if not types:
        return None

    def rank(media_type: str) -> int:
        base = media_type.split(";")[0].strip().lower()
        if base == "application/json":
            return 0
        if is_json(base):
            return 1
        return 2 if base in ("application/x-www-form-urlencoded", "multipart/form-data") else 3

    chosen = min(types, key=lambda t: (rank(t), types.index(t)))
    return chosen, media_types[chosen]


def is_json(media_type: str) -> bool:
    """``application/json``, ``*/json`` or ``*+json`` (parameters ignored)."""
    base = media_type.split(";")[0].strip().lower()
    return base.endswith("/json") or base.endswith("+json")
