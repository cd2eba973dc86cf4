"""The data of a diff: rules, levels, bumps, findings and the report (no logic beyond ordering)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Level(enum.StrEnum):
    """How a change affects existing clients."""

    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"


class Bump(enum.IntEnum):
    """The semantic-version part a change forces; ordered so ``max`` picks the release bump."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """Lower-case name used in output (``major``, ``minor``, ``patch``, ``none``)."""
        return self.name.lower()


@dataclass(frozen=True)
class Rule:
    """One check of the catalogue: a stable id, a level, the bump it forces and a message template."""

    id: str
    level: Level
    bump: Bump
    message: str
    area: str

    def describe(self, **args: Any) -> str:
        """The message with its placeholders filled in."""
        return self.message.format(**args)


@dataclass(frozen=True)
class Policy:
    """What a project may set in ``[tool.atlas-spec.diff]``: rule levels and the deprecation notice period."""

    levels: dict[str, Level] = field(default_factory=dict)
    deprecation_days: int = 0

    def judge(self, rule: Rule) -> tuple[Level, Bump]:
        """The level and bump of a rule under this policy: a raised level forces a major bump, a lowered one
        a minor bump at most."""
        level = self.levels.get(rule.id, rule.level)
        if level is rule.level:
            return level, rule.bump
        if level is Level.BREAKING:
            return level, Bump.MAJOR
        return level, min(rule.bump, Bump.MINOR)


@dataclass(frozen=True)
class Finding:
    """A raw finding of the comparison, relative to the node pair that produced it."""

    rule: str
    path: tuple[str, ...]
    args: tuple[tuple[str, str], ...] = ()
    component: str | None = None

    def under(self, *prefix: str) -> Finding:
        """The same finding seen from a parent node."""
        return Finding(self.rule, (*prefix, *self.path), self.args, self.component)


@dataclass(frozen=True)
class Change:
    """One reported change of the contract."""

    rule: str
    level: Level
    bump: Bump
    message: str
    operation: str | None
    json_path: str
    component: str | None = None
    acknowledged: str | None = None
    source: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Stable JSON object for ``--format json``."""
        return {
            "id": self.rule,
            "level": self.level.value,
            "operation": self.operation,
            "jsonPath": self.json_path,
            "component": self.component,
            "message": self.message,
            "acknowledged": self.acknowledged,
            "source": self.source,
        }


@dataclass
class DiffReport:
    """Every change between base and revision, plus what the acknowledgement file did."""

    base_label: str
    revision_label: str
    changes: list[Change] = field(default_factory=list)
    unused_acks: list[str] = field(default_factory=list)

    @property
    def bump(self) -> Bump:
        """The release bump: the largest bump of any change."""
        return max((c.bump for c in self.changes), default=Bump.NONE)

    def at_level(self, level: Level) -> list[Change]:
        """Changes of one level, in report order."""
        return [c for c in self.changes if c.level is level]

    def gate_failures(self, fail_on: str) -> list[Change]:
        """Unacknowledged changes that fail the gate for ``fail_on`` (breaking, warning or never)."""
        if fail_on == "never":
            return []
        levels = {Level.BREAKING} if fail_on == "breaking" else {Level.BREAKING, Level.WARNING}
        return [c for c in self.changes if c.level in levels and c.acknowledged is None]
