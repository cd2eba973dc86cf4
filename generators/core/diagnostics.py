"""Findings are data: a Diagnostic names what is wrong, where, and what to do about it."""

from __future__ import annotations

import enum
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generators.core.escape import for_terminal
from generators.core.paths import resolved

if TYPE_CHECKING:
    from generators.core.frame import Paint


class ExitCode(enum.IntEnum):
    """The only exit codes the CLI uses."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARN = "warn"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and col are 1-based."""

    file: str
    line: int = 0
    col: int = 0

    def display(self, relative_to: Path | None = None) -> str:
        """``file:line:col`` with the file shown relative to ``relative_to`` (default: cwd) when possible."""
        name = display_path(self.file, relative_to)
        if self.line <= 0:
            return name
        return f"{name}:{self.line}:{self.col}"


def display_path(file: str, relative_to: Path | None = None) -> str:
    """Show a path relative to the working folder when it lies below it."""
    return _display_path(file, str(relative_to) if relative_to else os.getcwd())


@functools.lru_cache(maxsize=4096)
def _display_path(file: str, base: str) -> str:
    # thousands of findings share a handful of files: resolve each (file, folder) pair once
    try:
        return str(resolved(file).relative_to(resolved(base)))
    except (ValueError, OSError):
        return file


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a stable code, a severity, a message for people and where it stands."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    location: Location | None = None
    hint: str | None = None
    json_path: str | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def render(self, paint: Paint | None = None) -> str:
        """``file:line:col: severity [code] message``, then ``at /json/pointer`` and the hint, each on its line.

        The one text style of every command (``report.text_finding`` adds the code frame); spec text is shown
        through ``escape.for_terminal``; ``paint`` colours it for a terminal.
        """
        severity = self.severity.value if paint is None else paint(self.severity.value, self.severity.value)
        where = for_terminal(self.location.display()) if self.location else ""
        if where:
            where = (where if paint is None else paint(where, "place")) + ": "
        lines = [f"{where}{severity} [{for_terminal(self.code)}] {for_terminal(self.message)}"]
        if self.json_path:
            lines.append(f"  at {for_terminal(self.json_path)}")
        if self.hint:
            lines.append(f"  hint: {for_terminal(self.hint)}")
        return "\n".join(lines)


class AtlasError(Exception):
    """Raised when we cannot go on; carries the diagnostics that explain why (input error, exit 2)."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic) -> None:
        self.diagnostics = diagnostics if isinstance(diagnostics, list) else [diagnostics]
        super().__init__("\n".join(d.render() for d in self.diagnostics))

    @classmethod
    def at(cls, code: str, message: str, location: Location | None = None, hint: str | None = None) -> AtlasError:
        """Build an error for one problem at one place."""
        return cls(Diagnostic(code=code, message=message, location=location, hint=hint))
