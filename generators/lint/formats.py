"""The string formats Redocly checks example values against that jsonschema does not check without extra packages.

Redocly validates examples with ajv and ajv-formats in its default ("full") mode; jsonschema's checker already
covers ``date``, ``date-time``, ``time``, ``email``, ``ipv4``, ``ipv6``, ``uuid`` and ``regex`` (``uri`` and
``uri-reference`` are ours, in ``examples``). These follow ajv-formats' full definitions; each runs in time
linear in the value's length: plain code, or a pattern whose alternatives start with different characters
(never two quantifiers over the same characters in a row, so Python's backtracking ``re`` does not blow up).
Values that are not strings pass, as in ajv-formats.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from jsonschema import FormatChecker

_A = re.ASCII | re.IGNORECASE  # ajv's /i: ASCII letters only (not the Kelvin sign, nor the long s)
_ALNUM = frozenset(string.ascii_letters + string.digits)
_BASE64 = frozenset(string.ascii_letters + string.digits + "+/")
_DURATION = re.compile(
    r"P(?:(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?|[0-9]+W)"
)
_POINTER = re.compile(r"(?:/(?:[^~/]|~[01])*)*")
_FRAGMENT = re.compile(r"#(?:/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~[01])*)*", _A)
_RELATIVE = re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~[01])*)*)")
_VARNAME = r"(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?"
_TEMPLATE = re.compile(
    rf"(?:[^\x00-\x20\"'<>%\\^`{{|}}]|%[0-9a-f]{{2}}|\{{[+#./;?&=,!@|]?{_VARNAME}(?:,{_VARNAME})*\}})*", _A
)
_TIME = re.compile(r"([0-9][0-9]):([0-9][0-9]):([0-9][0-9](?:\.[0-9]+)?)(z|([+-])([0-9][0-9])(?::?([0-9][0-9]))?)?", _A)
_DATE = re.compile(r"([0-9]{4})-([0-9][0-9])-([0-9][0-9])")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def hostname(value: str) -> bool:
    """RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens, 1-63 characters each,
    253 at most in all (a final dot allowed)."""
    name = value[:-1] if value.endswith(".") else value
    if not 1 <= len(name) <= 253 or not name.isascii():
        return False
    for label in name.split("."):
        if not 1 <= len(label) <= 63 or label[0] == "-" or label[-1] == "-":
            return False
        if not all(c in _ALNUM or c == "-" for c in label):
            return False
    return True


def byte(value: str) -> bool:
    """Base64 (RFC 4648, padded): groups of four characters, the last one ending in at most two '='."""
    if len(value) % 4:
        return False
    body = value[:-2] if value.endswith("==") else value[:-1] if value.endswith("=") else value
    return all(c in _BASE64 for c in body)


def duration(value: str) -> bool:
    """ISO 8601 durations as ajv-formats reads them: P1Y2M3DT4H5M6S (whole numbers), or P3W; not a bare P."""
    return value != "P" and _DURATION.fullmatch(value) is not None


def _date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


def _time(zone_required: bool) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        match = _TIME.fullmatch(value)
        if match is None:
            return False
        hour, minute, second = int(match[1]), int(match[2]), float(match[3])
        sign = -1 if match[5] == "-" else 1
        zone_hour, zone_minute = int(match[6] or 0), int(match[7] or 0)
        if zone_hour > 23 or zone_minute > 59 or (zone_required and not match[4]):
            return False
        if hour <= 23 and minute <= 59 and second < 60:
            return True
        # a leap second: 23:59:60 in UTC
        utc_minute = minute - zone_minute * sign
        utc_hour = hour - zone_hour * sign - (1 if utc_minute < 0 else 0)
        return utc_hour in (23, -1) and utc_minute in (59, -1) and second < 61

    return check


def _date_time(zone_required: bool) -> Callable[[str], bool]:
    time = _time(zone_required)

    def check(value: str) -> bool:
        parts = re.split(r"[tT\s]", value)
        return len(parts) == 2 and _date(parts[0]) and time(parts[1])

    return check


FORMATS: dict[str, Callable[[str], bool]] = {
    "hostname": hostname,
    "byte": byte,
    "duration": duration,
    "uri-template": lambda value: _TEMPLATE.fullmatch(value) is not None,
    "json-pointer": lambda value: _POINTER.fullmatch(value) is not None,
    "json-pointer-uri-fragment": lambda value: _FRAGMENT.fullmatch(value) is not None,
    "relative-json-pointer": lambda value: _RELATIVE.fullmatch(value) is not None,
    "iso-time": _time(False),
    "iso-date-time": _date_time(False),
}


def register(checker: FormatChecker) -> None:
    """Add the formats above to ``checker`` (strings only: another type passes)."""
    for name, check in FORMATS.items():
        checker.checks(name)(_strings_only(check))


def _strings_only(check: Callable[[str], bool]) -> Callable[[object], bool]:
    return lambda value: not isinstance(value, str) or check(value)
