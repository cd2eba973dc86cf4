"""Every non-schema rule fires on its case and stays quiet on its near miss; the catalogue is fully covered."""

from __future__ import annotations

from datetime import date

import pytest

from generators.diff import Policy, diff_documents
from generators.diff.rules import RULES
from tests.diff import other_cases, schema_cases

TODAY = date(2025, 6, 1)


def _rules(base: object, revision: object, policy: Policy | None = None) -> dict[str, str]:
    return {c.rule: c.level.value for c in diff_documents(base, revision, today=TODAY, policy=policy).changes}


@pytest.mark.parametrize("rule", sorted(other_cases.CASES))
def test_rule_fires_at_its_level(rule: str) -> None:
    base, revision, _, _, *policy = other_cases.CASES[rule]
    found = _rules(base, revision, *policy)
    assert found.get(rule) == RULES[rule].level.value, found


@pytest.mark.parametrize("rule", sorted(other_cases.CASES))
def test_rule_quiet_on_near_miss(rule: str) -> None:
    _, _, base, revision, *policy = other_cases.CASES[rule]
    assert rule not in _rules(base, revision, *policy)


def test_every_rule_has_cases() -> None:
    schema_rules = {r for r in RULES if RULES[r].area.endswith("schemas")}
    assert {r.split("-", 1)[1] for r in schema_rules} <= set(schema_cases.CASES)
    assert set(RULES) - schema_rules == set(other_cases.CASES)


def test_catalogue_has_at_least_100_rules_with_stable_shape() -> None:
    assert len(RULES) >= 100
    assert all(r.id == key and r.message for key, r in RULES.items())
