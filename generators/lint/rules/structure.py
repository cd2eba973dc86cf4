"""``struct``: the structural findings of ``validate`` are lint findings, so a spec validate rejects never lints clean.

The check itself lives in ``generators.validate.structural`` (it needs the source map to place each error at the
key it is about); ``lint_bundle`` runs it and lists its findings first. The rule is registered here so that it is
in the catalogue, in SARIF's rule table and known to the config, which refuses to turn it down or off: a
structurally invalid description is not OpenAPI, and no setting makes it so.
"""

from __future__ import annotations

from collections.abc import Iterator

from generators.core.diagnostics import Severity
from generators.lint.context import LintContext
from generators.lint.registry import Finding, rule

STRUCT = "struct"


@rule(
    STRUCT,
    Severity.ERROR,
    "The description is valid OpenAPI 3.x (what `validate` checks; cannot be turned off).",
    redocly="struct",
    spectral="oas3-schema",
)
def structure(ctx: LintContext) -> Iterator[Finding]:
    """Nothing of its own: ``lint_bundle`` adds the structural findings (they need the bundle's source map)."""
    return iter(())
