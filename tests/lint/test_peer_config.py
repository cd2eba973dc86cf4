"""A repository linted with Redocly or Spectral keeps its rule levels in redocly.yaml or .spectral.yaml: lint honours
them for the rules we share
(9506hqwy/openapi-spec-redmine turns operation-summary and info-license off; lob/lob-openapi's .redocly.yaml
lowers no-invalid-media-type-examples to warn). The file belongs to the spec's project, not the caller's folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import cli, make_tree

SPEC = """\
openapi: 3.1.0
info: {title: T, version: '1.0'}
servers: [{url: 'https://api.test'}]
security: []
tags: [{name: a, description: A}]
paths:
  /a:
    get:
      operationId: getA
      tags: [a]
      responses:
        '200': {description: ok}
"""

REDOCLY = """\
extends: [recommended]
apis:
  main@v1:
    root: ./api/openapi.yaml
    rules:
      operation-4xx-response: off
  other@v1:
    root: ./other.yaml
    rules:
      info-contact: off
rules:
  operation-summary: off
  info-license:
    severity: error
  info-contact: {severity: warn}
  operation-4xx-problem-details-rfc7807: error
  rule/summary-sentence-case:
    subject: {type: Operation, property: summary}
    assertions:
      pattern: /^[A-Z]/
"""


def findings(folder: Path, spec: str) -> tuple[int, dict[str, str]]:
    done = cli("lint", "--spec", spec, "--format", "json", cwd=folder)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, {d["code"]: d["severity"] for d in json.loads(done.stdout)}


def test_without_a_redocly_config_our_defaults_apply(tmp_path: Path) -> None:
    make_tree(tmp_path, {"api/openapi.yaml": SPEC})
    assert findings(tmp_path, "api/openapi.yaml") == (
        1,
        {
            "info-contact": "warn",
            "info-license": "warn",
            "operation-4xx-response": "warn",
            "operation-summary": "error",
        },
    )


def test_the_projects_redocly_levels_apply_to_the_rules_we_share(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make_tree(tmp_path, {"api/openapi.yaml": SPEC, "redocly.yaml": REDOCLY, "elsewhere/x.txt": ""})
    # run from another folder: the configuration follows the spec; house rules stay off
    assert findings(tmp_path / "elsewhere", "../api/openapi.yaml") == (
        1,
        {"info-contact": "warn", "info-license": "error"},
    )


def test_our_own_configuration_wins_and_the_callers_folder_is_not_searched(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "project/api/openapi.yaml": SPEC,
            "project/.redocly.yaml": REDOCLY,
            "project/atlas-spec.toml": 'spec = "api/openapi.yaml"\n[lint.rules]\ninfo-license = "off"\n',
            "caller/redocly.yaml": "rules:\n  info-contact: off\n  operation-summary: error\n",
        },
    )
    assert findings(tmp_path / "caller", "../project/api/openapi.yaml") == (0, {"info-contact": "warn"})


SPECTRAL = """\
extends: [[spectral:oas, all]]
rules:
  info-contact: false
  info-license: hint
  operation-tags: 0
  oas3-unused-component: true
  operation-summary:
    description: a custom rule of a known name is not ours
    severity: off
    given: $.paths.*.*
    then: {field: summary, function: truthy}
"""


def test_the_projects_spectral_levels_apply_and_redocly_wins_over_them(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make_tree(tmp_path, {"api/openapi.yaml": SPEC.replace("      tags: [a]\n", ""), "api/.spectral.yml": SPECTRAL})
    assert findings(tmp_path, "api/openapi.yaml") == (
        1,
        {
            "info-license": "info",
            "operation-4xx-response": "warn",
            "operation-summary": "error",
            "operation-tags": "error",
            "tag-unused": "warn",
        },
    )
    (tmp_path / "redocly.yaml").write_text("rules:\n  info-license: error\n", encoding="utf-8")
    assert findings(tmp_path, "api/openapi.yaml")[1]["info-license"] == "error"


def test_without_spec_or_configuration_the_redocly_api_root_is_the_spec(tmp_path: Path) -> None:
    """Redocly/openapi-starter: `atlas-spec lint` in the repository looked for spec/openapi.yaml (exit 2) where
    `redocly lint` lints the root its redocly.yaml names."""
    (tmp_path / ".git").mkdir()
    make_tree(tmp_path, {"api/openapi.yaml": SPEC, "redocly.yaml": REDOCLY, "docs/x.txt": ""})
    done = cli("lint", "--format", "json", cwd=tmp_path / "docs")
    assert done.returncode == 1, done.stderr
    assert {d["code"] for d in json.loads(done.stdout)} == {"info-contact", "info-license"}
    assert f"note: the spec is {tmp_path / 'api' / 'openapi.yaml'}, api main@v1 of " in done.stderr
    (tmp_path / "atlas-spec.toml").write_text('spec = "spec/openapi.yaml"\n', encoding="utf-8")
    assert cli("lint", cwd=tmp_path).returncode == 2  # a configuration of ours names another spec: no guessing
