"""The compiled yes/no example check agrees with jsonschema on every example of two real descriptions.

The linter trusts the compiled predicate when it says "valid" (jsonschema only runs on rejected values), so a
compiled check that accepts what jsonschema rejects would hide a finding: this test looks for exactly that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.bundle import bundle_spec
from generators.lint import LintConfig
from generators.lint.context import LintContext
from generators.lint.examples import ExampleValidator
from tests.conftest import node_package_file, shared_path


def _disagreements(root: Path) -> tuple[int, list[str]]:
    document = bundle_spec(root).document
    ctx = LintContext(document, LintConfig())
    validator = ExampleValidator(document, ctx.version)
    checked, wrong = 0, []
    for use in ctx.media_types:
        if not isinstance(use.schema, dict):
            continue
        values = [use.node["example"]] if "example" in use.node else []
        for raw in (use.node.get("examples") or {}).values():
            example, _ = ctx.resolve(raw, "")
            if isinstance(example, dict) and "value" in example:
                values.append(example["value"])
        for value in values:
            compiled = validator.is_valid(value, use.schema_pointer, use.direction)
            if compiled is None:
                continue
            checked += 1
            reference = not validator.jsonschema_errors(value, use.schema_pointer, use.direction)
            if compiled != reference:
                wrong.append(f"{use.pointer}: compiled={compiled} jsonschema={reference}")
    return checked, wrong


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("which", ["digitalocean", "github"])
def test_compiled_check_matches_jsonschema(which: str) -> None:
    if which == "digitalocean":
        root = shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
    else:
        root = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    checked, wrong = _disagreements(root)
    assert checked > 300  # DigitalOcean: 336 media type examples; GitHub: more than 1,000
    assert wrong == []
