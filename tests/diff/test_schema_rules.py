"""Every per-direction schema rule fires on its case and stays quiet on its near miss, in both directions."""

from __future__ import annotations

from datetime import date

import pytest

from generators.diff import diff_documents
from generators.diff.rules import RULES, SCHEMA_CHECKS
from tests.diff.builders import request_schema, response_schema
from tests.diff.schema_cases import CASES, PETS, pair

TODAY = date(2025, 6, 1)
_SCHEMA_RULES = sorted(r for r in RULES if RULES[r].area.endswith("schemas"))


def _rules(side: str, base: object, revision: object) -> dict[str, str]:
    build = request_schema if side == "request" else response_schema
    report = diff_documents(build(base, components=PETS), build(revision, components=PETS), today=TODAY)
    return {c.rule: c.level.value for c in report.changes}


@pytest.mark.parametrize("rule", _SCHEMA_RULES)
def test_rule_fires_at_its_level(rule: str) -> None:
    side, _, check = rule.partition("-")
    base, revision = pair(check, quiet=False)
    found = _rules(side, base, revision)
    assert found.get(rule) == RULES[rule].level.value, found


@pytest.mark.parametrize("rule", _SCHEMA_RULES)
def test_rule_quiet_on_near_miss(rule: str) -> None:
    side, _, check = rule.partition("-")
    base, revision = pair(check, quiet=True)
    assert rule not in _rules(side, base, revision)


def test_every_schema_check_has_a_case() -> None:
    checks = {c[0] for c in SCHEMA_CHECKS} | {r.split("-", 1)[1] for r in _SCHEMA_RULES}
    assert checks <= set(CASES)


@pytest.mark.parametrize(
    ("check", "request_level", "response_level"),
    [
        ("enum-value-added", "info", "breaking"),
        ("enum-value-removed", "breaking", "info"),
        ("property-became-optional", "info", "breaking"),
        ("max-length-decreased", "breaking", "info"),
        ("nullable-added", "info", "breaking"),
    ],
)
def test_direction_decides_the_level(check: str, request_level: str, response_level: str) -> None:
    base, revision = pair(check, quiet=False)
    assert _rules("request", base, revision)[f"request-{check}"] == request_level
    assert _rules("response", base, revision)[f"response-{check}"] == response_level
