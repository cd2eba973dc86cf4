"""Run every comparison between two bundled documents and turn the findings into reported changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from generators.core.diagnostics import Location
from generators.diff.catchall import other_changes
from generators.diff.model import Change, DiffReport, Finding, Level, Policy
from generators.diff.operations import OperationDiffer, OpRef, Raw, operations
from generators.diff.resolve import Resolver, pointer
from generators.diff.rules import RULES
from generators.diff.schemas import SchemaDiffer, sunset_passed
from generators.diff.toplevel import compare_document

Locator = Callable[[str], Location | None]
_LEVEL_ORDER = {Level.BREAKING: 0, Level.WARNING: 1, Level.INFO: 2}


class _Args(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "none"


def diff_documents(
    base: Any,
    revision: Any,
    *,
    today: date,
    base_label: str = "base",
    revision_label: str = "revision",
    locate: Locator | None = None,
    policy: Policy | None = None,
) -> DiffReport:
    """Every change from ``base`` to ``revision`` (two bundled OpenAPI documents), sorted and de-duplicated."""
    policy = policy or Policy()
    b, r = Resolver(base if isinstance(base, dict) else {}), Resolver(revision if isinstance(revision, dict) else {})
    differ = OperationDiffer(SchemaDiffer(b, r, today, policy.deprecation_days), today)
    raws = [*compare_document(b, r), *_section(differ, "paths", today), *_section(differ, "webhooks", today)]
    raws += other_changes(b, r, [raw.finding for raw in raws])
    changes = _changes(raws, locate, policy)
    return DiffReport(base_label, revision_label, changes)


def _section(differ: OperationDiffer, section: str, today: date) -> Iterator[Raw]:
    webhook = section == "webhooks"
    base_ops, rev_ops = operations(differ.base, section), operations(differ.rev, section)
    kind = "webhook" if webhook else "operation"
    for key, ref in base_ops.items():
        if key not in rev_ops:
            yield _removed(ref, kind, today)
    for key, ref in rev_ops.items():
        if key not in base_ops:
            yield Raw(ref.label, "", Finding(f"{kind}-added", ref.path))
        else:
            yield from differ.compare(base_ops[key], ref, webhook=webhook)


def _removed(ref: OpRef, kind: str, today: date) -> Raw:
    """Removal under the deprecation policy: deprecated and past its sunset (if any) is minor, else breaking."""
    if ref.op.get("deprecated") is True:
        passed, sunset = sunset_passed(ref.op, today)
        rule = f"deprecated-{kind}-removed" if passed else f"{kind}-removed-before-sunset"
        return Raw(ref.label, "", Finding(rule, ref.path, (("sunset", sunset),)))
    return Raw(ref.label, "", Finding(f"{kind}-removed", ref.path))


def _changes(raws: list[Raw], locate: Locator | None, policy: Policy) -> list[Change]:
    seen: set[tuple[Any, ...]] = set()
    changes = []
    for raw in raws:
        f = raw.finding
        key = (raw.operation, f.rule, f.component or pointer(f.path), f.args)
        if key in seen:  # a shared component reached twice in one operation is reported once there
            continue
        seen.add(key)
        rule = RULES[f.rule]
        level, bump = policy.judge(rule)
        json_path = pointer(f.path)
        where = " ".join(p for p in (raw.where, _field(f)) if p)
        text = rule.message.format_map(_Args(f.args))
        source = None
        if locate is not None:
            # a shared component's change sits where the component is written, once for all its uses
            found = locate(f.component[1:] if f.component else json_path) or locate("")
            source = found.display() if found else None
        changes.append(
            Change(
                f.rule,
                level,
                bump,
                f"{where}: {text}" if where else text,
                raw.operation,
                json_path,
                f.component,
                source=source,
            )
        )
    changes.sort(key=lambda c: (_LEVEL_ORDER[c.level], c.operation or "", c.json_path, c.rule, c.message))
    return changes


def _field(f: Finding) -> str:
    """The schema field a finding sits on, as ``data[].name`` (the part of its path below ``schema``)."""
    path = list(f.path)
    if "schema" not in path:
        return ""
    tokens = path[path.index("schema") + 1 :]
    args = dict(f.args)
    if len(tokens) >= 2 and tokens[-2] == "properties" and tokens[-1] == args.get("name"):
        tokens = tokens[:-2]
    text, i = "", 0
    while i < len(tokens):
        token = tokens[i]
        if token == "properties" and i + 1 < len(tokens):
            text += "." + tokens[i + 1]
            i += 2
            continue
        if token in ("oneOf", "anyOf", "allOf") and i + 1 < len(tokens):
            text += f"<{token}#{tokens[i + 1]}>"
            i += 2
            continue
        text += {"items": "[]", "additionalProperties": ".*"}.get(token, "/" + token)
        i += 1
    return text.lstrip(".")
