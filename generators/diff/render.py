"""Render a diff report (text, json, markdown, github) and the rule catalogue (text, json, markdown)."""

from __future__ import annotations

import json

from generators.core.diagnostics import Diagnostic
from generators.core.escape import for_terminal, markdown_code
from generators.diff.markdown import label, prose, render_markdown, summary
from generators.diff.model import Change, DiffReport, Level
from generators.diff.rules import RULES

FORMATS = ("text", "json", "markdown", "github")
MAX_ANNOTATIONS = 50  # GitHub shows 10 error annotations per step and 50 per job; the summary is the last one
_PER_ANNOTATION = 5  # change messages listed in one annotation


def render_report(report: DiffReport, fmt: str) -> str:
    """The whole report in one of FORMATS."""
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "github":
        return render_github(report)
    return render_text(report)


def render_text(report: DiffReport) -> str:
    """One line per change, then the summary; spec text cannot break a line or send terminal controls."""
    lines = []
    for c in report.changes:
        where = f"{for_terminal(c.source)}: " if c.source else ""
        # a change outside any operation read from git (no source line) is placed by its pointer
        at = c.operation or (None if c.source else c.component or c.json_path or None)
        op = f"{for_terminal(at)}: " if at else ""
        note = f" (acknowledged: {for_terminal(c.acknowledged)})" if c.acknowledged else ""
        lines.append(f"{where}{c.level.value} [{c.rule}] {op}{for_terminal(c.message)}{note}")
    lines += [f"warning: acknowledgement matched nothing: {for_terminal(u)}" for u in report.unused_acks]
    base, revision = for_terminal(label(report.base_label)), for_terminal(label(report.revision_label))
    lines.append(f"{base} -> {revision}: {summary(report)}")
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


def render_github(report: DiffReport) -> str:
    """GitHub Actions annotations for breaking changes and warnings: one per source line (the changes it holds
    listed), at most MAX_ANNOTATIONS with a final notice saying how many were folded into it."""
    by_line: dict[str, list[Change]] = {}
    for c in report.changes:
        if c.level is not Level.INFO:
            by_line.setdefault(c.source or "", []).append(c)
    lines = []
    groups = list(by_line.items())
    shown, folded = groups[: MAX_ANNOTATIONS - 1], groups[MAX_ANNOTATIONS - 1 :]
    for source, changes in shown:
        lines.append(_annotation(source, changes))
    text = summary(report)
    if folded:
        hidden = sum(len(changes) for _, changes in folded)
        text += f"; {hidden} more change(s) on {len(folded)} more line(s) are not annotated (see the job summary)"
    lines.append(f"::notice title=api-diff::{_data(text)}")
    return "\n".join(lines) + "\n"


def _annotation(source: str, changes: list[Change]) -> str:
    open_breaks = [c for c in changes if c.level is Level.BREAKING and not c.acknowledged]
    kind = "error" if open_breaks else "warning" if any(not c.acknowledged for c in changes) else "notice"
    props = _place(source)
    rules = sorted({c.rule for c in changes})
    props.append(f"title={_prop(', '.join(rules) if len(rules) <= 3 else f'{len(rules)} rules')}")
    texts = [
        for_terminal(f"{c.operation}: {c.message}" if c.operation else c.message) for c in changes[:_PER_ANNOTATION]
    ]
    if len(changes) > _PER_ANNOTATION:
        texts.append(f"and {len(changes) - _PER_ANNOTATION} more")
    return f"::{kind} {','.join(props)}::{_data(chr(10).join(texts))}"


def render_input_error(diagnostics: list[Diagnostic], fmt: str) -> str | None:
    """Why the diff could not run, as a document of ``fmt`` (a CI step reading JSON, annotations or the
    pull-request comment gets one, not an empty file); None for text, which goes to stderr like any error."""
    errors = [(d.code, d.message, d.location.display() if d.location else "", d.hint or "") for d in diagnostics]
    if fmt == "json":
        data = {
            "base": None,
            "revision": None,
            "bump": None,
            "summary": {level.value: 0 for level in Level},
            "breaking": [],
            "changes": [],
            "unusedAcknowledgements": [],
            "errors": [
                {"code": code, "message": message, "source": source or None, "hint": hint or None}
                for code, message, source, hint in errors
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        lines = []
        for code, message, source, hint in errors:
            props = [*_place(source), f"title={_prop('api-diff: ' + code)}"]
            text = for_terminal(message) + (f"\nhint: {for_terminal(hint)}" if hint else "")
            lines.append(f"::error {','.join(props)}::{_data(text)}")
        return "\n".join(lines) + "\n"
    if fmt == "markdown":
        bullets = [
            f"- {markdown_code(source) + ': ' if source else ''}{prose(message)}"
            + (f" ({prose(hint)})" if hint else "")
            for _, message, source, hint in errors
        ]
        return "\n".join(["## API changes", "", "**The diff could not run:**", "", *bullets, ""])
    return None


def _place(source: str) -> list[str]:
    """An annotation's ``file``, ``line`` and ``col`` properties from ``file:line:col`` (or a bare file name)."""
    if not source:
        return []
    parts = source.rsplit(":", 2)
    if len(parts) == 3 and all(p.isdigit() for p in parts[1:]):
        return [f"file={_prop(parts[0])}", f"line={parts[1]}", f"col={parts[2]}"]
    return [f"file={_prop(source)}"]


def _data(text: str) -> str:
    """GitHub's escaping of a workflow command's message; any control left in a line is shown as an escape."""
    return "%0A".join(for_terminal(line.replace("%", "%25")) for line in text.split("\n"))


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    """Our own catalogue text in a table cell (not spec text: only the cell separator needs escaping)."""
    return text.replace("|", "\\|")


def render_rules(fmt: str) -> str:
    """The rule catalogue; the markdown table is the one in docs/diff-rules.md."""
    rules = sorted(RULES.values(), key=lambda r: (r.area, r.id))
    if fmt == "json":
        data = [
            {"id": r.id, "level": r.level.value, "bump": r.bump.label, "area": r.area, "message": r.message}
            for r in rules
        ]
        return json.dumps(data, indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| id | level | bump | area | message |", "|---|---|---|---|---|"]
        rows += [
            f"| {markdown_code(r.id)} | {r.level.value} | {r.bump.label} | {r.area} | {_cell(r.message)} |"
            for r in rules
        ]
        return "\n".join(rows) + "\n"
    width = max(len(r.id) for r in rules)
    return "".join(f"{r.id:<{width}}  {r.level.value:<8}  {r.bump.label:<5}  {r.message}\n" for r in rules)
