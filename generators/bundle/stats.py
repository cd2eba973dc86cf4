"""`atlas-spec stats`: the size of a description at a glance (operations, paths, schemas, refs, files, extensions)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import generators.core.structure as st
from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.core.escape import for_terminal
from generators.core.operations import document_operations, path_items
from generators.core.settings import Settings


def configured_stats(settings: Settings) -> dict[str, Any]:
    """``spec_stats`` of the spec root that ``settings`` name."""
    return spec_stats(bundle_spec(settings.spec, settings.ref_roots, keep_sources=True))


def spec_stats(bundled: BundledSpec) -> dict[str, Any]:
    """Counts of the bundled description and of the source files it was read from."""
    document = bundled.document
    components = document.get("components")
    kinds = {
        kind: len(members)
        for kind in st.COMPONENT_KINDS
        if isinstance(components, dict) and isinstance(members := components.get(kind), dict)
    }
    sources = bundled.sources or {bundled.root_file: document}
    return {
        "openapi": str(document.get("openapi", "")),
        "files": len(sources),
        "paths": sum(1 for _ in path_items(document.get("paths"))),
        "operations": sum(1 for _ in document_operations(document)),
        "webhooks": sum(1 for _ in path_items(document.get("webhooks"))),
        "schemas": kinds.get("schemas", 0),
        "components": kinds,
        "refs": sum(_refs(doc, st.ROOT if file == bundled.root_file else st.ANY) for file, doc in sources.items()),
        "tags": len(document["tags"]) if isinstance(document.get("tags"), list) else 0,
        "extensions": dict(sorted(_extensions(document).items())),
    }


def _refs(node: Any, context: str) -> int:
    """``$ref``s written in one source file (outside example data where the file's context tells it)."""
    count = 0
    stack: list[tuple[Any, str]] = [(node, context)]
    while stack:
        value, context = stack.pop()
        if context == st.LITERAL:
            continue
        if isinstance(value, dict):
            count += isinstance(value.get("$ref"), str)
            stack.extend((child, st.child_context(context, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, st.item_context(context)) for child in value)
    return count


# Maps whose keys are names (schema properties, component names), not fields: an ``x-`` key there is no extension.
_NAME_MAPS = frozenset(st.MEMBER_CONTEXT) - {st.PATHS, st.RESPONSES, st.CALLBACK}


def _extensions(document: dict[str, Any]) -> Counter[str]:
    """How often each ``x-`` key is used (outside example data; an extension's own content is not searched)."""
    found: Counter[str] = Counter()
    stack: list[tuple[Any, str]] = [(document, st.ROOT)]
    while stack:
        value, context = stack.pop()
        if context == st.LITERAL:
            continue
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and key.startswith("x-") and context not in _NAME_MAPS:
                    found[key] += 1
                elif isinstance(child, (dict, list)):
                    stack.append((child, st.child_context(context, key)))
        elif isinstance(value, list):
            stack.extend((child, st.item_context(context)) for child in value)
    return found


def render_stats(stats: dict[str, Any], fmt: str) -> str:
    """``text`` (aligned lines, spec text made safe for a terminal) or ``json``."""
    if fmt == "json":
        return json.dumps(stats, indent=2, ensure_ascii=False) + "\n"
    lines = [f"{'openapi':<11} {for_terminal(stats['openapi'])}"]
    lines += [f"{key:<11} {stats[key]}" for key in ("files", "paths", "operations", "webhooks", "schemas")]
    lines.append(f"{'components':<11} " + (", ".join(f"{k} {n}" for k, n in stats["components"].items()) or "none"))
    lines += [f"{'refs':<11} {stats['refs']}", f"{'tags':<11} {stats['tags']}"]
    extensions = ", ".join(f"{for_terminal(name)} ({count})" for name, count in stats["extensions"].items())
    lines.append(f"{'extensions':<11} {extensions or 'none'}")
    return "\n".join(lines) + "\n"
