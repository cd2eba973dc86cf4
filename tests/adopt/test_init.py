"""`atlas-spec init`: a new project that builds and lints clean, and never a file overwritten."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from generators.artefacts.scaffold import DEFAULT_ACTION, FILES, project_name
from tests.support import cli

EXPECTED = sorted(FILES)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_scaffolds_a_project_that_builds_and_lints_clean(tmp_path: Path) -> None:
    result = cli("init", "Shop Floor", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "Shop Floor"
    assert _files(project) == EXPECTED
    config = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["atlas-spec"]
    assert config["name"] == "shop-floor" and config["spec"] == "spec/openapi.yaml"
    root = yaml.safe_load((project / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    assert [t["name"] for t in root["tags"]] == ["things"] and root["info"]["title"] == "Shop Floor API"
    workflow = yaml.safe_load((project / ".github" / "workflows" / "api.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["gate"]["steps"]
    assert steps[-1] == {"uses": DEFAULT_ACTION}
    assert workflow["permissions"]["pull-requests"] == "write"
    lint = cli("lint", cwd=project)
    assert lint.returncode == 0 and "0 error(s), 0 warning(s), 0 info" in lint.stderr, lint.stderr
    build = cli("build", cwd=project)
    assert build.returncode == 0, build.stderr
    bundled = project / "build" / "shop-floor.openapi.json"
    assert '"Thing"' in bundled.read_text(encoding="utf-8")  # the schema file's name is its component name
    check = cli("build", "--check", cwd=project)
    assert check.returncode == 0, check.stderr


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n")
    result = cli("init", cwd=tmp_path)
    assert result.returncode == 2
    assert "refusing to overwrite 1 existing file(s): .gitignore" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(tmp_path) == [".gitignore"] and (tmp_path / ".gitignore").read_text() == "mine\n"


def test_init_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "spec").symlink_to(elsewhere)
    result = cli("init", "project", cwd=tmp_path)
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == [] and _files(project) == []


def test_init_takes_an_action_reference_and_refuses_anything_else(tmp_path: Path) -> None:
    ok = cli("init", "a", "--action", "acme/atlas-spec@v2", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "uses: acme/atlas-spec@v2\n" in (tmp_path / "a" / ".github" / "workflows" / "api.yml").read_text()
    bad = cli("init", "b", "--action", "x@y\n  run: curl evil", cwd=tmp_path)
    assert bad.returncode == 2 and "not an action reference" in bad.stderr
    assert not (tmp_path / "b").exists()


def test_project_names_are_safe() -> None:
    assert project_name("My API") == "my-api"
    assert project_name("../..") == "api"
    assert project_name("Ünïcode_Thing") == "n-code-thing"
