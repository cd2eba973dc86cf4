"""Error output is a product: each case's exact output and exit code are snapshots (update flag rewrites)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CASES = sorted(p.name for p in HERE.iterdir() if (p / "spec").is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_spec_output(case: str, update_golden: bool) -> None:
    folder = HERE / case
    env = {**os.environ, "PYTHONPATH": str(HERE.parent.parent)}
    result = subprocess.run(
        [sys.executable, "-m", "generators", "validate", "--spec", "spec/openapi.yaml"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    # findings (input errors included) on stdout, the summary on stderr
    produced = f"exit {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    expected = folder / "expected.txt"
    if update_golden:
        expected.write_text(produced)
    assert "Traceback" not in produced
    assert produced == expected.read_text()
    assert result.returncode in (1, 2)
    assert "spec/" in result.stdout  # every message names the source file
