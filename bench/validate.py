"""Benchmark: ``atlas-spec validate`` (bundle + full structural validation) beside ``redocly lint`` (structure only).

Both run as users run them: a fresh process from the command line, medians of a few runs. Redocly gets a config
with no preset and only its ``struct`` rule (the OpenAPI structure check), so it does no more than we do. The
machine is shared, so each run's CPU time (user + system, from ``wait4``) is printed beside its wall time; peak
RSS is ours. Inputs: the DigitalOcean modular corpus and GitHub's description (``@octokit/openapi``, 13 MB, 3.0.3).
Target: faster than ``redocly lint`` on every input. The last columns time ``redocly lint`` with its ``recommended``
preset (what a plain ``redocly lint`` runs; the issue's 5.8 s / 3.1 s were measured so). A third row is GitHub's
description with one structural error (a parameter ``in: body``): the library words it, and must not walk the
valid rest (it took 13 s before the pruned walk, ``validate/pruning.py``).
Usage: ``python bench/validate.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, DIGITALOCEAN, GITHUB, NODE_BIN, Run, measure, missing_inputs

INPUTS = {"DigitalOcean": DIGITALOCEAN, "GitHub": GITHUB}
REDOCLY_CONFIG = "extends: []\nrules:\n  struct: error\n"
FINDINGS = (0, 1)  # exit 1 only means "findings"


def _median(command: list[str], runs: int, cwd: Path) -> Run:
    return measure(command, runs, FINDINGS, cwd)


def one_error(spec: Path, out: Path) -> Path:
    """``spec`` with one parameter ``in: body`` (an OpenAPI 3 schema error) added to its first operation."""
    document = orjson.loads(spec.read_bytes())
    operation = next(
        op for item in document["paths"].values() for op in item.values() if isinstance(op, dict) and "responses" in op
    )
    operation.setdefault("parameters", []).append({"name": "bogus", "in": "body", "schema": {"type": "string"}})
    out.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
    return out


def main() -> int:
    """One row per input: medians of wall and CPU seconds, redocly's over ours, our peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if missing := missing_inputs(NODE_BIN / "redocly"):
        print("missing (run `make test` first):", *missing, sep="\n  ", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        inputs = {**INPUTS, "GitHub, 1 error": one_error(GITHUB, cwd / "github-one-error.json")}
        (cwd / "redocly.yaml").write_text(REDOCLY_CONFIG, encoding="utf-8")
        (cwd / "none.yaml").write_text("extends: [recommended]\n", encoding="utf-8")
        for name, spec in inputs.items():
            ours = _median([*ATLAS, "validate", "--spec", str(spec)], args.runs, cwd)
            redocly = _median([str(NODE_BIN / "redocly"), "lint", str(spec), "--format", "stylish"], args.runs, cwd)
            default = _median(
                [
                    str(NODE_BIN / "redocly"),
                    "lint",
                    str(spec),
                    "--format",
                    "stylish",
                    "--config",
                    str(cwd / "none.yaml"),
                ],
                args.runs,
                cwd,
            )
            rows.append((name, ours, redocly, default))
    print("redocly lint with only the `struct` rule (redocly.yaml: extends: [], rules: {struct: error})")
    header = f"{'input':<15} {'ours wall':>9} {'cpu':>6} {'redocly wall':>12} {'cpu':>6} {'wall x':>7} {'cpu x':>6}"
    print(f"{header} {'our peak MB':>11} {'recommended wall':>16} {'wall x':>7}")
    for name, ours, redocly, default in rows:
        print(
            f"{name:<15} {ours.wall:>9.2f} {ours.cpu:>6.2f} {redocly.wall:>12.2f} {redocly.cpu:>6.2f} "
            f"{redocly.wall / ours.wall:>6.2f}x {redocly.cpu / ours.cpu:>5.2f}x {ours.peak_mb:>11.0f} "
            f"{default.wall:>16.2f} {default.wall / ours.wall:>6.2f}x"
        )
    met = all(redocly.wall > ours.wall and redocly.cpu > ours.cpu for _, ours, redocly, _ in rows)
    print(f"target: bundle + validate faster than redocly lint on every input -> {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
