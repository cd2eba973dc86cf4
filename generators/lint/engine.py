"""The rule engine: rules are small registered units; the engine runs them and places findings at source lines."""

from __future__ import annotations

from collections.abc import Callable

from generators.core.diagnostics import Diagnostic, Location
from generators.lint.config import LintConfig
from generators.lint.context import LintContext
from generators.lint.parallel import findings_by_rule
from generators.lint.registry import Finding
from generators.lint.rules import all_rules

Locate = Callable[[str], "Location | None"]


def run_rules(
    ctx: LintContext, config: LintConfig, locate: Locate, locate_key: Locate | None = None, parallel: bool = True
) -> list[Diagnostic]:
    """Run every enabled rule; drop excepted findings; sort by place so output is deterministic.

    ``locate_key(pointer)`` places a mapping key where it was written (a path item reached through a $ref
    lives in another file than its path template); it defaults to ``locate``. With ``parallel``, a big
    description's example rules run on a second core (``parallel.py``); the findings are the same.
    """
    enabled = [(r, severity) for r in all_rules() if (severity := config.severity_of(r)) is not None]
    places: dict[tuple[bool, str], Location | None] = {}

    def place(finding: Finding) -> Location | None:
        at_key = finding.key and locate_key is not None
        where = places.get((at_key, finding.pointer), _UNKNOWN)
        if where is _UNKNOWN:
            where = places[at_key, finding.pointer] = locate_nearest(
                locate_key if at_key and locate_key else locate, finding.pointer
            )
        return where  # type: ignore[return-value]

    prepare = getattr(locate, "prepare", None)  # indexes the sources for many findings in one pass

    def place_all(found: dict[str, list[Finding]]) -> None:
        placed = [f for rule_id, fs in found.items() for f in fs if not config.excepted(rule_id, f.pointer)]
        if prepare is not None:
            with_key = locate_key is not None
            prepare(list({(bool(f.key) and with_key, f.pointer): None for f in placed}))
        for finding in placed:
            place(finding)

    found = findings_by_rule(ctx, [r for r, _ in enabled], place_all, parallel)
    diagnostics: list[Diagnostic] = []
    for current, severity in enabled:
        seen: set[tuple[str, str]] = set()
        for finding in found[current.id]:
            key = (finding.pointer, finding.message)
            if key in seen or config.excepted(current.id, finding.pointer):
                continue
            seen.add(key)
            diagnostics.append(
                Diagnostic(
                    code=current.id,
                    message=finding.message,
                    severity=severity,
                    location=place(finding),
                    hint=finding.hint,
                    json_path=finding.pointer or "/",
                )
            )
    diagnostics.sort(key=_order)
    return diagnostics


_UNKNOWN = object()


def locate_nearest(locate: Locate, pointer: str) -> Location | None:
    """The source place of ``pointer``, else of its nearest ancestor the source map knows."""
    current = pointer
    while True:
        found = locate(current)
        if found is not None or not current:
            return found
        current = current.rsplit("/", 1)[0]


def _order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    loc = d.location
    return (loc.file if loc else "", loc.line if loc else 0, loc.col if loc else 0, d.code, d.json_path or "")
