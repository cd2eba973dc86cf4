"""Shared benchmark plumbing: the real inputs, and timing a command as a user runs it (wall, CPU, peak RSS)."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NODE_BIN = REPO / "node_modules" / ".bin"
GITHUB = REPO / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
DIGITALOCEAN = REPO.parent / "shared" / "corpus" / "digitalocean" / "specification" / "DigitalOcean-public.v2.yaml"
INPUTS = {"GitHub (13 MB JSON, 1,223 ops)": GITHUB, "DigitalOcean (2,907 files)": DIGITALOCEAN}
ATLAS = [sys.executable, "-m", "generators"]

# Measure the tool as installed (pip byte-compiles a wheel): an editable checkout under PYTHONDONTWRITEBYTECODE
# would otherwise compile every module from source on each run.
compileall.compile_dir(REPO / "generators", quiet=1)


@dataclass(frozen=True)
class Run:
    """One measured command: medians over the runs."""

    wall: float
    cpu: float
    peak_mb: float


def env() -> dict[str, str]:
    """The environment both sides run in (no telemetry, no colour)."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    }


def run_once(command: list[str], ok_codes: tuple[int, ...] = (0,), cwd: Path = REPO) -> Run:
    """Run ``command`` once; wall seconds, CPU seconds (user+sys) and peak RSS of that process tree's leader."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr.read().decode(errors="replace")  # before waiting: a full pipe would block the command
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in ok_codes:
        raise SystemExit(f"failed ({code}): {' '.join(command)}\n{stderr[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def measure(command: list[str], runs: int = 3, ok_codes: tuple[int, ...] = (0,), cwd: Path = REPO) -> Run:
    """Medians of ``runs`` runs after one warm-up run (same file cache for both sides)."""
    run_once(command, ok_codes, cwd)
    samples = [run_once(command, ok_codes, cwd) for _ in range(runs)]
    return Run(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        max(s.peak_mb for s in samples),
    )


def missing_inputs(*extra: Path) -> list[Path]:
    """Inputs or tools that are not installed (run `make test` or `npm ci` first)."""
    return [p for p in (*INPUTS.values(), *extra) if not p.exists()]


def row(label: str, ours: Run, theirs: Run, target: float) -> str:
    """One table row: both sides' medians and the ratio (theirs / ours) against the target ratio."""
    ratio = theirs.wall / ours.wall
    cpu_ratio = theirs.cpu / ours.cpu if ours.cpu else float("inf")
    verdict = "ok" if ratio >= target else "below target"
    return (
        f"| {label} | {ours.wall:.2f} s ({ours.cpu:.2f} cpu, {ours.peak_mb:.0f} MB) | "
        f"{theirs.wall:.2f} s ({theirs.cpu:.2f} cpu, {theirs.peak_mb:.0f} MB) | "
        f"{ratio:.1f}x wall, {cpu_ratio:.1f}x cpu | >= {target:g}x: {verdict} |"
    )


HEADER = "| input | atlas-spec | peer | ratio | target |\n|---|---|---|---|---|"
