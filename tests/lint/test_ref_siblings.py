"""Keys beside a ``$ref`` that OpenAPI ignores: a ``no-ref-siblings`` warning at each key, never a ``struct`` error.

The fixture (tests/lint/fixtures/ref-siblings, OpenAPI 3.1, one file per path and component) writes them as
descriptions in the wild do: ``required: true`` beside a parameter's ``$ref``, a ``description`` and an extension
beside a response's, a ``description`` beside a schema property's. Redocly's ``spec-ref-siblings`` flags the same
keys at the same lines (3.1 keeps ``summary``/``description`` and a schema's keywords; 3.0 reads only the ``$ref``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import Diagnostic, Severity
from generators.lint import LintConfig, fast_locators, lint_document
from generators.validate.structural import validate_bundle

FIXTURE = Path(__file__).parent / "fixtures" / "ref-siblings"
PATH_FILE = "paths/orders_{orderId}.yaml"


def as_30(tmp_path: Path) -> Path:
    """The fixture as an OpenAPI 3.0 description (the only 3.1 construct, a license identifier, dropped)."""
    root = tmp_path / "spec"
    shutil.copytree(FIXTURE, root)
    text = (root / "openapi.yaml").read_text(encoding="utf-8")
    (root / "openapi.yaml").write_text(text.replace("3.1.0", "3.0.3").replace(", identifier: MIT", ""), "utf-8")
    return root


def siblings(root: Path) -> list[tuple[str, int, int, Severity]]:
    bundled = bundle_spec(root / "openapi.yaml")
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    return [_place(d, root) for d in found if d.code == "no-ref-siblings"]


def _place(d: Diagnostic, root: Path) -> tuple[str, int, int, Severity]:
    assert d.location is not None
    return Path(d.location.file).relative_to(root.resolve()).as_posix(), d.location.line, d.location.col, d.severity


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "library alone"])
@pytest.mark.parametrize("version", ["3.1", "3.0"])
def test_keys_beside_a_ref_are_not_structural_errors(tmp_path: Path, version: str, fast: bool) -> None:
    root = FIXTURE if version == "3.1" else as_30(tmp_path)
    assert validate_bundle(bundle_spec(root / "openapi.yaml"), fast=fast) == []


def test_openapi_31_warns_at_each_ignored_key_as_redocly_does() -> None:
    # summary and description may override the target's; a schema's keys beside $ref are keywords
    warn = Severity.WARN
    assert sorted(siblings(FIXTURE)) == [(PATH_FILE, 3, 5, warn), (PATH_FILE, 11, 7, warn), (PATH_FILE, 22, 7, warn)]


def test_openapi_30_warns_at_every_key_beside_a_ref_but_a_path_items(tmp_path: Path) -> None:
    root = as_30(tmp_path)
    places = sorted((file, line) for file, line, _, _ in siblings(root))
    expected = [(PATH_FILE, line) for line in (3, 10, 11, 21, 22)]
    assert places == sorted([*expected, ("components/schemas/Order.yaml", 8)])


def test_openapi_30_required_beside_a_property_ref_says_what_to_do(tmp_path: Path) -> None:
    """``required: true`` beside a property's ``$ref`` was "'required' must be a list, not true" (draft 4's
    meta-schema reading a key OpenAPI 3.0 ignores)."""
    root = as_30(tmp_path)
    order = root / "components" / "schemas" / "Order.yaml"
    order.write_text(order.read_text(encoding="utf-8").replace("    description:", "    required: true\n    desc:"))
    bundled = bundle_spec(root / "openapi.yaml")
    assert validate_bundle(bundled) == []
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    [finding] = [d for d in found if d.code == "no-ref-siblings" and d.json_path.endswith("total/required")]
    assert finding.message == "'required' beside a $ref is ignored: OpenAPI 3.0 reads only the $ref"
    assert finding.hint == "to require property 'total', list it in the parent schema's 'required' list"
    assert finding.location is not None and (finding.location.line, finding.location.col) == (8, 5)
