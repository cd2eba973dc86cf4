"""Lint on two cores: a forked worker runs the example (and enum) rules while this process runs the others.

Validating thousands of examples is the largest single part of linting a big description (GitHub's: 0.17 s
of 0.55 s), and it is independent of the other rules and of placing findings at their source lines (reading
and indexing a 13 MB source file). The indexes both sides use are built first, so the worker inherits them;
the index of every schema only the worker needs, so it builds that itself. A worker done with its own rules
takes this process's from the end of the list while this process works from the start (Microsoft Graph beta:
the worker was done 1.3 s before this process), the two meeting on a board in shared memory. The worker is
only a helper: when it cannot be started or dies, or anything goes wrong in it, this process runs its rules
itself, so findings and errors are exactly what a one-core run gives.
"""

from __future__ import annotations

import mmap
import select
from collections.abc import Callable

from generators.core.forking import Stream, can_fork, stream
from generators.lint.context import LintContext
from generators.lint.registry import Finding, Rule

MIN_ITEMS = 500  # paths and components: below this a fork costs more than it saves (DigitalOcean has 1,899)

Found = dict[str, list[Finding]]


def findings_by_rule(
    ctx: LintContext, rules: list[Rule], meanwhile: Callable[[Found], None], parallel: bool = True
) -> Found:
    """Each rule's findings in the order it yields them; ``meanwhile(found)`` sees this process's own first,
    then each of the worker's rules' as it arrives.

    ``meanwhile`` runs while the worker (if any) is still busy: the caller places those findings then (the
    worker sends each rule's findings when that rule is done, so only the last one's are left to place after
    it ends). Rules declared with ``worker=True`` are the worker's share; it may take some of the others too.
    """
    theirs = {r.id: r for r in rules if r.worker}
    mine = [r for r in rules if not r.worker]
    board = _Board(len(mine))
    worker = _start(ctx, list(theirs.values()), mine, board) if parallel and theirs and _worthwhile(ctx) else None
    try:
        found: Found = {}
        for index, r in enumerate(mine):
            if worker is not None and not board.here_takes(index):
                break  # the worker took this one and those after it
            found[r.id] = run_check(r, ctx)
        meanwhile(found)
        waiting = {**theirs, **{r.id: r for r in mine if r.id not in found}}
        if worker is not None:
            while waiting and worker.reader >= 0:  # until every rule arrived, or the worker ended (or died)
                select.select([worker.reader], [], [])
                arrived = {rule_id: f for rule_id, f in worker.poll() if waiting.pop(rule_id, None) is not None}
                found.update(arrived)
                meanwhile(arrived)
        # what the worker did not send (it failed, or neither side took a rule): done here
        rest = {rule_id: run_check(r, ctx) for rule_id, r in waiting.items()}
        found.update(rest)
        meanwhile(rest)
    finally:
        if worker is not None:
            worker.cancel()
    return found


def run_check(rule: Rule, ctx: LintContext) -> list[Finding]:
    """``rule``'s findings; a rule that fails on some shape of input gives a finding saying so, not a crash.

    Rules are written for valid descriptions and skip what they do not understand; one that still meets a
    shape it cannot evaluate (the structural findings name what is malformed) must not end the lint run.
    """
    found: list[Finding] = []
    try:
        found.extend(rule.check(ctx))
    except Exception as exc:  # noqa: BLE001 - see above; the findings made before the failure are kept
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:120]
        found.append(
            Finding(
                "",
                f"rule '{rule.id}' could not evaluate this description ({reason})",
                "fix the 'struct' findings first; if there are none, please report this",
            )
        )
    return found


def _worthwhile(ctx: LintContext) -> bool:
    if not can_fork():
        return False
    paths, components = ctx.document.get("paths"), ctx.document.get("components")
    items = len(paths) if isinstance(paths, dict) else 0
    if isinstance(components, dict):
        items += sum(len(kind) for kind in components.values() if isinstance(kind, dict))
    return items >= MIN_ITEMS


def _start(
    ctx: LintContext, rules: list[Rule], shared: list[Rule], board: _Board
) -> Stream[tuple[str, list[Finding]]] | None:
    # the indexes both sides' rules use are built before the fork, so both processes have them
    for index in ("operations", "parameters", "headers", "media_types"):
        getattr(ctx, index)

    def work(send: Callable[[tuple[str, list[Finding]]], None]) -> None:
        for r in rules:
            send((r.id, run_check(r, ctx)))
        for index in reversed(range(len(shared))):  # then this process's, from the end, while it has not
            if not board.worker_takes(index):
                return
            send((shared[index].id, run_check(shared[index], ctx)))

    return stream(work, queued=True)  # this process reads only once its own rules are done


class _Board:
    """Memory both processes share: how far this process got in its rules from the start (the next index),
    and how far the worker got from the end (the lowest index it took).

    Each side writes its claim, then reads the other's: both may run the rule where they meet (this process
    then keeps its own findings), or both may leave it (this process then runs it once the worker ended).
    """

    def __init__(self, count: int) -> None:
        self.memory = mmap.mmap(-1, 16)  # anonymous and shared: the fork sees the same page
        self._write(0, 0)
        self._write(8, count)

    def here_takes(self, index: int) -> bool:
        self._write(0, index + 1)
        return self._read(8) > index

    def worker_takes(self, index: int) -> bool:
        self._write(8, index)
        return self._read(0) <= index

    def _write(self, at: int, value: int) -> None:
        self.memory[at : at + 8] = value.to_bytes(8, "little")

    def _read(self, at: int) -> int:
        return int.from_bytes(self.memory[at : at + 8], "little")
