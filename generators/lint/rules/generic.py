"""Generic rules: operations, tags, info, security, components (Redocly recommended / spectral:oas)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generators.core.diagnostics import Severity
from generators.core.operations import operations_of
from generators.core.pointer import pointer_join
from generators.core.shape import as_dict, as_list
from generators.core.structure import COMPONENT_KINDS
from generators.lint.context import LintContext, Operation, components_of, pointer_of
from generators.lint.registry import Finding, rule

E, W = Severity.ERROR, Severity.WARN
_URL_SAFE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$")
# security schemes are used by name from security requirements, not by $ref: no-unused-components looks them up
_COMPONENT_KINDS = tuple(kind for kind in COMPONENT_KINDS if kind != "securitySchemes")


@rule(
    "operation-operationId",
    W,
    "Every operation has an operationId.",
    redocly="operation-operationId",
    spectral="operation-operationId",
)
def operation_id(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if not op.node.get("operationId"):
            yield Finding(
                op.pointer,
                f"{op.label} has no operationId",
                "add a unique operationId: SDKs and Postman name the call after it",
            )


@rule(
    "operation-operationId-unique",
    E,
    "operationIds are unique across the API.",
    redocly="operation-operationId-unique",
    spectral="operation-operationId-unique",
)
def operation_id_unique(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for op in _everywhere(ctx):
        value = op.node.get("operationId")
        if not isinstance(value, str):
            continue
        if value in first:
            yield Finding(
                pointer_join(op.pointer, "operationId"),
                f"operationId '{value}' of {op.label} is already used by {first[value]}",
                "rename one of them",
            )
        else:
            first[value] = op.label


@rule(
    "operation-operationId-url-safe",
    E,
    "operationIds contain only URL-safe characters.",
    redocly="operation-operationId-url-safe",
    spectral="operation-operationId-valid-in-url",
)
def operation_id_url_safe(ctx: LintContext) -> Iterator[Finding]:
    for op in _everywhere(ctx):
        value = op.node.get("operationId")
        if isinstance(value, str) and not _URL_SAFE.match(value):
            yield Finding(
                pointer_join(op.pointer, "operationId"),
                f"operationId '{value}' is not URL-safe",
                "use letters, digits and - . _ ~ only (it becomes a link anchor)",
            )


@rule("operation-summary", E, "Every operation has a summary.", redocly="operation-summary")
def operation_summary(ctx: LintContext) -> Iterator[Finding]:
    for op in _everywhere(ctx):
        if not str(op.node.get("summary", "")).strip():
            yield Finding(op.pointer, f"{op.label} has no summary", "add a short summary: docs list it in the nav")


@rule("operation-tags", W, "Every operation has at least one tag.", spectral="operation-tags")
def operation_tags(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if not op.node.get("tags"):
            yield Finding(op.pointer, f"{op.label} has no tags", "tag it: docs and Postman group operations by tag")


@rule(
    "operation-tag-defined",
    W,
    "Every tag an operation uses is declared in the root tags.",
    redocly="operation-tag-defined",
    spectral="operation-tag-defined",
)
def operation_tag_defined(ctx: LintContext) -> Iterator[Finding]:
    declared = {t.get("name") for t in as_list(ctx.document.get("tags")) if isinstance(t, dict) and _textual(t)}
    for op in _everywhere(ctx):
        for index, tag in enumerate(as_list(op.node.get("tags"))):
            if isinstance(tag, str) and tag not in declared:
                yield Finding(
                    pointer_join(op.pointer, "tags", index),
                    f"tag '{tag}' of {op.label} is not declared",
                    "add it to the root 'tags' list with a description",
                )


@rule("tag-unused", W, "Every tag declared at the root is used by an operation.")
def tag_unused(ctx: LintContext) -> Iterator[Finding]:
    used = {tag for op in ctx.operations for tag in as_list(op.node.get("tags")) if isinstance(tag, str)}
    for index, tag in enumerate(as_list(ctx.document.get("tags"))):
        if isinstance(tag, dict) and _textual(tag) and tag.get("name") not in used:
            yield Finding(
                f"/tags/{index}",
                f"tag '{tag.get('name')}' is declared but no operation uses it",
                "remove it or tag the operations that belong to it",
            )


@rule("tag-description", W, "Every root tag has a description.", redocly="tag-description", spectral="tag-description")
def tag_description(ctx: LintContext) -> Iterator[Finding]:
    for index, tag in enumerate(as_list(ctx.document.get("tags"))):
        if isinstance(tag, dict) and not tag.get("description"):
            yield Finding(f"/tags/{index}", f"tag '{tag.get('name')}' has no description", "describe the group")


@rule("info-contact", W, "info.contact is present.", redocly="info-contact", spectral="info-contact")
def info_contact(ctx: LintContext) -> Iterator[Finding]:
    if not as_dict(ctx.document.get("info")).get("contact"):
        yield Finding("/info", "info has no contact", "add info.contact with a url or email for integrators")


@rule("info-license", W, "info.license is present.", redocly="info-license", spectral="info-license")
def info_license(ctx: LintContext) -> Iterator[Finding]:
    if not as_dict(ctx.document.get("info")).get("license"):
        yield Finding("/info", "info has no license", "add info.license with a name and url (or identifier)")


@rule(
    "security-defined",
    E,
    "Every operation is secured, globally or by its own security (or opts out with []).",
    redocly="security-defined",
)
def security_defined(ctx: LintContext) -> Iterator[Finding]:
    for op in _everywhere(ctx):
        if ctx.security_of(op) is None:
            yield Finding(
                op.pointer,
                f"{op.label} has no security requirement",
                "add root 'security' or the operation's own; use 'security: []' for a public route",
            )


@rule(
    "security-scheme-declared",
    E,
    "Every security requirement names a declared security scheme.",
    redocly="security-defined",
    spectral="oas3-operation-security-defined",
)
def security_scheme_declared(ctx: LintContext) -> Iterator[Finding]:
    declared = set(components_of(ctx.document, "securitySchemes"))
    places = [(ctx.document.get("security"), "/security")]
    places += [(op.node.get("security"), pointer_join(op.pointer, "security")) for op in _everywhere(ctx)]
    for requirements, pointer in places:
        for index, requirement in enumerate(requirements if isinstance(requirements, list) else []):
            for name in as_dict(requirement):
                if name not in declared:
                    yield Finding(
                        f"{pointer}/{index}",
                        f"security scheme '{name}' is not declared",
                        "declare it under components.securitySchemes",
                    )


@rule(
    "operation-2xx-response",
    W,
    "Every operation documents a success (2xx, 3xx, or default) response.",
    redocly="operation-2xx-response",
    spectral="operation-success-response",
)
def operation_success(ctx: LintContext) -> Iterator[Finding]:
    for op in _under_paths(ctx):
        # `default` stands for every status not listed, success included (as Redocly reads it)
        if not any(code[:1] in "23" or code == "default" for code in as_dict(op.node.get("responses"))):
            yield Finding(
                pointer_join(op.pointer, "responses") if "responses" in op.node else op.pointer,
                f"{op.label} documents no 2xx, 3xx or default response",
                "document what success returns",
            )


@rule(
    "operation-4xx-response",
    W,
    "Every operation documents at least one 4xx response.",
    redocly="operation-4xx-response",
)
def operation_4xx(ctx: LintContext) -> Iterator[Finding]:
    for op in _under_paths(ctx):
        if op.path is None:  # a webhook's responses are the receiver's business (as Redocly)
            continue
        if not any(code[:1] == "4" for code in as_dict(op.node.get("responses"))):
            yield Finding(
                pointer_join(op.pointer, "responses") if "responses" in op.node else op.pointer,
                f"{op.label} documents no 4xx response",
                "document how a bad request fails",
            )


@rule(
    "operation-parameters-unique",
    E,
    "No operation declares the same parameter (name + in) twice.",
    redocly="operation-parameters-unique",
    spectral="operation-parameters",
)
def parameters_unique(ctx: LintContext) -> Iterator[Finding]:
    for op in _everywhere(ctx):
        for owner, base in ((op.path_item, op.path_item_pointer), (op.node, op.pointer)):
            seen: set[tuple[str, str]] = set()
            for index, raw in enumerate(as_list(owner.get("parameters"))):
                param, _ = ctx.resolve(raw, "")
                if not isinstance(param, dict):
                    continue
                where = str(param.get("in"))
                key = (str(param.get("name")).lower() if where == "header" else str(param.get("name")), where)
                if key in seen:
                    yield Finding(
                        pointer_join(base, "parameters", index),
                        f"parameter '{key[0]}' in {key[1]} is declared twice",
                        "remove the duplicate",
                    )
                seen.add(key)


@rule(
    "no-unused-components",
    W,
    "Every component is referenced somewhere (a security scheme: named by a security requirement).",
    redocly="no-unused-components",
    spectral="oas3-unused-component",
)
def no_unused_components(ctx: LintContext) -> Iterator[Finding]:
    refs, _ = ctx.walk
    used = {"/".join(ref.split("/")[:4]) for ref in refs if ref.startswith("#/components/")}
    for kind in _COMPONENT_KINDS:
        for name, component in components_of(ctx.document, kind).items():
            pointer = pointer_join("/components", kind, name)
            if "#" + pointer not in used and not (kind == "schemas" and _subtype(ctx, component)):
                yield Finding(pointer, f"component {kind}/{name} is never used", "remove it or reference it")
    required = _required_schemes(ctx)
    for name in components_of(ctx.document, "securitySchemes"):
        if name not in required:
            yield Finding(
                pointer_join("/components/securitySchemes", name),
                f"security scheme '{name}' is never used",
                "name it in a security requirement (root or operation), or remove it",
            )


def _everywhere(ctx: LintContext) -> list[Operation]:
    """Every operation, callbacks' included (what Redocly's Operation visitors see)."""
    return [*ctx.operations, *ctx.callback_operations]


def _under_paths(ctx: LintContext) -> list[Operation]:
    """The operations and the callbacks' operations under them (what Redocly's 2xx and 4xx rules see)."""
    return [*ctx.operations, *(op for op in ctx.callback_operations if op.under_paths)]


def _subtype(ctx: LintContext, schema: Any) -> bool:
    """A schema whose allOf references a schema with a discriminator: the discriminator picks it by its name."""
    for part in as_list(as_dict(schema).get("allOf")):
        if isinstance(part, dict) and "$ref" in part and "discriminator" in as_dict(ctx.resolve(part, "")[0]):
            return True
    return False


def _required_schemes(ctx: LintContext) -> set[str]:
    """The security scheme names security requirements use: the root's and every operation's (callbacks too)."""
    names: set[str] = set()
    owners: list[Any] = [ctx.document, *(op.node for op in ctx.operations)]
    items = [ctx.resolve(i, "")[0] for i in components_of(ctx.document, "pathItems").values()]
    callbacks = [*components_of(ctx.document, "callbacks").values()]
    callbacks += [c for op in ctx.operations for c in as_dict(op.node.get("callbacks")).values()]
    items += [ctx.resolve(i, "")[0] for c in callbacks for i in as_dict(ctx.resolve(c, "")[0]).values()]
    owners += [operation for item in items if isinstance(item, dict) for _, operation in operations_of(item)]
    for owner in owners:
        for requirement in as_list(owner.get("security")):
            names.update(as_dict(requirement))
    return names


@rule(
    "no-enum-type-mismatch",
    E,
    "Every enum value matches the schema's type.",
    redocly="no-enum-type-mismatch",
    spectral="typed-enum",
    worker=True,
)
def enum_type(ctx: LintContext) -> Iterator[Finding]:
    for schema, chain in ctx.enum_schemas:
        enum, kinds = schema.get("enum"), schema.get("type")
        if not isinstance(enum, list) or kinds is None:
            continue
        allowed = {k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
        if schema.get("nullable") is True:
            allowed.add("null")
        if "string" in allowed and _all_strings(enum):  # most enums: nothing to check one by one
            continue
        for index, value in enumerate(enum):
            if not any(_is_type(value, kind) for kind in allowed):
                yield Finding(
                    f"{pointer_of(chain)}/enum/{index}",
                    f"enum value {value!r} is not of type {'/'.join(sorted(allowed))}",
                    "fix the value or the type",
                )


@rule(
    "no-duplicate-enum-values",
    W,
    "No enum lists the same value twice.",
    spectral="duplicated-entry-in-enum",
    worker=True,  # visits every schema, as the enum type check does: the worker indexes them once
)
def enum_duplicates(ctx: LintContext) -> Iterator[Finding]:
    for schema, chain in ctx.enum_schemas:
        enum = schema.get("enum")
        if isinstance(enum, list) and not (_all_strings(enum) and len(set(enum)) == len(enum)):
            seen: list[Any] = []
            for index, value in enumerate(enum):
                if any(value == s and type(value) is type(s) for s in seen):
                    yield Finding(
                        f"{pointer_of(chain)}/enum/{index}", f"enum value {value!r} is listed twice", "remove it"
                    )
                seen.append(value)


@rule(
    "no-example-value-and-externalValue",
    E,
    "An example has either value or externalValue, not both.",
    redocly="no-example-value-and-externalValue",
)
def example_value_and_external(ctx: LintContext) -> Iterator[Finding]:
    for name, example in components_of(ctx.document, "examples").items():
        if isinstance(example, dict) and "value" in example and "externalValue" in example:
            yield Finding(
                pointer_join("/components/examples", name),
                f"example '{name}' has value and externalValue",
                "keep one of them",
            )
    for owner, pointer in [*((u.node, u.pointer) for u in ctx.media_types), *ctx.parameters, *ctx.headers]:
        for name, example in as_dict(owner.get("examples")).items():
            if isinstance(example, dict) and "value" in example and "externalValue" in example:
                yield Finding(
                    pointer_join(pointer, "examples", name),
                    f"example '{name}' has value and externalValue",
                    "keep one of them",
                )


def _textual(tag: dict[str, Any]) -> bool:
    return isinstance(tag.get("name", ""), str)


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    expected = _PYTHON_TYPES.get(kind)
    return expected is not None and isinstance(value, expected)


_PYTHON_TYPES: dict[str, type] = {"string": str, "boolean": bool, "object": dict, "array": list, "null": type(None)}


def _all_strings(values: list[Any]) -> bool:
    return all(type(v) is str for v in values)
