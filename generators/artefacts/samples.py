"""Deterministic sample values from JSON Schema (OpenAPI 3.0 and 3.1 flavours).

A request sample leaves out ``readOnly`` properties and a response sample leaves out ``writeOnly`` ones.
Explicit values win in this order: ``const``, ``example``/``examples`` (unless ``use_examples`` is off),
``default``, ``enum``; otherwise a value is built from ``type``, ``format`` and the bounds.
Recursion through ``$ref`` cycles is cut: an optional property that would re-enter a schema being built is
left out, a required one becomes the smallest value of its type. No randomness: same input, same sample.

Samples share nodes with each other and with the document's own examples: copying them took 9 of the 17 s of
a Postman collection of Microsoft Graph beta. Nothing changes a value once built, so a step that adds to one (a
discriminator tag, an allOf merge, a required property) builds a new container.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from generators.artefacts.numbers import sample_number
from generators.core.shape import strings

Direction = Literal["request", "response"]

MAX_DEPTH = 24  # inline nesting beyond this is cut like a cycle; real specs stay far below it
# Size bounds, so a deep and wide schema (DocuSign's envelopeDefinition inlines to 19 MB) or a hostile
# ``minItems: 1000000000`` cannot blow a collection up: past MAX_NODES values in one sample, optional
# properties are left out (GitHub's and DigitalOcean's largest samples hold about 1,600 values).
MAX_NODES = 5_000
MAX_ITEMS = 16
MAX_STRING = 1_024
_OMIT: Any = object()  # "leave this property out"

_STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "uri-template": "https://example.com/{id}",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "byte": "ZXhhbXBsZQ==",
    "password": "password",
    "json-pointer": "/example",
    "regex": "^example$",
}


class SampleBuilder:
    """Builds samples against one bundled document; ``$ref``s point into it (``#/components/...``).

    Samples of components are cached (per builder) when they did not depend on a cycle cut made above them,
    so a large spec costs one pass per component, not one per use.
    """

    def __init__(self, document: dict[str, Any], direction: Direction, use_examples: bool = True) -> None:
        self.document = document
        self.direction = direction
        self.use_examples = use_examples
        self._stack: list[str] = []
        self._lowest_cut = 1 << 30
        self._cache: dict[str, tuple[Any, int]] = {}
        self._budget = MAX_NODES
        self._trimmed = 0  # how often the budget left an optional value out (such samples are not cached)

    def sample(self, schema: Any) -> Any:
        """A value that validates against ``schema`` (as far as a deterministic guess can), or None."""
        self._budget = MAX_NODES
        value = self._sample(schema, 0, required=True)
        return None if value is _OMIT else value

    # ------------------------------------------------------------------ dispatch

    def _sample(self, schema: Any, depth: int, required: bool) -> Any:
        self._budget -= 1
        if not isinstance(schema, dict):
            return "string" if schema is True else None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._sample_ref(ref, depth, required)
        if depth > MAX_DEPTH:
            return _smallest(schema) if required else _OMIT
        explicit = self._explicit(schema)
        if explicit is not _OMIT:
            return explicit
        if isinstance(schema.get("allOf"), list):  # another type is validate's finding: no parts
            return self._all_of(schema, depth, required)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._one_of(schema, key, depth, required)
        kind = _type_of(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        return _scalar(schema, kind)

    def _sample_ref(self, ref: str, depth: int, required: bool) -> Any:
        if ref in self._stack:
            self._lowest_cut = min(self._lowest_cut, self._stack.index(ref))
            return self._smallest_ref(ref) if required else _OMIT
        cached = self._cache.get(ref)
        if cached is not None and cached[1] <= self._budget:
            self._budget -= cached[1]
            return cached[0]
        target = resolve_ref(self.document, ref)
        if target is None:
            return None if required else _OMIT
        if depth > MAX_DEPTH and isinstance(target, dict) and isinstance(target.get("$ref"), str):
            # a chain of refs past the depth limit ends cut, as it would one ref at a time; walked, not recursed
            # (a chain can be 60,000 refs long: the recursion would overflow)
            end = _chain_end(self.document, target, {ref})
            return (_smallest(end) if isinstance(end, dict) else None) if required else _OMIT
        level = len(self._stack)
        budget, trimmed = self._budget, self._trimmed
        outer_cut, self._lowest_cut = self._lowest_cut, 1 << 30
        self._stack.append(ref)
        try:
            value = self._sample(target, depth + 1, required)
        finally:
            self._stack.pop()
        if self._lowest_cut >= level and value is not _OMIT and self._trimmed == trimmed:
            # built without cutting anything above it: valid in any context
            self._cache[ref] = (value, budget - self._budget)
        self._lowest_cut = min(outer_cut, self._lowest_cut)
        return value

    def _smallest_ref(self, ref: str) -> Any:
        target = resolve_ref(self.document, ref)
        return _smallest(target) if isinstance(target, dict) else None

    def _explicit(self, schema: dict[str, Any]) -> Any:
        """The first written value; a ``null`` counts only where the schema allows null (specs say
        ``default: null`` on non-nullable properties to mean "absent")."""
        candidates: list[Any] = []
        if "const" in schema:
            candidates.append(schema["const"])
        if self.use_examples:
            if "example" in schema and usable_example(schema["example"]):
                candidates.append(schema["example"])
            examples = schema.get("examples")
            if isinstance(examples, list) and examples and usable_example(examples[0]):
                candidates.append(examples[0])
        if "default" in schema:
            candidates.append(schema["default"])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            candidates.extend(v for v in enum if v is not None)
        for value in candidates:
            if value is not None or _allows_null(schema):
                return value
        return _OMIT

    # ------------------------------------------------------------------ composition

    def _all_of(self, schema: dict[str, Any], depth: int, required: bool) -> Any:
        parts = [p for p in schema["allOf"] if isinstance(p, dict)]
        # The schema beside allOf: its own properties count; its ``required`` is met by _fill_required below.
        rest = {k: v for k, v in schema.items() if k not in ("allOf", "required")}
        if _type_of(rest) == "object" or "properties" in rest:
            parts.append(rest)
        merged: Any = _OMIT
        for part in parts:
            value = self._sample(part, depth + 1, required=True)
            if isinstance(value, dict) and isinstance(merged, dict):
                merged.update(value)
            elif merged is _OMIT or (merged is None and value is not None):
                merged = dict(value) if isinstance(value, dict) else value
        if merged is _OMIT:
            return _smallest(schema) if required else _OMIT
        if isinstance(merged, dict):
            self._fill_required(schema, merged, depth)
        return merged

    def _fill_required(self, schema: dict[str, Any], value: dict[str, Any], depth: int) -> None:
        """Required names the sample lacks (declared in another allOf part, or nowhere at all)."""
        props, required = self._collect(schema, 0)
        for name in required:
            if name not in value:
                prop = props.get(name)
                sample = self._sample(prop, depth + 1, required=True) if prop is not None else "string"
                value[name] = "string" if sample is _OMIT else sample

    def properties_of(self, schema: Any) -> dict[str, Any]:
        """The property schemas of an object schema, through ``$ref`` and ``allOf`` (as its samples see them)."""
        return self._collect(schema, 0)[0]

    def _collect(self, schema: Any, level: int) -> tuple[dict[str, Any], list[str]]:
        """Properties and required names of a schema through ``$ref`` and ``allOf`` (a few levels deep)."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and level < 8:
            return self._collect(resolve_ref(self.document, schema["$ref"]), level + 1)
        if not isinstance(schema, dict):
            return {}, []
        props = dict(schema["properties"]) if isinstance(schema.get("properties"), dict) else {}
        required = strings(schema.get("required"))
        parts = schema.get("allOf")
        for part in parts if isinstance(parts, list) and level < 8 else ():
            more_props, more_required = self._collect(part, level + 1)
            props = {**more_props, **props}
            required += [r for r in more_required if r not in required]
        return props, required

    def _one_of(self, schema: dict[str, Any], key: str, depth: int, required: bool) -> Any:
        options = [o for o in schema[key] if isinstance(o, dict)]
        # Prefer an option that is not plain null: a null body or property is the least useful sample.
        chosen = next((o for o in options if _type_of(o) != "null"), options[0] if options else {})
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        value = self._sample(chosen, depth + 1, required)
        if isinstance(value, dict) and (base.get("properties") or base.get("allOf")):
            extra = self._sample(base, depth + 1, required=True)
            if isinstance(extra, dict):
                value = {**extra, **value}
        discriminator = schema.get("discriminator")
        if isinstance(value, dict) and isinstance(discriminator, dict):
            name = discriminator.get("propertyName")
            tag = _discriminator_value(discriminator, chosen)
            if isinstance(name, str) and tag is not None:
                value = {**value, name: tag}
        return value

    # ------------------------------------------------------------------ containers

    def _object(self, schema: dict[str, Any], depth: int) -> Any:
        props = schema.get("properties")
        listed = strings(schema.get("required"))
        required = set(listed)
        result: dict[str, Any] = {}
        if isinstance(props, dict):
            for name, prop in props.items():
                if self._hidden(prop):
                    continue
                if name not in required and self._budget <= 0:
                    self._trimmed += 1
                    continue
                value = self._sample(prop, depth + 1, required=name in required)
                if value is not _OMIT:
                    result[name] = value
        if not result and isinstance(schema.get("additionalProperties"), dict) and self._budget > 0:
            value = self._sample(schema["additionalProperties"], depth + 1, required=False)
            if value is not _OMIT:
                result["key"] = value
        for name in listed:
            if name not in result and not (isinstance(props, dict) and name in props):  # required, never declared
                result[name] = "string"
        return result

    def _array(self, schema: dict[str, Any], depth: int) -> Any:
        items = schema.get("items")
        if isinstance(items, list):  # 3.0 never, JSON Schema draft 4 tuple form: sample each position
            return [v for v in (self._sample(i, depth + 1, required=True) for i in items) if v is not _OMIT]
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            return [v for v in (self._sample(i, depth + 1, required=True) for i in prefix) if v is not _OMIT]
        min_items: int = schema["minItems"] if isinstance(schema.get("minItems"), int) else 0
        if items is None or items is True:
            return ["string"] * min(max(1, min_items), MAX_ITEMS) if schema.get("maxItems") != 0 else []
        value = self._sample(items, depth + 1, required=min_items > 0)
        if value is _OMIT or schema.get("maxItems") == 0:
            return []
        count = min(max(1, min_items), MAX_ITEMS)
        return [value] * count

    def _hidden(self, prop: Any) -> bool:
        """readOnly properties are not sent; writeOnly ones are never returned."""
        if not isinstance(prop, dict):
            return False
        target = prop
        ref = prop.get("$ref")
        # 3.1 may put readOnly beside $ref; 3.0 only inside the target
        if isinstance(ref, str) and prop.get("readOnly") is None and prop.get("writeOnly") is None:
            resolved = resolve_ref(self.document, ref)
            target = resolved if isinstance(resolved, dict) else prop
        flag = "readOnly" if self.direction == "request" else "writeOnly"
        return target.get(flag) is True


# ---------------------------------------------------------------------- helpers


def usable_example(value: Any) -> bool:
    """False for ``{"$ref": "..."}`` alone: a reference written where a literal example belongs."""
    return not (isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), str))


def resolve_ref(document: dict[str, Any], ref: str) -> Any:
    """The node a local ``#/json/pointer`` names, or None (remote refs are not followed)."""
    if not ref.startswith("#"):
        return None
    node: Any = document
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _chain_end(document: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> Any:
    """The first node of ``schema``'s chain of refs that is not a ref: None where the chain breaks, the ref node
    where it loops."""
    node: Any = schema
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = resolve_ref(document, node["$ref"])
    return node


def _allows_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    enum = schema.get("enum")
    return (
        schema.get("nullable") is True
        or kind == "null"
        or (isinstance(kind, list) and "null" in kind)
        or (isinstance(enum, list) and None in enum)
    )


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):  # 3.1: ["string", "null"] -> the first that is not null
        non_null = [k for k in kind if k != "null"]
        kind = non_null[0] if non_null else (kind[0] if kind else None)
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return None


def _discriminator_value(discriminator: dict[str, Any], chosen: dict[str, Any]) -> str | None:
    ref = chosen.get("$ref")
    if not isinstance(ref, str):
        return None
    mapping = discriminator.get("mapping")
    if isinstance(mapping, dict):
        for key, target in mapping.items():
            if target == ref or (isinstance(target, str) and ref.endswith("/" + target)):
                return str(key)
    return ref.rsplit("/", 1)[-1]


def _smallest(schema: dict[str, Any]) -> Any:
    """The least value of the schema's type, used where recursion is cut."""
    kind = _type_of(schema)
    return {"object": {}, "array": [], "integer": 0, "number": 0, "boolean": False, "null": None}.get(
        kind or "", "" if kind == "string" else None
    )


def _scalar(schema: dict[str, Any], kind: str | None) -> Any:
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema)


def _string(schema: dict[str, Any]) -> str:
    fmt = schema.get("format")
    text = _STRING_FORMATS.get(fmt, "string") if isinstance(fmt, str) else "string"
    min_len = schema.get("minLength")
    max_len = schema.get("maxLength")
    if isinstance(min_len, int) and len(text) < min_len:
        text = text + "x" * (min(min_len, MAX_STRING) - len(text))
    if isinstance(max_len, int) and len(text) > max_len:
        text = text[:max_len]
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        return _fitting(pattern, text, _int_or_none(min_len), _int_or_none(max_len))
    return text


@functools.lru_cache(maxsize=4096)  # Graph beta: 6,898 calls, 5 patterns (0.10 -> 0.01 s)
def _fitting(pattern: str, text: str, min_len: int | None, max_len: int | None) -> str:
    """``text``, or when ``pattern`` does not match it, a sample the pattern matches (if one is found)."""
    from generators.artefacts.pattern_sample import matches, pattern_sample

    if matches(pattern, text):  # an invalid pattern matches everything (validate reports it)
        return text
    found = pattern_sample(pattern, min_len, max_len)
    return text if found is None else found


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    """The bound nearest 0, rounded up to ``multipleOf`` (checked and, where floats gave out, replaced by
    ``numbers.sample_number``)."""
    try:
        guess = _first_guess(schema, integer)
    except (OverflowError, ValueError, ZeroDivisionError):  # inf or nan bounds, ints past float range
        guess = 0
    return sample_number(schema, integer, guess)


def _first_guess(schema: dict[str, Any], integer: bool) -> int | float:
    low, high = _bound(schema, "minimum", "exclusiveMinimum", 1), _bound(schema, "maximum", "exclusiveMaximum", -1)
    value: float = 0
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0 and value % step:
        value = (value // step + 1) * step
    if integer:
        return int(value) if float(value).is_integer() else int(value) + 1
    return int(value) if float(value).is_integer() else value


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str, direction: int) -> float | None:
    ex = schema.get(exclusive)
    if isinstance(ex, (int, float)) and not isinstance(ex, bool):  # 3.1: the exclusive bound itself
        return ex + direction
    value = schema.get(inclusive)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return value + direction if ex is True else value  # 3.0: boolean flag beside the bound
