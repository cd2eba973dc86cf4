"""The lint rules, one module per family; importing this package registers them all."""

from __future__ import annotations

# imported for their @rule registrations
import generators.lint.rules.examples
import generators.lint.rules.generic
import generators.lint.rules.house
import generators.lint.rules.house_consistency
import generators.lint.rules.paths
import generators.lint.rules.refs
import generators.lint.rules.servers
import generators.lint.rules.structure  # noqa: F401
from generators.lint.registry import RULES, Rule


def all_rules() -> list[Rule]:
    """Every registered rule: ``struct`` first, then the generic ones, then the house ones, each group by id."""
    return sorted(RULES.values(), key=lambda r: (r.id != "struct", r.house, r.id))
