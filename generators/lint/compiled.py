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

import generators.core.ecma_regex as ecma_regex
from generators.core.jsonvalues import equal, is_number, type_test, unique

Check = Callable[[Any], bool]
_UNSUPPORTED = {"unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef", "$id", "id", "$anchor"}
_UNSUPPORTED |= {"$dynamicAnchor", "dependencies"}
_NOT_DRAFT4 = {"const", "if", "prefixItems", "contains", "propertyNames", "dependentRequired", "dependentSchemas"}


class Unsupported(Exception):
    """The schema uses a keyword this compiler leaves to jsonschema."""


class DirectionMatters(Exception):
    """A shared check met a value whose verdict differs between requests, responses and plain schemas."""


SHARED = "shared"
"""``skip`` of a compiler shared by every direction: its ``required`` checks raise ``DirectionMatters`` where
a missing ``readOnly`` or ``writeOnly`` property decides the verdict (elsewhere the directions agree)."""


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

    def compile(self, schema: Any) -> Check:
        """The predicate for ``schema`` (cached by node identity; the document is never copied)."""
        key = id(schema)
        found = self._cache.get(key)
        if found is None:
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
            combined = _all_of(checks)
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
            return _shared_required(value, props)
        names = [n for n in value if not (skip and isinstance(props.get(n), dict) and props[n].get(skip) is True)]
        return _required_names(names)

    def additional(self, value: Any, schema: dict[str, Any]) -> Check | None:
        known = set(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else set()
        patterns = [_spec_pattern(p) for p in schema.get("patternProperties") or {}]
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
        compiled = [(_spec_pattern(p), self.compile(s)) for p, s in value.items()]
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
        compiled = _spec_pattern(value)
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


def _spec_pattern(pattern: Any) -> ecma_regex.SpecPattern:
    """An ECMA-262 pattern searched under a time budget; one that is not valid is left to jsonschema."""
    if not isinstance(pattern, str):
        raise Unsupported(f"pattern {pattern!r}")
    try:
        return ecma_regex.compile_pattern(pattern)
    except ecma_regex.PatternError:
        raise Unsupported(f"pattern {pattern!r}") from None


def _all_of(checks: list[Check]) -> Check:
    def check(v: Any) -> bool:
        for c in checks:  # noqa: SIM110 - see Compiler.properties
            if not c(v):
                return False
        return True

    return check


def _shared_required(value: list[Any], props: dict[str, Any]) -> Check:
    """``required`` for every direction at once: all names (plain schemas), all but ``readOnly`` ones
    (requests), all but ``writeOnly`` ones (responses)."""
    try:
        lists = [
            [n for n in value if not (isinstance(props.get(n), dict) and props[n].get(flag) is True)]
            for flag in ("readOnly", "writeOnly")
        ]
    except TypeError:  # an unhashable name: the directions' own compilers decide (as they always did)

        def unknown(v: Any) -> bool:
            raise DirectionMatters

        return unknown
    if all(len(names) == len(value) for names in lists):
        return _required_names(value)
    variants = [value, *lists]

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        verdicts = {all(n in v for n in names) for names in variants}
        if len(verdicts) > 1:
            raise DirectionMatters
        return verdicts.pop()

    return check


def _required_names(names: list[Any]) -> Check:
    """Every one of ``names`` is a key of an object (a set of strings is tested in one step)."""
    if all(type(n) is str for n in names):
        wanted = frozenset(names)
        return lambda v: not isinstance(v, dict) or v.keys() >= wanted
    return lambda v: not isinstance(v, dict) or all(n in v for n in names)


Builder = Callable[[Compiler, Any, dict[str, Any]], "Check | None"]


def _combinator(keyword: str) -> Builder:
    def build(compiler: Compiler, value: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(value, list):
            return None
        subs = [compiler.compile(s) for s in value]
        if keyword == "allOf":
            return lambda v: all(c(v) for c in subs)
        if keyword == "anyOf":
            return lambda v: any(c(v) for c in subs)
        return lambda v: sum(1 for c in subs if c(v)) == 1

    return build


def _numeric(keyword: str) -> Builder:
    def build(compiler: Compiler, limit: Any, schema: dict[str, Any]) -> Check | None:
        if not is_number(limit):
            return None
        if keyword in ("minimum", "maximum") and compiler.draft4:
            exclusive = schema.get(f"exclusive{keyword[0].upper()}{keyword[1:]}") is True
        else:
            exclusive = keyword.startswith("exclusive")
        low = "min" in keyword.lower()
        if low:
            return lambda v: not is_number(v) or (v > limit if exclusive else v >= limit)
        return lambda v: not is_number(v) or (v < limit if exclusive else v <= limit)

    return build


def _sized(kind: type, low: bool) -> Builder:
    def build(compiler: Compiler, limit: Any, schema: dict[str, Any]) -> Check | None:
        if not isinstance(limit, int) or isinstance(limit, bool):
            return None
        if low:
            return lambda v: not isinstance(v, kind) or len(v) >= limit  # type: ignore[arg-type]
        return lambda v: not isinstance(v, kind) or len(v) <= limit  # type: ignore[arg-type]

    return build


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
    "allOf": _combinator("allOf"),
    "anyOf": _combinator("anyOf"),
    "oneOf": _combinator("oneOf"),
    "not": Compiler.not_,
    "if": Compiler.if_,
    "format": Compiler.format_,
    "minimum": _numeric("minimum"),
    "maximum": _numeric("maximum"),
    "exclusiveMinimum": _numeric("exclusiveMinimum"),
    "exclusiveMaximum": _numeric("exclusiveMaximum"),
    "multipleOf": Compiler.multiple_of,
    "minLength": _sized(str, True),
    "maxLength": _sized(str, False),
    "minItems": _sized(list, True),
    "maxItems": _sized(list, False),
    "minProperties": _sized(dict, True),
    "maxProperties": _sized(dict, False),
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
