"""Lint baselines: today's findings recorded, only new ones count; entries that match nothing are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.lint.baseline import PLACEHOLDER
from tests.conftest import node_package_file
from tests.support import cli, make_tree

SPEC = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      responses: {'200': {description: ok}}
  /b:
    get:
      responses: {'200': {description: ok}}
"""


def _config(baseline: str | None = None, exceptions: str = "") -> str:
    lines = ["[tool.atlas-spec]", 'spec = "spec.yaml"', "[tool.atlas-spec.lint]"]
    if baseline:
        lines.append(f'baseline = "{baseline}"')
    return "\n".join(lines) + "\n" + exceptions


def test_write_baseline_records_rule_pointer_and_a_reason_to_fill_in(tmp_path: Path) -> None:
    make_tree(tmp_path, {"spec.yaml": SPEC, "pyproject.toml": _config()})
    before = cli("lint", "--format", "json", cwd=tmp_path)
    assert before.returncode == 1
    findings = {(f["code"], f["jsonPath"]) for f in json.loads(before.stdout)}
    written = cli("lint", "--write-baseline", "lint-baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    data = json.loads((tmp_path / "lint-baseline.json").read_text(encoding="utf-8"))
    assert {(e["rule"], e["path"]) for e in data["findings"]} == findings
    assert {e["reason"] for e in data["findings"]} == {PLACEHOLDER}
    (tmp_path / "pyproject.toml").write_text(_config("lint-baseline.json"))
    after = cli("lint", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert "0 error(s), 0 warning(s), 0 info" in after.stderr


def test_a_new_finding_counts_and_a_fixed_one_is_reported_as_unused(tmp_path: Path) -> None:
    make_tree(tmp_path, {"spec.yaml": SPEC, "pyproject.toml": _config("base.json")})
    assert cli("lint", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    baseline = (tmp_path / "base.json").read_text(encoding="utf-8")
    # /b gets a summary (fixing a baselined finding) and /c comes new with the same faults as /a had
    spec = SPEC.replace("  /b:\n    get:\n", "  /b:\n    get:\n      summary: B\n") + "  /c:\n    get: {}\n"
    (tmp_path / "spec.yaml").write_text(spec)
    result = cli("lint", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    found = json.loads(result.stdout)
    new = [f for f in found if not f["code"].startswith("lint-unused")]
    assert new and {f["jsonPath"] for f in new} <= {"/paths/~1c/get", "/paths/~1c"}
    unused = [f for f in found if f["code"] == "lint-unused-baseline"]
    assert [u["message"] for u in unused] == ["baseline entry operation-summary at /paths/~1b/get matches no finding"]
    lines = enumerate(baseline.splitlines(), 1)
    line = next(n for n, text in lines if '"/paths/~1b/get"' in text and "summary" in text)
    assert unused[0]["severity"] == "warn" and unused[0]["line"] == line
    rewritten = cli("lint", "--write-baseline", "base.json", cwd=tmp_path)  # refresh: reasons kept, fixed ones go
    assert rewritten.returncode == 0
    entries = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert ("operation-summary", "/paths/~1b/get") not in {(e["rule"], e["path"]) for e in entries}


def test_an_exception_that_matches_nothing_is_a_warning_at_its_table(tmp_path: Path) -> None:
    exceptions = (
        '[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-summary"\npath = "/paths/~1a"\nreason = "legacy"\n'
        '[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-summary"\npath = "/paths/~1gone"\nreason = "old"\n'
    )
    make_tree(tmp_path, {"spec.yaml": SPEC, "pyproject.toml": _config(None, exceptions)})
    result = cli("lint", cwd=tmp_path)
    unused = "pyproject.toml:8:1: warn [lint-unused-exception] lint exception #2 (operation-summary at /paths/~1gone)"
    assert unused in result.stdout
    assert "lint exception #1" not in result.stdout


def test_a_broken_baseline_is_an_input_error_at_its_place(tmp_path: Path) -> None:
    make_tree(tmp_path, {"spec.yaml": SPEC, "pyproject.toml": _config("base.json"), "base.json": '{"x": \n'})
    result = cli("lint", cwd=tmp_path)
    # lint's input errors are findings: on stdout
    assert result.returncode == 2 and "base.json:2:1" in result.stdout and "Traceback" not in result.stderr
    (tmp_path / "base.json").unlink()
    missing = cli("lint", cwd=tmp_path)
    assert missing.returncode == 2 and "--write-baseline" in missing.stdout


@pytest.mark.slow
def test_github_with_a_baseline_lints_clean_and_a_planted_fault_is_the_only_finding(tmp_path: Path) -> None:
    document = json.loads(node_package_file("@octokit", "openapi", "generated", "api.github.com.json").read_text())
    make_tree(tmp_path, {"gh.json": json.dumps(document), "pyproject.toml": _config().replace("spec.yaml", "gh.json")})
    assert cli("lint", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    assert len(json.loads((tmp_path / "base.json").read_text())["findings"]) > 2000
    (tmp_path / "pyproject.toml").write_text(_config("base.json").replace("spec.yaml", "gh.json"))
    clean = cli("lint", cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr[-2000:]
    assert "0 error(s), 0 warning(s), 0 info" in clean.stderr
    document["paths"]["/zen"]["get"]["operationId"] = document["paths"]["/meta"]["get"]["operationId"]
    (tmp_path / "gh.json").write_text(json.dumps(document))
    planted = cli("lint", "--format", "json", cwd=tmp_path)
    assert planted.returncode == 1
    # a structural error (openapi-spec-validator rejects it) and operation-operationId-unique: reported once
    assert [(f["code"], f["jsonPath"]) for f in json.loads(planted.stdout)] == [
        ("struct", "/paths/~1zen/get/operationId"),
    ]
