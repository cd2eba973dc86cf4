"""Absolute paths with their links followed, alike on every Python the tool supports."""

from __future__ import annotations

import os
from pathlib import Path


def resolved(path: str | os.PathLike[str]) -> Path:
    """``Path(path).resolve()``, but a symlink loop gives the path as far as it resolves, as Python 3.13 does,
    where 3.11 and 3.12 raise RuntimeError: opening it then fails with ELOOP, an OSError reported as such."""
    return Path(os.path.realpath(path))


def inside(folder: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``folder`` or lies below it once ``..`` and every link on the way are followed."""
    return resolved(path).is_relative_to(resolved(folder))
