"""Real descriptions: two published @octokit/openapi versions, and GitHub 3.0.3 against its mechanical 3.1 form."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generators.diff import Level, diff_documents
from generators.source.loader import load_file
from tests.conftest import node_package_file
from tests.diff.convert31 import convert

TODAY = date(2025, 6, 1)
GITHUB = ("@octokit", "openapi", "generated", "api.github.com.json")
PREVIOUS = ("@octokit", "openapi-previous", "generated", "api.github.com.json")


@pytest.fixture(scope="module")
def github() -> dict[str, object]:
    return load_file(node_package_file(*GITHUB))  # type: ignore[no-any-return]


@pytest.mark.external
@pytest.mark.slow
def test_two_published_versions(github: dict[str, object]) -> None:
    previous = load_file(node_package_file(*PREVIOUS))
    report = diff_documents(previous, github, today=TODAY)
    counts = Counter(c.level for c in report.changes)
    rules = Counter(c.rule for c in report.changes)
    # 22.0.0 -> current: endpoints were removed (team discussions) and added, response enums grew.
    assert report.bump.label == "major"
    assert rules["operation-removed"] >= 10 and rules["operation-added"] >= 100
    assert rules["response-enum-value-added"] > 0 and rules["response-property-removed"] > 0
    assert counts[Level.BREAKING] > 100 and counts[Level.INFO] > counts[Level.BREAKING]
    assert all(c.operation for c in report.changes if c.rule.startswith(("response-", "request-")))


@pytest.mark.external
@pytest.mark.slow
def test_github_30_against_its_31_form_has_no_breaking_change(github: dict[str, object]) -> None:
    converted = convert(github)
    assert converted["openapi"] == "3.1.0" and "webhooks" in converted
    report = diff_documents(github, converted, today=TODAY)
    assert [c for c in report.changes if c.level is not Level.INFO] == []
    assert {c.rule for c in report.changes} == {"openapi-version-changed"}


def test_converter_changes_the_spelling(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "x-webhooks": {},
        "components": {
            "schemas": {
                "A": {"type": "string", "nullable": True, "enum": ["a"]},
                "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": True},
                "C": {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            }
        },
    }
    out = convert(doc)
    schemas = out["components"]["schemas"]
    assert schemas["A"] == {"type": ["string", "null"], "enum": ["a", None]}
    assert schemas["B"] == {"anyOf": [{"allOf": [{"$ref": "#/components/schemas/A"}]}, {"type": "null"}]}
    assert schemas["C"] == {"type": "integer", "exclusiveMinimum": 1}
    assert diff_documents(doc, out, today=TODAY).bump.label == "patch"
