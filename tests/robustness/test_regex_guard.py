"""Which spec patterns are kept from the validators: nested unbounded quantifiers, and nothing ordinary."""

from __future__ import annotations

import pytest

from generators.core.regex_guard import may_backtrack

BACKTRACKING = [
    r"^(a+)+$",
    r"^(\w+\s?)*$",
    r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$",  # beezup.com
    r"(a{1,100}){1,100}",
    r"((ab)*c)*",
    r"(?:x|(y+))+z",
    r"(?=(a+)+)b",
]
ORDINARY = [
    r"^[A-Z]{3}$",
    r"^(.+)@(.+)$",
    r"^([a-zA-Z0-9_\-\.]+)@([a-zA-Z0-9_\-\.]+)\.([a-zA-Z]{2,5})$",
    r"^x-",
    r"(a|b)*",
    r"(?>a+)+",  # atomic: never backtracks into itself
    r"(a{1,3}){1,3}",  # small bounds
    r"\p{L}+",  # not a Python regex: reported elsewhere, not guessed at here
    r"^\d{4}-\d{2}-\d{2}$",
]


@pytest.mark.parametrize("pattern", BACKTRACKING)
def test_nested_unbounded_quantifiers_are_spotted(pattern: str) -> None:
    assert may_backtrack(pattern)


@pytest.mark.parametrize("pattern", ORDINARY)
def test_ordinary_patterns_are_evaluated(pattern: str) -> None:
    assert not may_backtrack(pattern)
