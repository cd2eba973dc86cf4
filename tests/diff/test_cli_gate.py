"""The CLI end to end on a small git project: diff formats, the gate, acknowledged breaks, version --write."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.cli import cli

SPEC = """\
# The Tasks API (comments and layout must survive a version bump)
openapi: 3.1.0
info:
  title: Tasks
  version: "1.4.2"   # bumped by atlas-spec version
paths:
  /tasks/{id}:
    get:
      operationId: getTask
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Task"
components:
  schemas:
    Task:
      type: object
      properties:
        id: {type: string}
        note: {type: string}
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.atlas-spec]\nspec = "spec/openapi.yaml"\n')
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "openapi.yaml").write_text(SPEC)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    _git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _remove_note(project: Path) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("        note: {type: string}\n", ""))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_removed_response_property_fails_the_gate(project: Path) -> None:
    _remove_note(project)
    code, out = _run("diff", "git:main", "--format", "json")
    assert code == 1
    data = json.loads(out.split("\ngate failed")[0])
    assert data["bump"] == "major"
    assert [(c["id"], c["operation"]) for c in data["breaking"]] == [("response-property-removed", "GET /tasks/{id}")]
    assert data["breaking"][0]["component"] == "#/components/schemas/Task/properties/note"
    code, _ = _run("diff", "git:main", "--fail-on", "never")
    assert code == 0


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_every_format_names_the_rule(project: Path, fmt: str) -> None:
    _remove_note(project)
    code, out = _run("diff", "git:main", "--format", fmt)
    assert code == 1 and "response-property-removed" in out


def test_acknowledged_break_passes_and_is_noted(project: Path) -> None:
    _remove_note(project)
    (project / "spec" / "breaking-changes-ack.yaml").write_text(
        "acknowledged:\n  - rule: response-property-removed\n    location: GET /tasks/{id}\n"
        "    reason: note was never filled in\n"
    )
    code, out = _run("diff", "git:main", "--format", "markdown")
    assert code == 0, out
    assert "Acknowledged breaking changes" in out and "note was never filled in" in out


def test_bad_ack_file_is_an_input_error(project: Path) -> None:
    _remove_note(project)
    (project / "spec" / "breaking-changes-ack.yaml").write_text(
        "acknowledged:\n  - rule: response-property-remove\n    location: x\n    reason: y\n"
    )
    result = CliRunner().invoke(cli, ["diff", "git:main"])
    assert result.exit_code == 2
    assert "did you mean 'response-property-removed'" in result.output


def test_unknown_git_ref_is_explained(project: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "git:nope"])
    assert result.exit_code == 2 and "unknown git ref 'nope'" in result.output


def test_version_write_bumps_major_and_is_idempotent(project: Path) -> None:
    _remove_note(project)
    code, out = _run("version", "--base", "git:main")
    assert code == 0 and out.startswith("1.4.2 -> 2.0.0 (major)")
    code, _ = _run("version", "--base", "git:main", "--write")
    assert code == 0
    spec = (project / "spec" / "openapi.yaml").read_text()
    assert spec == SPEC.replace("        note: {type: string}\n", "").replace('"1.4.2"', '"2.0.0"')
    changelog = (project / "CHANGELOG.md").read_text()
    assert re.match(r"# Changelog\n\n## 2\.0\.0 - \d{4}-\d{2}-\d{2}\n", changelog)  # dated when released
    assert "response-property-removed" in changelog
    code, _ = _run("version", "--base", "git:main", "--write")
    assert code == 0
    assert (project / "spec" / "openapi.yaml").read_text() == spec
    assert (project / "CHANGELOG.md").read_text() == changelog


def test_documentation_edit_is_a_patch(project: Path) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("title: Tasks", "title: Tasks API"))
    code, out = _run("version", "--base", "git:main")
    assert code == 0 and out.startswith("1.4.2 -> 1.4.3 (patch)")


def test_list_rules_markdown_table() -> None:
    code, out = _run("diff", "--list-rules", "--format", "markdown")
    assert code == 0
    assert out.count("\n| `") >= 100 and "| `response-enum-value-added` | breaking |" in out


def _configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(f'[tool.atlas-spec]\nspec = "spec/openapi.yaml"\n\n{table}')


def test_level_override_changes_the_verdict_and_the_exit_code(project: Path) -> None:
    _remove_note(project)
    _configure(project, '[tool.atlas-spec.diff]\nlevels = { "response-property-removed" = "warning" }\n')
    code, out = _run("diff", "git:main", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["breaking"] == [] and data["summary"]["warning"] == 1 and data["bump"] == "minor"
    code, _ = _run("diff", "git:main", "--fail-on", "warning")
    assert code == 1


def test_raising_a_level_fails_the_gate(project: Path) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(
        spec.read_text().replace("      operationId: getTask\n", "      operationId: getTask\n      x-internal: n\n")
    )
    assert _run("diff", "git:main")[0] == 0
    _configure(project, '[tool.atlas-spec.diff]\nlevels = { "other-change" = "breaking" }\n')
    code, out = _run("diff", "git:main")
    assert code == 1 and "other-change" in out


def test_unknown_rule_in_levels_is_a_config_error(project: Path) -> None:
    _configure(project, '[tool.atlas-spec.diff]\nlevels = { "response-property-remove" = "warning" }\n')
    result = CliRunner().invoke(cli, ["diff", "git:main"])
    assert result.exit_code == 2 and "did you mean 'response-property-removed'" in result.output


def test_deprecation_days_make_a_sunset_mandatory(project: Path) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(
        spec.read_text().replace("      operationId: getTask\n", "      operationId: getTask\n      deprecated: true\n")
    )
    assert _run("diff", "git:main")[0] == 0
    _configure(project, "[tool.atlas-spec.diff]\ndeprecation-days = 90\n")
    code, out = _run("diff", "git:main")
    assert code == 1 and "deprecated-without-sunset" in out


def test_failed_gate_names_the_ack_file_and_the_entry(project: Path) -> None:
    _remove_note(project)
    result = CliRunner().invoke(cli, ["diff", "git:main"])
    assert result.exit_code == 1
    assert "add to spec/breaking-changes-ack.yaml:" in result.output
    entry = '  - rule: response-property-removed\n    location: "GET /tasks/{id}"\n'
    assert entry in result.output
    # the advice works: pasting it (with a reason) passes the gate
    (project / "spec" / "breaking-changes-ack.yaml").write_text(
        "acknowledged:\n" + entry + "    reason: nobody read it\n"
    )
    assert _run("diff", "git:main")[0] == 0


def test_version_check_fails_a_breaking_revision_only_patched(project: Path) -> None:
    _remove_note(project)
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace('"1.4.2"', '"1.4.3"'))
    code, out = _run("version", "--base", "git:main", "--check")
    assert code == 1 and "raise it to at least 2.0.0" in out
    spec.write_text(spec.read_text().replace('"1.4.3"', '"2.0.0"'))
    code, out = _run("version", "--base", "git:main", "--check")
    assert code == 0 and "covers the major change" in out


def test_version_accepts_major_minor(project: Path) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace('"1.4.2"', '"2.0"'))
    _git(project, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "two-part version")
    _remove_note(project)
    code, out = _run("version", "--base", "git:main")
    assert code == 0 and out.startswith("2.0 -> 3.0 (major)")
    assert _run("version", "--base", "git:main", "--check")[0] == 1
    spec.write_text(spec.read_text().replace('"2.0"', '"3.0"'))
    assert _run("version", "--base", "git:main", "--check")[0] == 0


@pytest.mark.parametrize("scheme", ["2024-06-01", "v2", "1.2.3.4"])
def test_version_refuses_other_schemes(project: Path, scheme: str) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace('"1.4.2"', f'"{scheme}"'))
    result = CliRunner().invoke(cli, ["version", "--base", "git:main", "--check"])
    assert result.exit_code == 2 and "is not MAJOR.MINOR.PATCH or MAJOR.MINOR" in result.output


@pytest.mark.parametrize(
    ("base", "hint"),
    [
        ("{}", "spec root file"),
        ('{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}', "convert it"),
        ("title: Tasks\nversion: 1.4.2\n", "spec root file"),  # a component file, say info.yaml
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_side_that_is_no_openapi_description_is_an_input_error(project: Path, base: str, hint: str, fmt: str) -> None:
    # before: compared as a spec, every operation "added": a minor bump, exit 0, the gate passed
    (project / "base.yaml").write_text(base)
    result = CliRunner().invoke(cli, ["diff", "base.yaml", "--format", fmt])
    assert result.exit_code == 2, result.output
    assert "diff-not-openapi" in result.output and hint in result.output
    if fmt == "json":
        assert [e["code"] for e in json.loads(result.stdout)["errors"]] == ["diff-not-openapi"]


def test_a_released_json_over_the_size_limit_is_refused_unread(project: Path) -> None:
    # before: a self-contained JSON side was read whole, past the 64 MiB every other reader stops at
    big = project / "big.json"
    big.write_text('{"openapi": "3.1.0"}')
    with big.open("r+b") as handle:
        handle.truncate(65 * 2**20)  # sparse
    result = CliRunner().invoke(cli, ["diff", "big.json"])
    assert result.exit_code == 2 and "[file-too-large]" in result.output, result.output
