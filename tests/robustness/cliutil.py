"""Run ``python -m generators`` as a user would, and check the rules every hostile input must keep."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from tests.support import HEAD, OK_PATHS, REPO, cli, make_tree

__all__ = ["HEAD", "OK_PATHS", "REPO", "cli", "make_tree"]


def assert_no_crash(result: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no 'internal error' reached the user; the exit code is one of ours."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]
    assert result.returncode in (0, 1, 2), (result.returncode, output[-3000:])


def assert_refused(result: subprocess.CompletedProcess[str], code: str, file: str, line: int | None = None) -> None:
    """Exit 2 with ``[code]`` at ``file:line`` (any line when ``line`` is None) and no traceback.

    lint, validate and build print findings (input errors too) on stdout, other commands on stderr.
    """
    assert_no_crash(result)
    shown = result.stdout + result.stderr
    assert result.returncode == 2, shown
    assert f"[{code}]" in shown, shown
    where = f"{file}:{line}:" if line is not None else f"{file}:"
    assert where in shown, shown


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
