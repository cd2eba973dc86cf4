"""Structural validation of OpenAPI 3.0/3.1 (openapi-spec-validator), every error mapped back to its source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator

import generators.validate.patches as patches
from generators.bundle.bundler import BundledSpec
from generators.bundle.refs import alias_cycles
from generators.core.diagnostics import Diagnostic, Location, Severity
from generators.core.pointer import to_pointer
from generators.validate.fastcheck import FastVerdict, fast_check
from generators.validate.fastcheck.walk import Parts
from generators.validate.patches import DEFAULT_MARK

_MAX_MESSAGE = 240
_VALIDATORS: dict[str, Any] = {
    "3.0": OpenAPIV30SpecValidator,
    "3.1": OpenAPIV31SpecValidator,
    "3.2": OpenAPIV32SpecValidator,
}


def validate_bundle(bundled: BundledSpec, fast: bool = True) -> list[Diagnostic]:
    """Every structural error of the bundled document, each at the source file:line:col it came from.

    ``fast=False`` skips the fast path and runs openapi-spec-validator alone (the reference the tests compare with).
    """
    patches.apply()
    document = bundled.document
    version = document.get("openapi")
    root = Location(str(bundled.root_file), 1, 1)
    if not isinstance(version, str):
        hint = "this looks like Swagger 2.0: convert it to OpenAPI 3.x" if "swagger" in document else None
        message = "the root has no 'openapi' version string (e.g. openapi: 3.1.0)"
        return [Diagnostic("oas-version", message, location=root, hint=hint)]
    validator_class = _VALIDATORS.get(".".join(version.split(".")[:2]))
    if validator_class is None:
        return [
            Diagnostic(
                "oas-version",
                f"unsupported OpenAPI version '{version}'",
                location=root,
                hint="atlas-spec reads OpenAPI 3.0, 3.1 and 3.2",
            )
        ]
    cycles = _alias_cycles(bundled)
    if cycles:  # the validator would follow them forever
        return cycles
    minor = ".".join(version.split(".")[:2])
    checked = _without_path_extensions(document)
    verdict = fast_check(checked, minor) if fast else FastVerdict(False, "fast path off")
    validator = validator_class(checked)
    # the fast path decides most documents in a fraction of the time; the library words (and locates) findings
    errors = _default_errors(validator, verdict.defaults) if verdict.clean else validator.iter_errors()
    return sorted(_diagnostics(errors, bundled), key=_order)


def _default_errors(validator: Any, defaults: list[tuple[Parts, Any]]) -> Iterator[ValidationError]:
    """The library's own check of each default the fast walk found, errors tagged as its full walk tags them."""
    check_default = validator.keyword_validators_registry["default"]
    for parts, value in defaults:
        node = validator.schema_path
        for part in parts:
            # one part each, as the library's own walk makes them: '/' splits a key like "/a#op=x" at '#'
            node = node._make_child_relpath(part)
        yield from check_default(node, value)


def _without_path_extensions(document: dict[str, Any]) -> dict[str, Any]:
    """``paths`` without its ``x-`` keys: openapi-spec-validator reads them as path items and fails on a string."""
    paths = document.get("paths")
    if not isinstance(paths, dict) or not any(str(k).startswith("x-") for k in paths):
        return document
    return {**document, "paths": {k: v for k, v in paths.items() if not str(k).startswith("x-")}}


def _alias_cycles(bundled: BundledSpec) -> list[Diagnostic]:
    return [
        Diagnostic(
            "ref-circular",
            f"circular $ref with no way out: {' -> '.join(chain)}",
            location=bundled.locate(chain[0] + "/$ref"),
            json_path=chain[0],
            hint="a cycle is only possible through a schema with content of its own (e.g. properties); break the loop",
        )
        for chain in alias_cycles(bundled.document)
    ]


def _diagnostics(errors: Iterable[ValidationError], bundled: BundledSpec) -> Iterable[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    for error in errors:
        deepest = _deepest(error)
        path = bundled.canonical(
            tuple(str(p) for p in error.absolute_path)
            + tuple(str(p) for p in deepest.absolute_path)[len(error.absolute_path) :]
        )
        message = _short(deepest.message)
        location = bundled.locate(path)
        key = (location.display() if location else to_pointer(path), message)
        if key in seen:
            continue
        seen.add(key)
        default_value = bool(error.schema_path) and error.schema_path[0] == DEFAULT_MARK
        yield Diagnostic(
            code="oas-default-invalid" if default_value else "oas-structure",
            message=f"default value does not fit its schema: {message}" if default_value else message,
            # a default that breaks its schema is a fault of the value, not of the document's structure
            # (openapi-spec-validator reports it, Redocly's structural check does not): a warning
            severity=Severity.WARN if default_value else Severity.ERROR,
            location=location,
            json_path="#" + to_pointer(path),
            hint=_hint(deepest),
        )


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the sub-error that explains most (jsonschema's best_match)."""
    while error.context:
        better = best_match(error.context)
        if better is None or len(better.absolute_path) < len(error.absolute_path):
            break
        error = better
    return error


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _hint(error: ValidationError) -> str | None:
    if error.validator == "additionalProperties":
        return "remove the key, or prefix vendor extensions with 'x-'"
    if error.validator == "required":
        return "add the missing field"
    return None


def _order(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    loc = diagnostic.location
    return (loc.file, loc.line, loc.col, diagnostic.message) if loc else ("", 0, 0, diagnostic.message)
