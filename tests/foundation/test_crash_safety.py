"""Crash-safe builds: a build killed at any moment leaves the previous build folder whole; concurrent builds
into one folder never mix files of different sources."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import make_tree

REPO = Path(__file__).resolve().parents[2]


def spec_text(version: str, operations: int) -> str:
    paths = "".join(
        f"""
  /things{n}:
    get:
      operationId: getThings{n}
      summary: Get things {n}
      description: {"Lorem ipsum dolor sit amet. " * 40}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: object}}, example: {{n: {n}}}}}}}}}
        '404': {{description: none}}"""
        for n in range(operations)
    )
    return f"""openapi: 3.1.0
info: {{title: Crash test, version: '{version}', contact: {{email: a@b.c}}, license: {{name: MIT}}}}
servers: [{{url: 'https://api.crash.test'}}]
security: []
paths:{paths}
"""


def start_build(project: Path, source: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "generators", "build", "--spec", source, "--out", "site"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def versions_in(folder: Path) -> set[str]:
    """The info.version every artefact of the folder was built from (one value when consistent)."""
    found = set()
    for path in folder.iterdir():
        text = path.read_text()
        if path.suffix == ".json" and "openapi" in path.name:
            found.add(json.loads(text)["info"]["version"])
        else:
            found.update(v for v in ("1.0.0", "2.0.0") if "Crash test" in text and v in text)
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    make_tree(tmp_path, {"a/openapi.yaml": spec_text("1.0.0", 300), "b/openapi.yaml": spec_text("2.0.0", 300)})
    return tmp_path


@pytest.mark.slow
def test_killed_builds_leave_the_previous_build_whole(project: Path) -> None:
    assert start_build(project, "a/openapi.yaml").wait(timeout=120) == 0
    site = project / "site"
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    started = time.perf_counter()
    assert start_build(project, "b/openapi.yaml").wait(timeout=120) == 0
    full_run = time.perf_counter() - started
    for p in site.iterdir():  # back to A, then kill builds of B at moments spread over a whole run
        p.write_bytes(before[p.name])
    chooser = random.Random(20261128)
    outcomes: set[str] = set()
    scale = 1.0  # the machine's speed drifts (a loaded CI runner): kills move earlier or later until both land
    attempts = 0
    while attempts < 12 or (outcomes != {"1.0.0", "2.0.0"} and attempts < 40):
        attempts += 1
        process = start_build(project, "b/openapi.yaml")
        time.sleep(chooser.uniform(0.5, 1.3) * full_run * scale)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        names = {p.name for p in site.iterdir()}
        assert names == set(before), names
        versions = versions_in(site)
        assert len(versions) == 1, f"a killed build mixed files of two sources: {versions}"
        outcomes.update(versions)
        if versions == {"2.0.0"}:
            for p in site.iterdir():
                p.write_bytes(before[p.name])
        if "1.0.0" not in outcomes:
            scale *= 0.85  # every kill so far came after the swap
        elif "2.0.0" not in outcomes:
            scale *= 1.15  # every kill so far came before it
    assert outcomes == {"1.0.0", "2.0.0"}, f"kills should land both before and after the swap: {outcomes}"
    assert start_build(project, "b/openapi.yaml").wait(timeout=120) == 0  # and the next build cleans up
    assert not list(project.glob(".site.tmp-*"))


@pytest.mark.slow
def test_concurrent_builds_never_mix_sources(project: Path) -> None:
    for _ in range(4):
        first, second = start_build(project, "a/openapi.yaml"), start_build(project, "b/openapi.yaml")
        assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
        assert len(versions_in(project / "site")) == 1
