"""The ``atlas-spec`` command line: click commands (``commands.py`` and ``adopt.py``, the only modules importing
click) over the library, and the process policy of a console run (``process.py``)."""

from __future__ import annotations

import generators.cli.adopt  # noqa: F401  (registers init, split and stats on the group)
from generators.cli.commands import cli
from generators.cli.process import run_console

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point: run one command as the whole process (see ``process.py``)."""
    run_console(lambda: cli.main(prog_name="atlas-spec"))
