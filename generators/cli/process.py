"""Process policy of a console run: the cyclic collector off, a deep recursion limit, and a fast exit.

A one-shot command builds one big tree of long-lived containers and makes little cyclic garbage: the cyclic
collector would only rescan that tree (25 ms of a 0.4 s bundle; 0.2 s of a build of GitHub's description, with
the same peak memory without it). Freeing a big spec's million objects and the interpreter's final collection
took 50 ms of a half-second bundle, and nothing is left to clean up at the end (files are written and closed),
so the process ends with ``os._exit`` once its output streams are flushed. In-process callers (tests, click's
runner) are not affected: only ``run_console`` sets any of this.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from generators.core.diagnostics import AtlasError, ExitCode
from generators.core.escape import for_terminal
from generators.core.report import render

F = TypeVar("F", bound=Callable[..., Any])

# Set by run_console(): objects kept here are never freed (the process ends with os._exit).
_survivors: list[Any] | None = None


def run_console(command: Callable[[], object]) -> None:
    """Run ``command`` (a click group's ``main``) as the whole process, then end it without tearing it down."""
    global _survivors
    _survivors = []
    gc.disable()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    try:
        command()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage tool writes its report at a normal exit
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def long_running() -> None:
    """A command that runs for long (``serve``) turns the cyclic collector back on."""
    gc.enable()


def keep_until_exit(*objects: Any) -> None:
    """Let a console run end without freeing ``objects``; in-process callers (tests) keep nothing."""
    if _survivors is not None:
        _survivors.extend(objects)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def fail_safely(passthrough: tuple[type[BaseException], ...]) -> Callable[[F], F]:
    """A command decorator: input errors exit 2 with their diagnostics; no traceback ever reaches the user.

    ``passthrough``: exceptions the command-line framework reports itself (click's exit and usage errors).
    """

    reraise: tuple[type[BaseException], ...] = (*passthrough, SystemExit, KeyboardInterrupt)

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except AtlasError as exc:
                sys.stderr.write(render(exc.diagnostics, "text"))
                sys.exit(ExitCode.USAGE)
            except BrokenPipeError:  # the reader of our output went away (`| head`): stop quietly
                with contextlib.suppress(OSError):
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(ExitCode.OK)
            except RecursionError:
                _error("error: the input is nested too deeply to process")
            except OSError as exc:  # a full disk, a permission, a closed stream: the machine's answer, not a bug
                where = f"{exc.filename}: " if exc.filename else ""
                _error(f"error: {where}{exc.strerror or exc}")
            except reraise:
                raise
            except Exception as exc:  # the last line of defence: no traceback ever reaches a user
                if os.environ.get("ATLAS_SPEC_DEBUG"):
                    raise
                _error(
                    f"internal error: {type(exc).__name__}: {exc}\n"
                    "this is a bug in atlas-spec; rerun with ATLAS_SPEC_DEBUG=1 and report it"
                )

        return wrapper  # type: ignore[return-value]

    return decorate


def _error(message: str) -> None:
    """``message`` on stderr, each line safe for a terminal, and exit 2."""
    sys.stderr.write("".join(for_terminal(line) + "\n" for line in message.split("\n")))
    sys.exit(ExitCode.USAGE)
