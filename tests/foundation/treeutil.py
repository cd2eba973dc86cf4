"""Write small modular spec trees for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

HEAD = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1.0'\n"


def make_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> YAML text, dedented) under ``root``; return the first file's path."""
    first = None
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        first = first or path
    assert first is not None
    return first
