"""The patches atlas-spec applies to openapi-spec-validator, fenced here and applied explicitly by ``apply()``.

They are tied to the library versions in ``PATCHED_FOR`` (a test fails when an installed version differs, so an
upgrade is reviewed): the library reports paths relative to the node a keyword check visits (we tag each error
with its node's path so it can be located), keeps visited schema ids in lists that it searches with ``in``
(quadratic on big descriptions), checks every schema against its meta-schema and every node against a
Protocol (slow where the compiled checks or the node's type already answer), checks defaults against
``pattern``s that may backtrack for ever, reads keys beside a ``$ref`` that OpenAPI says to ignore
(``siblings``), and lists a schema's undefined ``required`` names in the order of a set (so of the hash seed).
Nothing happens at import time; ``structural.validate_bundle`` calls ``apply()`` before its first use.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, SupportsIndex

from jsonschema.exceptions import ValidationError
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import ExtraParametersError

import generators.core.regex_guard as regex_guard
from generators.validate.placing import DEFAULT_MARK
from generators.validate.siblings import open_reference_object, reference_only
from generators.validate.wording import undefined_required

PATCHED_FOR = {"openapi-spec-validator": "0.9.0", "jsonschema": "4.26.0", "pathable": "0.6.0"}
_applied = False


def apply() -> None:
    """Install every patch once (later calls do nothing)."""
    global _applied
    if _applied:
        return
    _install_path_tagging()
    _install_fast_visited_sets()
    _install_meta_shortcut()
    _install_schema_shortcut()
    _install_plain_subscripts()
    _install_pattern_guard()
    _install_ignored_ref_siblings()
    _applied = True


def _tag_with_node_path(call: Callable[..., Iterator[ValidationError]]) -> Callable[..., Iterator[ValidationError]]:
    """openapi-spec-validator's keyword checks report paths relative to the node they check; remember the node."""

    @functools.wraps(call)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        node = next((a for a in args if hasattr(a, "parts")), None)
        for error in call(self, *args, **kwargs):
            if node is not None and not getattr(error, "atlas_tagged", False):
                # path and schema_path survive the library's re-wrapping of errors; custom attributes would not
                parts = [str(p) for p in node.parts]
                if isinstance(self, keywords.ValueValidator):
                    parts.append("default")
                    error.schema_path.appendleft(DEFAULT_MARK)
                error.path.extendleft(reversed(parts))
                error.atlas_tagged = True  # type: ignore[attr-defined]
            yield error

    return wrapper


def _install_path_tagging() -> None:
    for _, cls in inspect.getmembers(keywords, inspect.isclass):
        if (
            issubclass(cls, keywords.KeywordValidator)
            and "__call__" in cls.__dict__
            and not getattr(cls.__call__, "atlas_tagged", False)
        ):
            tagged = _tag_with_node_path(cls.__call__)
            tagged.atlas_tagged = True  # type: ignore[attr-defined]
            cls.__call__ = tagged  # type: ignore[method-assign]


class _IdList(list[int]):
    """The library keeps visited schema ids in lists and asks ``in`` of them: quadratic on big specs."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        self._members.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        taken = self[index] if isinstance(index, slice) else [self[index]]
        super().__delitem__(index)
        self._members.difference_update(taken)  # each id is appended once: none of these is left in the list


def _install_fast_visited_sets() -> None:
    original = keywords.SchemaValidator.__init__
    if getattr(original, "atlas_fast", False):
        return

    @functools.wraps(original)
    def init(self: Any, registry: Any) -> None:
        original(self, registry)
        self.visited_schema_ids = _IdList()
        self.meta_checked_schema_ids = _IdList()

    init.atlas_fast = True  # type: ignore[attr-defined]
    keywords.SchemaValidator.__init__ = init  # type: ignore[method-assign]


def _install_meta_shortcut() -> None:
    """A Schema Object the compiled meta-schema check passes has no meta-schema error: the library's own check
    (jsonschema, about half of its walk over a big description) runs only where that check, set on one run's
    schema validator as ``atlas_meta_valid`` (``library._prune``), does not pass or cannot say."""
    original = keywords.SchemaValidator._validate_schema_meta
    if getattr(original, "atlas_fast", False):
        return

    @functools.wraps(original)
    def validate_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        meta_valid = getattr(self, "atlas_meta_valid", None)
        if meta_valid is not None:
            try:
                if meta_valid(schema_value) is True:
                    return None
            except Exception:  # noqa: BLE001 - a construct the compiled check does not handle: the library decides
                pass
        error = original(self, schema, schema_value)
        if error is not None and isinstance(self, keywords.OpenAPIV30SchemaValidator):
            reduced = reference_only(schema_value)  # OpenAPI 3.0 ignores keys beside a $ref (siblings.py)
            if reduced is not schema_value:
                return original(self, schema, reduced)
        return error

    validate_meta.atlas_fast = True  # type: ignore[attr-defined]
    keywords.SchemaValidator._validate_schema_meta = validate_meta  # type: ignore[method-assign]


def _install_schema_shortcut() -> None:
    """The library's walk over a Schema Object (its meta-schema, nested schemas, required lists, defaults) or a
    Path Item (its parameters, operations, their responses' schemas) is skipped where ``atlas_skip_schema`` or
    ``atlas_skip_path``, set on one run's validators (``library._prune``), proves it would find nothing, having
    recorded what the walk would have marked (schemas visited, operationIds): the rest of the walk then goes as
    if it had run."""
    original = keywords.SchemaValidator.__call__
    if getattr(original, "atlas_fast", False):
        return

    @functools.wraps(original)
    def call(self: Any, schema: Any, require_properties: bool = True, meta_checked: bool = False) -> Any:
        skip = getattr(self, "atlas_skip_schema", None)
        if skip is not None and skip(schema.read_value(), require_properties, meta_checked, tuple(schema.parts)):
            return
        for error in original(self, schema, require_properties=require_properties, meta_checked=meta_checked):
            if isinstance(error, ExtraParametersError) and not getattr(error, "atlas_ordered", False):
                _in_required_order(error, schema.read_value())
            yield error

    call.atlas_fast = True  # type: ignore[attr-defined]
    call.atlas_tagged = True  # type: ignore[attr-defined]
    keywords.SchemaValidator.__call__ = call  # type: ignore[method-assign]

    for path_class in (keywords.PathValidator, keywords.OpenAPIV32PathValidator):  # 3.2's has a walk of its own
        path_class.__call__ = _skippable_path(path_class.__call__)  # type: ignore[method-assign]


def _skippable_path(original: Callable[..., Iterator[ValidationError]]) -> Callable[..., Iterator[ValidationError]]:
    """A Path Item check (``PathValidator``'s, or 3.2's own: ``query`` and ``additionalOperations``) that skips
    the Path Items ``atlas_skip_path`` proves it would find nothing in."""

    @functools.wraps(original)
    def call_path(self: Any, url: str, path_item: Any) -> Any:
        skip = getattr(self, "atlas_skip_path", None)
        if skip is not None and skip(url, path_item.read_value()):
            return
        yield from original(self, url, path_item)

    call_path.atlas_fast = True  # type: ignore[attr-defined]
    call_path.atlas_tagged = True  # type: ignore[attr-defined]
    return call_path


def _in_required_order(error: ValidationError, schema: Any) -> None:
    """The library names the ``required`` names that neither ``properties`` nor the ``allOf`` members define as a
    list made from a set: their order, so the message's bytes, changed with the hash seed (shipengine.com's
    description gave two outputs). Name them as ``schema``'s ``required`` lists them; ``error`` is this schema's
    own (a nested schema's error was put in order by its own call, and is marked so)."""
    error.atlas_ordered = True  # type: ignore[attr-defined]
    names = undefined_required(error.message)
    required = schema.get("required") if isinstance(schema, dict) else None
    if names is None or not isinstance(required, list):
        return
    undefined = set(names)
    ordered = [name for name in dict.fromkeys(n for n in required if isinstance(n, str)) if name in undefined]
    if len(ordered) == len(undefined):
        error.message = f"{error.message.partition(': ')[0]}: {ordered!r}"


def _install_plain_subscripts() -> None:
    """The library's walk reads every node through pathable, which asks ``isinstance(node, Subscriptable)``, a
    runtime-checkable Protocol: on Python 3.11 each such check collects the protocol's members anew (128,000
    checks and about a second of GitHub's walk). A dict or a list is Subscriptable: read it at once."""
    from pathable.accessors import SubscriptableAccessor

    original = SubscriptableAccessor.__dict__["_get_subnode"].__func__
    if getattr(original, "atlas_fast", False):
        return

    def get_subnode(cls: Any, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return original(cls, node, part)

    get_subnode.atlas_fast = True  # type: ignore[attr-defined]
    SubscriptableAccessor._get_subnode = classmethod(get_subnode)  # type: ignore[method-assign,assignment]


def _install_pattern_guard() -> None:
    """Spec patterns (in defaults checked against their schemas, and the ``regex`` format of every ``pattern``)
    are ECMA-262, evaluated under a time budget (generators/core/regex_guard.py)."""
    regex_guard.install()


def _install_ignored_ref_siblings() -> None:
    """The library's OAS 3.1 schema with an open Reference Object, as ``siblings.open_reference_object`` gives
    the fast path's copy; changed in place, since the library's validator holds that very mapping (the 3.0
    half is in ``_install_meta_shortcut``)."""
    from openapi_spec_validator.schemas import schema_v31

    reference = schema_v31["$defs"]["reference"]
    opened = open_reference_object({"$defs": {"reference": reference}})["$defs"]["reference"]
    for key in set(reference) - set(opened):
        del reference[key]
