"""SARIF 2.1.0: one run of findings with the tool's rule table, for code-scanning uploads.

``SarifTool`` carries what the caller knows about its rules (the lint registry lives above this layer); a log is
valid for any list of findings, including a single input error (a YAML syntax error, a bad ``$ref``), so an upload
step never meets an empty file. Artifact URIs are percent-encoded (RFC 3986): a file name with ``?``, a newline,
BEL or U+202E stays one well-formed relative reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from generators import __version__
from generators.core.diagnostics import Diagnostic, Severity, display_path

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARN: "warning", Severity.INFO: "note"}


@dataclass(frozen=True)
class SarifRule:
    """One entry of the driver's rule table."""

    id: str
    description: str
    severity: Severity
    properties: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SarifTool:
    """The driver: its rules and, when the project says where its rules are documented, that URL."""

    rules: tuple[SarifRule, ...] = ()
    information_uri: str | None = None


def sarif_log(diagnostics: Sequence[Diagnostic], tool: SarifTool) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run holding every diagnostic."""
    index = {r.id: i for i, r in enumerate(tool.rules)}
    results = [_result(d, index) for d in diagnostics]
    driver: dict[str, object] = {"name": "atlas-spec", "version": __version__}
    if tool.information_uri:
        driver["informationUri"] = tool.information_uri
    driver["rules"] = [
        {
            "id": r.id,
            "shortDescription": {"text": r.description},
            "defaultConfiguration": {"level": LEVEL[r.severity]},
            "properties": r.properties,
        }
        for r in tool.rules
    ]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": d.code,
        "level": LEVEL[d.severity],
        "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if d.location:
        physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(d.location.file)}}
        if d.location.line:
            physical["region"] = {"startLine": d.location.line, "startColumn": max(d.location.col, 1)}
        result["locations"] = [
            {"physicalLocation": physical, "logicalLocations": [{"fullyQualifiedName": d.json_path or "/"}]}
        ]
    return result


def artifact_uri(file: str) -> str:
    """A relative reference (below the working folder) or a ``file:`` URI, every unsafe character encoded."""
    shown = display_path(file)
    path = Path(shown)
    if path.is_absolute():
        return path.as_uri()  # percent-encodes everything but the unreserved characters and "/"
    return quote(path.as_posix(), safe="/")
