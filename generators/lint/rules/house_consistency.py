"""House rules that keep a description consistent with itself (off unless ``house-rules = true``).

Each reads what the spec itself catalogues (``x-required-scopes``, ``x-problem-types``, ``x-ratelimit-class``,
``x-retry-ladders``, named schemas) and checks the text and examples against it; without the catalogue a rule
has nothing to compare with and stays silent, so another API that turns the house rules on is never flagged for
lacking an Atlas convention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generators.core.diagnostics import Severity
from generators.core.pointer import pointer_join
from generators.core.shape import as_dict
from generators.lint.context import LintContext, pointer_of
from generators.lint.registry import Finding, rule
from generators.lint.rules.house import CLASSES, is_secured, routes

E = Severity.ERROR
_BUCKET = re.compile(r"\b(read|write|ai) bucket\b")
_DURATION = r"\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds?|m|min|minutes?|h|hours?)\b"
_LADDER = re.compile(rf"{_DURATION}(?:\s*(?:,|and|then|->|→)?\s*{_DURATION}){{2,}}")
_SPACE = re.compile(r"\s+")
_LITERAL_KEYS = frozenset(("example", "examples", "value", "default", "enum", "const", "x-retry-ladders"))


@rule(
    "house-security-scopes",
    E,
    "A secured operation's security requirement names the same scopes as its x-required-scopes.",
    house=True,
)
def security_scopes(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        required = op.node.get("x-required-scopes")
        if not isinstance(required, list) or not required or not is_secured(ctx, op):
            continue
        want = sorted(str(s) for s in required)
        own = "security" in op.node
        for index, requirement in enumerate(ctx.security_of(op)):
            scopes = sorted({str(s) for v in as_dict(requirement).values() if isinstance(v, list) for s in v})
            if scopes == want:
                continue
            names = ", ".join(want)
            scheme = next(iter(as_dict(requirement)), "bearerAuth")
            where = pointer_join(op.pointer, "security", index) if own else op.pointer
            said = f"names {', '.join(scopes)}" if scopes else "names no scopes"
            inherited = "" if own else " (inherited from the root)"
            yield Finding(
                where,
                f"the security requirement of {op.label}{inherited} {said}, but x-required-scopes says {names}",
                f"write security: [{{{scheme}: [{names}]}}] on the operation",
            )


def _catalogue(ctx: LintContext) -> dict[str, dict[str, Any]] | None:
    raw = ctx.document.get("x-problem-types")
    if not isinstance(raw, list):
        return None
    return {str(e["type"]): e for e in raw if isinstance(e, dict) and isinstance(e.get("type"), str)}


def _examples(ctx: LintContext, response: dict[str, Any], pointer: str) -> Iterator[tuple[Any, str]]:
    """Every example value of a response's media types, with the pointer where the value was written."""
    for media, node in as_dict(response.get("content")).items():
        media_pointer = pointer_join(pointer, "content", media)
        if "example" in as_dict(node):
            yield node["example"], pointer_join(media_pointer, "example")
        for name, raw in as_dict(as_dict(node).get("examples")).items():
            example, where = ctx.resolve(raw, pointer_join(media_pointer, "examples", name))
            if isinstance(example, dict) and "value" in example:
                yield example["value"], pointer_join(where, "value")


def _status_matches(code: str, status: Any) -> bool:
    if not isinstance(status, int) or isinstance(status, bool):
        return False
    if code.isdigit():
        return status == int(code)
    return len(code) == 3 and code[0].isdigit() and code[1:].upper() == "XX" and status // 100 == int(code[0])


@rule(
    "house-problem-types",
    E,
    "Every problem example's type is in x-problem-types and its status is the response's status code.",
    house=True,
)
def problem_types(ctx: LintContext) -> Iterator[Finding]:
    catalogue = _catalogue(ctx)
    seen: set[tuple[str, str]] = set()
    for op in routes(ctx):
        for code, (response, pointer) in op.responses.items():
            if code[:1] not in "45":
                continue
            for value, where in _examples(ctx, response, pointer):
                if not isinstance(value, dict) or (where, code) in seen:
                    continue
                seen.add((where, code))
                status, type_ = value.get("status"), value.get("type")
                if "status" in value and not _status_matches(code, status):
                    yield Finding(
                        pointer_join(where, "status"),
                        f"a {code} response of {op.label} has a problem example with status {status!r}",
                        f"the status member repeats the HTTP status: status: {code.replace('XX', '00')}",
                    )
                if catalogue is None or not isinstance(type_, str):
                    continue
                entry = catalogue.get(type_)
                if entry is None:
                    yield Finding(
                        pointer_join(where, "type"),
                        f"problem type '{type_}' (a {code} of {op.label}) is not in x-problem-types",
                        "catalogue it in the root x-problem-types (type, title, status, when, action) or fix it",
                    )
                elif "status" in entry and "status" in value and entry["status"] != status:
                    yield Finding(
                        pointer_join(where, "status"),
                        f"problem type '{type_}' is catalogued with status {entry['status']}, "
                        f"the example says {status!r}",
                        "use the catalogued status, or catalogue a separate type",
                    )


@rule(
    "house-429-rate-class", E, "A 429 example names the operation's rate-limit class ('the read bucket').", house=True
)
def rate_limited_class(ctx: LintContext) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for op in routes(ctx):
        cls = op.node.get("x-ratelimit-class")
        if cls not in CLASSES or "429" not in op.responses:
            continue
        for value, where in _examples(ctx, *op.responses["429"]):
            if not isinstance(value, dict) or (where, cls) in seen:
                continue
            seen.add((where, cls))
            detail = value.get("detail")
            named = set(_BUCKET.findall(detail)) if isinstance(detail, str) else set()
            if named == {cls}:
                continue
            said = f"names the {' and '.join(sorted(named))} bucket" if named else "names no bucket"
            yield Finding(
                pointer_join(where, "detail") if isinstance(detail, str) else where,
                f"the 429 example of {op.label} {said}, but the operation is in rate-limit class '{cls}'",
                f"say which bucket is empty: 'The {cls} bucket ... is empty' (one 429 response per class)",
            )


@rule("house-webhook-event-ids", E, "Webhook example events have distinct ids (the id is the dedupe key).", house=True)
def webhook_event_ids(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, tuple[str, str]] = {}
    for op in ctx.operations:
        if op.path is not None:
            continue
        body, body_pointer = ctx.resolve(op.node.get("requestBody"), pointer_join(op.pointer, "requestBody"))
        for value, where in _examples(ctx, as_dict(body), body_pointer):
            event_id = as_dict(value).get("id")
            if not isinstance(event_id, str):
                continue
            name = str(op.node.get("operationId") or op.pointer)
            if event_id not in first:
                first[event_id] = (where, name)
            elif first[event_id][0] != where:
                yield Finding(
                    pointer_join(where, "id"),
                    f"event id '{event_id}' of the {name} example is also the id of the {first[event_id][1]} example",
                    "give every example event its own id: receivers drop a second event with a known id",
                )


@rule("house-201-location", E, "Every 201 response documents a Location header.", house=True)
def created_location(ctx: LintContext) -> Iterator[Finding]:
    for op in routes(ctx):
        if "201" not in op.responses:
            continue
        response, pointer = op.responses["201"]
        if "location" not in {str(h).lower() for h in as_dict(response.get("headers"))}:
            yield Finding(
                pointer,
                f"the 201 response of {op.label} does not document a Location header",
                "add headers: Location (the path of the new resource, format uri-reference)",
            )


def _described(ctx: LintContext, schema: Any) -> bool:
    for _ in range(16):
        if not isinstance(schema, dict):
            return False
        text = schema.get("description")
        if isinstance(text, str) and text.strip():
            return True
        if not isinstance(schema.get("$ref"), str):
            return False
        target, _ = ctx.resolve({"$ref": schema["$ref"]}, "")
        if target is schema or not isinstance(target, dict):
            return False
        schema = target
    return False


@rule(
    "house-property-description",
    E,
    "Every schema property has a description (its own or the one of the schema it references).",
    house=True,
)
def property_description(ctx: LintContext) -> Iterator[Finding]:
    for node, chain in ctx.schema_nodes:
        properties = node.get("properties")
        if not isinstance(properties, dict):
            continue
        for name, sub in properties.items():
            if not _described(ctx, sub):
                yield Finding(
                    pointer_join(pointer_of(chain), "properties", name),
                    f"property '{name}' has no description",
                    "say what it holds (and what null means, if it can be null)",
                    key=True,
                )


@rule(
    "house-pattern-copy",
    E,
    "No schema repeats a pattern that a named schema defines; it references the named schema.",
    house=True,
)
def pattern_copy(ctx: LintContext) -> Iterator[Finding]:
    named: dict[str, tuple[str, int]] = {}
    for name, schema in as_dict(as_dict(ctx.document.get("components")).get("schemas")).items():
        pattern = as_dict(schema).get("pattern")
        if isinstance(pattern, str):
            named.setdefault(pattern, (str(name), id(schema)))
    if not named:
        return
    for node, chain in ctx.schema_nodes:
        pattern = node.get("pattern")
        owner = named.get(pattern) if isinstance(pattern, str) else None
        if owner is not None and owner[1] != id(node):
            yield Finding(
                pointer_join(pointer_of(chain), "pattern"),
                f"this pattern copies the one of schema {owner[0]}",
                f"use $ref: '#/components/schemas/{owner[0]}' (oneOf [that, {{type: 'null'}}] when it may be null)",
            )


def _ladders(ctx: LintContext) -> dict[str, str]:
    """Each catalogued ladder text (whitespace folded), keyed by its run of durations."""
    raw = ctx.document.get("x-retry-ladders")
    values = raw.values() if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    ladders: dict[str, str] = {}
    for value in values:
        text = _SPACE.sub(" ", value).strip() if isinstance(value, str) else ""
        run = _LADDER.search(text)
        if run is not None:
            ladders.setdefault(run.group(0), text)
    return ladders


def _texts(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """Every string of the document outside literal data (examples, defaults, enums) and the ladder catalogue."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            yield current, where
        elif isinstance(current, dict):
            stack.extend((v, pointer_join(where, k)) for k, v in reversed(current.items()) if k not in _LITERAL_KEYS)
        elif isinstance(current, list):
            stack.extend((v, pointer_join(where, i)) for i, v in reversed(list(enumerate(current))))


@rule(
    "house-retry-ladder",
    E,
    "Every retry ladder in the text is one catalogued in x-retry-ladders, word for word.",
    house=True,
)
def retry_ladder(ctx: LintContext) -> Iterator[Finding]:
    ladders = _ladders(ctx)
    if not ladders:
        return
    for text, where in _texts(ctx.document, ""):
        flat = _SPACE.sub(" ", text)
        for match in _LADDER.finditer(flat):
            catalogued = ladders.get(match.group(0))
            if catalogued is None or not flat.startswith(catalogued, match.start()):
                found = flat[match.start() : match.start() + 60].split(")")[0]
                yield Finding(
                    where,
                    f"retry ladder '{found}' differs from the catalogued ones",
                    f"write it as x-retry-ladders does ('{next(iter(ladders.values()))}'), or point to where it is",
                )
