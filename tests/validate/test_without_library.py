"""The fast path stands in for openapi-schema-validator (and the pydantic it imports) with the same verdicts.

A clean document whose defaults sit in flat schemas is checked without importing that library: its dialect id,
meta-schemas and format checks are taken from its files and from jsonschema, and flat defaults are judged here.
Each stand-in is compared with the library's own object.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import openapi_schema_validator
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_schema_validator._specifications import REGISTRY

import generators.core.regex_guard as regex_guard
from generators.validate.fastcheck import _DRAFT4_META, SchemaCompiler, meta_formats, schema_content
from generators.validate.fastcheck.defaults import _fits, _library_judge, _plainly_fits, unsettled
from generators.validate.fastcheck.resources import (
    OAS31_BASE_DIALECT_ID,
    OAS32_BASE_DIALECT_ID,
    _oas_meta_schemas,
    meta_contents,
)
from tests.support import REPO, make_tree

_PROBE = """
import sys
from generators.bundle.bundler import bundle_spec
from generators.validate.structural import validate_bundle
found = validate_bundle(bundle_spec(sys.argv[1]))
print(len(found), "openapi_schema_validator.validators" in sys.modules, "pydantic" in sys.modules)
if "openapi_schema_validator.validators" in sys.modules:  # the package, imported now, has the same classes
    import openapi_schema_validator
    assert openapi_schema_validator.OAS30Validator is sys.modules["openapi_schema_validator.validators"].OAS30Validator
"""
SPEC = """\
openapi: %s
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: a, in: query, schema: {type: boolean, default: false, description: on or off}}
        - {name: b, in: query, schema: {type: string, format: uri, default: '', maxLength: 140}}
        - {name: c, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 30}}
        - {name: d, in: query, schema: {type: string, enum: [asc, desc], default: desc, x-note: 1}}
        - {name: e, in: query, schema: %s}
      responses:
        '200': {description: ok}
"""


def _probe(tmp_path: Path, oas: str, last: str, components: str = "") -> str:
    root = make_tree(tmp_path, {"openapi.yaml": SPEC % (oas, last) + components})
    run = subprocess.run([sys.executable, "-c", _PROBE, str(root)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.parametrize("oas", ["3.0.3", "3.1.0", "3.2.0"])
def test_flat_defaults_need_no_openapi_schema_validator(tmp_path: Path, oas: str) -> None:
    assert _probe(tmp_path, oas, "{type: string}") == "0 False False"


@pytest.mark.parametrize("oas", ["3.0.3", "3.1.0", "3.2.0"])
def test_other_defaults_are_judged_by_the_librarys_classes_without_pydantic(tmp_path: Path, oas: str) -> None:
    # the package's __init__ imports pydantic-settings (0.13 s); judging a default needs only its classes
    assert _probe(tmp_path, oas, "{type: integer, format: int32, default: 7}") == "0 True False"
    # and one that does not fit is worded here too, as the library words it (see below)
    assert _probe(tmp_path, oas, "{type: integer, format: int32, default: 2147483648}") == "1 True False"


@pytest.mark.parametrize("oas", ["3.0.3", "3.1.0"])
def test_the_library_still_words_a_default_after_the_classes_judged_one(tmp_path: Path, oas: str) -> None:
    # one default judged by the classes alone, then one behind a $ref, left to openapi-spec-validator (the whole
    # package, pydantic included), which finds it wrong: both imports live together in one process
    last = (
        "{type: integer, format: int32, default: 7}}\n"
        "        - {name: f, in: query, schema: {allOf: [{$ref: '#/components/schemas/N'}], default: x}"
    )
    components = "components:\n  schemas:\n    N: {type: integer}\n"
    assert _probe(tmp_path, oas, last, components) == "1 True True"


def test_the_dialect_ids_are_the_librarys() -> None:
    assert openapi_schema_validator.OAS31_BASE_DIALECT_ID == OAS31_BASE_DIALECT_ID
    assert openapi_schema_validator.OAS32_BASE_DIALECT_ID == OAS32_BASE_DIALECT_ID


def _fetched() -> list[str]:
    """Every URI the fast path's compilers fetch, for both versions."""
    seen: list[str] = []

    def fetch(uri: str) -> Any:
        seen.append(uri)
        return meta_contents(uri)

    SchemaCompiler(_DRAFT4_META, True, meta_formats(), fetch).compile()
    SchemaCompiler(OAS31_BASE_DIALECT_ID, False, meta_formats(), fetch).compile()
    SchemaCompiler(OAS32_BASE_DIALECT_ID, False, meta_formats(), fetch).compile()
    for version in ("3.0", "3.1", "3.2"):
        schema = schema_content(version)
        uri = str(schema.get("id") or schema.get("$id"))
        SchemaCompiler(uri, version == "3.0", None, lambda u, s=schema, i=uri: s if u == i else fetch(u)).compile()
    return seen


def test_meta_schemas_are_the_librarys() -> None:
    fetched = _fetched()
    assert {OAS31_BASE_DIALECT_ID, OAS32_BASE_DIALECT_ID} <= set(fetched)
    assert any("draft-04" in uri for uri in fetched)
    for uri in {*fetched, *_oas_meta_schemas()}:
        assert meta_contents(uri) == REGISTRY.contents(uri), uri


def _formats_named(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*map(_formats_named, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    own = {node["format"]} if isinstance(node.get("format"), str) else set()
    return own.union(*map(_formats_named, node.values()))


def test_meta_schema_formats_are_checked_as_the_library_checks_them() -> None:
    regex_guard.install()  # as fast_check does before checking: the library's checkers are patched too
    named = set().union(*(_formats_named(meta_contents(uri)) for uri in set(_fetched())))
    assert "regex" in named
    mine = meta_formats()
    for library in (openapi_schema_validator.oas30_format_checker, openapi_schema_validator.oas31_format_checker):
        regex_guard._patch([library])
        for name in named:
            assert mine.checkers.get(name) == library.checkers.get(name), name


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([0.0, 1.0, 2.5, -1.5, float("nan")]),
    st.sampled_from(["", "a", "abc", "desc", "1", "2020-01-01", "x@y.z"]),
)
_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "array", "object", "null", "bogus"])
_KEYWORDS = {
    "type": st.one_of(_TYPES, st.lists(_TYPES, max_size=3)),
    "enum": st.lists(_SCALARS, max_size=4),
    "minimum": st.one_of(st.integers(-3, 3), st.sampled_from([0.5, True])),
    "maximum": st.one_of(st.integers(-3, 3), st.sampled_from([0.5, False])),
    "minLength": st.integers(-1, 3),
    "maxLength": st.one_of(st.integers(0, 3), st.just(2.0)),
    "format": st.sampled_from(["uri", "date", "email", "int32", "byte", "regex", "unheard-of"]),
    "nullable": st.booleans(),
    "exclusiveMinimum": st.one_of(st.booleans(), st.integers(-3, 3)),
    "description": st.just("d"),
    "x-note": _SCALARS,
}


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@settings(max_examples=400, deadline=None, derandomize=True)
@given(schema=st.fixed_dictionaries({}, optional=_KEYWORDS), value=_SCALARS)
def test_a_default_settled_here_fits_in_the_librarys_eyes(version: str, schema: dict[str, Any], value: Any) -> None:
    if _plainly_fits(version, schema, value):
        assert _fits(*_library_judge(version), schema, value)
    assert list(unsettled(version, [((), value, schema)])) == (
        [] if _fits(*_library_judge(version), schema, value) else [((), value, schema)]
    )


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_the_flat_defaults_of_big_descriptions_are_settled_here(version: str) -> None:
    for schema, value in [
        ({"type": "boolean", "default": False, "description": "d"}, False),
        ({"type": "string", "enum": ["asc", "desc"], "default": "desc"}, "desc"),
        ({"type": "integer", "minimum": 1, "maximum": 100, "default": 30, "example": 5}, 30),
        ({"type": "string", "format": "uri", "default": "", "maxLength": 140}, ""),
        ({"type": "string", "nullable": True, "deprecated": True, "readOnly": True}, "x"),
    ]:
        assert _plainly_fits(version, schema, value), schema


# (schema, default) pairs whose default breaks its self-contained schema, as big descriptions have them
_BROKEN_DEFAULTS = [
    "{type: integer, format: int32, default: 2147483648}",
    "{type: string, pattern: '^[a-z]+$', default: ''}",
    "{type: string, enum: [asc, desc], default: up}",
    "{type: string, format: regex, default: '(?P<n>a)'}",  # Python's group syntax, not ECMA-262
    "{type: array, items: {type: integer, maximum: 3}, default: [1, 5, x]}",
    "{type: object, required: [a], properties: {b: {type: string}}, default: {b: 1}}",
    "{oneOf: [{type: integer}, {type: string, minLength: 3}], default: ab}",
    "{anyOf: [{type: integer}, {type: boolean}], default: [1]}",
]


def _findings_both_ways(tmp_path: Path, oas: str, schema: str) -> tuple[list[Any], list[Any]]:
    from generators.bundle.bundler import bundle_spec
    from generators.validate.structural import validate_bundle

    bundled = bundle_spec(make_tree(tmp_path, {"openapi.yaml": SPEC % (oas, schema)}))
    return validate_bundle(bundled), validate_bundle(bundled, fast=False)  # fast=False: the library alone


@pytest.mark.parametrize("oas", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("schema", _BROKEN_DEFAULTS)
def test_a_broken_default_is_worded_and_placed_as_the_library_does(tmp_path: Path, oas: str, schema: str) -> None:
    ours, library = _findings_both_ways(tmp_path, oas, schema)
    assert ours and all(f.code == "oas-default-invalid" for f in ours), ours
    assert ours == library


@pytest.mark.parametrize("oas", ["3.0.3", "3.1.0"])
def test_a_regex_default_is_read_as_ecma_262_when_judged_here(tmp_path: Path, oas: str) -> None:
    # the classes' own `regex` format checker is Python's re, patched only once they are loaded: in a fresh
    # process, \p{L} (ECMA-262, not Python) fits and (?P<n>a) (Python, not ECMA-262) does not, as in the library
    assert _probe(tmp_path / "a", oas, "{type: string, format: regex, default: '\\p{L}+'}") == "0 True False"
    assert _probe(tmp_path / "b", oas, "{type: string, format: regex, default: '(?P<n>a)'}") == "1 True False"
    ours, library = _findings_both_ways(tmp_path, oas, "{type: string, format: regex, default: '\\p{L}+'}")
    assert ours == library == []
