"""Spec ``pattern``s reach the validator libraries only as ECMA-262, evaluated under a time budget.

jsonschema evaluates ``pattern``, ``patternProperties``, ``additionalProperties`` and
``unevaluatedProperties`` with Python's ``re``: a backtracking engine that hangs on ``^(a|a)+$`` (a syntactic
guard against such shapes cannot be complete: overlapping alternation and adjacent quantifiers slipped past the
old one) and refuses valid ECMA-262 such as ``\\p{L}``. ``install()`` makes those keywords, and the ``regex``
format that openapi-spec-validator checks every ``pattern`` with, use ``generators.core.ecma_regex`` instead.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import jsonschema
from jsonschema import _format, _keywords, _legacy_keywords, _utils

import generators.core.ecma_regex as ecma_regex


class _SpecRe:
    """Stands in for ``re`` inside jsonschema's keyword modules, which call only ``re.search``."""

    error = re.error

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> bool | None:
        return True if ecma_regex.search(pattern, string) else None


def is_ecma_regex(instance: object) -> bool:
    """The ``regex`` format: a string is one when it is a valid ECMA-262 regular expression."""
    return not isinstance(instance, str) or ecma_regex.pattern_error(instance) is None


_installed: set[str] = set()


def install() -> None:
    """Route every spec pattern jsonschema or openapi-spec-validator evaluates through ``ecma_regex`` (once each).

    openapi-schema-validator's format checkers are patched only once that library is imported (it imports
    pydantic: 0.1 s the example rules do without); the validate layer imports it before calling this.
    """
    if "jsonschema" not in _installed:
        for module in (_keywords, _utils, _legacy_keywords):
            module.re = _SpecRe  # type: ignore[attr-defined]
        _patch([jsonschema.FormatChecker, *vars(_format).values()])
        _installed.add("jsonschema")
    oas_format = sys.modules.get("openapi_schema_validator._format")
    if oas_format is not None and "openapi-schema-validator" not in _installed:
        _patch(list(vars(oas_format).values()))
        _installed.add("openapi-schema-validator")


def _patch(candidates: list[Any]) -> None:
    for checker in candidates:
        is_checker = checker is jsonschema.FormatChecker or isinstance(checker, jsonschema.FormatChecker)
        if is_checker and "regex" in checker.checkers:
            checker.checkers["regex"] = (is_ecma_regex, ())
