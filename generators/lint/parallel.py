"""Lint on two cores: a forked worker runs the example (and enum) rules while this process runs the others.

Validating thousands of examples is the largest single part of linting a big description (GitHub's: 0.17 s
of 0.55 s), and it is independent of the other rules and of placing findings at their source lines (reading
and indexing a 13 MB source file). The indexes both sides use are built first, so the worker inherits them;
the index of every schema only the worker needs, so it builds that itself. The worker is only a helper: when
it cannot be started or dies, or anything goes wrong in it, this process runs its rules itself, so findings
and errors are exactly what a one-core run gives.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Callable

from generators.lint.context import LintContext
from generators.lint.engine import Finding, Rule

WORKER_RULES = (
    "no-invalid-media-type-examples",
    "no-invalid-parameter-examples",
    "no-invalid-schema-examples",
    "no-duplicate-enum-values",  # the enum rules also visit every schema: the worker's index of them
    "no-enum-type-mismatch",
)
MIN_ITEMS = 500  # paths and components: below this a fork costs more than it saves (DigitalOcean has 1,899)

Found = dict[str, list[Finding]]


def findings_by_rule(
    ctx: LintContext, rules: list[Rule], meanwhile: Callable[[Found], None], parallel: bool = True
) -> Found:
    """Each rule's findings in the order it yields them; ``meanwhile(found)`` sees this process's own first.

    ``meanwhile`` runs while the worker (if any) is still busy: the caller places those findings then.
    """
    theirs = [r for r in rules if r.id in WORKER_RULES]
    worker = _start(ctx, theirs) if parallel and theirs and _worthwhile(ctx) else None
    try:
        found = {r.id: list(r.check(ctx)) for r in rules if worker is None or r.id not in WORKER_RULES}
        meanwhile(found)
        if worker is not None:
            from_worker = worker.result()
            if from_worker is None:  # it failed: do its share here, with whatever error that brings
                from_worker = {r.id: list(r.check(ctx)) for r in theirs}
            found.update(from_worker)
            meanwhile(from_worker)
    finally:
        if worker is not None:
            worker.close()
    return found


def _worthwhile(ctx: LintContext) -> bool:
    # a fork from a threaded process (a server) could copy a lock some other thread holds
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    paths, components = ctx.document.get("paths"), ctx.document.get("components")
    items = len(paths) if isinstance(paths, dict) else 0
    if isinstance(components, dict):
        items += sum(len(kind) for kind in components.values() if isinstance(kind, dict))
    return items >= MIN_ITEMS


class _Worker:
    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader

    def result(self) -> Found | None:
        with os.fdopen(self.reader, "rb") as stream:
            self.reader = -1
            with contextlib.suppress(EOFError, pickle.UnpicklingError, OSError, ValueError):
                found = pickle.load(stream)
                if isinstance(found, dict):
                    return found
        return None

    def close(self) -> None:
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _start(ctx: LintContext, rules: list[Rule]) -> _Worker | None:
    # the indexes both sides' rules use are built before the fork, so both processes have them
    for index in ("operations", "parameters", "headers", "media_types"):
        getattr(ctx, index)
    try:
        reader, writer = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the worker: check, send, and leave without running any of the parent's cleanup
        os.close(reader)
        try:
            payload = pickle.dumps({r.id: list(r.check(ctx)) for r in rules}, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
        finally:
            os._exit(0)
    os.close(writer)
    return _Worker(pid, reader)
