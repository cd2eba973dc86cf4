"""Split a bundled document into a random modular tree of files (the inverse of bundling), for property tests."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = "openapi.yaml"
# Literal data: a "$ref" key in there is a value, not a reference.
_LITERAL = {"example", "default", "enum", "const", "value"}
# Maps whose keys are names chosen by the author (a property may be called "default").
_NAME_MAPS = {
    "properties",
    "patternProperties",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
    "pathItems",
}


@dataclass
class Layout:
    """Where each split part goes: component (kind, name) -> file; path -> file; and how files are written."""

    components: dict[tuple[str, str], str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    as_json: set[str] = field(default_factory=set)


def split(document: dict[str, Any], layout: Layout) -> dict[str, Any]:
    """The files (relative path -> content) of ``document`` split as ``layout`` says; refs rewritten to match."""
    root = json.loads(json.dumps(document))
    files: dict[str, Any] = {ROOT: root}
    for (kind, name), file in layout.components.items():
        files[file] = root["components"][kind][name]
        root["components"][kind][name] = {"$ref": _relative(ROOT, file)}
    for path, file in layout.paths.items():
        files[file] = root["paths"][path]
        root["paths"][path] = {"$ref": _relative(ROOT, file)}
    for file, content in files.items():
        files[file] = _rewrite(content, file, layout)
    return files


def write(folder: Path, files: dict[str, Any], layout: Layout) -> Path:
    """Write the files (YAML, or JSON where the layout says) under ``folder``; return the root file."""
    for file, content in files.items():
        target = folder / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if file in layout.as_json:
            target.write_text(json.dumps(content, indent=1), encoding="utf-8")
        else:
            target.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder / ROOT


def _relative(source: str, target: str) -> str:
    relative = posixpath.relpath(target, posixpath.dirname(source) or ".")
    return relative if relative.startswith("../") else "./" + relative


def _target(ref: str, file: str, layout: Layout) -> str:
    """Where a local ref of the bundled document points once the parts live in their own files."""
    if not ref.startswith("#/components/"):
        return ref if file == ROOT else _relative(file, ROOT) + ref
    parts = ref[len("#/components/") :].split("/")
    owner = (
        layout.components.get((parts[0], parts[1].replace("~1", "/").replace("~0", "~"))) if len(parts) > 1 else None
    )
    if owner is None:
        return ref if file == ROOT else _relative(file, ROOT) + ref
    rest = "/".join(parts[2:])
    pointer = "#/" + rest if rest else ""
    return (pointer if owner == file else _relative(file, owner) + pointer) or "#"


def _rewrite(node: Any, file: str, layout: Layout, parent: str = "") -> Any:
    if isinstance(node, list):
        return [_rewrite(item, file, layout) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            result[key] = _target(value, file, layout) if value.startswith("#") else value
        elif key == "mapping" and isinstance(value, dict):
            result[key] = {k: _target(v, file, layout) if _local(v) else v for k, v in value.items()}
        elif key in _LITERAL and parent not in _NAME_MAPS:
            result[key] = value
        else:
            result[key] = _rewrite(value, file, layout, key)
    return result


def _local(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("#/")
