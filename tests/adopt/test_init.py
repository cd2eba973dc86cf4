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


def test_init_keeps_every_file_that_exists(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n")
    result = cli("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kept .gitignore: it exists" in result.stderr and "Traceback" not in result.stderr
    assert _files(tmp_path) == EXPECTED and (tmp_path / ".gitignore").read_text() == "mine\n"


def test_init_in_an_existing_repository_configures_its_description(tmp_path: Path) -> None:
    # a team's repository: its own pyproject.toml (no atlas-spec table), .gitignore and description
    pyproject = '[project]\nname = "svc"\n'
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / ".gitignore").write_text("node_modules\n")
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: Svc, version: 1.0.0}\npaths: {}\n", encoding="utf-8"
    )
    result = cli("init", "--spec", "api/openapi.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pyproject.toml").read_text() == pyproject  # never edited
    assert not (tmp_path / "spec").exists()  # no sample beside the team's description
    config = tomllib.loads((tmp_path / "atlas-spec.toml").read_text(encoding="utf-8"))
    assert config["spec"] == "api/openapi.yaml" and "lint" in config
    assert (tmp_path / ".github" / "workflows" / "api.yml").is_file()
    build = cli("build", "--fail-on", "never", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "build" / f"{project_name(tmp_path.name)}.openapi.json").is_file()
    again = cli("init", cwd=tmp_path)  # configured now: nothing more is written
    assert again.returncode == 0 and "wrote" not in again.stderr and not (tmp_path / "spec").exists()


def test_init_configures_a_description_already_at_the_sample_place(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: {title: A, version: '1'}\npaths: {}\n")
    result = cli("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path / "spec") == ["openapi.yaml"]  # no sample paths or schemas mixed into it
    assert tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["atlas-spec"]["spec"] == "spec/openapi.yaml"


def test_init_refuses_a_spec_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("openapi: 3.1.0\n")
    (tmp_path / "p").mkdir()
    for wrong in ("../outside.yaml", "missing.yaml", str(tmp_path / "outside.yaml")):
        result = cli("init", "p", "--spec", wrong, cwd=tmp_path)
        assert result.returncode == 2 and "is not a file inside" in result.stderr, (wrong, result.stderr)
        assert _files(tmp_path / "p") == []


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
