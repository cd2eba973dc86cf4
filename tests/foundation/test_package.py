"""The tool is a real package: the built wheel carries the templates and works from any folder.

The README's install commands are the ones run here, in a fresh venv outside the repository: the wheel is built
with `pip wheel` (plus --no-build-isolation: no download at test time, setuptools comes from this interpreter)
and installed with `pip install --no-deps`. The venv is created without system packages; one .pth file names
this interpreter's site-packages so the runtime dependencies (PyYAML, Jinja2, click, ...) resolve without a
download. Nothing of the repository is on that venv's path: the project folder is a new, empty one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README_SECTION = "## Use it in your API repository"


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300, env=env, check=False)


def _readme_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_SECTION in readme, "the README lost its adoption section"
    section = readme.split(README_SECTION, 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, re.DOTALL))


def test_the_readme_opens_with_adoption_and_names_the_tested_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index(README_SECTION) < readme.index("## Two commands")
    block = _readme_block()
    for command in (
        "python3 -m pip wheel --no-deps -w dist .",
        "pipx install dist/atlas_spec-",
        "atlas-spec init",
        "atlas-spec build",
        "atlas-spec lint",
        "atlas-spec diff",
        "atlas-spec split",
        "atlas-spec lint --write-baseline",
    ):
        assert command in block, command


@pytest.mark.slow
def test_wheel_installs_and_runs_init_build_and_diff_in_an_empty_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    wheel_build = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), ".", cwd=REPO
    )
    assert wheel_build.returncode == 0, wheel_build.stderr[-3000:]
    wheel = next(dist.glob("atlas_spec-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    python = env_dir / "bin" / "python"
    # --ignore-installed: the development install seen through deps.pth is neither reused nor touched
    pip = (sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--ignore-installed")
    install = _run(*pip, str(wheel), cwd=tmp_path)
    assert install.returncode == 0, install.stderr[-3000:]
    tool = str(env_dir / "bin" / "atlas-spec")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ATLAS_SPEC_DEBUG")}

    project = tmp_path / "shop"
    project.mkdir()
    init = _run(tool, "init", cwd=project, env=env)
    assert init.returncode == 0, init.stderr
    assert (project / "spec" / "openapi.yaml").is_file() and (project / ".github" / "workflows" / "api.yml").is_file()
    lint = _run(tool, "lint", cwd=project, env=env)
    assert lint.returncode == 0 and "0 error(s), 0 warning(s)" in lint.stderr, lint.stderr
    build = _run(tool, "build", cwd=project, env=env)
    assert build.returncode == 0, build.stderr
    produced = sorted(p.name for p in (project / "build").iterdir())
    assert produced == [
        "changelog.html",
        "changelog.xml",
        "index.html",
        "shop.mcp-tools.json",
        "shop.openapi.json",
        "shop.postman_collection.json",
        "shop.postman_environment.json",
    ]
    assert "Shop API" in (project / "build" / "index.html").read_text()  # the docs template came in the wheel
    released = project / "build" / "shop.openapi.json"
    assert str(REPO) not in released.read_text()

    same = _run(tool, "diff", str(released), cwd=project, env=env)
    assert same.returncode == 0, same.stderr
    schema = project / "spec" / "components" / "schemas" / "Thing.yaml"
    schema.write_text(schema.read_text().replace("required: [id, name]", "required: [id]").split("  name:")[0])
    breaking = _run(tool, "diff", str(released), "--format", "json", cwd=project, env=env)
    assert breaking.returncode == 1, breaking.stderr
    assert json.loads(breaking.stdout)["breaking"]

    split = _run(tool, "split", str(released), "--out", "modular", cwd=project, env=env)
    assert split.returncode == 0, split.stderr
    again = _run(tool, "bundle", "--spec", "modular/openapi.json", cwd=project, env=env)
    assert again.returncode == 0 and json.loads(again.stdout) == json.loads(released.read_text())
    stats = _run(tool, "stats", "--format", "json", cwd=project, env=env)
    assert stats.returncode == 0 and json.loads(stats.stdout)["operations"] == 1
