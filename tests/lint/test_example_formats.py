"""Example values are checked against the string formats Redocly checks (ajv-formats, full mode) that jsonschema
leaves unchecked without extra packages: ``hostname``, ``byte``, ``duration``, ``uri-template``, the JSON pointer
formats, ``iso-time`` and ``iso-date-time``. The verdicts below agree with ajv-formats' own functions (checked
with node on each value); ajv's ``byte`` pattern carries the ``m`` flag, so any line of valid base64 passes
("QUJD\\nQUJD"). ``test_format_parity`` holds the full table, checked with Redocly itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document
from generators.lint.formats import FORMATS
from tests.support import HEAD, make_tree

LABEL_63, LABEL_64 = "a" * 63, "a" * 64
CASES: dict[str, list[tuple[str, bool]]] = {
    "hostname": [
        ("api.example.test", True),
        ("a", True),
        ("a.b-c.d.", True),
        ("123", True),
        ("xn--bcher-kva.test", True),
        (f"{LABEL_63}.test", True),
        (f"{LABEL_64}.test", False),
        (".".join([LABEL_63] * 4), False),  # 255 characters
        ("-a.test", False),
        ("a-.test", False),
        ("a..b", False),
        ("", False),
        ("a_b.test", False),
        ("bücher.test", False),
        ("a b", False),
    ],
    "byte": [
        ("", True),
        ("QUJD", True),
        ("QUI=", True),
        ("QQ==", True),
        ("QQ=", False),
        ("Q===", False),
        ("QUJD\nQUJD", True),  # the m flag: each line is tried
        ("QU JD", False),
        ("-_8=", False),  # base64url is another alphabet
    ],
    "duration": [
        ("P1Y2M3DT4H5M6S", True),
        ("P3W", True),
        ("PT1H", True),
        ("P", False),
        ("PT", False),
        ("P1H", False),
        ("P1.5D", False),
        ("P1W2D", False),
        ("p1d", False),
    ],
    "uri-template": [
        ("https://api.test/users/{id}", True),
        ("/search{?q,limit}", True),
        ("{+path:3}/x{#frag*}", True),
        ("%2F{x}", True),
        ("/a{", False),
        ("/a}", False),
        ("/a b", False),
        ("{a-b}", False),
        ("%zz", False),
    ],
    "json-pointer": [("", True), ("/a/b", True), ("/a~0b~1c", True), ("a", False), ("/a~2", False), ("/a~", False)],
    "json-pointer-uri-fragment": [("#", True), ("#/a/b%20c", True), ("/a", False), ("#/a b", False)],
    "relative-json-pointer": [("0", True), ("1/a", True), ("2#", True), ("01", False), ("-1", False), ("/a", False)],
    "iso-time": [
        ("12:30:00", True),
        ("12:30:00.5+01:00", True),
        ("23:59:60Z", True),
        ("24:00:00", False),
        ("12:60:00", False),
        ("12:30:00+24:00", False),
    ],
    "iso-date-time": [
        ("2024-02-29T12:00:00", True),
        ("2024-02-29 12:00:00Z", True),
        ("2023-02-29T12:00:00", False),
        ("2024-01-01", False),
    ],
}
# long values of the shapes a backtracking pattern could stall on: each is judged in one pass
LONG = 50_000
LONG_CASES = [
    ("uri-template", "{" + "a" * LONG),
    ("uri-template", "%2" * LONG),
    ("duration", "P" + "1" * LONG + "X"),
    ("json-pointer", "/" + "~" * LONG),
    ("relative-json-pointer", "1" * LONG + "~"),
    ("hostname", "a." * LONG + "-"),
    ("byte", "QUJD" * LONG + "="),
    ("url", "http://" + ":" * LONG),  # quadratic in ajv's pattern
    ("url", "http://" + "a@" * LONG + "!"),
    ("uri", "a://" + "a" * LONG + "\x00"),
    ("uri-reference", "//" + "a@" * LONG + "\x00"),
    ("email", "a@" + "a." * LONG + "!"),
]


@pytest.mark.parametrize(("name", "value", "valid"), [(n, v, ok) for n, cases in CASES.items() for v, ok in cases])
def test_format_verdicts_agree_with_ajv_formats(name: str, value: str, valid: bool) -> None:
    assert FORMATS[name](value) is valid


@pytest.mark.parametrize(("name", "value"), LONG_CASES, ids=[name for name, _ in LONG_CASES])
def test_long_invalid_values_are_rejected(name: str, value: str) -> None:
    assert FORMATS[name](value) is False


SPEC = (
    HEAD
    + """\
paths:
  /hosts:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  host: {type: string, format: hostname}
                  digest: {type: string, format: byte}
                  ttl: {type: string, format: duration}
                  count: {type: number, format: int32}
              examples:
                good:
                  value: {host: api.hosts.test, digest: QUJD, ttl: PT5M, count: 2}
                bad:
                  value: {host: -bad-.test, digest: QUJ, ttl: 5 minutes, count: 2}
                fraction:
                  value: {host: api.hosts.test, count: 2.5}
"""
)


def test_examples_are_checked_against_these_formats(tmp_path: Path) -> None:
    bundled = bundle_spec(make_tree(tmp_path, {"openapi.yaml": SPEC}))
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    messages = sorted(d.message for d in found if d.code.startswith("no-invalid"))
    assert messages == [
        "response example is invalid: count: 2.5 is not a 'int32'",  # ajv-formats: Number.isInteger
        "response example is invalid: digest: 'QUJ' is not a 'byte'",
        "response example is invalid: host: '-bad-.test' is not a 'hostname'",
        "response example is invalid: ttl: '5 minutes' is not a 'duration'",
    ]
