"""no-unused-components counts a discriminator's mapping as a use of the schemas it names (BRP-API's
``datum-polymorf-v1.yaml``: the subtypes are reached only through ``AbstractDatum``'s mapping)."""

from __future__ import annotations

from pathlib import Path

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document
from tests.support import HEAD, make_tree

ROOT = (
    HEAD
    + """\
paths:
  /dates:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: './datum.yaml#/components/schemas/AbstractDatum'}
"""
)

DATUM = """\
components:
  schemas:
    AbstractDatum:
      type: object
      required: [type]
      properties:
        type: {type: string}
      discriminator:
        propertyName: type
        mapping:
          Datum: '#/components/schemas/VolledigeDatum'
          Jaar: JaarDatum
    VolledigeDatum:
      allOf:
        - $ref: '#/components/schemas/AbstractDatum'
        - {type: object, properties: {datum: {type: string, format: date}}}
    JaarDatum:
      allOf:
        - $ref: '#/components/schemas/AbstractDatum'
        - {type: object, properties: {jaar: {type: integer}}}
"""

LOCAL = (
    HEAD
    + """\
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        kind: {type: string}
      discriminator:
        propertyName: kind
        mapping:
          dog: '#/components/schemas/Dog'
          cat: Cat
    Dog: {type: object}
    Cat: {type: object}
    Unused: {type: object}
"""
)


def unused(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    bundled = bundle_spec(make_tree(tmp_path, files))
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled))
    return sorted(d.message for d in found if d.code == "no-unused-components")


def test_schemas_named_only_by_a_hoisted_discriminator_mapping_are_used(tmp_path: Path) -> None:
    assert unused(tmp_path, {"openapi.yaml": ROOT, "datum.yaml": DATUM}) == []


def test_mapping_values_as_references_and_as_bare_names_count(tmp_path: Path) -> None:
    assert unused(tmp_path, {"openapi.yaml": LOCAL}) == [
        "component schemas/Pet is never used",
        "component schemas/Unused is never used",
    ]
