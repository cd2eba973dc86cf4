"""Acknowledged breaks (a reviewed file in the spec folder) and the ``[tool.atlas-spec.diff]`` settings."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from generators.core.diagnostics import AtlasError, Location
from generators.core.escape import for_terminal
from generators.core.settings import did_you_mean
from generators.diff.model import Change, DiffReport, Level, Policy
from generators.diff.rules import RULES

FAIL_ON = ("breaking", "warning", "never")
_CONFIG_KEYS: dict[str, type] = {
    "ack-file": str,
    "fail-on": str,
    "changelog": str,
    "levels": dict,
    "deprecation-days": int,
}
_TYPE_WORDS = {str: "a string", dict: "a table", int: "a whole number of days"}
_ACK_KEYS = ("rule", "location", "reason")
_TABLE = "[tool.atlas-spec.diff]"


@dataclass(frozen=True)
class Ack:
    """One acknowledged break: rule id + location (operation ``GET /path``, JSON pointer or component) + reason."""

    rule: str
    location: str
    reason: str


def _unknown(kind: str, key: str, known: Iterable[str], where: Location, otherwise: str | None = None) -> AtlasError:
    hint = did_you_mean(key, known, otherwise)
    return AtlasError.at("config-key", f"unknown {kind} '{key}' in {_TABLE}", where, hint)


def check_config(table: Mapping[str, Any], place: Callable[..., Location]) -> dict[str, Any]:
    """Validate ``[tool.atlas-spec.diff]``; unknown keys and rule ids get a did-you-mean. ``place(*keys)``: where
    a key of the table (``"levels", "operation-removed"``) is written, for its error."""
    for key, value in table.items():
        expected = _CONFIG_KEYS.get(key)
        if expected is None:
            raise _unknown("key", key, _CONFIG_KEYS, place(key))
        if not isinstance(value, expected) or isinstance(value, bool):
            raise AtlasError.at("config-type", f"{_TABLE} '{key}' must be {_TYPE_WORDS[expected]}", place(key))
    if table.get("fail-on", "breaking") not in FAIL_ON:
        message = f"{_TABLE} fail-on must be one of {', '.join(FAIL_ON)}"
        raise AtlasError.at("config-value", message, place("fail-on"))
    if table.get("deprecation-days", 0) < 0:
        raise AtlasError.at("config-value", f"{_TABLE} deprecation-days must be 0 or more", place("deprecation-days"))
    for rule, level in (table.get("levels") or {}).items():
        if rule not in RULES:
            raise _unknown("rule", rule, RULES, place("levels", rule), "see 'atlas-spec diff --list-rules'")
        if level not in {lv.value for lv in Level}:
            raise AtlasError.at(
                "config-value",
                f"{_TABLE} levels: '{rule}' must be breaking, warning or info, not '{level}'",
                place("levels", rule),
            )
    return dict(table)


def policy_from(table: Mapping[str, Any]) -> Policy:
    """The diff policy a checked ``[tool.atlas-spec.diff]`` table sets (house defaults for the rest)."""
    levels = {rule: Level(level) for rule, level in (table.get("levels") or {}).items()}
    return Policy(levels, int(table.get("deprecation-days", 0)))


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
        method, _, path = location.partition(" ")  # "get /tasks" names GET /tasks; "Purge /x" only itself
        if location == operation or f"{method.upper()} {path}" == operation:
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


def how_to_acknowledge(failures: list[Change], ack_file: str, limit: int = 10) -> str:
    """The gate's advice: the acknowledgement file and the exact entries that would accept these changes."""
    lines = [f"to accept {'this change' if len(failures) == 1 else 'these changes'}, add to {for_terminal(ack_file)}:"]
    lines.append("acknowledged:")
    seen: set[tuple[str, str]] = set()
    for change in failures:
        location = change.operation or change.component or change.json_path
        if (change.rule, location) in seen:
            continue
        seen.add((change.rule, location))
        if len(seen) > limit:
            lines.append(f"  # ... and {len(failures) - limit} more (see --format json)")
            break
        # JSON strings are YAML strings: a location with quotes, colons or controls stays one safe scalar
        lines += [
            f"  - rule: {change.rule}",
            f"    location: {for_terminal(json.dumps(location, ensure_ascii=False))}",
            "    reason: <why this change is acceptable>",
        ]
    return "\n".join(lines)
