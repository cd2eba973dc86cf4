"""Lint output through the shared renderer (``core.report``), the SARIF rule table, and the rule catalogue."""

from __future__ import annotations

from generators.core.report import FORMATS
from generators.core.sarif import SarifRule, SarifTool
from generators.lint.rules import all_rules

__all__ = ["FORMATS", "markdown_table", "rule_list", "sarif_tool"]

# Where the Atlas house rules are documented: named in SARIF only when the house rules are on.
HOUSE_DOCS = "https://api-atlas.wrxstack.com/v1/docs"


def sarif_tool(house: bool = False) -> SarifTool:
    """The SARIF driver's rule table: the generic rules, and the house rules (and their docs URL) when on."""
    rules = tuple(
        SarifRule(
            r.id,
            r.description,
            r.severity,
            {"redocly": r.redocly or "", "spectral": r.spectral or "", "house": r.house},
        )
        for r in all_rules()
        if house or not r.house
    )
    return SarifTool(rules, HOUSE_DOCS if house else None)


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
