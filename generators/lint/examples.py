"""Validate example values against their schemas: JSON Schema 2020-12 for OpenAPI 3.1, draft-04 for 3.0.

Speed matters (GitHub's description holds thousands of examples), so validator classes are built once per
(draft, direction), one validator per schema pointer is cached, schemas are reached by ``$ref`` into the
document itself (never copied), and an (example, schema) pair is validated once however often it is used.
OpenAPI 3.0 ``nullable`` is honoured; in a request a ``readOnly`` property may be missing, in a response a
``writeOnly`` one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any
from urllib.parse import quote

import jsonschema
from jsonschema import _keywords, _utils
from jsonschema.exceptions import UnknownType, ValidationError
from jsonschema.protocols import Validator
from jsonschema_specifications import REGISTRY as SPECIFICATIONS  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

import generators.core.regex_guard as regex_guard
import generators.lint.formats as formats
import generators.validate.pruning as pruning
from generators.bundle.refs import alias_cycles
from generators.core.pointer import node_at, parse_fragment, pointer_parts
from generators.lint.compiled import SHARED, Compiler, DirectionMatters

_DOC = "urn:atlas-spec:document"
regex_guard.install()  # every `pattern` jsonschema evaluates here is ECMA-262, under a time budget
_FORMATS = jsonschema.FormatChecker()
formats.register(_FORMATS)  # exactly the formats Redocly checks examples with (ajv-formats' full mode)
_SKIP = {"request": "readOnly", "response": "writeOnly", "schema": None}
MAX_ERRORS = 3
_LOOK_UP: Any = object()  # errors() finds the schema node by its pointer
# keys that change how the refs inside a schema resolve (a new base URI or dialect)
_RESOURCE_KEYS = frozenset(("$id", "id", "$schema"))


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


_JSONSCHEMA_ADDITIONAL: Any = _keywords.additionalProperties  # (its stub says it returns None: it yields)


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """jsonschema's ``additionalProperties``, the extra properties taken in the value's order.

    jsonschema takes them from a set, whose order follows the process's string hash seed: which errors came
    first, and so which ``MAX_ERRORS`` were reported, changed from one run to the next.
    """
    if validator.is_type(instance, "object") and validator.is_type(additional, "object"):
        for extra in _utils.find_additional_properties(instance, schema):
            yield from validator.descend(instance[extra], additional, path=extra)
        return
    yield from _JSONSCHEMA_ADDITIONAL(validator, additional, instance, schema)


def _classes() -> dict[tuple[str, str], type[Validator]]:
    classes: dict[tuple[str, str], type[Validator]] = {}
    for direction, skip in (("request", "readOnly"), ("response", "writeOnly"), ("schema", None)):
        v30 = {
            k: _nullable(getattr(_keywords, k.replace("$", "")))
            for k in ("type", "enum", "allOf", "anyOf", "oneOf", "$ref")
        }
        v30["required"] = _required(skip)
        v30["additionalProperties"] = _additional_properties
        classes["3.0", direction] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
            jsonschema.Draft4Validator, v30
        )
        classes["3.1", direction] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
            jsonschema.Draft202012Validator,
            {"required": _required(skip), "additionalProperties": _additional_properties},
        )
    return classes


_CLASSES = _classes()


class ExampleValidator:
    """Validates values against schemas of one bundled document; built once per lint run."""

    def __init__(self, document: dict[str, Any], version: str, local_refs: Collection[str] | None = None) -> None:
        self._local_refs = local_refs  # the bundler's, when known: finding loops of refs then needs no walk
        self._registry: Registry[Any] | None = None  # for jsonschema, built when first needed
        self._version = version
        self._spec = DRAFT4 if version == "3.0" else DRAFT202012
        self._validators: dict[tuple[str, str, bool], Validator] = {}
        self._pruned: dict[str, type[Validator]] = {}
        self._done: set[tuple[int, str, str]] = set()
        self._by_content: dict[tuple[str, str, str], list[ValidationError]] = {}
        self._document = document
        # one compiler serves every direction (most schemas are used in requests and responses alike); a
        # direction's own compiler only judges values whose verdict depends on readOnly/writeOnly
        self._shared = Compiler(self._lookup, version, _FORMATS, SHARED)
        self._compilers: dict[str, Compiler] = {}

    def _schema_at(self, pointer: str) -> Any:
        if pointer.startswith("/"):  # a JSON pointer the rules built: no percent-encoding to undo
            return node_at(self._document, pointer_parts(pointer))
        return self._lookup("#" + quote(pointer, safe="/~-._"))

    def _lookup(self, ref: str) -> Any:
        try:
            return node_at(self._document, parse_fragment(ref[1:]))
        except ValueError:
            return None

    def is_valid(self, value: Any, schema_pointer: str, direction: str) -> bool | None:
        """The compiled yes/no answer; None when the schema needs jsonschema itself."""
        try:
            return self.compiled(self._schema_at(schema_pointer), value, direction)
        except Exception:  # noqa: BLE001 - Unsupported, or a malformed schema: jsonschema gives the verdict
            return None

    def compiled(self, schema: Any, value: Any, direction: str) -> bool:
        """The compiled check of ``value`` against the ``schema`` node (raises ``Unsupported``)."""
        try:
            return self._shared.compile(schema)(value)
        except DirectionMatters:
            compiler = self._compilers.get(direction)
            if compiler is None:
                compiler = self._compilers[direction] = Compiler(
                    self._lookup, self._version, _FORMATS, _SKIP[direction]
                )
            return compiler.compile(schema)(value)

    def errors(self, value: Any, schema_pointer: str, direction: str, schema: Any = _LOOK_UP) -> list[ValidationError]:
        """The first few errors of ``value`` against the schema at ``schema_pointer`` (each pair checked once).

        ``schema`` is the node at ``schema_pointer`` when the caller holds it (saves looking it up).
        """
        key = (id(value), schema_pointer, direction)
        if key in self._done:
            return []
        self._done.add(key)
        if schema is _LOOK_UP:
            if self.is_valid(value, schema_pointer, direction):
                return []
        else:
            try:
                if self.compiled(schema, value, direction):
                    return []
            except Exception:  # noqa: BLE001 - Unsupported, or a malformed schema: jsonschema gives the verdict
                pass
        return self.first_errors(value, schema_pointer, direction)

    def first_errors(self, value: Any, schema_pointer: str, direction: str) -> list[ValidationError]:
        """The errors ``jsonschema_errors`` gives, found faster.

        Descriptions repeat themselves (GitHub's has 540 parameters whose example ``12312312`` is not a
        string), so the errors of an equal schema and an equal value are reused: errors depend on content
        only (their paths are relative to the value), unless an enclosing ``$id`` changes what a ``$ref``
        inside means, in which case nothing is reused. And jsonschema skips every subschema the compiled
        check passes (an invalid webhook payload is mostly valid): such a subschema yields no error.
        """
        key = self._content_key(value, schema_pointer, direction)
        if key is None:
            return self._run(value, schema_pointer, direction, pruned=True)
        found = self._by_content.get(key)
        if found is None:
            found = self._by_content[key] = self._run(value, schema_pointer, direction, pruned=True)
        return found

    def jsonschema_errors(self, value: Any, schema_pointer: str, direction: str) -> list[ValidationError]:
        """The first few errors according to jsonschema alone (the reference the compiled check must match)."""
        return self._run(value, schema_pointer, direction, pruned=False)

    def _content_key(self, value: Any, schema_pointer: str, direction: str) -> tuple[str, str, str] | None:
        if not schema_pointer.startswith("/"):
            return None
        node: Any = self._document
        for segment in pointer_parts(schema_pointer):
            if isinstance(node, dict) and any(key in node for key in _RESOURCE_KEYS):
                return None  # this or an enclosing schema may set a new base URI or dialect
            node = node.get(segment) if isinstance(node, dict) else _item(node, segment)
        try:
            key = (direction, repr(node), repr(value))
        except RecursionError:
            return None
        # NaN is not equal to itself: a value holding one is never "equal" to another
        return None if "nan" in key[1] or "nan" in key[2] else key

    def _run(self, value: Any, schema_pointer: str, direction: str, pruned: bool) -> list[ValidationError]:
        validator = self._validators.get((schema_pointer, direction, pruned))
        if validator is None:
            wrapper = {"$ref": f"{_DOC}#{quote(schema_pointer, safe='/~-._')}"}
            cls = self._pruned_class(direction) if pruned else _CLASSES[self._version, direction]
            # the resolver jsonschema would make from the registry, but with the meta-schemas combined in once
            # (jsonschema combines them for every validator: 117 times on GitHub's description)
            resource = self._spec.create_resource(wrapper)
            resolver = self._jsonschema_registry().resolver_with_root(resource)
            validator = cls(wrapper, format_checker=_FORMATS, _resolver=resolver)  # type: ignore[call-arg]
            self._validators[schema_pointer, direction, pruned] = validator
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
        except Exception as exc:  # a malformed schema (``type: objet``) must not end the lint run
            raise Unjudgeable(_why(exc)) from exc
        except BaseException as exc:
            # a RecursionError inside rpds (the Rust maps under referencing) comes back as pyo3's
            # PanicException, a BaseException: refs that loop without end ($ref: '#/X' at #/X) raise it
            if type(exc).__name__ != "PanicException":
                raise
            raise Unjudgeable("its schema nests too deeply, or its $refs loop without end") from None
        return found

    def _jsonschema_registry(self) -> Registry[Any]:
        """The document as jsonschema resolves refs in it, with each ref that only leads to refs looping back
        (``X: {$ref: '#/X'}``, validate's ``ref-circular``) made ``{}``: jsonschema would follow it until the
        recursion limit, which rpds under it turns into a Rust panic on stderr."""
        if self._registry is None:
            document = _without_ref_loops(self._document, self._local_refs)
            own = Registry().with_resource(_DOC, self._spec.create_resource(document))
            self._registry = SPECIFICATIONS.combine(own)
        return self._registry

    def _pruned_class(self, direction: str) -> type[Validator]:
        """The direction's validator class that skips every (subschema, value) pair the compiled check passes."""
        cls = self._pruned.get(direction)
        if cls is None:
            passes = pruning.Passes(lambda schema, instance: self.compiled(schema, instance, direction))
            base = _CLASSES[self._version, direction]
            cls = self._pruned[direction] = pruning.pruned(base, passes, _FIRST_ERROR)
        return cls


def _without_ref_loops(document: dict[str, Any], known: Collection[str] | None) -> dict[str, Any]:
    """``document`` with every node of a loop of refs replaced by ``{}``; the containers on the way to them are
    copied, the rest shared (a description has no such loop, and then nothing is copied)."""
    loops = alias_cycles(document, known)  # GitHub: 6 ms with the bundler's refs, 85 ms without
    if not loops:
        return document
    copied: dict[str, Any] = dict(document)
    for ref in {ref for loop in loops for ref in loop}:
        try:
            segments = parse_fragment(ref[1:])
        except ValueError:
            continue
        node: Any = copied
        for segment in segments[:-1]:
            child = node.get(segment) if isinstance(node, dict) else _item(node, segment)
            if not isinstance(child, (dict, list)):
                break
            child = dict(child) if isinstance(child, dict) else list(child)
            if isinstance(node, dict):
                node[segment] = child
            else:
                node[int(segment)] = child
            node = child
        else:
            if isinstance(node, dict) and segments:
                node[segments[-1]] = {}
            elif isinstance(node, list) and segments and segments[-1].isdigit() and int(segments[-1]) < len(node):
                node[int(segments[-1])] = {}
    return copied


_FIRST_ERROR = frozenset(("anyOf", "oneOf"))  # the findings word the error itself, never its context


class Unjudgeable(Exception):
    """A value cannot be checked against its schema: the schema itself is malformed (the reason says how)."""


def _why(exc: Exception) -> str:
    if isinstance(exc, UnknownType):
        return f"its schema names an unknown type {_cut(repr(exc.type), 40)}"
    if isinstance(exc, RecursionError):
        return "its schema nests too deeply"
    return f"its schema is malformed ({type(exc).__name__}: {_cut(str(exc).splitlines()[0] if str(exc) else '', 80)})"


def _item(node: Any, segment: str) -> Any:
    if isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
        return node[int(segment)]
    return None


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
