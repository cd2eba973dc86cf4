"""A fast yes/no JSON Schema check: each schema node is compiled once into a Python closure.

jsonschema interprets a schema on every call, which is too slow for thousands of examples. Most examples are
valid, so the linter asks this compiled predicate first and runs jsonschema only for the values it rejects
(jsonschema then has the last word and writes the messages). Schemas using keywords not compiled here
raise ``Unsupported`` and the caller falls back to jsonschema. ``tests/lint`` checks this predicate agrees
with jsonschema on every example of two real descriptions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker

from generators.core.jsonvalues import equal, is_number, type_test, unique
from generators.lint.compiled_keywords import (
    SHARED,
    Builder,
    Check,
    DirectionMatters,
    Unsupported,
    all_of,
    combinator,
    numeric,
    required_names,
    shared_required,
    sized,
    spec_pattern,
)

__all__ = ["SHARED", "Compiler", "DirectionMatters", "Unsupported"]

_UNSUPPORTED = {"unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef", "$id", "id", "$anchor"}
_UNSUPPORTED |= {"$dynamicAnchor", "dependencies"}
_NOT_DRAFT4 = {"const", "if", "prefixItems", "contains", "propertyNames", "dependentRequired", "dependentSchemas"}


class Compiler:
    """Compiles schema nodes of one document; ``resolve(ref)`` returns the node a local ``$ref`` names."""

    def __init__(self, resolve: Callable[[str], Any], version: str, formats: FormatChecker, skip: str | None):
        self._resolve = resolve
        self.draft4 = version == "3.0"
        self._formats = formats
        self._skip = skip  # "readOnly" (requests) or "writeOnly" (responses): such properties need not be present
        self._cache: dict[int, Check] = {}
        self._keep: list[Any] = []  # keeps compiled nodes alive so their ids stay unique
        self._type_tests: dict[str, Check] = {}
        self._shapes: dict[tuple[Any, ...], Check] = {}

    def compile(self, schema: Any) -> Check:
        """The predicate for ``schema`` (cached by node identity; the document is never copied)."""
        key = id(schema)
        found = self._cache.get(key)
        if found is None:
            shape = _shape(schema)
            if shape is not None:  # no subschema: nothing recursive, and equal shapes share one check
                found = self._shapes.get(shape)
                if found is None:
                    found = self._shapes[shape] = self._build(schema)
                self._cache[key] = found
                self._keep.append(schema)
                return found
            cell: list[Check] = []
            self._cache[key] = lambda v: cell[0](v)  # a forward reference for recursive schemas
            self._keep.append(schema)
            try:
                found = self._build(schema)
            except BaseException:
                # a failed node must not stay a forward reference to nothing (IndexError on its first use); no
                # call here: at the recursion limit a call would fail again and leave the placeholder behind
                del self._cache[key]
                raise
            cell.append(found)
            self._cache[key] = found
        return found

    def _build(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        if not _UNSUPPORTED.isdisjoint(schema):
            raise Unsupported(str(sorted(_UNSUPPORTED & schema.keys())))
        ref = schema.get("$ref")
        checks: list[Check] = []
        if isinstance(ref, str):
            checks.append(self._ref(ref))
            if self.draft4:
                return self._nullable(schema, checks)
        present = schema.keys() & (_DRAFT4_KEYWORDS if self.draft4 else _KEYWORDS)
        for keyword in sorted(present, key=_RANK.__getitem__) if len(present) > 1 else present:
            built = _BUILDERS[keyword](self, schema[keyword], schema)
            if built is not None:
                checks.append(built)
        return self._nullable(schema, checks)

    def _nullable(self, schema: dict[str, Any], checks: list[Check]) -> Check:
        combined: Check
        if not checks:
            combined = lambda v: True  # noqa: E731
        elif len(checks) == 1:
            combined = checks[0]
        elif len(checks) == 2:
            first, second = checks
            combined = lambda v: first(v) and second(v)  # noqa: E731
        else:
            combined = all_of(checks)
        if self.draft4 and schema.get("nullable") is True:
            inner = combined
            return lambda v: v is None or inner(v)
        return combined

    def _ref(self, ref: str) -> Check:
        if not ref.startswith("#"):
            raise Unsupported(ref)
        target: list[Check] = []

        def check(value: Any) -> bool:
            if not target:
                node = self._resolve(ref)
                if node is None:
                    raise Unsupported(ref)
                target.append(self.compile(node))
            return target[0](value)

        return check

    # keyword builders -------------------------------------------------------------------------------

    def type_(self, value: Any, schema: dict[str, Any]) -> Check:
        kinds = value if isinstance(value, list) else [value]
        tests = [self._type_test(k) for k in kinds]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    def _type_test(self, kind: str) -> Check:
        # one function per type name, shared by every schema of that type
        test = self._type_tests.get(kind) if isinstance(kind, str) else None
        if test is None:
            test = self._new_type_test(kind)
            if isinstance(kind, str):
                self._type_tests[kind] = test
        return test

    def _new_type_test(self, kind: str) -> Check:
        try:
            return type_test(kind, self.draft4)
        except (KeyError, TypeError):
            raise Unsupported(f"type {kind}") from None

    def enum(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, list):
            return None
        if all(isinstance(x, str) for x in value):
            allowed = frozenset(value)
            return lambda v: isinstance(v, str) and v in allowed
        return lambda v: any(equal(v, x) for x in value)

    def const(self, value: Any, schema: dict[str, Any]) -> Check:
        return lambda v: equal(v, value)

    def properties(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, dict):
            return None
        compiled = [(name, self.compile(sub)) for name, sub in value.items()]

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for name, sub in compiled:  # noqa: SIM110 - a loop costs half of all() over a generator here
                if name in v and not sub(v[name]):
                    return False
            return True

        return check

    def required(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, list) or not value:
            return None
        raw = schema.get("properties")
        props: dict[str, Any] = raw if isinstance(raw, dict) else {}
        skip = self._skip
        if skip == SHARED:
            return shared_required(value, props)
        names = [n for n in value if not (skip and isinstance(props.get(n), dict) and props[n].get(skip) is True)]
        return required_names(names)

    def additional(self, value: Any, schema: dict[str, Any]) -> Check | None:
        known = set(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else set()
        patterns = [spec_pattern(p) for p in schema.get("patternProperties") or {}]
        if value is True or value == {}:
            return None
        extra = self.compile(value)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(extra(x) for k, x in v.items() if k not in known and not any(p.search(k) for p in patterns))

        return check

    def pattern_properties(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, dict):
            return None
        compiled = [(spec_pattern(p), self.compile(s)) for p, s in value.items()]
        return lambda v: not isinstance(v, dict) or all(c(x) for k, x in v.items() for p, c in compiled if p.search(k))

    def items(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if isinstance(value, list):  # draft-04 tuple form
            tuple_checks = [self.compile(s) for s in value]
            rest = schema.get("additionalItems", True)
            rest_check = self.compile(rest)
            return lambda v: (
                not isinstance(v, list)
                or all((tuple_checks[i](x) if i < len(tuple_checks) else rest_check(x)) for i, x in enumerate(v))
            )
        each = self.compile(value)
        start = 0 if self.draft4 else len(schema.get("prefixItems") or [])

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            for x in v[start:] if start else v:  # noqa: SIM110 - see properties
                if not each(x):
                    return False
            return True

        return check

    def prefix_items(self, value: Any, schema: dict[str, Any]) -> Check:
        compiled = [self.compile(s) for s in value]
        return lambda v: not isinstance(v, list) or all(c(x) for c, x in zip(compiled, v, strict=False))

    def not_(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self.compile(value)
        return lambda v: not sub(v)

    def if_(self, value: Any, schema: dict[str, Any]) -> Check:
        test, then, other = (
            self.compile(value),
            self.compile(schema.get("then", True)),
            self.compile(schema.get("else", True)),
        )
        return lambda v: then(v) if test(v) else other(v)

    def format_(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, str) or value not in self._formats.checkers:
            return None
        func, raises = self._formats.checkers[value]  # what FormatChecker.conforms calls, called directly

        def check(v: Any) -> bool:
            try:
                return bool(func(v))
            except raises:
                return False

        return check

    def multiple_of(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not is_number(value) or value == 0:
            return None

        def check(v: Any) -> bool:
            if not is_number(v):
                return True
            if isinstance(value, float):
                try:
                    quotient = v / value
                    return bool(int(quotient) == quotient)
                except OverflowError:
                    return False
            return bool(v % value == 0)

        return check

    def pattern(self, value: Any, schema: dict[str, Any]) -> Check | None:
        compiled = spec_pattern(value)
        return lambda v: not isinstance(v, str) or compiled.search(v)

    def unique(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if value is not True:
            return None

        return lambda v: not isinstance(v, list) or unique(v)

    def property_names(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self.compile(value)
        return lambda v: not isinstance(v, dict) or all(sub(k) for k in v)

    def contains(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self.compile(value)
        low, high = schema.get("minContains", 1), schema.get("maxContains")
        return lambda v: (
            not isinstance(v, list)
            or (low <= sum(1 for x in v if sub(x)) and (high is None or sum(1 for x in v if sub(x)) <= high))
        )

    def dependent_required(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, dict):
            return None
        return lambda v: (
            not isinstance(v, dict) or all(all(n in v for n in names) for key, names in value.items() if key in v)
        )

    def dependent_schemas(self, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, dict):
            return None
        compiled = {key: self.compile(s) for key, s in value.items()}
        return lambda v: not isinstance(v, dict) or all(c(v) for key, c in compiled.items() if key in v)


_BUILDERS: dict[str, Builder] = {
    "type": Compiler.type_,
    "enum": Compiler.enum,
    "const": Compiler.const,
    "properties": Compiler.properties,
    "required": Compiler.required,
    "additionalProperties": Compiler.additional,
    "patternProperties": Compiler.pattern_properties,
    "items": Compiler.items,
    "prefixItems": Compiler.prefix_items,
    "allOf": combinator("allOf"),
    "anyOf": combinator("anyOf"),
    "oneOf": combinator("oneOf"),
    "not": Compiler.not_,
    "if": Compiler.if_,
    "format": Compiler.format_,
    "minimum": numeric("minimum"),
    "maximum": numeric("maximum"),
    "exclusiveMinimum": numeric("exclusiveMinimum"),
    "exclusiveMaximum": numeric("exclusiveMaximum"),
    "multipleOf": Compiler.multiple_of,
    "minLength": sized(str, True),
    "maxLength": sized(str, False),
    "minItems": sized(list, True),
    "maxItems": sized(list, False),
    "minProperties": sized(dict, True),
    "maxProperties": sized(dict, False),
    "pattern": Compiler.pattern,
    "uniqueItems": Compiler.unique,
    "propertyNames": Compiler.property_names,
    "contains": Compiler.contains,
    "dependentRequired": Compiler.dependent_required,
    "dependentSchemas": Compiler.dependent_schemas,
}
_RANK = {keyword: rank for rank, keyword in enumerate(_BUILDERS)}  # checks are built in this order
_KEYWORDS = frozenset(_BUILDERS)
_DRAFT4_KEYWORDS = _KEYWORDS - _NOT_DRAFT4
_LEAF = frozenset(
    ("type", "enum", "const", "required", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
) | {"multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "pattern"}
_LEAF |= {"uniqueItems", "nullable"}  # keywords whose checks depend on their own value only
_NOT_LEAF = (_KEYWORDS | _UNSUPPORTED | {"$ref"}) - _LEAF
_SCALARS = (str, int, float, bool, type(None))


def _shape(schema: Any) -> tuple[Any, ...] | None:
    """Equal for schemas whose checks are equal, None for one with subschemas (or values of other kinds): a
    ``$ref`` alone (GitHub: 2,127 of 12,075 schemas compiled), or keywords with scalar values (7,313; 400 shapes).
    Each value is keyed with its type: ``True`` is not ``1``, nor ``1.0`` ``1``."""
    if type(schema) is not dict:
        return None
    if len(schema) == 1 and type(schema.get("$ref")) is str:
        return ("$ref", schema["$ref"])
    if not _NOT_LEAF.isdisjoint(schema):
        return None
    shape: list[Any] = []
    for keyword, value in schema.items():
        if keyword in _LEAF:
            if type(value) is list:
                if not all(type(item) in _SCALARS for item in value):
                    return None
                value = tuple((type(item), item) for item in value)
            elif type(value) not in _SCALARS:
                return None
            shape.append((keyword, type(value), value))
    return tuple(shape)
