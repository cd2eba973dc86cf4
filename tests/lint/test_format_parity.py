"""Example formats as Redocly checks them, value by value.

Redocly CLI 2.77 validates examples with ajv and ajv-formats in full mode (``validateFormats: true``,
``strictSchema: false``), so it knows ajv-formats' formats only, ignores any other name, passes every ``float``,
``double``, ``password`` and ``binary``, and applies string formats to strings and ``int32``/``int64`` to
numbers only. Each row's comment is Redocly's verdict, recorded by running the value through ``redocly lint
--format json`` (a ``no-invalid-media-type-examples`` example in an OpenAPI 3.1 and in a 3.0 description: the
same verdicts in both); the verdict column is ours, which agrees on every row.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import FormatChecker

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document
from generators.lint.formats import FORMATS, register
from tests.support import HEAD, make_tree

U = "123e4567-e89b-12d3-a456-426614174000"
LABELS = ".".join(["a" * 63] * 3)
TABLE: list[tuple[str, object, bool]] = [
    ("date", "2024-02-29", True),  # redocly: valid
    ("date", "2023-02-29", False),  # redocly: invalid
    ("date", "2000-02-29", True),  # redocly: valid
    ("date", "1900-02-29", False),  # redocly: invalid
    ("date", "2024-13-01", False),  # redocly: invalid
    ("date", "2024-00-10", False),  # redocly: invalid
    ("date", "2024-01-00", False),  # redocly: invalid
    ("date", "2024-1-01", False),  # redocly: invalid
    ("date", "20240101", False),  # redocly: invalid
    ("date", "2024-01-01T00:00:00Z", False),  # redocly: invalid
    ("date", "+002024-01-01", False),  # redocly: invalid
    ("date", "\uff12\uff10\uff12\uff14-01-01", False),  # redocly: invalid
    ("date", "2024-01-01\n", False),  # redocly: invalid ($ is the end of the value)
    ("date", 20240101, True),  # redocly: valid
    ("date", "2024-04-31", False),  # redocly: invalid
    ("time", "12:30:00Z", True),  # redocly: valid
    ("time", "12:30:00z", True),  # redocly: valid
    ("time", "12:30:00", False),  # redocly: invalid (the zone is required)
    ("time", "12:30:00+01:00", True),  # redocly: valid
    ("time", "12:30:00+0100", True),  # redocly: valid
    ("time", "12:30:00+01", True),  # redocly: valid
    ("time", "23:59:60Z", True),  # redocly: valid
    ("time", "23:59:60+01:00", False),  # redocly: invalid (a leap second only at 23:59:60 UTC)
    ("time", "00:59:60+01:00", True),  # redocly: valid (23:59:60 UTC)
    ("time", "12:30:00.123456789Z", True),  # redocly: valid
    ("time", "12:30Z", False),  # redocly: invalid
    ("time", "24:00:00Z", False),  # redocly: invalid
    ("time", "12:30:00 Z", False),  # redocly: invalid
    ("time", "12:30:00+24:00", False),  # redocly: invalid
    ("time", "12:30:00.Z", False),  # redocly: invalid
    ("time", "T12:30:00Z", False),  # redocly: invalid
    ("time", "23:59:60.999Z", True),  # redocly: valid
    ("time", "22:59:60-01:00", True),  # redocly: valid
    ("time", "12:30:00-00:60", False),  # redocly: invalid
    ("time", "12:30:00\n", False),  # redocly: invalid
    ("date-time", "2024-01-01T12:00:00Z", True),  # redocly: valid
    ("date-time", "2024-01-01t12:00:00z", True),  # redocly: valid
    ("date-time", "2024-01-01 12:00:00Z", True),  # redocly: valid (a space separates too)
    ("date-time", "2024-01-01T12:00:00", False),  # redocly: invalid
    ("date-time", "2024-12-31T23:59:60Z", True),  # redocly: valid
    ("date-time", "2024-12-31T23:59:60+01:00", False),  # redocly: invalid
    ("date-time", "2024-01-01T12:00:00.5+05:30", True),  # redocly: valid
    ("date-time", "2024-01-01T12:00Z", False),  # redocly: invalid
    ("date-time", "2024-01-01\t12:00:00Z", True),  # redocly: valid
    ("date-time", "2024-01-01\xa012:00:00Z", True),  # redocly: valid
    ("date-time", "2024-01-01\x1c12:00:00Z", False),  # redocly: invalid (not in ECMAScript's \s)
    ("date-time", "2024-01-01\ufeff12:00:00Z", True),  # redocly: valid (in ECMAScript's \s)
    ("date-time", "2024-01-01\x8512:00:00Z", False),  # redocly: invalid (not in ECMAScript's \s)
    ("date-time", "2024-01-01\u200b12:00:00Z", False),  # redocly: invalid
    ("date-time", "2024-01-01TT12:00:00Z", False),  # redocly: invalid
    ("date-time", "2024-02-30T00:00:00Z", False),  # redocly: invalid
    ("date-time", "2024-01-01T12:00:00+0530", True),  # redocly: valid
    ("date-time", "2024-01-01T12:00:00.123+05", True),  # redocly: valid
    ("date-time", "2024-01-01T25:00:00Z", False),  # redocly: invalid
    ("date-time", "2024-01-01", False),  # redocly: invalid
    ("iso-time", "12:30:00", True),  # redocly: valid
    ("iso-time", "12:30:00z", True),  # redocly: valid
    ("iso-time", "12:30", False),  # redocly: invalid
    ("iso-time", "23:59:60", True),  # redocly: valid
    ("iso-time", "23:59:60+01:00", False),  # redocly: invalid
    ("iso-date-time", "2024-01-01t12:00:00", True),  # redocly: valid
    ("iso-date-time", "2024-01-01 12:00:00", True),  # redocly: valid
    ("iso-date-time", "2024-01-01T12:00:00Z", True),  # redocly: valid
    ("iso-date-time", "2024-01-01", False),  # redocly: invalid
    ("duration", "P1Y2M3DT4H5M6S", True),  # redocly: valid
    ("duration", "P3W", True),  # redocly: valid
    ("duration", "PT1H", True),  # redocly: valid
    ("duration", "P", False),  # redocly: invalid
    ("duration", "PT", False),  # redocly: invalid
    ("duration", "P1DT", False),  # redocly: invalid
    ("duration", "PT1.5S", False),  # redocly: invalid
    ("duration", "P0D", True),  # redocly: valid
    ("duration", "-P1D", False),  # redocly: invalid
    ("duration", "p1d", False),  # redocly: invalid
    ("duration", "P1W2D", False),  # redocly: invalid
    ("uri", "https://example.com/a?b#c", True),  # redocly: valid
    ("uri", "urn:isbn:123", True),  # redocly: valid
    ("uri", "mailto:a@b.test", True),  # redocly: valid
    ("uri", "/relative", False),  # redocly: invalid
    ("uri", "a:", False),  # redocly: invalid (no path)
    ("uri", "a:?x", False),  # redocly: invalid
    ("uri", "http://[::1]:8080/", True),  # redocly: valid
    ("uri", "http://[v1.x]/", True),  # redocly: valid (IPvFuture literal)
    ("uri", "http://[fe80::1%25eth0]/", False),  # redocly: invalid
    ("uri", "http://ex ample.com", False),  # redocly: invalid
    ("uri", "http://example.com/%zz", False),  # redocly: invalid
    ("uri", 'http://example.com/a"b', False),  # redocly: invalid
    ("uri", "http://\xfc.test", False),  # redocly: invalid
    ("uri", "HTTP://EXAMPLE.COM", True),  # redocly: valid
    ("uri", "http://user:pw@host/", True),  # redocly: valid
    ("uri", "http:", False),  # redocly: invalid
    ("uri", "x:/a//b", True),  # redocly: valid
    ("uri", "1http://x", False),  # redocly: invalid
    ("uri", "http://example.com:port", True),  # redocly: valid (read as http:/ + path)
    ("uri", "", False),  # redocly: invalid
    ("uri", "tel:+1-555", True),  # redocly: valid
    ("uri", "a:b c", False),  # redocly: invalid
    ("uri", "http://example.com/\xe9", False),  # redocly: invalid
    ("uri", "http://a/b?c=%2", False),  # redocly: invalid
    ("uri", "a:b#c#d", False),  # redocly: invalid
    ("uri", "http://1.2.3.4:80/x", True),  # redocly: valid
    ("uri", "http://[1:2:3:4:5:6:7:8]/", True),  # redocly: valid
    ("uri", "http://[::1", False),  # redocly: invalid
    ("uri", "s+.-:x", True),  # redocly: valid
    ("uri", "http://a@b@c/", True),  # redocly: valid
    ("uri", "a:b[1]", False),  # redocly: invalid
    ("uri", "http://a:b:c/", True),  # redocly: valid
    ("uri", "https:/", True),  # redocly: valid
    ("uri", "https://", True),  # redocly: valid
    ("uri-reference", "", True),  # redocly: valid
    ("uri-reference", "/a/b?c#d", True),  # redocly: valid
    ("uri-reference", "#frag", True),  # redocly: valid
    ("uri-reference", "../x", True),  # redocly: valid
    ("uri-reference", "a b", False),  # redocly: invalid
    ("uri-reference", "%zz", False),  # redocly: invalid
    ("uri-reference", "http://[::1]", True),  # redocly: valid
    ("uri-reference", "\\x", False),  # redocly: invalid
    ("uri-reference", 'a"b', True),  # redocly: valid (ajv-formats lets a double quote through)
    ("uri-reference", "//host", True),  # redocly: valid
    ("uri-reference", "?q", True),  # redocly: valid
    ("uri-reference", "\xfc", False),  # redocly: invalid
    ("uri-reference", "a:b", True),  # redocly: valid
    ("uri-reference", "#a#b", False),  # redocly: invalid
    ("uri-reference", '//u"@h', True),  # redocly: valid
    ("uri-reference", "http://a:b:c/", True),  # redocly: valid
    ("uri-reference", "a[1]", False),  # redocly: invalid
    ("uri-reference", '?"', True),  # redocly: valid
    ("uri-reference", "{x}", False),  # redocly: invalid
    ("url", "http://example.com", True),  # redocly: valid
    ("url", "https://example.com/path?q=1", True),  # redocly: valid
    ("url", "ftp://ftp.example.com", True),  # redocly: valid
    ("url", "http://localhost", False),  # redocly: invalid (needs a dotted name)
    ("url", "http://localhost:8080", False),  # redocly: invalid
    ("url", "http://example.com?q=1", False),  # redocly: invalid (a path must come first)
    ("url", "http://10.0.0.1", False),  # redocly: invalid (private range)
    ("url", "http://8.8.8.8", True),  # redocly: valid
    ("url", "http://192.168.1.1", False),  # redocly: invalid
    ("url", "http://172.16.0.1", False),  # redocly: invalid
    ("url", "http://172.32.0.1", True),  # redocly: valid
    ("url", "http://127.0.0.1", False),  # redocly: invalid
    ("url", "http://0.0.0.0", False),  # redocly: invalid
    ("url", "http://223.255.255.254", True),  # redocly: valid
    ("url", "http://224.0.0.1", False),  # redocly: invalid
    ("url", "http://1.2.3.255", False),  # redocly: invalid
    ("url", "http://1.02.03.4", True),  # redocly: valid
    ("url", "http://1.099.3.4", False),  # redocly: invalid
    ("url", "http://169.254.1.1", False),  # redocly: invalid
    ("url", "http://example.com:80", True),  # redocly: valid
    ("url", "http://example.com:8", False),  # redocly: invalid
    ("url", "http://example.com:123456", False),  # redocly: invalid
    ("url", "http://user:pw@example.com", True),  # redocly: valid
    ("url", "http://u@v@example.com", True),  # redocly: valid (userinfo may hold @)
    ("url", "http://m\xfcller.de", True),  # redocly: valid
    ("url", "http://xn--mller-kva.de", False),  # redocly: invalid (no double hyphen in a label)
    ("url", "http://example.c", False),  # redocly: invalid
    ("url", "http://example.123", False),  # redocly: invalid
    ("url", "mailto:a@b.com", False),  # redocly: invalid
    ("url", "http://ex_ample.com", False),  # redocly: invalid
    ("url", "HTTP://EXAMPLE.COM", True),  # redocly: valid
    ("url", "http://example.com/a b", False),  # redocly: invalid
    ("url", "http://[::1]/", False),  # redocly: invalid
    ("url", "http://a.b-c.com", True),  # redocly: valid
    ("url", "http://-a.com", False),  # redocly: invalid
    ("url", "http://a-.com", False),  # redocly: invalid
    ("url", "http://a.com/\xfc", True),  # redocly: valid
    ("url", "http://a\u3000b.com", True),  # redocly: valid (\u3000 is in the IDN range)
    ("url", "http://\U0001f600.com", False),  # redocly: invalid
    ("url", "http://a.\U0001f600", False),  # redocly: invalid
    ("url", "http://a.com/\U0001f600", True),  # redocly: valid
    ("url", "http:// @a.com", False),  # redocly: invalid
    ("url", "http://a.com#x", False),  # redocly: invalid
    ("url", "http://a/b@c.com", True),  # redocly: valid
    ("url", "http://a.com:80:80", False),  # redocly: invalid
    ("url", "http://a.com/x\n", False),  # redocly: invalid
    ("url", "http://a\u212ab.com", True),  # redocly: valid
    ("url", "http://@a.com", False),  # redocly: invalid
    ("url", "http://a.b.c.d.com/", True),  # redocly: valid
    ("url", "http://1.2.3.4.com", True),  # redocly: valid
    ("url", "http://1.2.3.4", True),  # redocly: valid
    ("url", "http://a..com", False),  # redocly: invalid
    ("url", "http://.a.com", False),  # redocly: invalid
    ("url", "http://a.com.", False),  # redocly: invalid
    ("url", "http://a.c0m", False),  # redocly: invalid
    ("url", "http://user@1.2.3.4:8080/x", True),  # redocly: valid
    ("url", "http://a.com/\u3000", False),  # redocly: invalid
    ("url", "http://a b@c.com", False),  # redocly: invalid
    ("url", "http://a.com:\uff18\uff10", False),  # redocly: invalid
    ("url", "http://a.\xe9\xe9", True),  # redocly: valid
    ("email", "a@b.co", True),  # redocly: valid
    ("email", "first.last@example.com", True),  # redocly: valid
    ("email", "a+tag@example.com", True),  # redocly: valid
    ("email", '"quoted"@example.com', False),  # redocly: invalid (no quoted local part)
    ("email", "a..b@example.com", False),  # redocly: invalid
    ("email", ".a@example.com", False),  # redocly: invalid
    ("email", "a.@example.com", False),  # redocly: invalid
    ("email", "a@example", False),  # redocly: invalid
    ("email", "a@[127.0.0.1]", False),  # redocly: invalid (no IP literal)
    ("email", "a@-example.com", False),  # redocly: invalid
    ("email", "a@example-.com", False),  # redocly: invalid
    ("email", "a@ex--ample.com", True),  # redocly: valid
    ("email", "\xfc@example.com", False),  # redocly: invalid
    ("email", "a@\xfc.com", False),  # redocly: invalid (no IDN)
    ("email", "a@b@c.com", False),  # redocly: invalid
    ("email", "A@EXAMPLE.COM", True),  # redocly: valid
    ("email", "a@b.c", True),  # redocly: valid (one-letter TLD)
    ("email", "a@1.2", True),  # redocly: valid
    ("email", "a@example.com.", False),  # redocly: invalid
    ("email", "a b@example.com", False),  # redocly: invalid
    ("email", "", False),  # redocly: invalid
    ("email", "{}~@x.y", True),  # redocly: valid
    ("email", "a@b..c", False),  # redocly: invalid
    ("email", "a@.b.c", False),  # redocly: invalid
    ("email", "a@b.c-", False),  # redocly: invalid
    ("email", "@b.c", False),  # redocly: invalid
    ("email", "a@", False),  # redocly: invalid
    ("email", "a\u212a@b.c", False),  # redocly: invalid
    ("email", "a@b.c\n", False),  # redocly: invalid
    ("uuid", U, True),  # redocly: valid
    ("uuid", "123E4567-E89B-12D3-A456-426614174000", True),  # redocly: valid
    ("uuid", "{123e4567-e89b-12d3-a456-426614174000}", False),  # redocly: invalid (no braces)
    ("uuid", "urn:uuid:123e4567-e89b-12d3-a456-426614174000", True),  # redocly: valid
    ("uuid", "URN:UUID:123e4567-e89b-12d3-a456-426614174000", True),  # redocly: valid (the i flag covers the prefix)
    ("uuid", "123e4567e89b12d3a456426614174000", False),  # redocly: invalid
    ("uuid", "123e4567-e89b-12d3-a456-42661417400", False),  # redocly: invalid
    ("uuid", "g23e4567-e89b-12d3-a456-426614174000", False),  # redocly: invalid
    ("uuid", "00000000-0000-0000-0000-000000000000", True),  # redocly: valid
    ("uuid", "123e4567-e89b-12d3-a456-426614174000\n", False),  # redocly: invalid
    ("uuid", "urn:uuid:123e4567e89b12d3a456426614174000", False),  # redocly: invalid
    ("uuid", "123e4567e89b--12d3-a456-426614174000-", False),  # redocly: invalid
    ("uuid", "123e4567-e89b-12d3-a456_426614174000", False),  # redocly: invalid
    ("ipv4", "192.168.0.1", True),  # redocly: valid
    ("ipv4", "0.0.0.0", True),  # redocly: valid
    ("ipv4", "255.255.255.255", True),  # redocly: valid
    ("ipv4", "256.0.0.1", False),  # redocly: invalid
    ("ipv4", "01.2.3.4", False),  # redocly: invalid
    ("ipv4", "1.2.3", False),  # redocly: invalid
    ("ipv4", "1.2.3.4.5", False),  # redocly: invalid
    ("ipv4", "1.2.3.4 ", False),  # redocly: invalid
    ("ipv4", "\u0661.\u0662.\u0663.\u0664", False),  # redocly: invalid
    ("ipv4", "1.2.3.04", False),  # redocly: invalid
    ("ipv6", "::1", True),  # redocly: valid
    ("ipv6", "::", True),  # redocly: valid
    ("ipv6", "2001:db8::1", True),  # redocly: valid
    ("ipv6", "2001:DB8::1", True),  # redocly: valid
    ("ipv6", "::ffff:192.0.2.1", True),  # redocly: valid
    ("ipv6", "fe80::1%eth0", False),  # redocly: invalid (no zone index)
    ("ipv6", "1:2:3:4:5:6:7:8", True),  # redocly: valid
    ("ipv6", "1:2:3:4:5:6:7:8:9", False),  # redocly: invalid
    ("ipv6", "1::2::3", False),  # redocly: invalid
    ("ipv6", "[::1]", False),  # redocly: invalid
    ("ipv6", "02001:db8::1", False),  # redocly: invalid
    ("ipv6", "1:2:3:4:5:6:7::", True),  # redocly: valid
    ("ipv6", "::1.2.3.4", True),  # redocly: valid
    ("ipv6", "1.2.3.4", False),  # redocly: invalid
    ("ipv6", "1:2:3:4:5:6:1.2.3.4", True),  # redocly: valid
    ("ipv6", "1:2:3:4:5:6:7:1.2.3.4", False),  # redocly: invalid
    ("ipv6", "::01.2.3.4", False),  # redocly: invalid
    ("ipv6", "1::", True),  # redocly: valid
    ("ipv6", ":1::", False),  # redocly: invalid
    ("ipv6", "::ffff:1.2.3.256", False),  # redocly: invalid
    ("ipv6", "\uff11::", False),  # redocly: invalid
    ("hostname", "api.example.test", True),  # redocly: valid
    ("hostname", "\xfc.test", False),  # redocly: invalid
    ("hostname", "a_b", False),  # redocly: invalid
    ("hostname", "A.TEST", True),  # redocly: valid
    ("hostname", "a..b", False),  # redocly: invalid
    ("hostname", ".", False),  # redocly: invalid
    ("hostname", "a.b.", True),  # redocly: valid
    ("hostname", LABELS + "." + "a" * 61 + ".", True),  # redocly: valid
    ("hostname", LABELS + "." + "a" * 62, False),  # redocly: invalid
    ("hostname", "xn--bcher-kva.test", True),  # redocly: valid
    ("hostname", "-a", False),  # redocly: invalid
    ("hostname", "a\u212a", False),  # redocly: invalid
    ("hostname", "1.2.3.4", True),  # redocly: valid
    ("hostname", "a.b\n", False),  # redocly: invalid
    ("byte", "QUJD", True),  # redocly: valid
    ("byte", "QUJD\nQUJD", True),  # redocly: valid
    ("byte", "!!!\nQUJD", True),  # redocly: valid (the m flag: one valid line is enough)
    ("byte", "QUJD\n", True),  # redocly: valid (the empty last line matches)
    ("byte", "!!!", False),  # redocly: invalid
    ("byte", "!!!\r\n", True),  # redocly: valid
    ("byte", "a\u2028QUJD", True),  # redocly: valid
    ("byte", "QQ=", False),  # redocly: invalid
    ("byte", "QU JD", False),  # redocly: invalid
    ("byte", "", True),  # redocly: valid
    ("byte", "QUI=\nQQ", True),  # redocly: valid
    ("byte", "QQ\rQ", False),  # redocly: invalid
    ("byte", "QQ\x85QUJD", False),  # redocly: invalid
    ("byte", "QQ==QUJD", False),  # redocly: invalid
    ("regex", "^[a-z]+$", True),  # redocly: valid
    ("regex", "(", False),  # redocly: invalid
    ("regex", "a\\Z", False),  # redocly: invalid (ajv-formats refuses \Z)
    ("regex", "\\\\Z", True),  # redocly: valid
    ("regex", "\\p{L}", True),  # redocly: valid (no u flag: an identity escape)
    ("regex", "[z-a]", False),  # redocly: invalid
    ("regex", "a{2,1}", False),  # redocly: invalid
    ("regex", "(?<n>a)", True),  # redocly: valid
    ("regex", "\\1", True),  # redocly: valid
    ("regex", "x{", True),  # redocly: valid
    ("regex", "(?i)a", False),  # redocly: invalid
    ("regex", "\\Z", True),  # redocly: valid
    ("regex", "a)", False),  # redocly: invalid
    ("regex", "[\\d-z]", True),  # redocly: valid
    ("json-pointer", "", True),  # redocly: valid
    ("json-pointer", "/a~2", False),  # redocly: invalid
    ("json-pointer", "/a\n", True),  # redocly: valid
    ("relative-json-pointer", "0#", True),  # redocly: valid
    ("relative-json-pointer", "01", False),  # redocly: invalid
    ("json-pointer-uri-fragment", "#/a%20b", True),  # redocly: valid
    ("json-pointer-uri-fragment", "#/\xfc", False),  # redocly: invalid
    ("uri-template", "/a{b}", True),  # redocly: valid
    ("uri-template", "/a{", False),  # redocly: invalid
    ("uri-template", "\xfc{x}", True),  # redocly: valid
    ("int32", 1, True),  # redocly: valid (a boolean is no number)
    ("int32", 2147483647, True),  # redocly: valid
    ("int32", 2147483648, False),  # redocly: invalid
    ("int32", -2147483648, True),  # redocly: valid
    ("int32", -2147483649, False),  # redocly: invalid
    ("int32", 2.5, False),  # redocly: invalid
    ("int32", 2.0, True),  # redocly: valid (Number.isInteger)
    ("int32", "abc", True),  # redocly: valid (a string: number formats do not apply)
    ("int32", True, True),  # redocly: valid (a boolean is no number)
    ("int32", 10000000000.0, False),  # redocly: invalid
    ("int64", 9223372036854775807, True),  # redocly: valid
    ("int64", 9223372036854775808, True),  # redocly: valid (no bounds: a double)
    ("int64", 1e30, True),  # redocly: valid (no bounds: a double)
    ("int64", 2.5, False),  # redocly: invalid
    ("int64", "x", True),  # redocly: valid
    ("int64", -99999999999999999999999, True),  # redocly: valid
    ("float", 1.5, True),  # redocly: valid
    ("float", "abc", True),  # redocly: valid
    ("float", 10**400, True),  # redocly: valid (always valid)
    ("double", "abc", True),  # redocly: valid
    ("double", 1, True),  # redocly: valid
    ("password", "", True),  # redocly: valid
    ("binary", "x", True),  # redocly: valid
    ("binary", 5, True),  # redocly: valid
    ("idn-email", "nope", True),  # redocly: valid (unknown to ajv-formats: ignored)
    ("idn-hostname", "-", True),  # redocly: valid
    ("iri", " ", True),  # redocly: valid
    ("iri-reference", " ", True),  # redocly: valid
    ("foo-unknown", "x", True),  # redocly: valid
    ("date", 5, True),  # redocly: valid (a number: string formats do not apply)
    ("email", 5, True),  # redocly: valid
    ("hostname", None, True),  # redocly: valid
]


@pytest.fixture(scope="module")
def checker() -> FormatChecker:
    checker = FormatChecker()
    register(checker)
    return checker


@pytest.mark.parametrize(("name", "value", "valid"), TABLE)
def test_verdict_agrees_with_redocly(checker: FormatChecker, name: str, value: object, valid: bool) -> None:
    assert checker.conforms(value, name) is valid


def test_only_ajv_formats_are_checked(checker: FormatChecker) -> None:
    # whatever jsonschema would add (idn-email here; idn-hostname, iri... with optional packages) is dropped
    assert sorted(checker.checkers) == sorted(FORMATS)
    assert "idn-email" not in checker.checkers and "float" not in checker.checkers


SPEC = (
    HEAD
    + """\
paths:
  /events:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  at: {type: string, format: time}
                  id: {type: string, format: uuid}
                  contact: {type: string, format: idn-email}
                  site: {type: string, format: url}
                  owner: {type: string, format: email}
              examples:
                good:
                  value: {at: '12:30:00Z', id: 'urn:uuid:123e4567-e89b-12d3-a456-426614174000', contact: nobody}
                bad:
                  value: {at: '12:30:00', site: 'http://localhost:8080/', owner: '"quoted"@api.test'}
"""
)


def test_lint_reports_what_redocly_reports(tmp_path: Path) -> None:
    bundled = bundle_spec(make_tree(tmp_path, {"openapi.yaml": SPEC}))
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    messages = sorted(d.message for d in found if d.code.startswith("no-invalid"))
    assert messages == [
        "response example is invalid: at: '12:30:00' is not a 'time'",
        "response example is invalid: owner: '\"quoted\"@api.test' is not a 'email'",
        "response example is invalid: site: 'http://localhost:8080/' is not a 'url'",
    ]
