"""The rule registry, a leaf: a rule module registers its checks here with ``@rule`` and its traits.

Adding a rule touches only its own module (and its test case): the engine, the worker split, the config
checks and the generated catalogue all read the traits declared here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generators.core.diagnostics import Severity

if TYPE_CHECKING:
    from generators.lint.context import LintContext


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
    worker: bool = False  # heavy and independent: may run in the forked worker on a second core (parallel.py)


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    severity: Severity,
    description: str,
    *,
    redocly: str | None = None,
    spectral: str | None = None,
    house: bool = False,
    worker: bool = False,
) -> Callable[[Check], Check]:
    """Register ``check`` as a rule (a decorator); ids are unique and never change once published."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"lint rule '{rule_id}' is registered twice")
        RULES[rule_id] = Rule(rule_id, severity, description, check, redocly, spectral, house, worker)
        return check

    return register
