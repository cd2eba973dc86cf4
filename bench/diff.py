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

from common import ATLAS, GITHUB, NODE_BIN, REPO, measure

REDOCLY = NODE_BIN / "redocly"
OLD = REPO / "node_modules" / "@octokit" / "openapi-previous" / "generated" / "api.github.com.json"
NEW = GITHUB


def main() -> int:
    """Print a table: each tool's median wall time and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for path in (REDOCLY, OLD, NEW):
        if not path.exists():
            print(f"missing {path}: run `make build` and `make test` (npm ci) first", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        # Exit 1 means "breaking changes found", which is the expected outcome here.
        ours_run = measure([*ATLAS, "diff", str(OLD), str(NEW), "--format", "json", "--fail-on", "never"], args.runs)
        peer_run = measure([str(REDOCLY), "bundle", str(NEW), "-o", str(Path(tmp) / "out.json")], args.runs)
    # CPU seconds too: on a shared 2-core machine wall time measures the neighbours as much as us.
    ours, peer = ours_run.wall, peer_run.wall
    print(f"{'task':<58} {'median s':>9}")
    print(f"{'atlas-spec diff (GitHub 22.0.0 -> current, JSON report)':<58} {ours:>9.2f}")
    print(f"{'redocly bundle (GitHub current, one description)':<58} {peer:>9.2f}")
    print(f"{'  CPU seconds: atlas-spec diff / redocly bundle':<58} {ours_run.cpu:>5.2f} / {peer_run.cpu:.2f}")
    print(f"{'ratio redocly bundle / atlas-spec diff':<58} {peer / ours:>9.2f}x")
    print(
        f"target: diff < 2.00 s -> {'met' if ours < 2.0 else 'MISSED'}; "
        f"below redocly bundle -> {'met' if ours < peer else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
