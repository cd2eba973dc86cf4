"""The ``atlas-spec`` command line: click commands (``commands.py``, ``adopt.py`` and ``release.py``, the only
modules importing click) over the library, and the process policy of a console run (``process.py``)."""

from __future__ import annotations

import generators.cli.adopt
import generators.cli.release  # noqa: F401  (registers diff and version)
from generators.cli.commands import cli
from generators.cli.process import run_console

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point: run one command as the whole process (see ``process.py``)."""
    run_console(lambda: cli.main(prog_name="atlas-spec"))
