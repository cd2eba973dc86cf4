"""The rule engine: rules are small registered units; the engine runs them and places findings at source lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generators.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:
    from generators.lint.config import LintConfig
    from generators.lint.context import LintContext

Locate = Callable[[str], "Location | None"]


@dataclass(frozen=True)
class Finding:
    """What a rule found: a JSON pointer into the bundled document, a message and what to do."""

    pointer: str
    message: str
    hint: str | None = None
    key: bool = False  # place it at the mapping key (a path template) rather than at the value it names


Check = Callable[["LintContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable id, a default severity, a one-line description and its peers' names."""

    id: str
    severity: Severity
    description: str
    check: Check
    redocly: str | None = None
    spectral: str | None = None
    house: bool = False


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    severity: Severity,
    description: str,
    *,
    redocly: str | None = None,
    spectral: str | None = None,
    house: bool = False,
) -> Callable[[Check], Check]:
    """Register ``check`` as a rule (a decorator); ids are unique and never change once published."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"lint rule '{rule_id}' is registered twice")
        RULES[rule_id] = Rule(rule_id, severity, description, check, redocly, spectral, house)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, generic ones first, each group sorted by id."""
    from generators.lint import rules_examples, rules_generic, rules_house, rules_paths  # noqa: F401 - registers

    return sorted(RULES.values(), key=lambda r: (r.house, r.id))


def run_rules(
    ctx: LintContext, config: LintConfig, locate: Locate, locate_key: Locate | None = None, parallel: bool = True
) -> list[Diagnostic]:
    """Run every enabled rule; drop excepted findings; sort by place so output is deterministic.

    ``locate_key(pointer)`` places a mapping key where it was written (a path item reached through a $ref
    lives in another file than its path template); it defaults to ``locate``. With ``parallel``, a big
    description's example rules run on a second core (``parallel.py``); the findings are the same.
    """
    from generators.lint.parallel import findings_by_rule

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

    def place_all(found: dict[str, list[Finding]]) -> None:
        for rule_id, findings in found.items():
            for finding in findings:
                if not config.excepted(rule_id, finding.pointer):
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


def pointer_join(base: str, *parts: str | int) -> str:
    """Append reference tokens to a JSON pointer, escaping ``~`` and ``/`` (RFC 6901)."""
    for part in parts:
        token = str(part)
        if "~" in token or "/" in token:
            token = token.replace("~", "~0").replace("/", "~1")
        base = f"{base}/{token}"
    return base


def pointer_parts(pointer: str) -> Iterator[str]:
    """The unescaped reference tokens of a JSON pointer."""
    if not pointer:
        return
    for token in pointer.lstrip("#").split("/")[1:]:
        yield token.replace("~1", "/").replace("~0", "~")
