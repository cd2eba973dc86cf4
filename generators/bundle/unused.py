"""``--remove-unused-components``: drop components that nothing outside them reaches."""

from __future__ import annotations

from typing import Any

import generators.core.structure as st
from generators.core.shape import as_list


def remove_unused_components(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` whose ``components`` hold only what paths, webhooks and security reach."""
    components = document.get("components")
    if not isinstance(components, dict):
        return document
    reached: set[tuple[str, str]] = set()
    pending: list[tuple[Any, str]] = [
        (v, st.child_context(st.ROOT, k)) for k, v in document.items() if k != "components"
    ]
    _security_names(document, reached)
    while pending:
        for kind, name in _refs_in(*pending.pop()):
            if (kind, name) in reached:
                continue
            reached.add((kind, name))
            member = components.get(kind, {}).get(name) if isinstance(components.get(kind), dict) else None
            if member is not None:
                pending.append((member, st.child_context(st.COMPONENTS, kind)))
    kept: dict[str, Any] = {}
    for kind, members in components.items():
        if not isinstance(members, dict):
            kept[kind] = members
            continue
        used = {name: value for name, value in members.items() if (kind, name) in reached}
        if used:
            kept[kind] = used
    result = dict(document)
    if kept:
        result["components"] = kept
    else:
        result.pop("components")
    return result


def _security_names(document: dict[str, Any], reached: set[tuple[str, str]]) -> None:
    requirements = list(as_list(document.get("security")))
    paths = document.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        if isinstance(item, dict):
            for operation in item.values():
                if isinstance(operation, dict):
                    requirements.extend(as_list(operation.get("security")))
    for requirement in requirements:
        if isinstance(requirement, dict):
            reached.update(("securitySchemes", name) for name in requirement)


def _refs_in(node: Any, context: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stack = [(node, context)]
    while stack:
        current, where = stack.pop()
        if where == st.LITERAL:
            continue
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                _add(ref, found)
            mapping = current.get("mapping") if isinstance(current.get("propertyName"), str) else None
            if isinstance(mapping, dict):
                for value in mapping.values():
                    if isinstance(value, str):  # a bare value left by the bundler is a schema's name
                        _add(
                            value
                            if "/" in value or "#" in value
                            else "#/components/schemas/" + value.replace("~", "~0"),
                            found,
                        )
            stack.extend((v, st.child_context(where, k)) for k, v in current.items())
        elif isinstance(current, list):
            member = st.item_context(where)
            stack.extend((v, member) for v in current)
    return found


def _add(ref: str, found: list[tuple[str, str]]) -> None:
    parts = ref.split("/")
    if len(parts) >= 4 and parts[0] == "#" and parts[1] == "components":
        found.append((parts[2], parts[3].replace("~1", "/").replace("~0", "~")))
