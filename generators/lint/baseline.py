"""Lint baselines: today's findings recorded once, so that only new findings count.

``atlas-spec lint --write-baseline lint-baseline.json`` writes one entry per finding (rule, JSON pointer and a
reason to fill in); ``baseline = "lint-baseline.json"`` under ``[tool.atlas-spec.lint]`` then accepts exactly
those findings (the same rule at the same pointer; nothing below it). A baseline entry or a configured
exception that matches no finding is reported as a warning, so neither list rots.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from generators.core.diagnostics import AtlasError, Diagnostic, Location, Severity
from generators.core.files import read_text

FORMAT_KEY = "atlas-spec-lint-baseline"
PLACEHOLDER = "TODO: say why this finding is accepted, or fix it"
Key = tuple[str, str]  # (rule id, JSON pointer)


def load_baseline(path: Path, known: set[str]) -> dict[Key, str]:
    """The entries of a baseline file: (rule, pointer) -> reason; AtlasError with the place when it is wrong."""
    where = Location(str(path))
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise AtlasError.at(
            "lint-baseline",
            f"lint baseline not found: {path}",
            where,
            f"write it: atlas-spec lint --write-baseline {path.name}",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AtlasError.at("lint-baseline", f"cannot read the lint baseline: {exc}", where) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AtlasError.at(
            "lint-baseline", f"the lint baseline is not JSON: {exc.msg}", Location(str(path), exc.lineno, exc.colno)
        ) from None
    entries = data.get("findings") if isinstance(data, dict) and data.get(FORMAT_KEY) == 1 else None
    if not isinstance(entries, list):
        raise AtlasError.at(
            "lint-baseline",
            "not an atlas-spec lint baseline",
            where,
            f'it starts with {{"{FORMAT_KEY}": 1, "findings": [...]}}',
        )
    found: dict[Key, str] = {}
    for number, entry in enumerate(entries, 1):
        rule, pointer = (entry.get("rule"), entry.get("path")) if isinstance(entry, dict) else (None, None)
        if not isinstance(rule, str) or not isinstance(pointer, str):
            raise AtlasError.at("lint-baseline", f"baseline entry #{number} needs rule and path strings", where)
        if rule not in known:
            raise AtlasError.at("lint-baseline", f"baseline entry #{number} names unknown rule {rule!r}", where)
        found[(rule, pointer)] = str(entry.get("reason") or "")
    return found


def render_baseline(findings: Iterable[Diagnostic], previous: Mapping[Key, str] | None = None) -> str:
    """The baseline file for ``findings``: sorted, one entry per line, reasons kept from ``previous``."""
    previous = previous or {}
    keys = sorted({(d.code, d.json_path or "") for d in findings if not d.code.startswith("lint-unused-")})
    lines = [_entry(rule, pointer, previous.get((rule, pointer)) or PLACEHOLDER) for rule, pointer in keys]
    body = ",\n".join(f"    {line}" for line in lines)
    return (
        f'{{\n  "{FORMAT_KEY}": 1,\n  "findings": [\n{body}\n  ]\n}}\n'
        if lines
        else f'{{"{FORMAT_KEY}": 1, "findings": []}}\n'
    )


def _entry(rule: str, pointer: str, reason: str) -> str:
    return f'{{"rule": {_json(rule)}, "path": {_json(pointer)}, "reason": {_json(reason)}}}'


def unused_baseline(path: Path | None, entries: Iterable[Key]) -> list[Diagnostic]:
    """A warning for each baseline entry no finding matched, at its line of the baseline file."""
    lines = _lines(path)
    result = []
    for rule, pointer in entries:
        needle = f'{{"rule": {_json(rule)}, "path": {_json(pointer)}'
        line = next((n for n, text in enumerate(lines, 1) if needle in text), 0)
        result.append(
            _unused("lint-unused-baseline", f"baseline entry {rule} at {pointer or '/'} matches no finding", path, line)
        )
    return result


def unused_exceptions(path: Path | None, exceptions: Iterable[tuple[int, str, str]]) -> list[Diagnostic]:
    """A warning for each configured exception (index, rule, path) no finding matched, at its table header."""
    headers = [n for n, text in enumerate(_lines(path), 1) if text.strip() == "[[tool.atlas-spec.lint.exceptions]]"]
    return [
        _unused(
            "lint-unused-exception",
            f"lint exception #{index + 1} ({rule} at {pointer or '/'}) matches no finding",
            path,
            headers[index] if index < len(headers) else 0,
        )
        for index, rule, pointer in exceptions
    ]


def _json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _unused(code: str, message: str, path: Path | None, line: int) -> Diagnostic:
    return Diagnostic(
        code=code,
        message=message,
        severity=Severity.WARN,
        location=Location(str(path), line, 1 if line else 0) if path else None,
        hint="remove the entry: what it accepted is fixed, moved, or no longer reported",
    )


def _lines(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        return read_text(path).splitlines()
    except (OSError, UnicodeDecodeError):
        return []
