"""Compare our generic lint findings with ``redocly lint`` (recommended ruleset), per rule, on two real descriptions.

Inputs: the DigitalOcean modular corpus and GitHub's description (``@octokit/openapi``). Our rules run with their
defaults (house rules off); each of our rules is shown beside the Redocly rule it maps to (``Rule.redocly``), and
Redocly rules we have no equivalent for are listed too. Usage: ``python bench/lint_compare.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

sys.path.insert(0, str(REPO / "bench"))

from common import DIGITALOCEAN, GITHUB  # noqa: E402

from generators.bundle.bundler import bundle_spec  # noqa: E402
from generators.lint import LintConfig, all_rules, lint_document  # noqa: E402

REDOCLY = REPO / "node_modules" / ".bin" / "redocly"
INPUTS = {"DigitalOcean": DIGITALOCEAN, "GitHub": GITHUB}


def ours(spec: Path) -> Counter[str]:
    """Our findings per rule id (generic rules, default severities; locations are not needed here)."""
    bundled = bundle_spec(spec)
    return Counter(d.code for d in lint_document(bundled.document, LintConfig(), lambda _: None))


def redocly(spec: Path) -> Counter[str]:
    """Redocly's problems per rule id (recommended ruleset, run from a folder without a redocly.yaml)."""
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [str(REDOCLY), "lint", str(spec), "--format", "json", "--max-problems", "100000"],
            capture_output=True,
            text=True,
            cwd=tmp,
            check=False,
            env={**os.environ, "NO_COLOR": "1", "REDOCLY_TELEMETRY": "off"},
        )
    start = result.stdout.find("{")
    if start < 0:
        raise SystemExit(f"redocly lint printed no JSON:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout[start:])
    return Counter(problem["ruleId"] for problem in report.get("problems", []))


def table(name: str, mine: Counter[str], theirs: Counter[str]) -> list[str]:
    """Rows: our rule, our count, the mapped Redocly rule, its count; then Redocly-only rules."""
    lines = [f"## {name}", f"{'atlas-spec rule':<36} {'ours':>6}  {'redocly rule':<36} {'redocly':>7}"]
    mapped: set[str] = set()
    for rule in all_rules():
        if rule.house:
            continue
        peer = rule.redocly or "-"
        mapped.add(peer)
        peer_count = str(theirs.get(peer, 0)) if rule.redocly else "-"
        flag = "" if not rule.redocly or mine.get(rule.id, 0) == theirs.get(peer, 0) else "  <- differs"
        lines.append(f"{rule.id:<36} {mine.get(rule.id, 0):>6}  {peer:<36} {peer_count:>7}{flag}")
    for peer, count in sorted(theirs.items()):
        if peer not in mapped:
            lines.append(f"{'-':<36} {'-':>6}  {peer:<36} {count:>7}  <- redocly only")
    return lines


def main() -> int:
    """Print one table per input."""
    for path in (REDOCLY, *INPUTS.values()):
        if not path.exists():
            print(f"missing {path}: run `make test` (npm ci) first", file=sys.stderr)
            return 2
    for name, spec in INPUTS.items():
        print("\n".join(table(name, ours(spec), redocly(spec))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
