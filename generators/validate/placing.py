"""Structural errors (jsonschema's, from the OAS schema or a default's own schema) in our words, at their places.

``library`` places openapi-spec-validator's errors here; the fast path places the errors of the defaults it
judges itself (``fastcheck.defaults``) the same way, without importing that library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jsonschema.exceptions import ValidationError, best_match

from generators.bundle.bundler import BundledSpec
from generators.core.diagnostics import Diagnostic, Severity
from generators.core.pointer import to_pointer
from generators.validate.wording import Explained, explain

CODE = "struct"
DEFAULT_MARK = "atlas-spec:default-value"  # heads the schema_path of an error found in a default value
_MAX_MESSAGE = 240
_REFERENCE = "a Reference"
_LOCATION = "a Parameter Location"  # OpenAPI 3.0's "in" shapes
_LOCATIONS = ("query", "header", "path", "cookie")


def place(
    error: ValidationError, bundled: BundledSpec, names: dict[int, str], seen: set[tuple[str, str]]
) -> Iterator[Diagnostic]:
    """``error`` worded and placed; ``names``: the OAS schema's named objects (``wording.object_names``);
    ``seen``: what was already reported (each place and message once)."""
    deepest = _deepest(error, names)
    path = bundled.canonical(
        tuple(str(p) for p in error.absolute_path)
        + tuple(str(p) for p in deepest.absolute_path)[len(error.absolute_path) :]
    )
    default_value = bool(error.schema_path) and error.schema_path[0] == DEFAULT_MARK
    found = [Explained(deepest.message, path)] if default_value else explain(deepest, path, names)
    yield from findings(found, bundled, seen, default_value)


def findings(
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
