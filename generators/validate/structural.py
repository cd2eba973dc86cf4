"""Structural validation of OpenAPI 3.0/3.1 (openapi-spec-validator), every error mapped back to its source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

import generators.validate.patches as patches
from generators.bundle.bundler import BundledSpec
from generators.bundle.refs import alias_cycles, node_at
from generators.core.diagnostics import Diagnostic, Location, Severity
from generators.core.operations import operations_of
from generators.core.pointer import to_pointer
from generators.validate.fastcheck import FastVerdict, fast_check
from generators.validate.fastcheck.walk import Parts
from generators.validate.patches import DEFAULT_MARK
from generators.validate.wording import Explained, explain, object_names

_MAX_MESSAGE = 240
_REFERENCE = "a Reference"
_LOCATION = "a Parameter Location"  # OpenAPI 3.0's "in" shapes
_LOCATIONS = ("query", "header", "path", "cookie")
CODE = "struct"  # the lint rule every structural finding belongs to (generators/lint/rules/structure.py)
STRUCTURAL_CODES = frozenset((CODE, "oas-default-invalid", "ref-circular"))  # every code validate_bundle gives
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
        return [Diagnostic(CODE, message, location=root, hint=hint, json_path="/openapi")]
    validator_class = _VALIDATORS.get(".".join(version.split(".")[:2]))
    if validator_class is None:
        return [
            Diagnostic(
                CODE,
                f"unsupported OpenAPI version '{version}'",
                location=bundled.locate("/openapi") or root,
                hint="atlas-spec reads OpenAPI 3.0, 3.1 and 3.2",
                json_path="/openapi",
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
    names = object_names(validator_class.schema_validator.schema)
    return sorted(_diagnostics(_until_the_library_fails(errors), bundled, names), key=_order)


def _until_the_library_fails(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """The library's errors; its semantic walk may crash on a document its schema check already rejected.

    openapi-spec-validator reports the JSON Schema errors first and then walks the document assuming its shapes
    (``tags: null`` raises KeyError there): what was reported by then says what is wrong. A crash before any
    error (a document the schema accepts) is reported as a finding rather than lost.
    """
    found = False
    try:
        for error in errors:
            found = True
            yield error
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - the library's walk over a malformed document, see above
        if not found:
            yield ValidationError(f"the structure could not be checked to the end ({type(exc).__name__}: {exc})")


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
            json_path=chain[0].lstrip("#") or "/",  # RFC 6901, as every finding
            hint="a cycle is only possible through a schema with content of its own (e.g. properties); break the loop",
        )
        for chain in alias_cycles(bundled.document)
    ]


def _diagnostics(
    errors: Iterable[ValidationError], bundled: BundledSpec, names: dict[int, str]
) -> Iterable[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    duplicate_ids = False
    for error in errors:
        if isinstance(error, DuplicateOperationIDError):
            duplicate_ids = True  # worded and placed below, once for all
            continue
        deepest = _deepest(error, names)
        path = bundled.canonical(
            tuple(str(p) for p in error.absolute_path)
            + tuple(str(p) for p in deepest.absolute_path)[len(error.absolute_path) :]
        )
        default_value = bool(error.schema_path) and error.schema_path[0] == DEFAULT_MARK
        found = [Explained(deepest.message, path)] if default_value else explain(deepest, path, names)
        yield from _findings(found, bundled, seen, default_value)
    if duplicate_ids:
        yield from _findings(_duplicate_operation_ids(bundled), bundled, seen, False)


def _findings(
    found: Iterable[Explained], bundled: BundledSpec, seen: set[tuple[str, str]], default_value: bool
) -> Iterator[Diagnostic]:
    for explained in found:
        message = _short(explained.message)
        location = bundled.locate(explained.path)
        key = (location.display() if location else to_pointer(explained.path), message)
        if key in seen:
            continue
        seen.add(key)
        yield Diagnostic(
            code="oas-default-invalid" if default_value else CODE,
            message=f"default value does not fit its schema: {message}" if default_value else message,
            # a default that breaks its schema is a fault of the value, not of the document's structure
            # (openapi-spec-validator reports it, Redocly's structural check does not): a warning
            severity=Severity.WARN if default_value else Severity.ERROR,
            location=location,
            json_path=to_pointer(explained.path) or "/",
            hint=explained.hint,
        )


def _duplicate_operation_ids(bundled: BundledSpec) -> Iterator[Explained]:
    """Each operation under ``paths`` whose operationId an earlier one has, worded and placed as the lint rule
    ``operation-operationId-unique`` does (paths in written order, methods in ``HTTP_METHODS`` order, at the
    ``operationId`` key), so ``lint`` reports it once; the library's "Operation ID 'x' for 'get' in '/b' is not
    unique" points at the operation and names no other."""
    first: dict[str, str] = {}
    paths = bundled.document.get("paths")
    for key in paths if isinstance(paths, dict) else ():
        item_path = bundled.canonical(("paths", str(key)))
        item = node_at(bundled.document, item_path) if not str(key).startswith("x-") else None
        for method, operation in operations_of(item) if isinstance(item, dict) else ():
            value, label = operation.get("operationId"), f"{method.upper()} {key}"
            if isinstance(value, str) and value in first:
                message = f"operationId '{value}' of {label} is already used by {first[value]}"
                yield Explained(message, (*item_path, method, "operationId"), "rename one of them")
            elif isinstance(value, str):
                first[value] = label


def _deepest(error: ValidationError, names: dict[int, str]) -> ValidationError:
    """For oneOf/anyOf failures, the sub-error that explains most (jsonschema's best_match).

    OpenAPI 3.0's schema offers "a Reference or the object" almost everywhere: an object without ``$ref`` is
    not meant as a Reference, so "'$ref' is a required property" never explains it (nor the object's errors
    a broken ``$ref``).
    """
    while error.context:
        if names.get(id(error.schema)) == _LOCATION:
            return _location_error(error)
        meant_ref = isinstance(error.instance, dict) and "$ref" in error.instance
        relevant = [e for e in error.context if (names.get(id(e.schema)) == _REFERENCE) == meant_ref]
        better = best_match(relevant or error.context)
        if better is None or len(better.absolute_path) < len(error.absolute_path):
            break
        error = better
    return error


def _location_error(error: ValidationError) -> ValidationError:
    """OpenAPI 3.0 checks ``in`` as "one of four shapes" (path: required; query; header; cookie): a misspelt
    location fails all four, and each alternative's complaint misleads; say what is wrong with ``in`` itself."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    where = instance.get("in")
    if where == "path" and instance.get("required") is not True:
        at = [*error.absolute_path, "required"] if "required" in instance else list(error.absolute_path)
        return ValidationError("a path parameter needs 'required: true'", validator="const", instance=instance, path=at)
    if where in _LOCATIONS:
        return best_match(error.context) or error
    return ValidationError(
        f"{where!r} is not one of {list(_LOCATIONS)!r}",
        validator="enum",
        validator_value=list(_LOCATIONS),
        instance=where,
        path=[*error.absolute_path, "in"],
    )


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _order(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    loc = diagnostic.location
    return (loc.file, loc.line, loc.col, diagnostic.message) if loc else ("", 0, 0, diagnostic.message)
