"""Helpers shared by the test packages: small spec trees on disk, the CLI run as a user runs it, and the forked
workers a test watches."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HEAD = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1.0'\n"

# A minimal operation block, lint-clean enough that findings come from what a test adds.
OK_PATHS = """\
servers: [{url: 'https://api.test'}]
security: []
paths:
  /a:
    get:
      operationId: getA
      summary: Get A
      responses:
        '200': {description: ok}
"""


def make_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text, dedented, or raw bytes) under ``root``; return the first file."""
    first = None
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        first = first or path
    assert first is not None
    return first


def memory_limit(megabytes: int) -> Callable[[], None]:
    """A ``preexec_fn`` capping the child's address space: a memory blow-up fails instead of swamping the box."""

    def limit() -> None:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def cli(*args: str, cwd: Path, timeout: float = 120, memory_mb: int = 3072) -> subprocess.CompletedProcess[str]:
    """``python -m generators ARGS`` in ``cwd``; a hang fails through ``timeout``, a blow-up through ``memory_mb``."""
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_SPEC_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "generators", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="replace",
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=memory_limit(memory_mb),
    )


def counting_forks(monkeypatch: Any) -> list[int]:
    """A list that grows by one at each ``os.fork`` from now on (pytest's ``monkeypatch`` undoes it)."""
    forks: list[int] = []
    real_fork: Callable[[], int] = os.fork

    def fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    return forks


def no_child_left() -> bool:
    """True when this process has no child left to reap: every worker it forked was waited for."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
        return False
    return True


@contextlib.contextmanager
def reading_fifo(path: Path) -> Iterator[list[bytes]]:
    """A named pipe made at ``path`` and read to its end on a thread; the list holds what it read once the block
    ends (empty when nothing was written within 30 seconds)."""
    os.mkfifo(path)
    received: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield received
    reader.join(timeout=30)
