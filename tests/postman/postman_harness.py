"""Plumbing for the Postman tests: bundling, a Prism mock on a free loopback port, Newman runs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generators.core.settings import Settings
from tests.conftest import REPO, node_tool

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
SHOP = FIXTURES / "shop" / "openapi.yaml"


def settings(name: str, tmp: Path, **postman: Any) -> Settings:
    """Settings for generating ``name``'s artefacts (nothing is read from a pyproject)."""
    return Settings(spec=tmp / "spec.yaml", out_dir=tmp, name=name, postman=dict(postman))


def bundled(root: Path) -> dict[str, Any]:
    """atlas-spec's bundled document of ``root``."""
    from generators.bundle.bundler import bundle_spec

    return bundle_spec(root).document


def redocly_bundle(root: Path, tmp: Path) -> Path:
    """A JSON bundle of ``root`` made by Redocly, for Prism.

    Prism gets the peer's bundle: it chases ``$ref`` even inside literal examples (which atlas-spec, per
    the spec, copies untouched), and an independent bundle also catches a bundling slip of ours.
    """
    target = tmp / f"{root.stem}.redocly.json"
    redocly = node_tool("redocly")
    subprocess.run([str(redocly), "bundle", str(root), "-o", str(target)], check=True, capture_output=True, cwd=REPO)
    return target


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def prism_mock(spec_file: Path, log: Path, timeout: float = 120.0) -> Iterator[str]:
    """Run ``prism mock --errors`` on 127.0.0.1 and yield its base URL; always stopped afterwards."""
    prism = node_tool("prism")
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(prism), "mock", "--errors", "-h", "127.0.0.1", "-p", str(port), str(spec_file)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            start_new_session=True,
        )
    try:
        _wait_for_port(port, proc, timeout, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prism exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.3)
    raise RuntimeError(f"prism did not listen on {port} within {timeout}s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process group we started (Prism forks workers)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def newman(
    collection: Path, environment: Path | None, tmp: Path, env_vars: dict[str, str], *extra: str
) -> dict[str, Any]:
    """Run Newman and return its JSON report (Newman's exit code is not the verdict: the report is)."""
    report = tmp / f"newman-{collection.stem}-{len(list(tmp.glob('newman-*')))}.json"
    cmd = [
        str(node_tool("newman")),
        "run",
        str(collection),
        "--reporters",
        "json",
        "--reporter-json-export",
        str(report),
        "--timeout-request",
        "30000",
    ]
    if environment is not None:
        cmd += ["-e", str(environment)]
    for key, value in env_vars.items():
        cmd += ["--env-var", f"{key}={value}"]
    cmd += list(extra)
    proc = subprocess.run(cmd, capture_output=True, cwd=REPO, timeout=900)
    if not report.exists():
        raise RuntimeError(f"newman wrote no report:\n{proc.stdout.decode()}\n{proc.stderr.decode()}")
    return dict(json.loads(report.read_text(encoding="utf-8")))


def executions(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Newman's executions: one per request sent."""
    return list(report["run"]["executions"])


def items(collection: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every request item of a collection, folders flattened."""
    for entry in collection["item"]:
        if "item" in entry:
            yield from items(entry)
        else:
            yield entry


def response_text(execution: dict[str, Any]) -> str:
    """The body Newman received, as text."""
    response = execution.get("response") or {}
    data = response.get("stream", {}).get("data", [])
    return bytes(data).decode("utf-8", errors="replace")
