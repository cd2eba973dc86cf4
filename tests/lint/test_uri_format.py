"""Example values are checked against ``format: uri`` (an absolute URI), as Redocly does: influxdata/openapi's
bucket examples give links such as ``self: /api/v2/buckets?...`` to properties declared ``format: uri``; jsonschema
checks that format only with an optional package, so they passed unseen."""

from __future__ import annotations

from pathlib import Path

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document
from tests.support import HEAD, make_tree

SPEC = (
    HEAD
    + """\
paths:
  /buckets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  self: {type: string, format: uri}
                  next: {type: string, format: uri-reference}
              examples:
                relative:
                  value: {self: /api/v2/buckets?limit=20, next: /api/v2/buckets?offset=20}
                absolute:
                  value: {self: 'https://api.test/api/v2/buckets?limit=20', next: 'urn:x:1'}
components:
  schemas:
    Link:
      type: string
      format: uri
      example: mailto:team@api.test
"""
)


def test_a_relative_reference_is_no_uri_an_absolute_one_is(tmp_path: Path) -> None:
    bundled = bundle_spec(make_tree(tmp_path, {"openapi.yaml": SPEC}))
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled))
    examples = [(d.code, d.message) for d in found if d.code.startswith("no-invalid")]
    assert examples == [
        (
            "no-invalid-media-type-examples",
            "response example is invalid: self: '/api/v2/buckets?limit=20' is not a 'uri'",
        )
    ]
