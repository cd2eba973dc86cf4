"""Stable, readable component names: a pure function of the component's own file and pointer."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from generators.bundle.refs import Target

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSIONS = (".yaml", ".yml", ".json")
# Folder and file names that say what a file is, not which one: left out of names to keep them short.
_GENERIC = frozenset(
    {
        "resources",
        "components",
        "shared",
        "common",
        "models",
        "definitions",
        "schemas",
        "parameters",
        "responses",
        "examples",
        "headers",
        "requestbodies",
        "request_bodies",
        "links",
        "callbacks",
        "securityschemes",
        "paths",
        "pathitems",
        "webhooks",
        "spec",
        "openapi",
    }
)


def _stem(part: str) -> str:
    for extension in _EXTENSIONS:
        if part.lower().endswith(extension):
            return part[: -len(extension)]
    return part


def _pointer_parts(target: Target, kind: str) -> list[str]:
    segments = list(target.segments)
    if len(segments) >= 3 and segments[0] == "components" and segments[1] == kind:
        return segments[2:]
    if len(segments) >= 2 and segments[0] in ("definitions", "$defs", "components"):
        return segments[1:]
    return segments


def _join(parts: list[str]) -> str:
    cleaned = [_UNSAFE.sub("_", part).strip("_") for part in parts]
    return "_".join(p for p in cleaned if p) or "component"


def component_name(target: Target, kind: str, relative_parts: tuple[str, ...]) -> str:
    """``schemas/Task.yaml`` -> ``Task``; ``droplets/parameters.yml#/droplet_id`` -> ``droplets_droplet_id``."""
    folders = [p for p in relative_parts[:-1] if p.lower() not in _GENERIC]
    stem = _stem(relative_parts[-1]) if relative_parts else "component"
    pointer = _pointer_parts(target, kind)
    if pointer and stem.lower() in _GENERIC:
        stem = ""
    return _join([*folders, stem, *pointer])


def full_name(target: Target, kind: str, relative_parts: tuple[str, ...]) -> str:
    """The long form used only when short names collide: every folder, the stem and the pointer."""
    parts = [*relative_parts[:-1], _stem(relative_parts[-1])] if relative_parts else []
    return _join([*parts, *_pointer_parts(target, kind)])


def disambiguate(
    provisional: dict[str, dict[Target, str]],
    relative_name: Callable[[Path], tuple[str, ...]],
    author_declared: set[tuple[str, str]],
) -> dict[tuple[str, Target], str]:
    """Final names for hoisted components whose short names collide (with each other or the author's)."""
    renames: dict[tuple[str, Target], str] = {}
    for kind, names in provisional.items():
        groups: dict[str, list[Target]] = defaultdict(list)
        for target, name in names.items():
            groups[name].append(target)
        used = {name for k, name in author_declared if k == kind}
        unique = {name for name, targets in groups.items() if len(targets) == 1 and (kind, name) not in author_declared}
        used.update(unique)
        for name, targets in groups.items():
            if name in unique:
                continue
            for target in targets:
                candidate = full_name(target, kind, relative_name(target.file))
                if candidate in used or candidate == name:
                    import hashlib  # rare: only when even the full-path names collide

                    digest = hashlib.sha1(str(target).encode()).hexdigest()[:8]
                    candidate = f"{candidate}_{digest}"
                used.add(candidate)
                renames[(kind, target)] = candidate
    return renames
