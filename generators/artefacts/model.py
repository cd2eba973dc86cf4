"""The artefact interface: every generator turns the bundled spec plus settings into files to write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generators.core.settings import Settings


@dataclass(frozen=True)
class Artefact:
    """A file to write: a path relative to the out dir and its exact bytes."""

    path: str
    content: bytes

    @classmethod
    def text(cls, path: str, text: str) -> Artefact:
        """An artefact from text, encoded as UTF-8."""
        return cls(path, text.encode("utf-8"))


Generator = Callable[[dict[str, Any], Settings], Artefact]
