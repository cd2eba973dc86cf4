"""Render a diff report (text, json, markdown, github) and the rule catalogue (text, json, markdown)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generators.diff.model import Bump, Change, DiffReport, Level
from generators.diff.rules import RULES

FORMATS = ("text", "json", "markdown", "github")
_MAX_OPERATIONS = 10


def render_report(report: DiffReport, fmt: str) -> str:
    """The whole report in one of FORMATS."""
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "github":
        return render_github(report)
    return render_text(report)


def summary(report: DiffReport) -> str:
    """One line: the bump and the counts per level."""
    counts = {level: len(report.at_level(level)) for level in Level}
    acked = sum(1 for c in report.changes if c.acknowledged)
    text = (
        f"bump: {report.bump.label} ({counts[Level.BREAKING]} breaking, {counts[Level.WARNING]} warning, "
        f"{counts[Level.INFO]} info"
    )
    return text + (f"; {acked} acknowledged)" if acked else ")")


def render_text(report: DiffReport) -> str:
    """One line per change, then the summary."""
    lines = []
    for c in report.changes:
        where = f"{c.source}: " if c.source else ""
        op = f"{c.operation}: " if c.operation else ""
        note = f" (acknowledged: {c.acknowledged})" if c.acknowledged else ""
        lines.append(f"{where}{c.level.value} [{c.rule}] {op}{c.message}{note}")
    lines += [f"warning: acknowledgement matched nothing: {u}" for u in report.unused_acks]
    lines.append(f"{report.base_label} -> {report.revision_label}: {summary(report)}")
    return "\n".join(lines) + "\n"


def render_json(report: DiffReport) -> str:
    """``{"bump", "breaking", "changes", ...}`` with stable keys."""
    data = {
        "base": report.base_label,
        "revision": report.revision_label,
        "bump": report.bump.label,
        "summary": {level.value: len(report.at_level(level)) for level in Level},
        "breaking": [c.as_json() for c in report.at_level(Level.BREAKING)],
        "changes": [c.as_json() for c in report.changes],
        "unusedAcknowledgements": report.unused_acks,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _groups(changes: Iterable[Change]) -> list[tuple[Change, list[str]]]:
    """Changes of one shared component (same rule) grouped, with the operations they affect."""
    groups: dict[tuple[str, str], tuple[Change, list[str]]] = {}
    for c in changes:
        key = (c.rule, c.component or f"{c.operation} {c.json_path} {c.message}")
        entry = groups.setdefault(key, (c, []))
        if c.operation and c.operation not in entry[1]:
            entry[1].append(c.operation)
    return list(groups.values())


def _bullet(change: Change, operations: list[str]) -> str:
    text = f"- {_md(change.message)} `{change.rule}`"
    if change.component and len(operations) > 1:
        shown = ", ".join(f"`{op}`" for op in operations[:_MAX_OPERATIONS])
        more = f" and {len(operations) - _MAX_OPERATIONS} more" if len(operations) > _MAX_OPERATIONS else ""
        text = (
            f"- {_md(change.message.split(': ', 1)[-1])} in `{change.component}` `{change.rule}`, affects "
            f"{len(operations)} operations: {shown}{more}"
        )
    elif operations:
        text = f"- `{operations[0]}`: {_md(change.message)} `{change.rule}`"
    if change.acknowledged:
        text += f" (acknowledged: {_md(change.acknowledged)})"
    return text


def render_markdown(report: DiffReport, heading: str = "##", title: bool = True) -> str:
    """Release notes / job summary: sections per level, shared-component changes grouped."""
    out = []
    if title:
        out += [f"{heading} API changes: {_md(report.base_label)} → {_md(report.revision_label)}", ""]
    out += [f"**{summary(report)}**", ""]
    sections = (
        ("Breaking changes", [c for c in report.at_level(Level.BREAKING) if not c.acknowledged]),
        (
            "Acknowledged breaking changes (allowed by the acknowledgement file)",
            [c for c in report.at_level(Level.BREAKING) if c.acknowledged],
        ),
        ("Warnings", report.at_level(Level.WARNING)),
        ("Changes", [c for c in report.at_level(Level.INFO) if c.bump is not Bump.PATCH]),
        ("Documentation", [c for c in report.at_level(Level.INFO) if c.bump is Bump.PATCH]),
    )
    for name, changes in sections:
        if changes:
            out += [f"{heading}# {name}", "", *(_bullet(c, ops) for c, ops in _groups(changes)), ""]
    if report.unused_acks:
        out += [f"{heading}# Unused acknowledgements", "", *(f"- {_md(u)}" for u in report.unused_acks), ""]
    if not report.changes:
        out += ["No changes to the API contract.", ""]
    return "\n".join(out)


def render_github(report: DiffReport) -> str:
    """GitHub Actions annotations for breaking changes and warnings, then a notice with the summary."""
    lines = []
    for c in report.changes:
        if c.level is Level.INFO:
            continue
        kind = "notice" if c.acknowledged else "error" if c.level is Level.BREAKING else "warning"
        props = []
        if c.source:
            file, _, rest = c.source.partition(":")
            line, _, col = rest.partition(":")
            props += [f"file={_prop(file)}"] + ([f"line={line}"] if line else []) + ([f"col={col}"] if col else [])
        props.append(f"title={_prop(c.rule)}")
        op = f"{c.operation}: " if c.operation else ""
        lines.append(f"::{kind} {','.join(props)}::{_data(op + c.message)}")
    lines.append(f"::notice title=api-diff::{_data(summary(report))}")
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_rules(fmt: str) -> str:
    """The rule catalogue; the markdown table is the one in README.md."""
    rules = sorted(RULES.values(), key=lambda r: (r.area, r.id))
    if fmt == "json":
        data = [
            {"id": r.id, "level": r.level.value, "bump": r.bump.label, "area": r.area, "message": r.message}
            for r in rules
        ]
        return json.dumps(data, indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| id | level | bump | area | message |", "|---|---|---|---|---|"]
        rows += [f"| `{r.id}` | {r.level.value} | {r.bump.label} | {r.area} | {_md(r.message)} |" for r in rules]
        return "\n".join(rows) + "\n"
    width = max(len(r.id) for r in rules)
    return "".join(f"{r.id:<{width}}  {r.level.value:<8}  {r.bump.label:<5}  {r.message}\n" for r in rules)
