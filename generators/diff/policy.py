"""Acknowledged breaks (a reviewed file in the spec folder) and the ``[tool.atlas-spec.diff]`` settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generators.core.diagnostics import AtlasError, Location
from generators.core.settings import did_you_mean
from generators.diff.model import DiffReport
from generators.diff.rules import RULES

FAIL_ON = ("breaking", "warning", "never")
_CONFIG_KEYS = {"ack-file": str, "fail-on": str, "changelog": str}
_ACK_KEYS = ("rule", "location", "reason")


@dataclass(frozen=True)
class Ack:
    """One acknowledged break: rule id + location (operation ``GET /path``, JSON pointer or component) + reason."""

    rule: str
    location: str
    reason: str


def check_config(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Validate ``[tool.atlas-spec.diff]``; unknown keys get a did-you-mean."""
    for key, value in table.items():
        expected = _CONFIG_KEYS.get(key)
        if expected is None:
            hint = did_you_mean(key, _CONFIG_KEYS)
            raise AtlasError.at("config-key", f"unknown key '{key}' in [tool.atlas-spec.diff]", Location(where), hint)
        if not isinstance(value, expected):
            raise AtlasError.at("config-type", f"[tool.atlas-spec.diff] '{key}' must be a string", Location(where))
    if table.get("fail-on", "breaking") not in FAIL_ON:
        raise AtlasError.at(
            "config-value", f"[tool.atlas-spec.diff] fail-on must be one of {', '.join(FAIL_ON)}", Location(where)
        )
    return dict(table)


def parse_acks(data: Any, file: str) -> list[Ack]:
    """Read the acknowledgement file's data: ``acknowledged: [{rule, location, reason}, ...]``."""
    if data is None:
        return []
    entries = data.get("acknowledged") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise AtlasError.at(
            "diff-ack",
            "expected a list under 'acknowledged'",
            Location(file),
            "write: acknowledged: [{rule: ..., location: ..., reason: ...}]",
        )
    acks = []
    for index, entry in enumerate(entries):
        where = f"acknowledged[{index}]"
        if not isinstance(entry, dict) or any(
            not isinstance(entry.get(k), str) or not entry[k].strip() for k in _ACK_KEYS
        ):
            raise AtlasError.at(
                "diff-ack",
                f"{where} needs the text fields rule, location and reason",
                Location(file),
                "an acknowledgement without a reason is not reviewable",
            )
        if entry["rule"] not in RULES:
            hint = did_you_mean(entry["rule"], RULES, "see 'atlas-spec diff --list-rules'")
            raise AtlasError.at("diff-ack", f"{where}: unknown rule '{entry['rule']}'", Location(file), hint)
        acks.append(Ack(entry["rule"], entry["location"].strip(), entry["reason"].strip()))
    return acks


def _matches(ack: Ack, operation: str | None, json_path: str, component: str | None) -> bool:
    location = ack.location
    if operation is not None:
        method, _, path = location.partition(" ")
        if f"{method.upper()} {path}" == operation:
            return True
    return location in (json_path, component)


def apply_acks(report: DiffReport, acks: list[Ack]) -> DiffReport:
    """Mark every change an acknowledgement names; list acknowledgements that matched nothing."""
    used: set[Ack] = set()
    changes = []
    for change in report.changes:
        for ack in acks:
            if ack.rule == change.rule and _matches(ack, change.operation, change.json_path, change.component):
                used.add(ack)
                change = replace(change, acknowledged=ack.reason)
                break
        changes.append(change)
    unused = [f"{a.rule} at {a.location}" for a in acks if a not in used]
    return DiffReport(report.base_label, report.revision_label, changes, unused)
