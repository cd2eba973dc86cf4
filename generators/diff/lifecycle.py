"""Deprecation policy checks shared by operations, parameters and properties: ``x-sunset`` and
``x-stability-level`` (the extensions oasdiff reads too), judged against ``deprecation-days``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

STABILITY = ("draft", "alpha", "beta", "stable")


def parse_sunset(value: Any) -> date | None:
    """An ``x-sunset`` value as a date (YAML dates and ``YYYY-MM-DD...`` text), or None when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def lifecycle(
    b: dict[str, Any], r: dict[str, Any], today: date, days: int, operation: bool = False
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(rule, arguments) for the deprecation and stability changes between two versions of one node.

    ``days`` is the notice period (0: no policy, sunset dates are optional). Operations report a sunset moved
    earlier through their own rule, so ``operation`` leaves that one out here.
    """
    was, now = b.get("deprecated") is True, r.get("deprecated") is True
    old, new = b.get("x-sunset"), r.get("x-sunset")
    if new is not None and new != old and parse_sunset(new) is None:
        yield "sunset-invalid", {"value": new}
    if now:
        if new is None and old is not None and was:
            yield "sunset-removed", {}
        elif new is None and not was and days > 0:
            yield "deprecated-without-sunset", {"days": days}
        new_date, old_date = parse_sunset(new), parse_sunset(old)
        if days > 0 and new_date is not None and new != old and new_date < today + timedelta(days=days):
            yield "sunset-too-soon", {"new": new, "days": days}
        if not operation and was and new_date is not None and old_date is not None and new_date < old_date:
            yield "sunset-moved-earlier", {"old": old, "new": new}
    level_b, level_r = b.get("x-stability-level"), r.get("x-stability-level")
    if level_r is not None and level_r != level_b:
        if level_r not in STABILITY:
            yield "stability-level-invalid", {"value": level_r}
        elif level_b in STABILITY and STABILITY.index(level_r) < STABILITY.index(level_b):
            yield "stability-decreased", {"old": level_b, "new": level_r}
