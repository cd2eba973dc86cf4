"""Reading an unchecked document: bundle, lint, diff, the samples and the preview run on any description that
bundles, valid or not (what is malformed is validate's finding), so each node is read as the type the reader
needs, and a node of another type as absent."""

from __future__ import annotations

from typing import Any


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def strings(value: Any) -> list[str]:
    """The strings of a list of names (tags, required properties, scopes); other members are skipped."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def not_openapi3(document: Any) -> tuple[str, str] | None:
    """Why ``document`` is not an OpenAPI 3.x description (a Swagger 2.0 file, a component file, ``{}``), with a
    hint; None when its root says ``openapi: 3.x``. An artefact made of anything else would be empty or wrong."""
    version = document.get("openapi") if isinstance(document, dict) else None
    if isinstance(version, str) and version.startswith("3."):
        return None
    supported = "atlas-spec reads OpenAPI 3.0, 3.1 and 3.2 descriptions"
    if isinstance(document, dict) and "swagger" in document:
        return "a Swagger 2.0 file", f"{supported}: convert it first (e.g. with swagger2openapi)"
    if version is not None:
        return f"its root says openapi: {str(version)[:40]!r}", f"{supported}; write openapi: 3.1.0 (or 3.0.x)"
    return "its root has no 'openapi: 3.x' version", f"{supported}: is this the root file?"
