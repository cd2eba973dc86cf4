"""Conformance with Redocly CLI on real specs: the DigitalOcean corpus and GitHub's description."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import Severity
from generators.validate.structural import validate_bundle
from tests.conftest import node_package_file, node_tool, shared_path

from .semantic import Comparer, operations

pytestmark = [pytest.mark.external, pytest.mark.slow]


@pytest.fixture(scope="module")
def digitalocean_root() -> Path:
    return shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")


@pytest.fixture(scope="module")
def redocly_bundle(digitalocean_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("redocly") / "do.json"
    subprocess.run(
        [str(node_tool("redocly")), "bundle", str(digitalocean_root), "-o", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return json.loads(out.read_text())


def redocly_is_wrong(ours: Any, theirs: Any, where: str) -> bool:
    """Where Redocly is wrong, by name:

    1. integers above 2**53 (e.g. ``maximum: 18446744073709551615``) are rounded by Redocly's JavaScript
       numbers (18446744073709552000); we keep them exactly.
    2. a ``|`` block scalar that ends a file with no final newline: YAML's clip chomping keeps a final
       line break only if there is one; js-yaml invents it (domains/responses/existing_domain.yml).
    3. ``example: {$ref: ...}`` is literal data (an Example's value is never a Reference Object); Redocly
       resolves it (byoip_prefixes responses); we keep it as written.
    """
    literal_ref = where.endswith("/example") and isinstance(ours, dict) and set(ours) == {"$ref"} and ours != theirs
    rounded = (
        isinstance(ours, int)
        and not isinstance(ours, bool)
        and abs(ours) > 2**53
        and isinstance(theirs, (int, float))
        and float(ours) == float(theirs)
        and ours != theirs
    )
    invented_newline = isinstance(ours, str) and isinstance(theirs, str) and ours + "\n" == theirs
    return rounded or invented_newline or literal_ref


def test_digitalocean_bundle_equals_redocly_semantically(
    digitalocean_root: Path, redocly_bundle: dict[str, Any]
) -> None:
    ours = bundle_spec(digitalocean_root).document
    assert operations(ours) == operations(redocly_bundle)
    assert len(operations(ours)) == 659
    comparer = Comparer(ours, redocly_bundle, excuse=redocly_is_wrong)
    for key in ours:
        if key != "components":
            comparer.equal(ours[key], redocly_bundle[key], f"#/{key}")
    assert comparer.differences == []
    assert comparer.excused, "the known Redocly faults below should show up on this corpus"
    # every schema Redocly hoisted is equal to the one we reach at the same place (checked above through
    # every operation); components that nothing references are compared by content as a set.
    assert len(ours["components"]["schemas"]) == len(redocly_bundle["components"]["schemas"])


def test_digitalocean_validates_like_redocly(digitalocean_root: Path) -> None:
    """Redocly's structural verdict is 'valid'; openapi-spec-validator also flags one invalid default."""
    findings = validate_bundle(bundle_spec(digitalocean_root))
    assert [d for d in findings if d.severity is Severity.ERROR] == []
    assert [(d.code, d.location.line if d.location else 0) for d in findings] == [("oas-default-invalid", 112)]
    assert findings[0].location is not None
    assert findings[0].location.file.endswith("inference/models/chat_completion_request.yml")


def test_digitalocean_dereference_keeps_cycles_as_refs(digitalocean_root: Path) -> None:
    document = bundle_spec(digitalocean_root, dereference=True).document
    text = json.dumps(document)
    assert '"$ref": "#/components/schemas/' in text  # the cyclic apiAgent/apiWorkspace schemas
    assert "../" not in text.replace("\\/", "/").split('"$ref": "')[1][:5]


def github_31(document: dict[str, Any]) -> dict[str, Any]:
    """GitHub's 3.0.3 description turned into 3.1 mechanically: nullable -> type arrays, x-webhooks -> webhooks."""

    def convert(node: Any) -> Any:
        if isinstance(node, dict):
            result = {k: convert(v) for k, v in node.items() if k != "nullable"}
            if node.get("nullable") is True:
                if isinstance(result.get("type"), str):
                    result["type"] = [result["type"], "null"]
                elif "type" not in result and any(k in result for k in ("allOf", "oneOf", "anyOf", "$ref")):
                    result = {"anyOf": [result, {"type": "null"}]}
            return result
        if isinstance(node, list):
            return [convert(v) for v in node]
        return node

    converted = convert(document)
    converted["openapi"] = "3.1.0"
    if "x-webhooks" in converted:
        converted["webhooks"] = converted.pop("x-webhooks")
    return converted


@pytest.fixture(scope="module")
def github_description() -> Path:
    return node_package_file("@octokit", "openapi", "generated", "api.github.com.json")


def test_github_30_bundles_and_validates(github_description: Path) -> None:
    bundled = bundle_spec(github_description)
    assert len(operations(bundled.document)) > 1000
    assert [d for d in validate_bundle(bundled) if d.severity is Severity.ERROR] == []


def test_github_31_form_bundles_and_validates(github_description: Path, tmp_path: Path) -> None:
    converted = github_31(json.loads(github_description.read_text()))
    root = tmp_path / "github-3.1.json"
    root.write_text(json.dumps(converted))
    bundled = bundle_spec(root)
    assert bundled.document["openapi"] == "3.1.0"
    assert [d for d in validate_bundle(bundled) if d.severity is Severity.ERROR] == []
