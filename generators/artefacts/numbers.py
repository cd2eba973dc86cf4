"""A sample number for a schema's bounds and ``multipleOf``: always finite JSON, and inside the schema when any
value is.

Floats give out at the edges a hostile or careless schema reaches: ``exclusiveMinimum: 1e16`` plus one is
``1e16`` again, ``multipleOf: 1e-320`` overflows a quotient to ``inf``, a bound of ``.inf`` (YAML) or of 400
digits (JSON) cannot be a float at all. So the bounds are compared as exact fractions (a float bound by its
exact value, as Python's validators compare it; ``multipleOf`` as written in decimal, as it was meant), and a
value that is not a fraction of a float is an ``int``, which JSON holds exactly at any size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

# An int sample longer than this is left for the fallback: Python refuses to print ints past 4,300 digits.
_MAX_BITS = 10_000
Bound = tuple[Fraction, bool] | None  # (value, exclusive)


def sample_number(schema: dict[str, Any], integer: bool, first_guess: int | float) -> int | float:
    """``first_guess`` when it is finite and fits; otherwise the smallest-magnitude fit found; otherwise 0 or a
    bound (the schema allows no value: still valid JSON, deterministic)."""
    low = _tightest(schema, "minimum", "exclusiveMinimum", 1)
    high = _tightest(schema, "maximum", "exclusiveMaximum", -1)
    written = schema.get("multipleOf")
    step = _exact(written, decimal=True)
    step = step if step is not None and step > 0 else None
    # validators divide by a float multipleOf (0.3 / 0.1 is 2.9999999999999996): a value that passes that too
    # is preferred, then one that is a multiple as written
    for divisor in (written if step is not None else None, None):
        for candidate in _candidates(first_guess, integer, low, high, step):
            value = _as_json(candidate)
            if value is not None and _fits(value, integer, low, high, step) and _divides(value, divisor):
                return value
    for fallback in (0, low[0] if low else 0, high[0] if high else 0):
        value = _as_json(Fraction(math.ceil(fallback)))
        if value is not None and _fits(value, integer, low, high, None):
            return value
    return 0


def _candidates(
    first_guess: int | float, integer: bool, low: Bound, high: Bound, step: Fraction | None
) -> Iterator[int | float | Fraction]:
    yield first_guess
    unit = step if step is not None else Fraction(1)
    if integer:
        unit = Fraction(unit.numerator)  # the integers among the multiples of p/q are the multiples of p
    yield _nearest_to_zero(unit, low, high)
    if not integer and step is not None:
        yield _nearest_to_zero(Fraction(step.numerator), low, high)  # a whole multiple: no float quotient to round
    if not integer and step is None:  # no integer in range: a bound, the next float inside it, the middle
        if low is not None and high is not None:
            yield (low[0] + high[0]) / 2
        for bound, towards in ((low, math.inf), (high, -math.inf)):
            if bound is not None and _finite_float(bound[0]):
                yield math.nextafter(float(bound[0]), towards) if bound[1] else bound[0]


def _nearest_to_zero(unit: Fraction, low: Bound, high: Bound) -> Fraction:
    """The multiple of ``unit`` nearest 0 above ``low`` (when low is above 0) or below ``high`` (when high is below
    it); 0 itself otherwise."""
    if low is not None and (low[0] > 0 or (low[0] == 0 and low[1])):
        k = math.ceil(low[0] / unit)
        return (k + 1 if low[1] and k * unit == low[0] else k) * unit
    if high is not None and (high[0] < 0 or (high[0] == 0 and high[1])):
        k = math.floor(high[0] / unit)
        return (k - 1 if high[1] and k * unit == high[0] else k) * unit
    return Fraction(0)


def _as_json(candidate: int | float | Fraction) -> int | float | None:
    """An int when the value is whole, a finite float otherwise; None when it is neither (inf, nan, too big)."""
    if isinstance(candidate, float) and not math.isfinite(candidate):
        return None
    exact = Fraction(candidate)
    if exact.denominator == 1:
        return int(exact) if exact.numerator.bit_length() <= _MAX_BITS else None
    return float(exact) if _finite_float(exact) else None


def _fits(value: int | float, integer: bool, low: Bound, high: Bound, step: Fraction | None) -> bool:
    exact = Fraction(value)
    if integer and exact.denominator != 1:
        return False
    if low is not None and (exact < low[0] or (low[1] and exact == low[0])):
        return False
    if high is not None and (exact > high[0] or (high[1] and exact == high[0])):
        return False
    written = _exact(value, decimal=True)  # a float as it will be printed
    return step is None or (written is not None and written % step == 0)


def _divides(value: int | float, divisor: object) -> bool:
    """Whether ``value`` passes a validator's float ``multipleOf`` test (an int step: the exact test, done)."""
    if not isinstance(divisor, float):
        return True
    try:
        quotient = value / divisor
    except (OverflowError, ZeroDivisionError):
        return False
    return math.isfinite(quotient) and quotient.is_integer()


def _tightest(schema: dict[str, Any], inclusive: str, exclusive: str, direction: int) -> Bound:
    """The tighter of ``minimum`` and ``exclusiveMinimum`` (3.1: a number; 3.0: a flag beside the bound)."""
    flag = schema.get(exclusive)
    bounds = [(value, flag is True) for value in [_exact(schema.get(inclusive))] if value is not None]
    bounds += [(value, True) for value in [_exact(flag)] if value is not None]
    if not bounds:
        return None
    return max(bounds, key=lambda b: (b[0] * direction, b[1]))


def _exact(value: object, decimal: bool = False) -> Fraction | None:
    """A JSON number as a fraction (a float by its exact value, or as written in decimal); None for anything
    else, ``inf`` and ``nan`` included."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Fraction(repr(value)) if decimal else Fraction(value)
    return Fraction(value)


def _finite_float(value: Fraction) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False
