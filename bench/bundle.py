"""Benchmark: ``atlas-spec bundle`` against ``redocly bundle`` on the same real inputs (targets 3x GitHub, 2x DO).

Also ``atlas-spec bundle`` + ``validate`` (two commands, as CI runs them) against ``redocly lint`` (target: faster).
Usage: ``python bench/bundle.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, HEADER, INPUTS, NODE_BIN, measure, missing_inputs, row

TARGETS = {"GitHub (13 MB JSON, 1,223 ops)": 3.0, "DigitalOcean (2,907 files)": 2.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    redocly = NODE_BIN / "redocly"
    if missing := missing_inputs(redocly):
        print("missing (run `make test` first):", *missing, sep="\n  ", file=sys.stderr)
        return 2
    print("## bundle: atlas-spec bundle vs redocly bundle\n")
    print(HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        for label, spec in INPUTS.items():
            ours = measure([*ATLAS, "bundle", "--spec", str(spec), "-o", f"{tmp}/ours.json"], args.runs)
            theirs = measure([str(redocly), "bundle", str(spec), "-o", f"{tmp}/theirs.json"], args.runs)
            print(row(label, ours, theirs, TARGETS[label]))
    print("\n## structural check: atlas-spec validate (bundles, then validates) vs redocly lint\n")
    print(HEADER)
    for label, spec in INPUTS.items():
        ours = measure([*ATLAS, "validate", "--spec", str(spec)], args.runs, ok_codes=(0, 1))
        theirs = measure([str(redocly), "lint", str(spec), "--format", "summary"], args.runs, ok_codes=(0, 1))
        print(row(label, ours, theirs, 1.0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
