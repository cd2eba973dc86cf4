"""Crash-safe builds on a big real description (GitHub's, 13 MB): SIGKILL aimed at the write phase itself.

tests/foundation/test_crash_safety.py kills builds of a synthetic spec at moments spread over a whole run.
Here the kill waits for the writer's staging folder to appear and lands at a random moment inside the window
where 27 MB of artefacts are written, copied and swapped, many times; after each kill the out folder must be,
byte for byte, one of two reference builds (never a mix, never missing, every JSON file readable).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import node_package_file

from .cliutil import REPO

pytestmark = [pytest.mark.external, pytest.mark.slow]

# GitHub's description is not lint-clean by our rules; the crash test needs builds that write.
PYPROJECT = """\
[tool.atlas-spec]
out = "site"
name = "github"

[tool.atlas-spec.lint.rules]
no-identical-paths = "off"
no-invalid-media-type-examples = "off"
no-invalid-parameter-examples = "off"
security-defined = "off"
"""


def start_build(project: Path, source: str, out: str = "site") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generators", "build", "--spec", source, "--out", out],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file in the folder; JSON artefacts must also parse (a reader can use them)."""
    result = {}
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        if path.suffix == ".json":
            json.loads(data)
        result[path.name] = hashlib.sha256(data).hexdigest()
    return result


def wait_for_staging(project: Path, process: subprocess.Popen[bytes], limit: float = 120) -> float:
    """Poll until the writer's staging folder exists; return when it appeared (monotonic time)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if any(project.glob(".site.tmp-*")):
            return time.monotonic()
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before writing")
        time.sleep(0.002)
    pytest.fail("no staging folder appeared")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("github-crash")
    description = json.loads(node_package_file("@octokit", "openapi", "generated", "api.github.com.json").read_text())
    (folder / "a.json").write_text(json.dumps(description))
    description["info"]["description"] = "Build B. " + str(description["info"].get("description", ""))
    description["info"]["version"] = "2.0.0-crash"
    (folder / "b.json").write_text(json.dumps(description))
    (folder / "pyproject.toml").write_text(PYPROJECT)
    return folder


@pytest.fixture(scope="module")
def references(project: Path) -> dict[str, dict[str, str]]:
    """Each source built once on its own: what a whole build of it looks like."""
    result = {}
    for source in ("a", "b"):
        assert start_build(project, f"{source}.json", f"ref-{source}").wait(timeout=300) == 0
        result[source] = snapshot(project / f"ref-{source}")
    assert result["a"].keys() == result["b"].keys()
    # The files that carry info (the spec, the collection, the page) tell the two builds apart; the others
    # (environment, MCP catalogue, changelog page and feed) may be equal in both, which `which` allows.
    distinct = {name for name in result["a"] if result["a"][name] != result["b"][name]}
    telling = {n for n in result["a"] if n == "index.html" or n.endswith((".openapi.json", ".postman_collection.json"))}
    assert len(telling) == 3 and telling <= distinct
    return result


def which(state: dict[str, str], references: dict[str, dict[str, str]]) -> str:
    found = [name for name, files in references.items() if files == state]
    assert found, "the out folder is not one whole build: " + json.dumps(
        {n: [k for k, v in files.items() if state.get(k) == v] for n, files in references.items()}
    )
    return found[0]


def test_sigkill_inside_the_write_window_leaves_one_whole_build(
    project: Path, references: dict[str, dict[str, str]]
) -> None:
    assert start_build(project, "a.json").wait(timeout=300) == 0
    site = project / "site"
    current = which(snapshot(site), references)
    # how long the write phase lasts: from the staging folder's appearance to the end of a whole build
    process = start_build(project, "b.json")
    appeared = wait_for_staging(project, process)
    assert process.wait(timeout=300) == 0
    window = time.monotonic() - appeared
    current = which(snapshot(site), references)
    chooser = random.Random(8)
    outcomes = []
    for _ in range(8):
        target = "a" if current == "b" else "b"
        process = start_build(project, f"{target}.json")
        wait_for_staging(project, process)
        time.sleep(chooser.uniform(0, window))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        current = which(snapshot(site), references)
        outcomes.append("new" if current == target else "old")
    # the next build finishes normally and clears what the killed ones left behind
    assert start_build(project, "a.json").wait(timeout=300) == 0
    assert which(snapshot(site), references) == "a"
    assert not list(project.glob(".site.tmp-*"))
    print(f"write window {window:.2f} s, outcomes {outcomes}")
    assert "old" in outcomes, outcomes  # a kill before the swap keeps the previous build


def test_concurrent_builds_with_one_killed_leave_one_whole_build(
    project: Path, references: dict[str, dict[str, str]]
) -> None:
    chooser = random.Random(2026)
    for _ in range(3):
        first, second = start_build(project, "a.json"), start_build(project, "b.json")
        victim = chooser.choice([first, second])
        wait_for_staging(project, victim if victim.poll() is None else first)
        time.sleep(chooser.uniform(0, 0.3))
        victim.send_signal(signal.SIGKILL)
        for process in (first, second):
            process.wait(timeout=300)
        survivor = second if victim is first else first
        assert survivor.returncode == 0
        which(snapshot(project / "site"), references)
