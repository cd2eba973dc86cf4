"""Example values are checked against exactly the formats Redocly checks them against, with the same verdicts.

Redocly CLI 2.x validates examples with ajv (``validateFormats: true``, ``strictSchema: false``) after
``addFormats(ajv)``: ajv-formats' "full" mode. So the formats known are ajv-formats' own; any other name
(``idn-email``, ``iri``, ``phone``...) is ignored, as ``strictSchema: false`` makes ajv do, and ``float``,
``double``, ``password`` and ``binary`` always pass. String formats judge strings only, ``int32`` and ``int64``
numbers only (not booleans); anything else passes. ``register`` puts these in place of jsonschema's checks,
whose verdicts differ (``time`` is draft 3's ``HH:MM:SS`` there, ``uuid`` refuses the ``urn:uuid:`` prefix,
``email`` only asks for an ``@``) and whose list grows with whatever optional packages are installed.

Each check runs in time linear in the value's length: plain code, or a pattern whose alternatives start with
different characters (never two quantifiers over the same characters in a row, so Python's backtracking ``re``
does not blow up). ajv's ``url`` pattern is quadratic on ``http://::::...`` (8,000 characters: 0.15 s in node);
``url`` here reaches the same verdicts in one pass.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from jsonschema import FormatChecker

import generators.core.regex_guard as regex_guard

_A = re.ASCII | re.IGNORECASE  # ajv's /i: ASCII letters only (not the Kelvin sign, nor the long s)
# ECMAScript's \s, which ajv's patterns and the date-time split use (not Python's: no \x1c-\x1f or \x85)
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACE = re.compile(f"[{_JS_SPACE}]")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")  # where ^ and $ match under ECMAScript's m flag
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
_TIME = re.compile(r"([0-9][0-9]):([0-9][0-9]):([0-9][0-9](?:\.[0-9]+)?)([zZ]|([+-])([0-9][0-9])(?::?([0-9][0-9]))?)?")
_DATE = re.compile(r"([0-9]{4})-([0-9][0-9])-([0-9][0-9])")
_DATE_TIME = re.compile(f"{_DATE.pattern}[tT{_JS_SPACE}]{_TIME.pattern}")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_UUID = re.compile(r"(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", _A)
_EMAIL_LOCAL, _EMAIL_LABEL = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+", "[a-z0-9]+(?:-+[a-z0-9]+)*"
_EMAIL = re.compile(rf"{_EMAIL_LOCAL}(?:\.{_EMAIL_LOCAL})*@{_EMAIL_LABEL}(?:\.{_EMAIL_LABEL})+", _A)
_BAD_Z = re.compile(r"[^\\]\\Z")  # ajv-formats refuses a Python-style end anchor


class _Lazy:
    """A pattern compiled when first used. The big ones (URIs, IPv6, URL host names) took 25 ms to compile in
    every lint run that validates an example, and most descriptions use none of their formats."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._compiled: re.Pattern[str] | None = None

    def fullmatch(self, value: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self._text)
        return self._compiled.fullmatch(value)


def _ipv6(octet: str) -> str:
    """RFC 3986's IPv6address, spelled as ajv-formats spells both its ``ipv6`` format and the IP literal of
    ``uri``: the same language as each of those patterns (checked on 400,000 generated strings with node).
    Every quantifier is bounded, so a match costs constant time."""
    h16, ipv4 = "[0-9A-Fa-f]{1,4}", rf"(?:(?:{octet})\.){{3}}(?:{octet})"
    tails = [f"(?:{h16}:){{4}}", f"(?:{h16}:){{3}}", f"(?:{h16}:){{2}}", f"{h16}:", "", None, None]
    forms = [f"(?:{h16}:){{6}}(?:{h16}:{h16}|{ipv4})", f"::(?:{h16}:){{5}}(?:{h16}:{h16}|{ipv4})"]
    for k, tail in enumerate(tails):
        head = f"(?:{h16})?" if k == 0 else f"(?:(?:{h16}:){{0,{k}}}{h16})?"
        end = f"{tail}(?:{h16}:{h16}|{ipv4})" if tail is not None else (h16 if k == 5 else "")
        forms.append(f"{head}::{end}")
    return "(?:" + "|".join(forms) + ")"


_IPV4_OCTET = r"25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]"  # no leading zeros
_IPV4 = re.compile(rf"(?:(?:{_IPV4_OCTET})\.){{3}}(?:{_IPV4_OCTET})")
_IPV6 = _Lazy(_ipv6(_IPV4_OCTET))
_IPV6_LONGEST = 45  # "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"

# uri and uri-reference: ajv-formats' patterns, rewritten to match the same strings in one pass: each
# `(?:chars|%XX)*` unrolled to `chars*(?:%XX chars*)*`, possessive (what follows a run never starts with one of
# its characters), `(?:/segment)*` read as one run over the segment's characters and `/`, both cases spelt out
# (re.IGNORECASE made matching 2x slower). The IPv4 host alternative is left out: the reg-name accepts all it does.
_PCT = "%[0-9A-Fa-f]{2}"


def _run(chars: str, *, nonempty: bool = False) -> str:
    body = f"[{chars}]*+(?:{_PCT}[{chars}]*+)*+"
    return f"(?:[{chars}]|{_PCT}){body}" if nonempty else body


def _uri(reference: bool) -> _Lazy:
    quote = '"' if reference else ""  # ajv-formats' uri-reference lets a double quote through (not in userinfo)
    user = r"A-Za-z0-9\-._~!$&'()*+,;=:"
    reg = rf"A-Za-z0-9\-._~!$&'{quote}()*+,;="
    segment = reg + ":@"
    query = segment + "/?"
    literal = rf"\[(?:{_ipv6(r'25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?')}|[Vv][0-9A-Fa-f]+\.[{user}]+)\]"
    path_rest = rf"(?:/{_run(segment + '/')})?"  # (?:/segment)*
    authority = rf"/?/(?:{_run(user)}@)?(?:{literal}|{_run(reg)})(?::[0-9]*+)?{path_rest}"
    rootless = rf"(?:[{segment}]|{_PCT}){_run(segment + '/')}"  # a segment, then (?:/segment)*
    path = rf"(?:{authority}|/(?:{rootless})?|{rootless})"
    scheme = r"[A-Za-z][A-Za-z0-9+\-.]*:"
    tail = rf"(?:\?{_run(query)})?(?:#{_run(query)})?"
    return _Lazy(f"(?:{scheme})?{path}?{tail}" if reference else f"{scheme}{path}{tail}")


_URI, _URI_REFERENCE = _uri(False), _uri(True)

# url: validator.js's pattern as ajv-formats has it (flags i and u), read as code
_URL_SCHEME = re.compile(r"(?:https?|ftp)://", _A)
_URL_HOST_END = re.compile("[:/@]")
_URL_AT = re.compile(r"@(?=[^:/@]*(?:[:/]|\Z))")  # an `@` whose host run ends where a host may end
_URL_PORT = re.compile(":[0-9]{2,5}")
_URL_IPV4 = re.compile(
    r"(?:[1-9][0-9]?|1[0-9][0-9]|2[01][0-9]|22[0-3])(?:\.(?:1?[0-9]{1,2}|2[0-4][0-9]|25[0-5])){2}"
    r"(?:\.(?:[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-4]))"
)
_URL_PRIVATE = re.compile(  # validator.js's look-aheads: private, loopback and link-local ranges
    r"(?:10|127)(?:\.[0-9]{1,3}){3}|(?:169\.254|192\.168)(?:\.[0-9]{1,3}){2}"
    r"|172\.(?:1[6-9]|2[0-9]|3[01])(?:\.[0-9]{1,3}){2}"
)
# ajv's /i on these classes, spelt out: with re.IGNORECASE, compiling the \u00a1-\uffff range took 30 ms
_URL_LABEL = "[a-zA-Z0-9\u00a1-\uffff]+(?:-[a-zA-Z0-9\u00a1-\uffff]+)*"
_URL_LABELS = _Lazy(rf"{_URL_LABEL}(?:\.{_URL_LABEL})*")
_URL_TLD = _Lazy("[a-zA-Z\u00a1-\uffff]{2,}")


def _date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    return match is not None and _valid_date(match[1], match[2], match[3])


def _valid_date(year_text: str, month_text: str, day_text: str) -> bool:
    year, month, day = int(year_text), int(month_text), int(day_text)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


def _valid_time(fields: tuple[str | None, ...], zone_required: bool) -> bool:
    """``fields``: ``_TIME``'s seven groups (hour, minute, second, zone, sign, zone hour, zone minute)."""
    hour, minute, second = int(fields[0] or 0), int(fields[1] or 0), float(fields[2] or 0)
    sign = -1 if fields[4] == "-" else 1
    zone_hour, zone_minute = int(fields[5] or 0), int(fields[6] or 0)
    if zone_hour > 23 or zone_minute > 59 or (zone_required and not fields[3]):
        return False
    if hour <= 23 and minute <= 59 and second < 60:
        return True
    # a leap second: 23:59:60 in UTC
    utc_minute = minute - zone_minute * sign
    utc_hour = hour - zone_hour * sign - (1 if utc_minute < 0 else 0)
    return utc_hour in (23, -1) and utc_minute in (59, -1) and second < 61


def _time(zone_required: bool) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        match = _TIME.fullmatch(value)
        return match is not None and _valid_time(match.groups(), zone_required)

    return check


def _date_time(zone_required: bool) -> Callable[[str], bool]:
    """ajv-formats splits at each ``t``, ``T`` or whitespace and wants two parts: neither part can hold one, so
    one pattern reads both."""

    def check(value: str) -> bool:
        match = _DATE_TIME.fullmatch(value)
        if match is None:
            return False
        fields = match.groups()
        return _valid_date(*fields[:3]) and _valid_time(fields[3:], zone_required)

    return check


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


def email(value: str) -> bool:
    """ajv-formats' email: a dot-atom of ASCII letters, digits and ``!#$%&'*+/=?^_`{|}~-`` (no quoted local part),
    ``@``, then two or more labels of letters, digits and inner hyphens (no IP literal, no IDN)."""
    return _EMAIL.fullmatch(value) is not None


def byte(value: str) -> bool:
    """Base64 (RFC 4648, padded) as ajv-formats tests it: its pattern carries the m flag, so one line of the
    value that is valid base64 (an empty one included) is enough."""
    return any(_base64_line(line) for line in _LINE_BREAK.split(value))


def _base64_line(line: str) -> bool:
    if len(line) % 4:
        return False
    body = line[:-2] if line.endswith("==") else line[:-1] if line.endswith("=") else line
    return all(c in _BASE64 for c in body)


def duration(value: str) -> bool:
    """ISO 8601 durations as ajv-formats reads them: P1Y2M3DT4H5M6S (whole numbers), or P3W; not a bare P."""
    return value != "P" and _DURATION.fullmatch(value) is not None


def url(value: str) -> bool:
    """An http, https or ftp URL with a public host, as validator.js's pattern in ajv-formats defines it: optional
    ``userinfo@`` (any non-space characters, ``@`` included), a public dotted IPv4 address or host name whose last
    label is two letters or more (IDN allowed), an optional 2-5 digit port, an optional path from ``/`` on without
    spaces (no ``?`` or ``#`` straight after the host)."""
    scheme = _URL_SCHEME.match(value)
    if scheme is None:
        return False
    start = scheme.end()
    spaces = [match.start() for match in _SPACE.finditer(value, start)]
    first_space, last_space = (spaces[0], spaces[-1]) if spaces else (len(value), -1)
    if _url_rest(value, start, last_space):
        return True
    # an `@` that ends a non-empty userinfo free of spaces may start the host
    for at in _URL_AT.finditer(value, start + 1):
        if at.start() > first_space:
            break
        if _url_rest(value, at.end(), last_space):
            return True
    return False


def _url_rest(value: str, start: int, last_space: int) -> bool:
    stop = _URL_HOST_END.search(value, start)
    end = stop.start() if stop else len(value)
    if (stop and stop[0] == "@") or not _url_host(value[start:end]):
        return False
    if end < len(value) and value[end] == ":":
        port = _URL_PORT.match(value, end)
        if port is None:
            return False
        end = port.end()
    return end == len(value) or (value[end] == "/" and end > last_space)


def _url_host(host: str) -> bool:
    if _URL_IPV4.fullmatch(host) and not _URL_PRIVATE.match(host):
        return True
    labels, dot, tld = host.rpartition(".")
    return bool(dot) and _URL_LABELS.fullmatch(labels) is not None and _URL_TLD.fullmatch(tld) is not None


def regex(value: str) -> bool:
    """An ECMA-262 regular expression (checked by ``core.ecma_regex``), without ``\\Z`` as ajv-formats asks."""
    return _BAD_Z.search(value) is None and regex_guard.is_ecma_regex(value)


def ipv6(value: str) -> bool:
    """An IPv6 address, IPv4-mapped tail allowed, no zone index, no brackets."""
    return len(value) <= _IPV6_LONGEST and _IPV6.fullmatch(value) is not None


def int32(value: float) -> bool:
    """A whole number (2.0 too: ajv-formats asks ``Number.isInteger``) from -2**31 to 2**31 - 1."""
    return (not isinstance(value, float) or value.is_integer()) and -(2**31) <= value <= 2**31 - 1


def int64(value: float) -> bool:
    """Any whole number JavaScript can hold: ajv-formats checks no bounds (its numbers are doubles), but a
    literal past the largest double reads as Infinity there, which is no integer."""
    if isinstance(value, float):
        return value.is_integer()
    try:
        float(value)
    except OverflowError:
        return False
    return True


_CODE: dict[str, Callable[[str], bool]] = {
    "date": _date,
    "time": _time(True),
    "date-time": _date_time(True),
    "iso-time": _time(False),
    "iso-date-time": _date_time(False),
    "duration": duration,
    "url": url,
    "email": email,
    "hostname": hostname,
    "ipv6": ipv6,
    "regex": regex,
    "byte": byte,
}
_PATTERNS: dict[str, re.Pattern[str] | _Lazy] = {
    "uri": _URI,
    "uri-reference": _URI_REFERENCE,
    "uri-template": _TEMPLATE,
    "ipv4": _IPV4,
    "uuid": _UUID,
    "json-pointer": _POINTER,
    "json-pointer-uri-fragment": _FRAGMENT,
    "relative-json-pointer": _RELATIVE,
}
_NUMBERS: dict[str, Callable[[float], bool]] = {"int32": int32, "int64": int64}
# ajv-formats knows these too, and passes every value: no check is registered for them
ALWAYS_VALID = ("float", "double", "password", "binary")


def _strings_only(check: Callable[[str], bool]) -> Callable[[object], bool]:
    return lambda value: not isinstance(value, str) or check(value)


def _matches(pattern: re.Pattern[str] | _Lazy) -> Callable[[object], bool]:
    fullmatch = pattern.fullmatch  # one call a value: GitHub's examples hold 16,354 URIs
    return lambda value: not isinstance(value, str) or fullmatch(value) is not None


def _numbers_only(check: Callable[[float], bool]) -> Callable[[object], bool]:
    return lambda value: isinstance(value, bool) or not isinstance(value, int | float) or check(value)


FORMATS: dict[str, Callable[[object], bool]] = {
    **{name: _strings_only(check) for name, check in _CODE.items()},
    **{name: _matches(pattern) for name, pattern in _PATTERNS.items()},
    **{name: _numbers_only(check) for name, check in _NUMBERS.items()},
}


def register(checker: FormatChecker) -> None:
    """Make ``checker`` check the formats above and no other (jsonschema's own checks are dropped)."""
    checker.checkers.clear()
    for name, check in FORMATS.items():
        checker.checks(name)(check)
