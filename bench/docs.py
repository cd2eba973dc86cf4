"""Benchmark: the docs page build, ``atlas-spec docs`` against ``redocly build-docs``, on the same real inputs.

Both run as the user runs them (a fresh process from the command line, reading the source and writing one
HTML file), medians of a few runs. Our page inlines the npm Redoc bundle, as the offline page does, so both
sides write a self-contained page. Usage: ``python bench/docs.py [--runs N]``; the target is >= 10x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REDOCLY = REPO / "node_modules" / ".bin" / "redocly"
REDOC_JS = REPO / "node_modules" / "redoc" / "bundles" / "redoc.standalone.js"
INPUTS = {
    "GitHub (13 MB JSON, 3.0)": REPO / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json",
    "DigitalOcean (2,907 files)": REPO.parent
    / "shared"
    / "corpus"
    / "digitalocean"
    / "specification"
    / "DigitalOcean-public.v2.yaml",
}


def _time(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=_env(), check=False)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    return took


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "REDOCLY_TELEMETRY": "off"}


def _median(command: list[str], runs: int) -> float:
    _time(command)  # warm the file cache for both sides alike
    return statistics.median(_time(command) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per side (median reported)")
    args = parser.parse_args()
    missing = [p for p in (REDOCLY, REDOC_JS, *INPUTS.values()) if not p.exists()]
    if missing:
        print("missing inputs (run `make test` for the npm tools):", *missing, sep="\n  ", file=sys.stderr)
        return 2
    print(f"{'input':<28} {'atlas-spec docs':>16} {'redocly build-docs':>19} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as scratch:
        for label, spec in INPUTS.items():
            ours = _median(
                [
                    sys.executable,
                    "-m",
                    "generators",
                    "docs",
                    "--spec",
                    str(spec),
                    "-o",
                    f"{scratch}/ours/index.html",
                    "--redoc-js",
                    str(REDOC_JS),
                ],
                args.runs,
            )
            theirs = _median([str(REDOCLY), "build-docs", str(spec), "-o", f"{scratch}/redocly.html"], args.runs)
            print(f"{label:<28} {ours:>15.2f}s {theirs:>18.2f}s {theirs / ours:>6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
