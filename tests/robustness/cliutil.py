"""Run ``python -m generators`` as a user would, and check the rules every hostile input must keep."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
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


def cli(*args: str, cwd: Path, timeout: float = 60, memory_mb: int = 3072) -> subprocess.CompletedProcess[str]:
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


def assert_no_crash(result: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no 'internal error' reached the user; the exit code is one of ours."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]
    assert result.returncode in (0, 1, 2), (result.returncode, output[-3000:])


def assert_refused(result: subprocess.CompletedProcess[str], code: str, file: str, line: int | None = None) -> None:
    """Exit 2 with ``[code]`` at ``file:line`` (any line when ``line`` is None) and no traceback."""
    assert_no_crash(result)
    assert result.returncode == 2, result.stderr
    assert f"[{code}]" in result.stderr, result.stderr
    where = f"{file}:{line}:" if line is not None else f"{file}:"
    assert where in result.stderr, result.stderr


def tree_hash(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (symlinks as their target text), to prove nothing was changed."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            hashes[key] = "link:" + os.readlink(path)
        elif path.is_file():
            hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes
