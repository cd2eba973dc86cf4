"""action.yml's scripts run as a runner would run them, on a project made by `atlas-spec init`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generators.diff.comment import MARKER
from tests.adopt.action_runner import run_action
from tests.conftest import missing
from tests.support import cli


def _git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.slow
def test_a_breaking_pull_request_fails_the_gate_and_keeps_one_comment(tmp_path: Path) -> None:
    if shutil.which("git") is None or shutil.which("bash") is None:
        missing("git and bash are needed to run the action's scripts")
    assert cli("init", "api", "--action", "./", cwd=tmp_path).returncode == 0
    project = tmp_path / "api"
    assert cli("build", cwd=project).returncode == 0
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    base = _git(project, "rev-parse", "HEAD")
    schema = project / "spec" / "components" / "schemas" / "Thing.yaml"  # the pull request removes a property
    schema.write_text(schema.read_text().replace("required: [id, name]", "required: [id]").split("  name:")[0])
    _git(project, "commit", "-q", "-am", "drop name")
    event = {"pull_request": {"number": 7, "base": {"sha": base}}}
    runner = tmp_path / "runner"

    first = run_action(project, runner, {}, event)
    assert first.outputs["build"] == {"status": "1"}, first.logs["build"]  # build/ was not rebuilt
    assert first.outputs["lint"] == {"status": "0"}, first.logs["lint"]
    assert first.outputs["diff"] == {"status": "1"}, first.logs["diff"]
    assert first.outcomes["Gate"] == "failure"
    assert "::error::atlas-spec: build --check failed" in first.logs["Gate"]
    assert "| build --check | failed |" in first.summary and "| lint | passed |" in first.summary
    assert "| breaking-change diff | failed |" in first.summary and "Breaking changes" in first.summary
    assert [c["body"].startswith(MARKER) for c in first.comments] == [True]
    assert "github/codeql-action/upload-sarif@v3" in first.skipped_uses
    sarif = json.loads((runner / "atlas-spec.sarif").read_text())
    assert sarif["version"] == "2.1.0"

    assert cli("build", cwd=project).returncode == 0  # the next push: artefacts rebuilt, still breaking
    _git(project, "commit", "-q", "-am", "rebuild")
    (runner / "summary.md").unlink()
    second = run_action(project, runner, {}, event)
    assert second.outputs["build"] == {"status": "0"}
    assert len(second.comments) == 1, "a push must update the comment, not add one"
    assert any("PATCH" in call for call in second.gh_calls)
    assert "| build --check | passed |" in second.summary


@pytest.mark.slow
def test_without_a_pull_request_there_is_no_comment_and_a_clean_project_passes(tmp_path: Path) -> None:
    if shutil.which("git") is None or shutil.which("bash") is None:
        missing("git and bash are needed to run the action's scripts")
    assert cli("init", "api", cwd=tmp_path).returncode == 0
    project = tmp_path / "api"
    assert cli("build", cwd=project).returncode == 0
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    run = run_action(project, tmp_path / "runner", {"sarif": "false"}, {})
    assert run.outcomes["Gate"] == "success", run.logs
    assert run.outcomes["Pull-request comment"] == "skipped" and run.comments == []
    assert not (tmp_path / "runner" / "atlas-spec.sarif").exists()
    assert "| breaking-change diff | passed |" in run.summary


@pytest.mark.slow
def test_a_project_in_a_subfolder_gets_finding_paths_from_the_repository_root(tmp_path: Path) -> None:
    if shutil.which("git") is None or shutil.which("bash") is None:
        missing("git and bash are needed to run the action's scripts")
    repository = tmp_path / "repo"
    repository.mkdir()
    assert cli("init", "api", cwd=repository).returncode == 0
    project = repository / "api"
    root = project / "spec" / "openapi.yaml"
    root.write_text(root.read_text().replace("    description: Things this API manages.\n", ""))  # a warning
    assert cli("build", cwd=project).returncode == 0
    _git(repository, "init", "-q", "-b", "main")
    _git(repository, "add", "-A")
    _git(repository, "commit", "-q", "-m", "base")
    event = {"pull_request": {"number": 3, "base": {"sha": _git(repository, "rev-parse", "HEAD")}}}
    inputs = {"working-directory": "api", "spec": "spec/openapi.yaml"}
    run = run_action(repository, tmp_path / "runner", inputs, event)
    assert run.outcomes["Gate"] == "success", run.logs
    assert "No changes to the API contract" in run.summary  # the base is read at api/spec/openapi.yaml
    assert "::warning file=api/spec/openapi.yaml," in run.logs["lint"], run.logs["lint"]
    results = json.loads((tmp_path / "runner" / "atlas-spec.sarif").read_text())["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"api/spec/openapi.yaml"}
