"""Operations of a document matched across versions: by method and path template (webhooks by name), with
their parameters merged from the path item and keyed by location and name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generators.core.operations import HTTP_METHODS, http_method, method_segments, operations_of
from generators.core.shape import as_list
from generators.diff.model import Finding
from generators.diff.resolve import Resolver

METHODS = HTTP_METHODS
MEDIA_SCHEMAS = ("schema", "itemSchema")  # a media type's schemas: the whole content's, each item's (OpenAPI 3.2)
PARAM = re.compile(r"\{([^}/]+)\}")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


@dataclass(frozen=True)
class Raw:
    """A finding placed in the document: which operation, a readable place, the finding (absolute path)."""

    operation: str | None
    where: str
    finding: Finding


@dataclass(frozen=True)
class OpRef:
    """One operation of one side."""

    label: str
    path: tuple[str, ...]
    template: str
    op: dict[str, Any]
    item: dict[str, Any]

    @property
    def item_path(self) -> tuple[str, ...]:
        """Where the operation's Path Item is: ``path`` without the method (and ``additionalOperations``)."""
        return self.path[: -len(method_segments(self.path[-1]))]


def template_key(path: str) -> str:
    """A path template with parameter names erased: ``/tasks/{id}`` and ``/tasks/{taskId}`` match."""
    return PARAM.sub("{}", path.rstrip("/") or "/")


def operations(resolver: Resolver, section: str = "paths") -> dict[str, OpRef]:
    """Every operation of a section (``paths`` or ``webhooks``), keyed by method and normalised template."""
    found: dict[str, OpRef] = {}
    doc = resolver.document
    items = doc.get(section) if isinstance(doc, dict) else None
    if section == "webhooks" and not isinstance(items, dict):
        items = doc.get("x-webhooks") if isinstance(doc, dict) else None
    if not isinstance(items, dict):
        return found
    for raw_path, raw_item in items.items():
        item, _ = resolver.resolve(raw_item)
        if not isinstance(item, dict):
            continue
        for method, op in operations_of(item):
            key = f"{http_method(method)} {template_key(raw_path) if section == 'paths' else raw_path}"
            path = (section, raw_path, *method_segments(method))
            found[key] = OpRef(f"{http_method(method)} {raw_path}", path, raw_path, op, item)
    return found


def params(resolver: Resolver, ref: OpRef) -> dict[tuple[str, str], tuple[dict[str, Any], tuple[str, ...]]]:
    """Path-level parameters overridden by operation-level ones; path parameters keyed by position."""
    names = PARAM.findall(ref.template)
    merged: dict[tuple[str, str], tuple[dict[str, Any], tuple[str, ...]]] = {}
    for level, owner in ((ref.item_path, ref.item), (ref.path, ref.op)):
        for index, raw in enumerate(as_list(owner.get("parameters"))):
            param, _ = resolver.resolve(raw)
            if isinstance(raw, dict) and len(raw) > 1 and isinstance(param, dict):
                # 3.1 lets a reference carry its own description and summary; extensions ride along too
                param = {**param, **{k: v for k, v in raw.items() if k != "$ref"}}
            if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                continue
            where, name = str(param.get("in")), param["name"]
            if where == "header" and name.lower() in _IGNORED_HEADERS:
                continue
            if where == "path":
                key = ("path", str(names.index(name)) if name in names else name)
            else:
                key = (where, name.lower() if where == "header" else name)
            merged[key] = (param, (*level, "parameters", str(index)))
    return merged
