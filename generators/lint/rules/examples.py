"""Every example and examples value is valid against its schema (media types, parameters, headers, schemas)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generators.core.diagnostics import Severity
from generators.core.pointer import pointer_join
from generators.core.shape import as_dict
from generators.lint.context import LintContext, pointer_of
from generators.lint.registry import Finding, rule

if TYPE_CHECKING:
    from generators.lint.examples import ExampleValidator

E, W = Severity.ERROR, Severity.WARN
_JSONISH = ("json", "form", "*/*")


def _validator(ctx: LintContext) -> ExampleValidator:
    if "examples" not in ctx.cache:
        # jsonschema (50 ms to import) is loaded on first use: by the worker, when linting on two cores
        from generators.lint.examples import ExampleValidator

        ctx.cache["examples"] = ExampleValidator(ctx.document, ctx.version, ctx.local_refs)
    validator: ExampleValidator = ctx.cache["examples"]
    return validator


def _examples_of(ctx: LintContext, owner: dict[str, Any], pointer: str) -> Iterator[tuple[Any, str]]:
    """(value, pointer of the value) for ``example`` and each ``examples`` entry (component refs followed)."""
    if "example" in owner:
        yield owner["example"], pointer_join(pointer, "example")
    for name, raw in as_dict(owner.get("examples")).items():
        example, example_pointer = ctx.resolve(raw, pointer_join(pointer, "examples", name))
        if isinstance(example, dict) and "value" in example:
            yield example["value"], pointer_join(example_pointer, "value")


def _check(
    ctx: LintContext, value: Any, value_pointer: str, schema: Any, schema_pointer: str, direction: str, what: str
) -> Iterator[Finding]:
    from generators.lint.examples import Unjudgeable, describe

    try:
        errors = _validator(ctx).errors(value, schema_pointer, direction, schema)
    except Unjudgeable as exc:
        yield Finding(
            value_pointer,
            f"{what} example cannot be checked: {exc}",
            f"fix the schema ({schema_pointer or '/'}); the 'struct' findings say what is wrong in it",
        )
        return

    for error in errors:
        where = pointer_join(value_pointer, *error.absolute_path)
        yield Finding(
            where,
            f"{what} example is invalid: {describe(error)}",
            f"fix the example or the schema ({schema_pointer or '/'})",
        )


@rule(
    "no-invalid-media-type-examples",
    E,
    "Request and response examples (inline or components/examples) are valid against the media type schema.",
    redocly="no-invalid-media-type-examples",
    spectral="oas3-valid-media-example",
    worker=True,
)
def media_type_examples(ctx: LintContext) -> Iterator[Finding]:
    for use in ctx.media_types:
        media = use.pointer.rsplit("/", 1)[-1].replace("~1", "/").lower()
        if not isinstance(use.schema, dict) or not any(kind in media for kind in _JSONISH):
            continue
        for value, pointer in _examples_of(ctx, use.node, use.pointer):
            yield from _check(ctx, value, pointer, use.schema, use.schema_pointer, use.direction, use.direction)


@rule(
    "no-invalid-parameter-examples",
    E,
    "Parameter and header examples are valid against their schema.",
    redocly="no-invalid-parameter-examples",
    spectral="oas3-valid-media-example",
    worker=True,
)
def parameter_examples(ctx: LintContext) -> Iterator[Finding]:
    for kind, direction, owners in (("parameter", "request", ctx.parameters), ("header", "response", ctx.headers)):
        for owner, pointer in owners:
            schema = owner.get("schema")
            if isinstance(schema, dict):
                schema_pointer = pointer_join(pointer, "schema")
                for value, value_pointer in _examples_of(ctx, owner, pointer):
                    yield from _check(ctx, value, value_pointer, schema, schema_pointer, direction, kind)
            for media, node in as_dict(owner.get("content")).items():
                if isinstance(node, dict) and isinstance(node.get("schema"), dict):
                    media_pointer = pointer_join(pointer, "content", media)
                    schema_pointer = pointer_join(media_pointer, "schema")
                    for value, value_pointer in _examples_of(ctx, node, media_pointer):
                        yield from _check(ctx, value, value_pointer, node["schema"], schema_pointer, direction, kind)


@rule(
    "no-invalid-schema-examples",
    W,
    "Schema example / examples values are valid against their own schema.",
    redocly="no-invalid-schema-examples",
    spectral="oas3-valid-schema-example",
    worker=True,
)
def schema_examples(ctx: LintContext) -> Iterator[Finding]:
    for schema, chain in ctx.schema_nodes:
        if "example" not in schema and not (ctx.version == "3.1" and isinstance(schema.get("examples"), list)):
            continue
        pointer = pointer_of(chain)
        if "example" in schema:
            yield from _check(
                ctx, schema["example"], pointer_join(pointer, "example"), schema, pointer, "schema", "schema"
            )
        if ctx.version == "3.1" and isinstance(schema.get("examples"), list):
            for index, value in enumerate(schema["examples"]):
                yield from _check(ctx, value, f"{pointer}/examples/{index}", schema, pointer, "schema", "schema")
