"""``[tool.atlas-spec.lint]``: rule severities, house rules on/off, and exceptions that must give a reason.

```toml
[tool.atlas-spec.lint]
house-rules = true                   # off by default: the Atlas house rules
problem-schema = "Problem"           # components/schemas name of the shared RFC 9457 schema
[tool.atlas-spec.lint.rules]
operation-summary = "warn"           # error | warn | info | off
[[tool.atlas-spec.lint.exceptions]]
rule = "no-unused-components"
path = "/components/schemas/Legacy"  # a JSON pointer of the bundled document (the finding's or an ancestor)
reason = "kept for the v0 clients until 2027"
```

``baseline = "lint-baseline.json"`` accepts the findings recorded by ``lint --write-baseline`` (see baseline.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from generators.core.diagnostics import AtlasError, Location, Severity
from generators.core.paths import resolved
from generators.core.settings import did_you_mean
from generators.lint.baseline import Key, load_baseline

TABLE = "[tool.atlas-spec.lint]"
Where = Callable[..., "Location | None"]  # (keys of the table...) -> where the key is written
_KEYS = ("house-rules", "problem-schema", "rules", "exceptions", "baseline")
_LEVELS = {"error": Severity.ERROR, "warn": Severity.WARN, "warning": Severity.WARN, "info": Severity.INFO, "off": None}
# the structural check: what `validate` rejects must never lint clean, so it is always an error
_FIXED = "struct"
_FIXED_WHY = "a structurally invalid description is not OpenAPI; fix it (the finding says where)"
_EXCEPTION_KEYS = ("rule", "path", "reason")


@dataclass(frozen=True)
class Exception_:
    """A finding of ``rule`` at ``path`` (or below it) is accepted, for ``reason``."""

    rule: str
    path: str
    reason: str

    def covers(self, rule_id: str, pointer: str) -> bool:
        """True when this exception accepts a finding of ``rule_id`` at ``pointer``."""
        if rule_id != self.rule:
            return False
        return pointer == self.path or pointer.startswith(self.path + "/") or not self.path


class RuleTraits(Protocol):
    """What the config needs to know of a rule (``registry.Rule`` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def house(self) -> bool: ...


@dataclass(frozen=True)
class LintConfig:
    """Resolved lint settings."""

    house_rules: bool = False
    problem_schema: str = "Problem"
    severities: Mapping[str, Severity | None] = field(default_factory=dict)
    exceptions: tuple[Exception_, ...] = ()
    baseline: Mapping[Key, str] = field(default_factory=dict)
    baseline_file: Path | None = None
    config_file: Path | None = None
    # which exceptions (by index) and baseline entries accepted a finding: the rest are reported as unused
    hits: set[int | Key] = field(default_factory=set, compare=False, hash=False)

    def severity_of(self, rule: RuleTraits) -> Severity | None:
        """The severity in force for ``rule``; None when it is off (house rules are off unless enabled)."""
        if rule.id in self.severities:
            return self.severities[rule.id]
        if rule.house and not self.house_rules:
            return None
        return rule.severity

    def excepted(self, rule_id: str, pointer: str) -> bool:
        """True when a configured exception or the baseline accepts this finding (and remember which did)."""
        accepted = False
        key = (rule_id, pointer or "/")  # as a finding's json_path names the whole document
        if key in self.baseline:
            self.hits.add(key)
            accepted = True
        for index, exception in enumerate(self.exceptions):
            if exception.covers(rule_id, pointer):
                self.hits.add(index)
                accepted = True
        return accepted

    def unused(self) -> tuple[list[tuple[int, str, str]], list[Key]]:
        """Exceptions (index, rule, path) and baseline entries that accepted no finding so far."""
        exceptions = [(i, e.rule, e.path) for i, e in enumerate(self.exceptions) if i not in self.hits]
        return exceptions, [key for key in self.baseline if key not in self.hits]

    def with_all_rules(self) -> LintConfig:
        """The same config with house rules on (``spec/`` must lint clean with every rule on)."""
        return replace(self, house_rules=True, hits=set())

    def without_baseline(self) -> LintConfig:
        """The same config accepting no baseline finding (to write a new baseline)."""
        return replace(self, baseline={}, hits=set())


def parse_config(
    table: Mapping[str, Any],
    source: Path | None,
    known: set[str],
    need_baseline: bool = True,
    place: Callable[[tuple[str | int, ...]], Location | None] | None = None,
) -> LintConfig:
    """Check and resolve the ``[tool.atlas-spec.lint]`` table (``known``: the rule ids); AtlasError if wrong.

    Without ``need_baseline`` (writing a new one), a baseline file that does not exist yet is no error.
    ``place(keys)``: where a key of the table (``("rules", "no-empty-paths")``) is written, for its error."""
    file = Location(str(source)) if source else None

    def where(*keys: str | int) -> Location | None:
        return (place(keys) if place is not None else None) or file

    for key in table:
        if key not in _KEYS:
            raise _error(f"unknown key '{key}' in {TABLE}", where(key), did_you_mean(key, _KEYS))
    house = table.get("house-rules", False)
    if not isinstance(house, bool):
        raise _error(f"{TABLE} house-rules must be true or false, not {house!r}", where("house-rules"))
    problem = table.get("problem-schema", "Problem")
    if not isinstance(problem, str) or not problem:
        raise _error(f"{TABLE} problem-schema must be a schema name, not {problem!r}", where("problem-schema"))
    baseline = table.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline):
        raise _error(f"{TABLE} baseline must be a file name, not {baseline!r}", where("baseline"))
    baseline_file = resolved((source.parent if source else Path.cwd()) / baseline) if baseline else None
    return LintConfig(
        house,
        problem,
        _severities(table.get("rules", {}), known, where),
        tuple(_exceptions(table.get("exceptions", []), known, where)),
        load_baseline(baseline_file, known) if baseline_file and (need_baseline or baseline_file.exists()) else {},
        baseline_file,
        source,
    )


def _severities(rules: Any, known: set[str], where: Where) -> dict[str, Severity | None]:
    if not isinstance(rules, Mapping):
        raise _error(f'{TABLE} rules must be a table of rule-id = "error|warn|info|off"', where("rules"))
    result: dict[str, Severity | None] = {}
    for rule_id, level in rules.items():
        if rule_id not in known:
            raise _error(
                f"unknown lint rule '{rule_id}' in {TABLE[:-1]}.rules]",
                where("rules", rule_id),
                did_you_mean(rule_id, known),
            )
        if rule_id == _FIXED:
            raise _error(
                f"lint rule '{_FIXED}' cannot be configured in {TABLE[:-1]}.rules]", where("rules", rule_id), _FIXED_WHY
            )
        if not isinstance(level, str) or level not in _LEVELS:
            raise _error(
                f"lint rule '{rule_id}' has severity {level!r}",
                where("rules", rule_id),
                "use one of: error, warn, info, off",
            )
        result[rule_id] = _LEVELS[level]
    return result


def _exceptions(items: Any, known: set[str], where: Where) -> Iterable[Exception_]:
    if not isinstance(items, list):
        raise _error(
            f"{TABLE} exceptions must be an array of tables ([[tool.atlas-spec.lint.exceptions]])", where("exceptions")
        )
    for number, item in enumerate(items, 1):
        label = f"lint exception #{number}"
        at = functools.partial(where, "exceptions", number - 1)
        if not isinstance(item, Mapping):
            raise _error(f"{label} must be a table with rule, path and reason", at())
        for key in item:
            if key not in _EXCEPTION_KEYS:
                raise _error(f"unknown key '{key}' in {label}", at(key), did_you_mean(key, _EXCEPTION_KEYS))
        rule_id, path, reason = (item.get(k) for k in _EXCEPTION_KEYS)
        if rule_id not in known:
            raise _error(f"{label} names unknown rule {rule_id!r}", at("rule"), did_you_mean(str(rule_id), known))
        if rule_id == _FIXED:
            raise _error(f"{label} names rule '{_FIXED}', which takes no exceptions", at("rule"), _FIXED_WHY)
        if not isinstance(path, str) or not (path == "" or path.lstrip("#").startswith("/") or path == "#"):
            raise _error(f'{label} needs path = a JSON pointer such as "/paths/~1tasks/get"', at("path"))
        if not isinstance(reason, str) or not reason.strip():
            raise _error(
                f"{label} ({rule_id} at {path}) needs a reason", at("reason"), "say why the rule does not apply here"
            )
        yield Exception_(rule_id, path.lstrip("#").rstrip("/"), reason)


def _error(message: str, where: Location | None, hint: str | None = None) -> AtlasError:
    return AtlasError.at("lint-config", message, where, hint)
