"""JSON Schema (draft 4 and 2020-12) compiled into yes/no Python closures with jsonschema's exact semantics.

Only the keywords the OpenAPI schemas and meta-schemas shipped with openapi-spec-validator use are compiled;
any other keyword jsonschema would assert raises ``Unsupported`` (the caller then keeps the slow path).
``$dynamicRef`` is resolved statically: the dynamic scope of a check always starts at its entry resource, so a
dynamic anchor the entry declares wins, as jsonschema's resolver decides at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from jsonschema import FormatChecker
from jsonschema.validators import Draft4Validator, Draft202012Validator

import generators.validate.fastcheck.keywords_compiled as kw
from generators.core.jsonvalues import type_test
from generators.validate.fastcheck.resources import Fetch, Resources, Unsupported

Check = kw.Check
Evaluated = Callable[[dict[str, Any]], set[str]]
_DRAFT4_KEYWORDS = frozenset(Draft4Validator.VALIDATORS)
_MODERN_KEYWORDS = frozenset(Draft202012Validator.VALIDATORS)
# keywords read by a sibling's compiler, or applied only when jsonschema's validator class knows them
_COMPANIONS = frozenset({"then", "else", "exclusiveMinimum", "exclusiveMaximum", "prefixItems", "additionalItems"})
_EXCLUSIVE = ("exclusiveMinimum", "exclusiveMaximum")
_MEMBERS = ("properties", "patternProperties", "additionalProperties")
# keywords that look at the instance alone, in constant time (or a set lookup): checked before any subschema
_CHEAP = frozenset(
    {"type", "required", "enum", "const", "minItems", "maxItems", "minProperties", "maxProperties", "minLength"}
    | {"maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)


class SchemaCompiler:
    """Compiles the schema at ``entry_uri`` (and everything it references) into one ``Check``."""

    def __init__(self, entry_uri: str, draft4: bool, formats: FormatChecker | None, fetch: Fetch) -> None:
        self.draft4 = draft4
        self._formats = formats
        self._known = _DRAFT4_KEYWORDS if draft4 else _MODERN_KEYWORDS
        self._resources = Resources(fetch, "id" if draft4 else "$id")
        self._entry = entry_uri.partition("#")[0]
        self._checks: dict[tuple[int, str], Check] = {}
        self._evaluated: dict[tuple[int, str], Evaluated] = {}

    def compile(self) -> Check:
        """The check of the entry schema; ``Unsupported`` when some part of it cannot be compiled.

        All or nothing: a compilation that fails leaves stubs of the nodes it was compiling (whose checks were
        never made) inside the checks of others, so it leaves nothing at all, and asked again it fails again.
        """
        try:
            return self.node(self._resources.document(self._entry), self._entry)
        except BaseException:
            self._checks.clear()
            self._evaluated.clear()
            raise

    # --- references ------------------------------------------------------------------------------------------
    def _target(self, ref: str, base: str, dynamic: bool) -> tuple[Any, str]:
        if not isinstance(ref, str):
            raise Unsupported("non-string reference")
        if dynamic or (ref.startswith("#") and not ref.startswith("#/") and len(ref) > 1):
            name = ref[1:]
            target_uri = urljoin(base, ref).partition("#")[0]
            if self._resources.has_dynamic_anchor(target_uri, name) and self._resources.has_dynamic_anchor(
                self._entry, name
            ):
                # the outermost resource of the dynamic scope (the entry) declares the anchor: it wins
                return self._resources.resolve("#" + name, self._entry)
        return self._resources.resolve(ref, base)

    def _ref(self, ref: Any, base: str, dynamic: bool = False) -> Check:
        target, target_base = self._target(ref, base, dynamic)
        return self.node(target, target_base)

    # --- nodes -----------------------------------------------------------------------------------------------
    def node(self, schema: Any, base: str) -> Check:
        """The check of one schema node (cached by identity; recursion goes through a forwarding stub)."""
        if schema is True:
            return kw.always
        if schema is False:
            return kw.never
        if not isinstance(schema, dict):
            raise Unsupported(f"schema of type {type(schema).__name__}")
        key = (id(schema), base)
        found = self._checks.get(key)
        if found is not None:
            return found
        cell: list[Check] = []

        def forward(instance: Any) -> bool:
            return cell[0](instance)

        self._checks[key] = forward
        compiled = kw.all_of_checks(self._keyword_checks(schema, self._rebase(schema, base)))
        cell.append(compiled)
        self._checks[key] = compiled
        return compiled

    def _rebase(self, schema: dict[str, Any], base: str) -> str:
        own = schema.get("id" if self.draft4 else "$id")
        return urljoin(base, own).partition("#")[0] if isinstance(own, str) else base

    def _keyword_checks(self, schema: dict[str, Any], base: str) -> list[Check]:
        if self.draft4 and "$ref" in schema:
            return [self._ref(schema["$ref"], base)]  # draft 4: $ref siblings are ignored
        ranked: list[tuple[int, Check]] = []
        if any(name in schema for name in _MEMBERS):
            ranked.append((1, self._object_members(schema, base)))
        for name in schema:
            if name in _MEMBERS:
                continue
            if (name in self._known and name not in _COMPANIONS) or (name in _EXCLUSIVE and not self.draft4):
                ranked.append((0 if name in _CHEAP else 1, self._keyword(name, schema, base)))
        if self.draft4 and "additionalItems" in schema:
            raise Unsupported("additionalItems")
        # a conjunction of pure yes/no checks: the cheap ones first (a oneOf alternative that is not meant, such
        # as a Reference for an object without $ref, fails on `required` before its members are walked)
        return [check for _, check in sorted(ranked, key=lambda pair: pair[0])]

    def _keyword(self, name: str, schema: dict[str, Any], base: str) -> Check:
        value = schema[name]
        sub = self.node
        if name == "$ref":
            return self._ref(value, base)
        if name == "$dynamicRef":
            return self._ref(value, base, dynamic=True)
        if name == "type":
            names = value if isinstance(value, list) else [value]
            return kw.type_check([type_test(n, self.draft4) for n in names])
        if name == "required":
            return kw.required(list(value))
        if name == "enum":
            return kw.enum(list(value))
        if name == "const":
            return kw.const(value)
        if name == "items":
            if self.draft4 and isinstance(value, list):
                raise Unsupported("tuple items")
            if "prefixItems" in schema:
                raise Unsupported("prefixItems")
            return kw.items(sub(value, base))
        if name in ("allOf", "anyOf", "oneOf"):
            return kw.combinator(name, [sub(s, base) for s in value])
        if name == "not":
            return kw.negate(sub(value, base))
        if name == "if":
            then = sub(schema["then"], base) if "then" in schema else None
            otherwise = sub(schema["else"], base) if "else" in schema else None
            return kw.if_then_else(sub(value, base), then, otherwise)
        if name == "contains" and not self.draft4:
            return kw.contains(sub(value, base), schema.get("minContains", 1), schema.get("maxContains"))
        if name == "dependentSchemas":
            return kw.dependent({p: sub(s, base) for p, s in value.items()})
        if name == "dependencies" and self.draft4:
            return kw.dependencies({p: d if isinstance(d, list) else sub(d, base) for p, d in value.items()})
        if name == "propertyNames":
            return kw.property_names(sub(value, base))
        if name == "unevaluatedProperties":
            return kw.unevaluated(self.evaluated(schema, base), sub(value, base))
        if name == "format":
            fmt = self._formats
            return kw.format_check(fmt, value) if fmt is not None and value in fmt.checkers else kw.always
        simple = kw.simple(name, value, schema, self.draft4)
        if simple is None:
            raise Unsupported(f"keyword {name}")
        return simple

    def _object_members(self, schema: dict[str, Any], base: str) -> Check:
        props = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extra = schema.get("additionalProperties")
        return kw.members(
            {k: self.node(v, base) for k, v in props.items()},
            [(p, self.node(v, base)) for p, v in patterns.items()],
            None if extra is None else self.node(extra, base),
        )

    # --- annotations for unevaluatedProperties ---------------------------------------------------------------
    def evaluated(self, schema: Any, base: str) -> Evaluated:
        """The property names ``schema`` evaluates on an object, as jsonschema's ``find_evaluated_...`` finds them."""
        if not isinstance(schema, dict):
            return kw.no_keys
        key = (id(schema), base)
        found = self._evaluated.get(key)
        if found is not None:
            return found
        cell: list[Evaluated] = []

        def forward(instance: dict[str, Any]) -> set[str]:
            return cell[0](instance)

        self._evaluated[key] = forward
        base = self._rebase(schema, base)
        parts: list[Evaluated] = []
        for name in ("$ref", "$dynamicRef"):
            if name in schema:
                target, target_base = self._target(schema[name], base, name == "$dynamicRef")
                parts.append(self.evaluated(target, target_base))
        if isinstance(schema.get("properties"), dict):
            parts.append(kw.named_keys(frozenset(schema["properties"])))
        for name in ("additionalProperties", "unevaluatedProperties"):
            if name in schema:
                parts.append(kw.valid_keys(self.node(schema[name], base)))
        if "patternProperties" in schema:
            parts.append(kw.pattern_keys([kw.searcher(p) for p in schema["patternProperties"]]))
        for prop, dependent in schema.get("dependentSchemas", {}).items():
            parts.append(kw.when_present(prop, self.evaluated(dependent, base)))
        for name in ("allOf", "oneOf", "anyOf"):
            for sub in schema.get(name, []):
                parts.append(kw.when_valid(self.node(sub, base), self.evaluated(sub, base)))
        if "if" in schema:
            parts.append(self._conditional_keys(schema, base))
        result = kw.union(parts)
        cell.append(result)
        self._evaluated[key] = result
        return result

    def _conditional_keys(self, schema: dict[str, Any], base: str) -> Evaluated:
        test = self.node(schema["if"], base)
        when_true = [self.evaluated(schema["if"], base)]
        if "then" in schema:
            when_true.append(self.evaluated(schema["then"], base))
        when_false = self.evaluated(schema["else"], base) if "else" in schema else kw.no_keys
        return kw.conditional_keys(test, kw.union(when_true), when_false)
