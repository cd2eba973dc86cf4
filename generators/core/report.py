"""Render findings for people (text), machines (json, SARIF) and GitHub Actions (annotations): one style each.

Every command that reports findings (lint, validate, build, and input errors of any of them) goes through
``render``, so the same finding reads the same everywhere: ``file:line:col: severity [code] message``, the
JSON pointer (RFC 6901, as config exceptions name places), the hint and a code frame. Spec text in the human
formats passes through ``escape.for_terminal``: a newline in an operationId cannot forge a workflow command and
an ESC sequence never reaches a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from generators.core.diagnostics import Diagnostic, Severity, display_path
from generators.core.escape import for_terminal
from generators.core.frame import Paint, code_frame
from generators.core.jsonout import dump_json

if TYPE_CHECKING:
    from generators.core.sarif import SarifTool

FORMATS = ("text", "json", "github", "sarif")
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARN: "warning", Severity.INFO: "notice"}


def render(diagnostics: Sequence[Diagnostic], fmt: str, *, colour: bool = False, tool: SarifTool | None = None) -> str:
    """All diagnostics in one of FORMATS; an empty string when there is nothing to say in text or github."""
    if fmt == "json":
        return dump_json([as_json(d) for d in diagnostics])
    if fmt == "sarif":
        from generators.core.sarif import SarifTool, sarif_log

        return dump_json(sarif_log(diagnostics, tool or SarifTool()))
    if fmt == "github":
        return "".join(github_annotation(d) + "\n" for d in diagnostics)
    paint = Paint() if colour else None
    return "".join(text_finding(d, paint) for d in diagnostics)


def text_finding(diagnostic: Diagnostic, paint: Paint | None = None) -> str:
    """The finding's lines (``Diagnostic.render``) and the code frame of its source, then a blank line."""
    lines = diagnostic.render(paint).split("\n")
    loc = diagnostic.location
    if loc and loc.line:
        lines.extend(code_frame(loc.file, loc.line, loc.col, paint))
    return "\n".join(lines) + "\n\n"


def colour_wanted(is_tty: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour on a terminal; ``NO_COLOR`` (any non-empty value) turns it off, ``FORCE_COLOR`` on (NO_COLOR wins)."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    return is_tty


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
    """``::error file=…,line=…,col=…,title=…::message`` with GitHub's escaping, controls shown as escapes."""
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
    # for_terminal first: no CR, LF or other control is left for a log viewer to act on; then GitHub's own escapes
    return for_terminal(text.replace("%", "%25")).replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
