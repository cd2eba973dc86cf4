"""Benchmark: ``atlas-spec diff`` of two GitHub descriptions against ``redocly bundle`` of one of them.

Both run as users run them (a fresh process from the command line, reading JSON from disk), medians of a few
runs. Inputs: ``@octokit/openapi-previous`` (22.0.0) and ``@octokit/openapi`` (current), 12-13 MB each.
Targets: the diff under 2 s and below ``redocly bundle`` of one description. Usage: ``python bench/diff.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GITHUB, REPO, measure

REDOCLY = REPO / "node_modules" / ".bin" / "redocly"
ATLAS = REPO / ".venv" / "bin" / "atlas-spec"
OLD = REPO / "node_modules" / "@octokit" / "openapi-previous" / "generated" / "api.github.com.json"
NEW = GITHUB


_CPU: dict[str, float] = {}


def _median(command: list[str], runs: int, ok: tuple[int, ...] = (0,)) -> float:
    # CPU seconds too: on a shared 2-core machine wall time measures the neighbours as much as us.
    result = measure(command, runs, ok)
    _CPU[command[1]] = result.cpu
    return result.wall


def main() -> int:
    """Print a table: each tool's median wall time and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for path in (REDOCLY, ATLAS, OLD, NEW):
        if not path.exists():
            print(f"missing {path}: run `make build` and `make test` (npm ci) first", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        # Exit 1 means "breaking changes found", which is the expected outcome here.
        ours = _median([str(ATLAS), "diff", str(OLD), str(NEW), "--format", "json", "--fail-on", "never"], args.runs)
        peer = _median([str(REDOCLY), "bundle", str(NEW), "-o", str(Path(tmp) / "out.json")], args.runs)
    print(f"{'task':<58} {'median s':>9}")
    print(f"{'atlas-spec diff (GitHub 22.0.0 -> current, JSON report)':<58} {ours:>9.2f}")
    print(f"{'redocly bundle (GitHub current, one description)':<58} {peer:>9.2f}")
    ours_cpu, peer_cpu = _CPU["diff"], _CPU["bundle"]
    print(f"{'  CPU seconds: atlas-spec diff / redocly bundle':<58} {ours_cpu:>5.2f} / {peer_cpu:.2f}")
    print(f"{'ratio redocly bundle / atlas-spec diff':<58} {peer / ours:>9.2f}x")
    print(
        f"target: diff < 2.00 s -> {'met' if ours < 2.0 else 'MISSED'}; "
        f"below redocly bundle -> {'met' if ours < peer else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
