"""The rule levels of the spec project's Redocly and Spectral configurations, for the rules we share.

A repository linted with Redocly keeps its choices in ``redocly.yaml`` (``rules: {operation-summary: off}``, or
``{severity: warn, ...options}``), top level and per API (``apis.<name>.rules`` when that API's ``root`` is the
spec); one linted with Spectral in ``.spectral.yaml`` (``rules: {operation-tags: off}``, ``hint``, ``true``/
``false``, ``{severity: ...}``). Each generic rule whose Redocly or Spectral equivalent (``Rule.redocly``,
``Rule.spectral``) is named takes that level, Redocly's over Spectral's; the house rules and ``struct`` are never
touched, and what we have no equivalent for (custom rules with ``given``/``then`` included) is passed over.
``[tool.atlas-spec.lint.rules]`` wins over both. The files are looked for as the peers name them, from the spec's
folder upwards to the repository root, like our own configuration: never in the caller's working folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from generators.core.diagnostics import Severity, display_path
from generators.core.paths import resolved
from generators.core.settings import Settings, load_settings, search_folders
from generators.lint.registry import Rule
from generators.source.loader import load_file

REDOCLY_FILES = ("redocly.yaml", "redocly.yml", ".redocly.yaml", ".redocly.yml")
SPECTRAL_FILES = (".spectral.yaml", ".spectral.yml", ".spectral.json")
_LEVELS: dict[object, Severity | None] = {"error": Severity.ERROR, "warn": Severity.WARN, "off": None}
# Spectral also takes its DiagnosticSeverity numbers (0 error .. 3 hint, -1 off); false is off, true keeps the level
_SPECTRAL_LEVELS: dict[object, Severity | None] = {
    **_LEVELS,
    "info": Severity.INFO,
    "hint": Severity.INFO,
    0: Severity.ERROR,
    1: Severity.WARN,
    2: Severity.INFO,
    3: Severity.INFO,
    -1: None,
}


def find_config(spec: Path, names: tuple[str, ...]) -> Path | None:
    """The file of one of ``names`` nearest above ``spec`` (its folder first), within its repository."""
    for folder in search_folders(spec.parent):
        for name in names:
            if (folder / name).is_file():
                return folder / name
    return None


def peer_severities(spec: Path, rules: Iterable[Rule]) -> dict[str, Severity | None]:
    """Our rule id -> level, from the Spectral then the Redocly configuration of ``spec``'s project."""
    shared = [r for r in rules if not r.house and r.id != "struct"]
    levels: dict[str, Severity | None] = {}
    spectral = _read(find_config(spec, SPECTRAL_FILES))
    if spectral is not None:
        levels.update(_ours(_levels(spectral.get("rules"), _SPECTRAL_LEVELS), shared, "spectral"))
    path = find_config(spec, REDOCLY_FILES)
    redocly = _read(path)
    if path is not None and redocly is not None:
        chosen = dict(_levels(redocly.get("rules"), _LEVELS))
        for api in _apis_of(redocly, path.parent, resolved(spec)):
            chosen.update(_levels(api.get("rules"), _LEVELS))
        levels.update(_ours(chosen.items(), shared, "redocly"))
    return levels


def redocly_project(settings: Settings, folder: Path) -> Settings:
    """Unconfigured ``settings`` whose default spec does not exist, in a Redocly project: the settings of the first
    API root of the Redocly configuration nearest above ``folder`` (what ``redocly lint`` lints there), with a note
    saying so. Otherwise ``settings`` as they are."""
    path = None if settings.spec.exists() else find_config(folder / "-", REDOCLY_FILES)
    config = _read(path)
    apis = config.get("apis") if path is not None and config is not None else None
    for name, api in apis.items() if isinstance(apis, Mapping) else ():
        root = api.get("root") if isinstance(api, Mapping) else None
        if path is not None and isinstance(root, str) and (path.parent / root).is_file():
            spec = resolved(path.parent / root)
            note = f"note: the spec is {display_path(str(spec))}, api {name} of {display_path(str(path))}"
            adopted = load_settings(spec=spec)
            return replace(adopted, notes=(*adopted.notes, note))
    return settings


def _read(path: Path | None) -> Mapping[str, Any] | None:
    config = load_file(path) if path is not None else None
    return config if isinstance(config, Mapping) else None


def _ours(
    levels: Iterable[tuple[str, Severity | None]], rules: list[Rule], peer: str
) -> Iterator[tuple[str, Severity | None]]:
    names: dict[str, list[str]] = {}
    for rule in rules:
        for name in {rule.id, getattr(rule, peer)} - {None}:
            names.setdefault(str(name), []).append(rule.id)
    return ((ours, level) for name, level in levels for ours in names.get(name, []))


def _apis_of(config: Mapping[str, Any], base: Path, spec: Path) -> Iterator[Mapping[str, Any]]:
    apis = config.get("apis")
    for api in apis.values() if isinstance(apis, Mapping) else ():
        if isinstance(api, Mapping) and isinstance(api.get("root"), str) and resolved(base / api["root"]) == spec:
            yield api


def _levels(rules: Any, known: Mapping[object, Severity | None]) -> Iterator[tuple[str, Severity | None]]:
    """``rule: level`` or ``rule: {severity: level, options}``; options alone keep the level, and a rule defined
    anew (``given``/``then``) is a custom rule of that name, not ours."""
    for name, value in rules.items() if isinstance(rules, Mapping) else ():
        if isinstance(value, Mapping) and ("given" in value or "then" in value):
            continue
        level = value.get("severity") if isinstance(value, Mapping) else value
        if level is False:
            yield str(name), None
        elif isinstance(level, (str, int)) and not isinstance(level, bool) and level in known:
            yield str(name), known[level]
