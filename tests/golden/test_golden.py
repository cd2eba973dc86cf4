"""Golden files: build each case under tests/golden/<case>/ through the real CLI and compare whole trees.

Rewrite them with `make golden` (pytest --update-golden) and review the diff; CI never rewrites.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CASES = sorted(p.name for p in HERE.iterdir() if (p / "pyproject.toml").is_file())


def run_build(case: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "generators", "build", "--out", str(out)],
        cwd=case,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_golden_build(case: str, tmp_path: Path, update_golden: bool) -> None:
    folder = HERE / case
    out = tmp_path / "out"
    result = run_build(folder, out)
    assert result.returncode == 0, result.stderr
    expected = folder / "expected"
    if update_golden:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
    produced, wanted = tree(out), tree(expected)
    assert sorted(produced) == sorted(wanted), "missing or extra files: run `make golden` and review the diff"
    for name, content in produced.items():
        assert content == wanted[name], f"{case}/{name} differs: run `make golden` and review the diff"


@pytest.mark.parametrize("case", CASES)
def test_golden_build_is_reproducible(case: str, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_build(HERE / case, first).returncode == 0
    assert run_build(HERE / case, second).returncode == 0
    assert tree(first) == tree(second)
