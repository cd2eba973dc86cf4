"""A fast, exact "is this OpenAPI document structurally valid?" with openapi-spec-validator's verdict.

openapi-spec-validator interprets the OAS JSON Schema with jsonschema and walks the document through
jsonschema-path: seconds on big descriptions. Here the same schemas are compiled into closures once per process
(``compiler``) and the library's keyword checks are re-walked on plain dicts (``walk``). ``fast_check`` says
``clean`` only when the library would report no error apart from invalid defaults; it gives the errors of
those (``default_errors``) where it can judge them all, else it leaves the defaults it cannot settle
(``defaults``) to the caller, for the library to judge and word.
Anything else, a finding or a construct not handled here, makes it say "not clean" and the caller runs the
library for the located errors.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError

import generators.core.regex_guard as regex_guard
from generators.validate.fastcheck.compiler import Check, SchemaCompiler
from generators.validate.fastcheck.defaults import default_errors, unsettled
from generators.validate.fastcheck.resources import BASE_DIALECTS, Unsupported, meta_contents
from generators.validate.fastcheck.walk import KeywordWalk, Parts, TooDeep
from generators.validate.siblings import open_reference_object, reference_only

__all__ = ["FastVerdict", "TooDeep", "fast_check", "library_shortcuts"]
_DRAFT4_META = "http://json-schema.org/draft-04/schema#"
LIBRARY_NESTING = 128  # schema levels the library alone walks (no fast path): 125 allOf levels take 2 s
_VERSIONS = ("3.0", "3.1", "3.2")  # judged here, and their library walk pruned (``library_shortcuts``)


@dataclass(frozen=True)
class FastVerdict:
    """``clean``: the library finds no structural error; ``defaults``: (schema path, default) pairs it must judge
    (the defaults ``fastcheck.defaults`` could not settle); ``default_errors``: when no default is left to the
    library, the errors it would report for the defaults that break their schemas (tagged as its own are)."""

    clean: bool
    reason: str | None = None
    defaults: list[tuple[Parts, Any]] = field(default_factory=list)
    default_errors: list[ValidationError] = field(default_factory=list)


def schema_content(version: str) -> Any:
    """openapi-spec-validator's OAS schema for ``version``, read from its package without importing it (0.1 s)."""
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise Unsupported("openapi-spec-validator is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    content = json.loads((folder / "resources" / "schemas" / f"v{version}" / "schema.json").read_bytes())
    return open_reference_object(content) if version == "3.1" else content  # as patches.apply() does the library's


def meta_formats() -> FormatChecker:
    """The format checks the meta-schemas ask for, as openapi-schema-validator's checkers make them.

    Its ``oas30_format_checker`` and ``oas31_format_checker`` are jsonschema's checkers plus OpenAPI's numeric and
    binary formats, which no meta-schema names; ``regex`` is ECMA-262 in both (``regex_guard``). Built here, so
    that a clean document needs neither that library nor the pydantic it imports (0.09 s).
    """
    regex_guard.install()  # first: a checker copies jsonschema's table when it is made
    return FormatChecker()


@functools.cache
def _root_compiler(version: str) -> tuple[SchemaCompiler, str, Any]:
    """The compiler of the OAS schema for ``version``, the schema's URI and its content."""
    schema = schema_content(version)
    uri = str(schema.get("id") or schema.get("$id") or "urn:atlas-spec:oas-schema")

    def fetch(wanted: str) -> Any:
        return schema if wanted == uri else meta_contents(wanted)

    return SchemaCompiler(uri, version == "3.0", None, fetch), uri, schema


@functools.cache
def _root_check(version: str) -> Check:
    return _root_compiler(version)[0].compile()


def library_shortcuts(
    version: str, document: dict[str, Any], library_schema: Any
) -> tuple[Callable[[Any, Any], bool] | None, Callable[[Any], bool] | None]:
    """Compiled answers for the library's own walk over ``document`` (``validate.pruning``), or None each.

    The first says whether an instance is valid against a subschema of ``library_schema`` (the library's copy
    of the OAS schema: used only when it equals ours, whose only resource is its root, so that every subschema
    has the root's base URI); the second whether a Schema Object is valid against its meta-schema (the
    library's check of each schema; None where the document may choose another dialect).
    """
    if version not in _VERSIONS:
        return None, None
    regex_guard.install()
    compiler, uri, ours = _root_compiler(version)
    schema_check = None
    if library_schema == ours:

        def schema_check(schema: Any, instance: Any) -> bool:
            return compiler.node(schema, uri)(instance)

    return schema_check, _document_meta(version, document)


@functools.cache
def _meta_check(version: str) -> Check:
    """The check of a Schema Object against its meta-schema: draft 4 (3.0), else the version's base dialect."""
    if version == "3.0":
        check = SchemaCompiler(_DRAFT4_META, True, meta_formats(), meta_contents).compile()

        def ignoring_ref_siblings(schema: Any) -> bool:
            # keys beside a $ref are ignored (siblings.py); dropping them never breaks a valid schema
            if check(schema):
                return True
            reduced = reference_only(schema)
            return reduced is not schema and check(reduced)

        return ignoring_ref_siblings
    return SchemaCompiler(BASE_DIALECTS[version], False, meta_formats(), meta_contents).compile()


def _document_meta(version: str, document: dict[str, Any]) -> Callable[[Any], bool] | None:
    """The meta-schema check of ``document``'s Schema Objects; None when its ``jsonSchemaDialect`` (3.1 on) is
    another than the OpenAPI base dialect (left to the library)."""
    if version == "3.0":
        return _meta_check(version)
    dialect = BASE_DIALECTS[version]
    if document.get("jsonSchemaDialect", dialect) != dialect:
        return None
    return _dialect_aware(_meta_check(version), dialect)


def _dialect_aware(meta: Check, dialect: str) -> Callable[[Any], bool]:
    """3.1 on: a Schema Object naming another dialect than the base one in ``$schema`` is left to the library."""

    def check(schema: Any) -> bool:
        if isinstance(schema, dict) and "$schema" in schema and schema["$schema"] != dialect:
            raise Unsupported(f"dialect {schema['$schema']!r}")
        return meta(schema)

    return check


def _nesting_only(document: dict[str, Any], version: str) -> None:
    """Where the library walks alone (another dialect), the fast path still measures how deep schemas nest: past
    ``LIBRARY_NESTING``, ``TooDeep`` stops the check before the library's walk, which is worse than quadratic on
    a chain of allOf (250 levels: 7 s, 500: 61 s, 990: 340 s). Anything else this walk meets is the library's to
    word."""
    walk = KeywordWalk(document, lambda schema: True, oas32=version == "3.2")
    walk.max_depth = LIBRARY_NESTING
    try:
        walk.run()
    except TooDeep:
        raise
    except Exception:  # noqa: BLE001 - a finding, or a shape this walk does not expect: the library words it
        pass


def fast_check(document: dict[str, Any], version: str) -> FastVerdict:
    """The verdict on ``document`` for OpenAPI ``version`` ("3.0", "3.1" or "3.2"; others are never clean)."""
    if version not in _VERSIONS:
        _nesting_only(document, version)
        return FastVerdict(False, f"no fast path for OpenAPI {version}")
    regex_guard.install()  # the `regex` format of every `pattern` is ECMA-262, as the library is patched to read it
    try:
        if not _root_check(version)(document):
            return FastVerdict(False, "the document breaks the OpenAPI schema")
        meta = _document_meta(version, document)
        if meta is None:
            _nesting_only(document, version)
            return FastVerdict(False, "a jsonSchemaDialect other than the OpenAPI base dialect")
        walk = KeywordWalk(document, meta, oas32=version == "3.2")
        walk.run()  # TooDeep goes to the caller: not a finding the library could word, nor one it survives
    except Unsupported as finding:
        return FastVerdict(False, str(finding))
    except RecursionError:
        return FastVerdict(False, "nesting too deep for the fast path")
    # a default that certainly fits its schema needs no word from the library (nor its import)
    left = list(unsettled(version, walk.defaults))
    errors = default_errors(version, left) if left else []
    if errors is not None:  # each default judged here: none for the library
        return FastVerdict(True, default_errors=errors)
    return FastVerdict(True, defaults=[(parts, value) for parts, value, _ in left])
