"""Peak RSS of a whole ``atlas-spec build`` of GitHub's description (npm @octokit/openapi, 13 MB); target < 1 GB.

    .venv/bin/python bench/memory.py [--runs 3] [--spec PATH]

GitHub's description breaks four of our error-level lint rules, which would stop the build before anything is
written; they are set to ``warn`` here, so every stage runs (bundle, validate, lint with every example check,
the four artefacts, the atomic write). Prints wall time and peak RSS of each run and their medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GITHUB, REPO

TARGET_MB = 1024
PYPROJECT = """\
[tool.atlas-spec]
spec = "api.json"
out = "out"
name = "github"

[tool.atlas-spec.lint.rules]
no-identical-paths = "warn"
no-invalid-media-type-examples = "warn"
no-invalid-parameter-examples = "warn"
security-defined = "warn"
"""


def one_run(folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one build in a fresh child process."""
    shutil.rmtree(folder / "out", ignore_errors=True)
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child becomes the build, so its rusage is the build's alone
        os.chdir(folder)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)  # thousands of warnings: the figures are what matters here
        os.execv(sys.executable, [sys.executable, "-m", "generators", "build"])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed with exit {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spec", type=Path, default=GITHUB)
    args = parser.parse_args()
    if not args.spec.is_file():
        raise SystemExit(f"{args.spec} is missing: run `make tools` (npm ci)")
    with tempfile.TemporaryDirectory(prefix="atlas-memory-") as tmp:
        folder = Path(tmp)
        shutil.copy(args.spec, folder / "api.json")
        (folder / "pyproject.toml").write_text(PYPROJECT)
        os.environ["PYTHONPATH"] = str(REPO)
        results = [one_run(folder) for _ in range(args.runs)]
        written = sum(p.stat().st_size for p in (folder / "out").iterdir()) / 1e6
    print(f"atlas-spec build of {args.spec.name} ({args.spec.stat().st_size / 1e6:.1f} MB, {written:.1f} MB written)")
    print("| run | wall s | peak RSS MB |")
    print("| ---: | ---: | ---: |")
    for index, (wall, rss) in enumerate(results, 1):
        print(f"| {index} | {wall:.2f} | {rss:.0f} |")
    peak = statistics.median(r for _, r in results)
    print(f"| median | {statistics.median(w for w, _ in results):.2f} | {peak:.0f} |")
    print(f"target < {TARGET_MB} MB: {'met' if peak < TARGET_MB else 'MISSED'}")
    return 0 if peak < TARGET_MB else 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
