"""The rule levels of the spec project's Redocly configuration (``redocly.yaml``), for the rules we share.

A repository linted with Redocly keeps its choices there (``rules: {operation-summary: off}``, or
``{severity: warn, ...options}``), top level and per API (``apis.<name>.rules`` when that API's ``root`` is the
spec). Each generic rule whose Redocly equivalent (``Rule.redocly``) or id is named takes that level; the house
rules and ``struct`` are never touched, and Redocly rules we have no equivalent for are passed over.
``[tool.atlas-spec.lint.rules]`` wins over it. The file is looked for as Redocly names it, from the spec's folder
upwards to the repository root, like our own configuration: never in the caller's working folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generators.core.diagnostics import Severity
from generators.core.paths import resolved
from generators.lint.registry import Rule
from generators.source.loader import load_file

FILE_NAMES = ("redocly.yaml", "redocly.yml", ".redocly.yaml", ".redocly.yml")
_LEVELS = {"error": Severity.ERROR, "warn": Severity.WARN, "off": None}


def find_redocly_config(spec: Path) -> Path | None:
    """The Redocly configuration nearest above ``spec`` (its folder first), within its repository."""
    for folder in (spec.parent, *spec.parent.parents):
        for name in FILE_NAMES:
            if (folder / name).is_file():
                return folder / name
        if (folder / ".git").exists() or folder.parent.name == "node_modules":
            return None
    return None


def redocly_severities(spec: Path, rules: Iterable[Rule]) -> dict[str, Severity | None]:
    """Our rule id -> level, from the Redocly configuration of ``spec``'s project (empty without one)."""
    path = find_redocly_config(spec)
    if path is None:
        return {}
    config = load_file(path)
    if not isinstance(config, Mapping):
        return {}
    levels = dict(_levels(config.get("rules")))
    for api in _apis_of(config, path.parent, resolved(spec)):
        levels.update(_levels(api.get("rules")))
    by_redocly: dict[str, list[str]] = {}
    for rule in rules:
        if not rule.house and rule.id != "struct":
            for name in {rule.id, rule.redocly} - {None}:
                by_redocly.setdefault(str(name), []).append(rule.id)
    return {ours: level for name, level in levels.items() for ours in by_redocly.get(name, [])}


def _apis_of(config: Mapping[str, Any], base: Path, spec: Path) -> Iterator[Mapping[str, Any]]:
    apis = config.get("apis")
    for api in apis.values() if isinstance(apis, Mapping) else ():
        if isinstance(api, Mapping) and isinstance(api.get("root"), str) and resolved(base / api["root"]) == spec:
            yield api


def _levels(rules: Any) -> Iterator[tuple[str, Severity | None]]:
    """``rule: error|warn|off`` or ``rule: {severity: ..., options}`` (options alone keep the level)."""
    for name, value in rules.items() if isinstance(rules, Mapping) else ():
        level = value.get("severity") if isinstance(value, Mapping) else value
        if isinstance(level, str) and level in _LEVELS:
            yield str(name), _LEVELS[level]
