"""Benchmark: ``atlas-spec postman`` beside Postman's own converter ``openapi2postmanv2`` on the same input.

Each run is a fresh process (start-up included, as a user sees it); wall time and peak RSS (from wait4) are
taken per run and the median of ``--runs`` is printed with the ratio peer/us. Default input: GitHub's REST
description from ``@octokit/openapi`` (13 MB, 1,223 operations). Run from the repository root after
``make test`` has installed the npm tools:

    .venv/bin/python bench/postman.py [--runs 3] [--spec FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GITHUB, REPO

PEER = REPO / "node_modules" / ".bin" / "openapi2postmanv2"


# Our part alone, for a description that is already one bundled file: load, generate, serialise, write.
GENERATE_ONLY = """
import sys
from pathlib import Path
from generators.source.loader import load_file
from generators.artefacts.postman.collection import generate
from generators.core.settings import Settings
spec = load_file(Path(sys.argv[1]))
Path(sys.argv[2]).write_bytes(generate(spec, Settings(spec=Path(sys.argv[1]), out_dir=Path("."))).content)
"""


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MiB and CPU seconds (user + system) of one run of ``cmd`` (must succeed)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spec", type=Path, default=GITHUB)
    args = parser.parse_args()
    for needed in (args.spec, PEER):
        if not needed.exists():
            raise SystemExit(f"missing {needed}: run `make test` (npm ci) first")
    spec = args.spec.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-postman-") as tmp:
        work = Path(tmp)
        tools = {
            "atlas-spec postman": [
                sys.executable,
                "-m",
                "generators",
                "postman",
                "--spec",
                str(spec),
                "-o",
                str(work / "ours" / "collection.json"),
            ],
            "  generation only": [sys.executable, "-c", GENERATE_ONLY, str(spec), str(work / "gen.json")],
            "openapi2postmanv2": [str(PEER), "-s", str(spec), "-o", str(work / "peer.json")],
        }
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in tools}
        for _ in range(args.runs):  # interleaved, so a busy moment of the machine hits both alike
            for name, cmd in tools.items():
                results[name].append(measure(cmd, work))
    medians = {name: [statistics.median(run[i] for run in runs) for i in range(3)] for name, runs in results.items()}
    ours = medians["atlas-spec postman"]
    print(f"input: {spec} ({spec.stat().st_size / 1e6:.1f} MB), median of {args.runs} runs")
    print(
        f"{'tool':<20} {'wall s':>7} {'min s':>6} {'cpu s':>6} {'peak MiB':>9} {'wall x':>7} {'cpu x':>6} {'mem x':>6}"
    )
    for name, (wall, memory, cpu) in medians.items():
        fastest = min(run[0] for run in results[name])
        print(
            f"{name:<20} {wall:>7.2f} {fastest:>6.2f} {cpu:>6.2f} {memory:>9.0f} "
            f"{wall / ours[0]:>7.2f} {cpu / ours[2]:>6.2f} {memory / ours[1]:>6.2f}"
        )
    print("x: the tool's median over atlas-spec's (higher = we are better). 'generation only' is atlas-spec")
    print("without bundling (the input is already one file): load, generate, serialise, write.")


if __name__ == "__main__":
    main()
