"""``make bench``: every benchmark, one after another, each printing its table of ratios against its peer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITES = [
    "targets.py",
    "bundle.py",
    "validate.py",
    "lint.py",
    "postman.py",
    "docs.py",
    "diff.py",
    "memory.py",
    "serve.py",
]


def main() -> int:
    failed = []
    for suite in SUITES:
        script = HERE / suite
        if not script.exists():
            print(f"\n# {suite}: not present", flush=True)
            continue
        print(f"\n# {suite}", flush=True)
        if subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=False).returncode != 0:
            failed.append(suite)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
