"""How commands print findings (lint, validate and build on stdout in their ``--format``, the rest on stderr)
and write ``-o`` (never over a file the spec is read from).


A command that reports findings prints them (input errors too: a YAML syntax error with ``--format sarif`` is a
SARIF log) on stdout, and its progress and summary on stderr; ``stats --format json`` and ``diff`` print an input
error as a document of their format on stdout as well; a command whose stdout is an artefact (bundle, postman...)
prints its errors on stderr, as text.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generators.core.diagnostics import AtlasError, Diagnostic, ExitCode, Location
from generators.core.escape import for_terminal
from generators.core.jsonout import dump_json
from generators.core.report import as_json, colour_wanted, render

if TYPE_CHECKING:
    from generators.bundle.bundler import BundledSpec
    from generators.core.settings import Settings
    from generators.pipeline import BuildResult
    from generators.writer import Revise

REPORTING = frozenset(("lint", "validate", "build"))


def input_error(command: str, params: dict[str, Any], diagnostics: list[Diagnostic]) -> bool:
    """Print an input error of a command that reports findings (``params``: its arguments, ``fmt`` among them)
    on stdout in its format; False for the other commands (their errors go to stderr)."""
    fmt = str(params.get("fmt") or "text")
    if command == "diff":
        from generators.diff.render import render_input_error

        document = render_input_error(diagnostics, fmt)
        if document is None:
            return False
        sys.stdout.write(document)
        sys.stdout.flush()
        return False  # printed on stderr as well, in words, for the person reading the job log
    if command == "stats" and fmt == "json":  # a JSON reader gets a document, not an empty stdout
        sys.stdout.write(dump_json({"errors": [as_json(d) for d in diagnostics]}))  # each as lint's JSON writes it
        sys.stdout.flush()
        return False  # and on stderr, in words, as every other command's error
    if command not in REPORTING:
        return False
    print_findings(diagnostics, fmt)
    return True


def print_findings(
    diagnostics: list[Diagnostic], fmt: str, max_problems: int | None = None, house: bool = False
) -> None:
    """Findings to stdout in ``fmt`` (at most ``max_problems``; how many were left out goes to stderr).

    Colour only in text on a terminal (``NO_COLOR``/``FORCE_COLOR`` decide otherwise); SARIF names the house rules
    and their documentation only when ``house`` rules are on.
    """
    shown = diagnostics if max_problems is None else diagnostics[:max_problems]
    colour = fmt == "text" and colour_wanted(sys.stdout.isatty())
    tool = None
    if fmt == "sarif":
        from generators.lint.output import sarif_tool

        tool = sarif_tool(house)
    sys.stdout.write(render(shown, fmt, colour=colour, tool=tool))
    sys.stdout.flush()
    if len(shown) < len(diagnostics):
        left_out = len(diagnostics) - len(shown)
        sys.stderr.write(f"{left_out} more problem(s) not shown (--max-problems {max_problems})\n")


def report_build(
    result: BuildResult, settings: Settings, fmt: str, max_problems: int | None, level: str, check: bool
) -> ExitCode:
    """A build's findings on stdout in ``fmt`` (one whole document whatever the outcome: a SARIF upload or a
    JSON reader never meets an empty or half file), what it did on stderr; returns the exit code."""
    stale = [_stale(settings.out_dir / path) for path in result.stale] if check and not result.stopped else []
    shown = result.diagnostics + stale  # in the findings too: a CI annotation or SARIF result at the file
    print_findings(shown, fmt, max_problems, house=settings.lint.get("house-rules") is True)

    def say(line: str) -> None:
        sys.stderr.write(line + "\n")

    if result.invalid:
        say("build stopped: the spec breaks the OpenAPI structure (errors above); nothing was written")
        return ExitCode.FINDINGS
    if result.stopped:
        say(f"build stopped: lint findings at or above --fail-on {level} (above); nothing was written")
        say("  hint: 'atlas-spec build --fail-on never' writes the artefacts and only prints them")
        return ExitCode.FINDINGS
    if check:
        for path in result.stale:
            say(f"stale: {for_terminal(str(settings.out_dir / path))}")
        if result.stale:
            say("run 'atlas-spec build' and commit the result")
            return ExitCode.FINDINGS
        say("build/ is up to date")
        return ExitCode.OK
    for written in result.written:
        say(f"wrote {for_terminal(str(written))}")
    return ExitCode.OK


def _stale(path: Path) -> Diagnostic:
    return Diagnostic(
        "build-stale",
        "out of date: 'atlas-spec build' writes other content here" if path.exists() else "missing: not built yet",
        location=Location(str(path)),
        hint="run 'atlas-spec build' and commit the result",
    )


def write_output(output: Path, pieces: Any, bundled: BundledSpec, revise: Revise | None = None) -> Path:
    """Write ``-o`` as given (a link there is replaced, a device or pipe written into), never over a source;
    ``revise`` as ``write_file_atomic`` takes it."""
    from generators.writer import same_file, write_file_atomic

    target = Path(os.path.abspath(output))
    source = same_file(target, bundled.file_ids)
    if source is not None:
        raise AtlasError.at(
            "output-is-source",
            f"{output} is {source}, a file the spec is read from: writing it would replace the source",
            hint="write the output somewhere else (or to stdout, where the command offers '-o -')",
        )
    return write_file_atomic(target, pieces, revise)
