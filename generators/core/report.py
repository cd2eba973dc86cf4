"""Render diagnostics for people (text), machines (json) and GitHub Actions (annotations)."""

from __future__ import annotations

from collections.abc import Sequence

from generators.core.diagnostics import Diagnostic, Severity, display_path
from generators.core.jsonout import dump_json

FORMATS = ("text", "json", "github")
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARN: "warning", Severity.INFO: "notice"}


def render(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """All diagnostics in one of FORMATS; an empty string when there is nothing to say in text."""
    if fmt == "json":
        return dump_json([as_json(d) for d in diagnostics])
    if fmt == "github":
        return "".join(github_annotation(d) + "\n" for d in diagnostics)
    return "".join(d.render() + "\n" for d in diagnostics)


def as_json(diagnostic: Diagnostic) -> dict[str, object]:
    """A diagnostic as a JSON object with stable keys."""
    loc = diagnostic.location
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "file": display_path(loc.file) if loc else None,
        "line": loc.line if loc and loc.line else None,
        "column": loc.col if loc and loc.col else None,
        "jsonPath": diagnostic.json_path,
        "hint": diagnostic.hint,
    }


def github_annotation(diagnostic: Diagnostic) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` with GitHub's escaping."""
    props = []
    loc = diagnostic.location
    if loc:
        props.append(f"file={_escape_property(display_path(loc.file))}")
        if loc.line:
            props.append(f"line={loc.line}")
        if loc.col:
            props.append(f"col={loc.col}")
    props.append(f"title={_escape_property(diagnostic.code)}")
    message = diagnostic.message + (f" (hint: {diagnostic.hint})" if diagnostic.hint else "")
    return f"::{_GITHUB_LEVEL[diagnostic.severity]} {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
