"""The tool is a real package: the built wheel carries the templates and works from any folder."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.support import make_tree

REPO = Path(__file__).resolve().parents[2]
SPEC = """\
openapi: 3.1.0
info: {title: Elsewhere, version: '0.1.0', contact: {email: a@b.c}, license: {name: MIT}}
servers: [{url: 'https://api.elsewhere.test'}]
security: []
tags: [{name: things, description: Things.}]
paths:
  /things:
    get:
      operationId: listThings
      summary: List things
      tags: [things]
      responses:
        '200': {description: ok}
        '400': {description: bad}
"""


@pytest.mark.slow
def test_wheel_installs_and_builds_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(dist.glob("atlas_spec-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    # install the wheel without network: its dependencies come from this interpreter's site-packages
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    project = tmp_path / "elsewhere"
    make_tree(project, {"api/openapi.yaml": SPEC})
    python = env_dir / "bin" / "python"
    version = subprocess.run(
        [str(python), "-m", "generators", "--version"], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and "atlas-spec" in version.stdout
    result = subprocess.run(
        [str(python), "-m", "generators", "build", "--spec", "api/openapi.yaml", "--out", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    produced = sorted(p.name for p in (project / "site").iterdir())
    assert "elsewhere.openapi.json" in produced  # named after its own title, never after Atlas
    if "index.html" in produced:  # the docs template travels inside the wheel
        assert "Elsewhere" in (project / "site" / "index.html").read_text()
    assert str(REPO) not in (project / "site" / "elsewhere.openapi.json").read_text()
