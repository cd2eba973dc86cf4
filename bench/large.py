"""``make bench-large``: each stage on the 20 largest OpenAPI 3.x specs of the APIs-guru corpus, beside its peer.

    .venv/bin/python bench/large.py [--count 20] [--runs 1] [--stages bundle,lint,docs,postman] [--timeout 600]

Stages and peers (each a fresh process, as a user runs it, from an empty folder: no project config, default rule
sets): ``bundle`` vs ``redocly bundle``, ``lint`` vs ``redocly lint`` (both JSON output), ``docs`` vs ``redocly
build-docs`` (both pages self-contained), ``postman`` vs ``openapi2postmanv2``. Prints one row per spec and stage
(wall and CPU seconds, peak RSS, our seconds per MB, the peer/ours ratio), then per stage: the median seconds per
MB, the worst spec against that median (target: within 3x), the largest peak RSS (target: < 2 GB) and whether we
were faster on every spec. A peer that fails or times out is shown as such (we count as faster). The corpus is
installed by ``make corpus`` (``bench/corpus``). This takes a long time (the peers need minutes on Microsoft Graph
beta), which is why it is not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, NODE_BIN, REPO, env
from corpus import API_DIR, install_corpus, openapi3_specs

REDOC_JS = REPO / "node_modules" / "redoc" / "bundles" / "redoc.standalone.js"
STAGES = ("bundle", "lint", "docs", "postman")
RSS_LIMIT_MB = 2048
SPREAD_LIMIT = 3.0


@dataclass(frozen=True)
class Run:
    """One measured command: wall and CPU seconds, peak RSS in MB; ``failed`` says why it has no result."""

    wall: float
    cpu: float
    peak_mb: float
    failed: str = ""


def run(command: list[str], timeout: float, ok_codes: tuple[int, ...], cwd: Path) -> Run:
    """Run ``command`` once (output discarded); a non-zero exit outside ``ok_codes`` or a time-out is a failure."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return Run(timeout, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, "timed out")
        time.sleep(0.02)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    failed = "" if code in ok_codes else f"exit {code}"
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, failed)


def median_run(command: list[str], runs: int, timeout: float, ok_codes: tuple[int, ...], cwd: Path) -> Run:
    samples = [run(command, timeout, ok_codes, cwd) for _ in range(runs)]
    failed = next((s.failed for s in samples if s.failed), "")
    return Run(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        max(s.peak_mb for s in samples),
        failed,
    )


def commands(stage: str, spec: Path, scratch: Path) -> tuple[list[str], list[str], tuple[int, ...]]:
    """Our command, the peer's, and the exit codes that mean success for both (lint: 1 is "findings")."""
    redocly = str(NODE_BIN / "redocly")
    if stage == "bundle":
        return (
            [*ATLAS, "bundle", "--spec", str(spec), "-o", str(scratch / "ours.json")],
            [redocly, "bundle", str(spec), "-o", str(scratch / "peer.json")],
            (0,),
        )
    if stage == "lint":
        return (
            [*ATLAS, "lint", "--spec", str(spec), "--format", "json"],
            [redocly, "lint", str(spec), "--format", "json"],
            (0, 1),
        )
    if stage == "docs":
        return (
            [*ATLAS, "docs", "--spec", str(spec), "-o", str(scratch / "ours.html"), "--redoc-js", str(REDOC_JS)],
            [redocly, "build-docs", str(spec), "-o", str(scratch / "peer.html")],
            (0,),
        )
    return (
        [*ATLAS, "postman", "--spec", str(spec), "-o", str(scratch / "ours.postman.json")],
        [str(NODE_BIN / "openapi2postmanv2"), "-s", str(spec), "-o", str(scratch / "peer.postman.json")],
        (0,),
    )


def largest(count: int) -> list[Path]:
    """The ``count`` largest OpenAPI 3.x specs of the corpus, largest first."""
    return sorted(openapi3_specs(), key=lambda p: p.stat().st_size, reverse=True)[:count]


def cell(result: Run) -> str:
    if result.failed:
        return f"{result.failed} after {result.wall:.1f} s ({result.peak_mb:.0f} MB)"
    return f"{result.wall:.2f} s ({result.cpu:.2f} cpu, {result.peak_mb:.0f} MB)"


def spread(per_mb: list[float]) -> tuple[float, float]:
    """The median of ``per_mb`` and how far the farthest value is from it (a factor >= 1)."""
    middle = statistics.median(per_mb)
    return middle, max(max(per_mb) / middle, middle / min(per_mb))


def summary(stage: str, rows: list[tuple[Path, float, Run, Run]]) -> str:
    """Median s/MB, the worst spec against it, the largest peak RSS, and whether we beat the peer every time.

    The spread is given for wall time and for CPU time: on a shared machine the load moves wall time by more
    than 3x between two runs of the same command, CPU time much less.
    """
    done = [(mb, ours) for _, mb, ours, _ in rows if not ours.failed]
    if not done:
        return f"| {stage} | - | - | - | all failed |"
    middle, wall_spread = spread([ours.wall / mb for mb, ours in done])
    cpu_middle, cpu_spread = spread([ours.cpu / mb for mb, ours in done])
    peak = max(ours.peak_mb for _, _, ours, _ in rows)
    per_input_mb = max(ours.peak_mb / mb for _, mb, ours, _ in rows)
    ours_failed = sum(1 for *_, ours, _ in rows if ours.failed)
    slower = [p.name for p, _, ours, peer in rows if ours.failed or (not peer.failed and peer.wall <= ours.wall)]
    return (
        f"| {stage} | {middle:.3f} ({cpu_middle:.3f} cpu) | {wall_spread:.1f}x, {cpu_spread:.1f}x cpu "
        f"({'ok' if cpu_spread <= SPREAD_LIMIT else 'MISSED'} on cpu) | "
        f"{peak:.0f} MB ({'ok' if peak < RSS_LIMIT_MB and not ours_failed else 'MISSED'}; "
        f"at most {per_input_mb:.0f} MB per input MB) | "
        f"{'yes' if not slower else 'no: ' + ', '.join(slower)} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run counts as timed out")
    args = parser.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    if unknown := [s for s in stages if s not in STAGES]:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    if not API_DIR.is_dir():
        install_corpus()
    specs = largest(args.count)
    print(f"## large inputs: the {len(specs)} largest OpenAPI 3.x specs of {API_DIR.relative_to(REPO)}\n")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores\n")
    print("| spec | MB | stage | atlas-spec | peer | peer/ours | ours s/MB |\n|---|---:|---|---|---|---:|---:|")
    results: dict[str, list[tuple[Path, float, Run, Run]]] = {s: [] for s in stages}
    with tempfile.TemporaryDirectory(prefix="atlas-large-") as tmp:
        scratch = Path(tmp)
        for spec in specs:
            mb = spec.stat().st_size / 1e6
            name = str(spec.relative_to(API_DIR))
            for stage in stages:
                ours_cmd, peer_cmd, ok = commands(stage, spec, scratch)
                ours = median_run(ours_cmd, args.runs, args.timeout, ok, scratch)
                peer = median_run(peer_cmd, args.runs, args.timeout, ok, scratch)
                ratio = "-" if ours.failed or peer.failed else f"{peer.wall / ours.wall:.1f}x"
                print(
                    f"| {name} | {mb:.1f} | {stage} | {cell(ours)} | {cell(peer)} | {ratio} | {ours.wall / mb:.3f} |",
                    flush=True,
                )
                results[stage].append((spec, mb, ours, peer))
    print("\n| stage | median s/MB | worst vs median, wall and cpu (<= 3x) | peak RSS (< 2 GB) | faster on all |")
    print("|---|---:|---|---|---|")
    for stage in stages:
        print(summary(stage, results[stage]))
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
