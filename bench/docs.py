"""Benchmark: the docs page build, ``atlas-spec docs`` against ``redocly build-docs``, on the same real inputs.

Both run as the user runs them (a fresh process from the command line, reading the source and writing one
HTML file), medians of a few runs. Our page inlines the npm Redoc bundle, as the offline page does, so both
sides write a self-contained page. Usage: ``python bench/docs.py [--runs N]``; the target is >= 10x.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import INPUTS, REPO, measure

REDOCLY = REPO / "node_modules" / ".bin" / "redocly"
REDOC_JS = REPO / "node_modules" / "redoc" / "bundles" / "redoc.standalone.js"


def _median(command: list[str], runs: int) -> float:
    return measure(command, runs).wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per side (median reported)")
    args = parser.parse_args()
    missing = [p for p in (REDOCLY, REDOC_JS, *INPUTS.values()) if not p.exists()]
    if missing:
        print("missing inputs (run `make test` for the npm tools):", *missing, sep="\n  ", file=sys.stderr)
        return 2
    print(f"{'input':<32} {'atlas-spec docs':>16} {'redocly build-docs':>19} {'ratio':>7}")
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
            print(f"{label:<32} {ours:>15.2f}s {theirs:>18.2f}s {theirs / ours:>6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
