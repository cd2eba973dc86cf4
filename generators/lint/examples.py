"""Validate example values against their schemas: JSON Schema 2020-12 for OpenAPI 3.1, draft-04 for 3.0.

Speed matters (GitHub's description holds thousands of examples), so validator classes are built once per
(draft, direction), one validator per schema pointer is cached, schemas are reached by ``$ref`` into the
document itself (never copied), and an (example, schema) pair is validated once however often it is used.
OpenAPI 3.0 ``nullable`` is honoured; in a request a ``readOnly`` property may be missing, in a response a
``writeOnly`` one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import jsonschema
from jsonschema import _keywords
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from generators.lint.compiled import Compiler, Unsupported
from generators.refs import node_at, parse_pointer
from generators.regex_guard import GUARDED_KEYWORDS

_DOC = "urn:atlas-spec:document"
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_FORMATS = jsonschema.FormatChecker()
_SKIP = {"request": "readOnly", "response": "writeOnly", "schema": None}
MAX_ERRORS = 3


def _int_format(bounds: tuple[int, int]) -> Any:
    def check(value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return True
        return bounds[0] <= value <= bounds[1]

    return check


for _name, _bounds in _INT_FORMATS.items():
    _FORMATS.checks(_name)(_int_format(_bounds))


def _nullable(keyword: Any) -> Any:
    """Wrap a draft-04 keyword so that ``null`` passes where the schema says ``nullable: true`` (OpenAPI 3.0)."""

    def check(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if instance is None and schema.get("nullable") is True:
            return
        yield from keyword(validator, value, instance, schema)

    return check


def _required(skip: str | None) -> Any:
    """``required`` that lets a ``readOnly`` (request) or ``writeOnly`` (response) property be absent."""

    def check(validator: Any, required: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if not isinstance(instance, dict) or not isinstance(required, list):
            return
        properties = schema.get("properties")
        for name in required:
            if name in instance:
                continue
            prop = properties.get(name) if isinstance(properties, dict) and skip else None
            if isinstance(prop, dict) and prop.get(skip) is True:
                continue
            yield ValidationError(f"{name!r} is a required property")

    return check


def _classes() -> dict[tuple[str, str], type[Validator]]:
    classes: dict[tuple[str, str], type[Validator]] = {}
    for direction, skip in (("request", "readOnly"), ("response", "writeOnly"), ("schema", None)):
        v30 = {
            k: _nullable(getattr(_keywords, k.replace("$", "")))
            for k in ("type", "enum", "allOf", "anyOf", "oneOf", "$ref")
        }
        v30["required"] = _required(skip)
        # patterns that may backtrack for ever are not evaluated (generators/regex_guard.py)
        classes["3.0", direction] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
            jsonschema.Draft4Validator, {**v30, **GUARDED_KEYWORDS}
        )
        classes["3.1", direction] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
            jsonschema.Draft202012Validator, {"required": _required(skip), **GUARDED_KEYWORDS}
        )
    return classes


_CLASSES = _classes()


class ExampleValidator:
    """Validates values against schemas of one bundled document; built once per lint run."""

    def __init__(self, document: dict[str, Any], version: str) -> None:
        spec = DRAFT4 if version == "3.0" else DRAFT202012
        self._registry: Registry[Any] = Registry().with_resource(_DOC, spec.create_resource(document))
        self._version = version
        self._validators: dict[tuple[str, str], Validator] = {}
        self._done: set[tuple[int, str, str]] = set()
        self._document = document
        self._compilers = {d: Compiler(self._lookup, version, _FORMATS, skip) for d, skip in _SKIP.items()}

    def _lookup(self, ref: str) -> Any:
        try:
            return node_at(self._document, parse_pointer(ref[1:]))
        except ValueError:
            return None

    def is_valid(self, value: Any, schema_pointer: str, direction: str) -> bool | None:
        """The compiled yes/no answer; None when the schema needs jsonschema itself."""
        try:
            schema = self._lookup("#" + quote(schema_pointer, safe="/~-._"))
            return self._compilers[direction].compile(schema)(value)
        except (Unsupported, RecursionError, re.error):
            return None

    def errors(self, value: Any, schema_pointer: str, direction: str) -> list[ValidationError]:
        """The first few errors of ``value`` against the schema at ``schema_pointer`` (each pair checked once)."""
        key = (id(value), schema_pointer, direction)
        if key in self._done:
            return []
        self._done.add(key)
        if self.is_valid(value, schema_pointer, direction):
            return []
        return self.jsonschema_errors(value, schema_pointer, direction)

    def jsonschema_errors(self, value: Any, schema_pointer: str, direction: str) -> list[ValidationError]:
        """The first few errors according to jsonschema itself (the reference the compiled check must match)."""
        validator = self._validators.get((schema_pointer, direction))
        if validator is None:
            wrapper = {"$ref": f"{_DOC}#{quote(schema_pointer, safe='/~-._')}"}
            validator = _CLASSES[self._version, direction](wrapper, registry=self._registry, format_checker=_FORMATS)
            self._validators[schema_pointer, direction] = validator
        found = []
        try:
            for error in validator.iter_errors(value):
                found.append(error)
                if len(found) >= MAX_ERRORS:
                    break
        except re.error:
            # a schema pattern Python cannot compile (e.g. ``\p{L}``): validate reports the pattern itself;
            # the example cannot be judged against it
            return []
        return found


def describe(error: ValidationError) -> str:
    """A short message: where in the example, and what is wrong (instances are never dumped whole)."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path) or "the value"
    where = where.lstrip(".")
    text = error.message
    if len(text) > 140:
        text = _shorten(error)
    return f"{where}: {text}"


def _shorten(error: ValidationError) -> str:
    keyword, expected = error.validator, error.validator_value
    if keyword == "type":
        return f"is {type(error.instance).__name__}, expected {expected}"
    if keyword in ("oneOf", "anyOf"):
        return f"matches {'none' if keyword == 'anyOf' else 'not exactly one'} of the {keyword} alternatives"
    if keyword == "enum":
        return f"is not one of {_cut(repr(expected))}"
    if keyword == "additionalProperties":
        return _cut(re.sub(r"\s+", " ", error.message))
    return f"fails {keyword}: {_cut(repr(expected))}"


def _cut(text: str, size: int = 100) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
