"""Benchmark: ``atlas-spec lint`` (generic rules, example validation on) beside ``redocly lint`` and ``spectral lint``.

Each tool runs as users run it: a fresh process from the command line, JSON output, medians of a few runs, from a
folder without a project config (so every tool uses its default rule set). Inputs: the DigitalOcean modular corpus
and GitHub's description (``@octokit/openapi``, 13 MB). Target: at least 3x faster than ``redocly lint`` on both.
Spectral (ruleset extending ``spectral:oas``) is slow and memory-hungry on GitHub's description (about 2 minutes,
2.6 GB), so it only runs with ``--spectral``. Usage: ``python bench/lint.py [--runs N] [--spectral]``.
Wall time decides the target; CPU time (user + system, median) is printed beside it because the machine is
shared and wall time is noisy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, DIGITALOCEAN, GITHUB, NODE_BIN, Run, measure, missing_inputs

INPUTS = {"DigitalOcean": DIGITALOCEAN, "GitHub": GITHUB}
FINDINGS = (0, 1)  # exit 1 only means "findings": expected on real descriptions


def _median(command: list[str], runs: int, cwd: Path) -> Run:
    return measure(command, runs, FINDINGS, cwd)


def main() -> int:
    """Print one row per input: each tool's median wall (and CPU) time and redocly's time over ours."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spectral", action="store_true", help="also time spectral lint (slow on GitHub)")
    args = parser.parse_args()
    if missing := missing_inputs(NODE_BIN / "redocly"):
        print("missing (run `make test` first):", *missing, sep="\n  ", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "ruleset.yaml").write_text("extends: ['spectral:oas']\n", encoding="utf-8")
        for name, spec in INPUTS.items():
            ours = _median([*ATLAS, "lint", "--spec", str(spec), "--format", "json"], args.runs, cwd)
            redocly = _median([str(NODE_BIN / "redocly"), "lint", str(spec), "--format", "json"], args.runs, cwd)
            spectral: Run | None = None
            if args.spectral:
                spectral = _median(
                    [
                        str(NODE_BIN / "spectral"),
                        "lint",
                        str(spec),
                        "--ruleset",
                        str(cwd / "ruleset.yaml"),
                        "--format",
                        "json",
                        "--quiet",
                    ],
                    1,
                    cwd,
                )
            rows.append((name, ours, redocly, spectral))
    print(
        f"{'input':<14} {'atlas-spec s (cpu)':>19} {'redocly s (cpu)':>16} {'spectral s':>11} "
        f"{'redocly/ours':>13} {'cpu ratio':>10}"
    )
    for name, ours, redocly, spectral in rows:
        shown = f"{spectral.wall:>11.2f}" if spectral is not None else f"{'-':>11}"
        print(
            f"{name:<14} {ours.wall:>11.2f} ({ours.cpu:>5.2f}) {redocly.wall:>8.2f} ({redocly.cpu:>5.2f}) {shown} "
            f"{redocly.wall / ours.wall:>12.2f}x {redocly.cpu / ours.cpu:>9.2f}x"
        )
    met = all(redocly.wall / ours.wall >= 3 for _, ours, redocly, _ in rows)
    print(f"target: at least 3x faster than redocly lint on both -> {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
