"""Lint output: text with a code frame, json, GitHub annotations, SARIF 2.1.0; plus the rule catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from generators import __version__
from generators.core.diagnostics import Diagnostic, Severity, display_path
from generators.core.jsonout import dump_json
from generators.core.report import render
from generators.lint.registry import Rule
from generators.lint.rules import all_rules

FORMATS = ("text", "json", "github", "sarif")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARN: "warning", Severity.INFO: "note"}
_SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render_lint(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """All findings in one of FORMATS (deterministic: same findings, same bytes)."""
    if fmt == "text":
        return "".join(text_finding(d) for d in diagnostics)
    if fmt == "sarif":
        return dump_json(sarif(diagnostics))
    return render(diagnostics, fmt)


def text_finding(d: Diagnostic) -> str:
    """``file:line:col severity rule-id message``, the hint, and a small code frame of the source."""
    where = d.location.display() if d.location else "(no source)"
    lines = [f"{where} {d.severity.value} {d.code} {d.message}"]
    if d.json_path:
        lines.append(f"  at {d.json_path}")
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    if d.location and d.location.line:
        lines.extend(code_frame(d.location.file, d.location.line, d.location.col))
    return "\n".join(lines) + "\n\n"


def code_frame(file: str, line: int, col: int, context: int = 1) -> list[str]:
    """The finding's line with ``context`` lines around it and a caret under the column."""
    source = _lines(file)
    if not source or line > len(source):
        return []
    first, last = max(1, line - context), min(len(source), line + context)
    width = len(str(last))
    frame = []
    for number in range(first, last + 1):
        mark = ">" if number == line else " "
        text = source[number - 1]
        frame.append(f"  {mark} {number:>{width}} | {text[:160]}")
        if number == line and col > 0:
            frame.append(f"    {' ' * width} | {' ' * (col - 1)}^")
    return frame


@lru_cache(maxsize=64)
def _lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(Path(file).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def sarif(diagnostics: Sequence[Diagnostic]) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run; rules carry their description and Redocly/Spectral equivalents."""
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.location:
            region = {"startLine": d.location.line, "startColumn": max(d.location.col, 1)} if d.location.line else {}
            physical: dict[str, object] = {"artifactLocation": {"uri": _uri(d.location.file)}}
            if region:
                physical["region"] = region
            result["locations"] = [
                {"physicalLocation": physical, "logicalLocations": [{"fullyQualifiedName": d.json_path or "/"}]}
            ]
        results.append(result)
    driver = {
        "name": "atlas-spec",
        "version": __version__,
        "informationUri": "https://api-atlas.wrxstack.com/v1/docs",
        "rules": [_sarif_rule(r) for r in rules],
    }
    return {"$schema": _SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def _uri(file: str) -> str:
    shown = display_path(file)
    return Path(shown).as_posix() if not Path(shown).is_absolute() else Path(shown).as_uri()


def _sarif_rule(r: Rule) -> dict[str, object]:
    return {
        "id": r.id,
        "shortDescription": {"text": r.description},
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        "properties": {"redocly": r.redocly or "", "spectral": r.spectral or "", "house": r.house},
    }


def rule_list() -> str:
    """``--list-rules``: one line per rule with its default severity and peers' names."""
    rules = all_rules()
    width = max(len(r.id) for r in rules)
    lines = []
    for r in rules:
        peers = ", ".join(
            p
            for p in (f"redocly:{r.redocly}" if r.redocly else "", f"spectral:{r.spectral}" if r.spectral else "")
            if p
        )
        kind = "house" if r.house else "generic"
        lines.append(
            f"{r.id:<{width}}  {r.severity.value:<5}  {kind:<7}  {r.description}" + (f"  [{peers}]" if peers else "")
        )
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """The README's rule table, generated from the registry."""
    rows = ["| Rule | Default | Kind | What it checks | Redocly | Spectral |", "| --- | --- | --- | --- | --- | --- |"]
    for r in all_rules():
        kind = "house" if r.house else "generic"
        rows.append(
            f"| `{r.id}` | {r.severity.value} | {kind} | {r.description} | {_code(r.redocly)} | {_code(r.spectral)} |"
        )
    return "\n".join(rows) + "\n"


def _code(name: str | None) -> str:
    return f"`{name}`" if name else "-"
