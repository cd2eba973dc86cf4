"""``no-ref-siblings``: keys written beside a ``$ref`` that OpenAPI ignores (Redocly's ``spec-ref-siblings``).

A Reference Object "cannot be extended with additional properties and any properties added SHALL be ignored";
OpenAPI 3.1 lets ``summary`` and ``description`` override the target's, and makes a Schema Object's keys beside
``$ref`` real keywords. A Path Item's ``$ref`` has sibling fields in every version. Such keys are not structural
errors (``validate`` accepts them, as the specification and Redocly do): this rule warns, at each key, that
they have no effect, and says how to get the effect that was probably meant.
"""

from __future__ import annotations

from collections.abc import Iterator

from generators.core.diagnostics import Severity
from generators.core.pointer import pointer_join, pointer_parts
from generators.core.structure import HEADER, PARAMETER, PATH_ITEM, REQUEST_BODY, SCHEMA
from generators.lint.context import LintContext
from generators.lint.registry import Finding, rule

_OVERRIDES = ("summary", "description")  # 3.1 and later: a Reference Object's own
_NAMES = {PARAMETER: "parameter", HEADER: "header", REQUEST_BODY: "request body"}


@rule(
    "no-ref-siblings",
    Severity.WARN,
    "No keys beside a $ref that OpenAPI ignores (3.1 and later: summary and description are kept, and a "
    "schema's keywords apply).",
    redocly="spec-ref-siblings",
    spectral="no-$ref-siblings",
)
def no_ref_siblings(ctx: LintContext) -> Iterator[Finding]:
    _, siblings = ctx.walk
    version = str(ctx.document.get("openapi", ""))
    legacy = version.startswith("3.0") or not version.startswith("3.")
    for pointer, keys, context in siblings:
        if context == PATH_ITEM or (context == SCHEMA and not legacy):
            continue
        for key in keys:
            if not legacy and key in _OVERRIDES:
                continue
            why = "OpenAPI 3.0 reads only the $ref" if legacy else "a reference keeps only summary and description"
            yield Finding(
                pointer_join(pointer, key),
                f"'{key}' beside a $ref is ignored: {why}",
                _hint(key, context, pointer),
                key=True,
            )


def _hint(key: str, context: str, pointer: str) -> str:
    parts = list(pointer_parts(pointer))
    if context == SCHEMA and key == "required" and len(parts) >= 2 and parts[-2] == "properties":
        return f"to require property '{parts[-1]}', list it in the parent schema's 'required' list"
    if context == SCHEMA:
        return "move it into the referenced schema, or write allOf: [{$ref: ...}] and put it beside the allOf"
    if context in _NAMES and key == "required":
        return f"set 'required: true' in the referenced {_NAMES[context]}, or write the {_NAMES[context]} here"
    return "move it into the referenced object, or write the object here instead of the $ref"
