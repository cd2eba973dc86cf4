"""Benchmark: ``atlas-spec serve`` after a one-file edit of DigitalOcean's description (issue 18).

    .venv/bin/python bench/serve.py [--edits 7] [--settle 4]

A real ``serve`` process previews a copy of the DigitalOcean folder (2,907 files). Each edit rewrites one
source file (an operation, a schema used from many places, a shared response, a parameter, the root file, a
code sample) with a new marker and times, from just before the write:
- "spec": until ``/v1/openapi.json`` holds the marker (polled every 10 ms);
- the server's CPU seconds for the whole rebuild (read from /proc once the rebuild has settled).
Edits are ``--settle`` seconds apart, so each one starts from an idle server. Reports medians.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, DIGITALOCEAN, env

TARGET_SECONDS = 0.3
# (file under the spec folder, text in it, the same text with a marker); every one is reached from the root
EDITS = [
    ("resources/droplets/droplets_get.yml", "summary: Retrieve an Existing Droplet", "summary: Retrieve {m}"),
    (
        "resources/droplets/models/droplet.yml",
        "description: The human-readable name set for the Droplet instance.",
        "description: The name {m}.",
    ),
    (
        "shared/responses/unauthorized.yml",
        "description: Authentication failed due to invalid credentials.",
        "description: Authentication failed {m}.",
    ),
    (
        "resources/droplets/parameters.yml",
        "description: A unique identifier for a Droplet instance.",
        "description: A unique identifier {m}.",
    ),
    (
        "DigitalOcean-public.v2.yaml",
        "description: Provides information about your current account.",
        "description: Provides information {m}.",
    ),
    (
        "resources/droplets/examples/curl/droplets_get.yml",
        '"https://api.digitalocean.com/v2/droplets/3164494"',
        '"https://api.digitalocean.com/v2/droplets/3164494?{m}"',
    ),
]


class Serve:
    """A running ``atlas-spec serve`` on a free port; its terminal lines are collected."""

    def __init__(self, spec: Path) -> None:
        command = [*ATLAS, "serve", "--spec", str(spec), "--port", "0"]
        self.process = subprocess.Popen(
            command, cwd=spec.parent, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._pump, daemon=True).start()
        found = self.wait_for(lambda line: re.search(r"serving (http://127\.0\.0\.1:\d+)/v1/docs", line), 120)
        self.base = found.group(1)

    def _pump(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, test: object, timeout: float, start: int = 0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        seen = start
        with self.changed:
            while True:
                for line in self.lines[seen:]:
                    found = test(line)  # type: ignore[operator]
                    if found:
                        return found  # type: ignore[no-any-return]
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise SystemExit("serve did not answer:\n" + "\n".join(self.lines[-20:]))
                self.changed.wait(left)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return bytes(response.read())

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def until_served(server: Serve, marker: bytes, started: float, timeout: float = 30) -> float:
    """Seconds from ``started`` until /v1/openapi.json holds ``marker``."""
    while time.perf_counter() - started < timeout:
        if marker in server.get("/v1/openapi.json"):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"the edit {marker!r} was not served within {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=7, help="edits timed (median reported)")
    parser.add_argument("--settle", type=float, default=4.0, help="seconds between edits")
    args = parser.parse_args()
    if not DIGITALOCEAN.exists():
        print(f"missing input: {DIGITALOCEAN}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="atlas-serve-bench-") as tmp:
        folder = Path(tmp) / "do"
        shutil.copytree(DIGITALOCEAN.parent, folder)
        originals = {file: (folder / file).read_text(encoding="utf-8") for file, _, _ in EDITS}
        server = Serve(folder / DIGITALOCEAN.name)
        try:
            server.wait_for(lambda line: "built in" in line, 120)
            time.sleep(args.settle)
            spec_times, cpu = [], []
            for index in range(args.edits):
                file, old, new = EDITS[index % len(EDITS)]
                mark = f"edit{index}x{secrets.token_hex(4)}"
                text = originals[file].replace(old, new.format(m=mark), 1)
                assert text != originals[file], file
                cpu_before = server.cpu_seconds()
                started = time.perf_counter()
                (folder / file).write_text(text, encoding="utf-8")
                spec_times.append(until_served(server, mark.encode(), started))
                time.sleep(args.settle)
                cpu.append(server.cpu_seconds() - cpu_before)
                print(f"  edit {index}: {file}: spec {spec_times[-1]:.3f} s, server cpu {cpu[-1]:.2f} s", flush=True)
        finally:
            server.stop()
    spec = statistics.median(spec_times)
    verdict = "ok" if spec < TARGET_SECONDS else "MISSED"
    print("\n| job | input | save -> new spec served | server CPU per edit | target |\n|---|---|---|---|---|")
    print(
        f"| serve rebuild after a one-file edit | DigitalOcean | {spec:.3f} s median of {len(spec_times)} "
        f"({min(spec_times):.3f}-{max(spec_times):.3f}) | {statistics.median(cpu):.2f} s | "
        f"< {TARGET_SECONDS} s: {verdict} |"
    )
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
