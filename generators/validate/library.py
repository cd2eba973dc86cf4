"""openapi-spec-validator's verdict on a document, each of its errors in our words at its source place.

Imported only when the fast path (``fastcheck``) cannot say "clean" on its own, or when a default needs
judging: the library and its dependencies take 0.15 s to import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

import generators.validate.patches as patches
import generators.validate.pruning as pruning
from generators.bundle.aliases import alias_ends, collapse_aliases
from generators.bundle.bundler import BundledSpec
from generators.core.diagnostics import Diagnostic
from generators.core.operations import ADDITIONAL_OPERATIONS, HTTP_METHODS, METHODS_3_1
from generators.core.pointer import node_at
from generators.validate.fastcheck.walk import Parts, TooDeep
from generators.validate.placing import findings, place
from generators.validate.wording import Explained, object_names

_VALIDATORS: dict[str, Any] = {
    "3.0": OpenAPIV30SpecValidator,
    "3.1": OpenAPIV31SpecValidator,
    "3.2": OpenAPIV32SpecValidator,
}


def library_findings(
    bundled: BundledSpec,
    document: dict[str, Any],
    minor: str,
    defaults: list[tuple[Parts, Any]] | None,
    pruned: bool = False,
) -> list[Diagnostic]:
    """The library's findings on ``document`` (OpenAPI ``minor``), unsorted.

    ``defaults``: the fast path found the document clean; only these defaults need the library's judgement
    (None: the library walks the whole document). ``pruned``: the library skips what the compiled checks and
    the fast walk prove valid (``_prune``: the same errors; GitHub's description with one error, 13 s -> 1.2 s).
    """
    patches.apply()
    validator_class = _VALIDATORS[minor]
    # its walk reads every ref on a chain of refs to the end, each time (quadratic, then a RecursionError): it
    # walks a copy whose refs name their chain's end (the same nodes); its schema check reads the refs as written
    walked = collapse_aliases(document, alias_ends(document, bundled.local_refs))
    validator = validator_class(walked)
    validator.schema = document
    if pruned and defaults is None:
        _prune(validator, minor, walked)
    errors = _default_errors(validator, defaults) if defaults is not None else validator.iter_errors()
    names = object_names(validator_class.schema_validator.schema)
    return list(_diagnostics(_until_the_library_fails(errors), bundled, names))


def _prune(validator: Any, minor: str, document: dict[str, Any]) -> None:
    """Let ``validator`` (one run's) skip what is proved valid: in its check of the document against the OAS
    schema (``pruning``), its meta-schema check of each Schema Object, and its walk over the Path Items and
    Schema Objects (``_Shortcuts``; both through ``patches``)."""
    from generators.validate.fastcheck import library_shortcuts

    library_schema = type(validator).schema_validator  # a lazy proxy: its __class__ is the validator's
    schema_check, meta_check = library_shortcuts(minor, document, library_schema.schema)
    if schema_check is not None:
        validator_class = pruning.pruned(library_schema.__class__, pruning.Passes(schema_check))
        validator.schema_validator = validator_class(library_schema.schema)
    if meta_check is not None:
        registry = validator.keyword_validators_registry
        registry["schema"].atlas_meta_valid = meta_check
        shortcuts = _Shortcuts(registry, document, meta_check, minor)
        registry["schema"].atlas_skip_schema = shortcuts.schema
        registry["path"].atlas_skip_path = shortcuts.path


class _Shortcuts:
    """Whether the library's walk over one Path Item or Schema Object would find nothing (then it is skipped):
    the fast walk over the same nodes, sharing the library's visited and meta-checked schema ids and its
    operationIds, every default it meets settled. A walk that finds something, or meets a default it cannot
    settle, takes back what it marked and says no: the library then walks that node itself (and asks again
    of the nodes below it)."""

    def __init__(self, registry: Any, document: dict[str, Any], meta_check: Any, minor: str) -> None:
        from generators.validate.fastcheck.walk import KeywordWalk

        self._minor = minor
        schemas = registry["schema"]
        self._marks = (
            _Marks(schemas.visited_schema_ids),
            _Marks(schemas.meta_checked_schema_ids),
            _Marks(registry["operation"].operation_ids_registry),
        )
        self._walk = KeywordWalk(document, meta_check, *self._marks, oas32=minor == "3.2")

    def path(self, url: str, value: Any) -> bool:
        return self._clean(lambda: self._walk.path(url, value))

    def schema(self, value: Any, require_properties: bool, meta_checked: bool, parts: Parts = ()) -> bool:
        return self._clean(lambda: self._walk.schema(value, require_properties, meta_checked, parts))

    def _clean(self, walk: Callable[[], None]) -> bool:
        from generators.validate.fastcheck.defaults import unsettled
        from generators.validate.fastcheck.resources import Unsupported

        defaults = self._walk.defaults
        before = len(defaults)
        for marks in self._marks:
            marks.added = 0
        try:
            walk()
            clean = next(unsettled(self._minor, defaults[before:]), None) is None
        except (Unsupported, RecursionError):
            clean = False
        del defaults[before:]  # settled, or left to the library with the node
        if not clean:
            for marks in self._marks:
                marks.take_back()
        return clean


class _Marks:
    """One of the library's registries (a list it appends to) as the fast walk's set, counting what it adds."""

    def __init__(self, items: list[Any]) -> None:
        self._items = items
        self.added = 0

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def add(self, key: Any) -> None:
        self._items.append(key)
        self.added += 1

    def take_back(self) -> None:
        del self._items[len(self._items) - self.added :]  # the library's id lists keep their sets in step
        self.added = 0


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
    except (RecursionError, MemoryError, TooDeep):
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


def _diagnostics(
    errors: Iterable[ValidationError], bundled: BundledSpec, names: dict[int, str]
) -> Iterable[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    duplicate_ids = False
    for error in errors:
        if isinstance(error, DuplicateOperationIDError):
            duplicate_ids = True  # worded and placed below, once for all
            continue
        yield from place(error, bundled, names, seen)
    if duplicate_ids:
        yield from findings(_duplicate_operation_ids(bundled), bundled, seen, False)


def _duplicate_operation_ids(bundled: BundledSpec) -> Iterator[Explained]:
    """Each operation under ``paths`` whose operationId an earlier one has, worded and placed as the lint rule
    ``operation-operationId-unique`` does (paths in written order, methods in ``HTTP_METHODS`` order, at the
    ``operationId`` key), so ``lint`` reports it once; the library's "Operation ID 'x' for 'get' in '/b' is not
    unique" points at the operation and names no other."""
    first: dict[str, str] = {}
    oas32 = str(bundled.document.get("openapi", "")).startswith("3.2")
    paths = bundled.document.get("paths")
    for key in paths if isinstance(paths, dict) else ():
        item_path = bundled.canonical(("paths", str(key)))
        item = node_at(bundled.document, item_path) if not str(key).startswith("x-") else None
        for segments, method, operation in _walked_operations(item, oas32) if isinstance(item, dict) else ():
            value, label = operation.get("operationId"), f"{method} {key}"
            if isinstance(value, str) and value in first:
                message = f"operationId '{value}' of {label} is already used by {first[value]}"
                yield Explained(message, (*item_path, *segments, "operationId"), "rename one of them")
            elif isinstance(value, str):
                first[value] = label


def _walked_operations(item: dict[str, Any], oas32: bool) -> Iterator[tuple[tuple[str, ...], str, dict[str, Any]]]:
    """(place in the Path Item, method, operation) of each operation the library's walk checks: 3.0 and 3.1's
    eight methods; in 3.2 ``query`` too and every member of ``additionalOperations``, whatever its key (unlike
    ``operations_of``, which leaves out the keys no request can use: the library still counts their ids)."""
    for method in HTTP_METHODS if oas32 else METHODS_3_1:
        if isinstance(item.get(method), dict):
            yield (method,), method.upper(), item[method]
    additional = item.get(ADDITIONAL_OPERATIONS) if oas32 else None
    for key, operation in additional.items() if isinstance(additional, dict) else ():
        if isinstance(operation, dict):
            yield (ADDITIONAL_OPERATIONS, str(key)), str(key), operation
