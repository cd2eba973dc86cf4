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
