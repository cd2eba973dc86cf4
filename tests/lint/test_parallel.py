"""Linting a big description on two cores gives exactly the one-core findings, also when the worker fails."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import generators.core.forking
import generators.lint.parallel
from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.core.diagnostics import Diagnostic
from generators.lint import LintConfig, fast_locators, lint_document
from generators.lint.context import LintContext
from generators.lint.registry import Rule
from generators.lint.rules import all_rules
from tests.conftest import node_package_file, shared_path
from tests.support import counting_forks


def _corpus(which: str) -> Path:
    if which == "digitalocean":
        return shared_path("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
    return node_package_file("@octokit", "openapi", "generated", "api.github.com.json")


def _lint(bundled: BundledSpec, parallel: bool) -> list[Diagnostic]:
    return lint_document(bundled.document, LintConfig(house_rules=True), *fast_locators(bundled), parallel=parallel)


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("which", ["digitalocean", "github"])
def test_two_cores_find_what_one_core_finds(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_corpus(which))
    one_core = _lint(bundled, parallel=False)
    forks = counting_forks(monkeypatch)
    assert _lint(bundled, parallel=True) == one_core
    assert forks == [1]  # the worker did run
    assert any(d.code == "no-invalid-schema-examples" for d in one_core)  # and had findings to send


@pytest.mark.external
@pytest.mark.slow
def test_a_failing_worker_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_corpus("digitalocean"))
    one_core = _lint(bundled, parallel=False)
    forks = counting_forks(monkeypatch)

    def broken_dumps(*args: object, **kwargs: object) -> bytes:
        raise MemoryError("the worker cannot send its findings")

    # patched before the fork, so the worker inherits it and dies without sending anything
    monkeypatch.setattr(generators.core.forking.pickle, "dumps", broken_dumps)
    assert _lint(bundled, parallel=True) == one_core
    assert forks == [1]


@pytest.mark.external
@pytest.mark.slow
def test_a_worker_dying_midway_leaves_only_the_rest_to_do_here(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_corpus("digitalocean"))
    one_core = _lint(bundled, parallel=False)
    sent: list[int] = []
    real_dumps = generators.core.forking.pickle.dumps

    def dumps_twice(*args: object, **kwargs: object) -> bytes:
        sent.append(1)  # in the worker: the parent never pickles here
        if len(sent) > 2:
            raise MemoryError("the worker dies after sending two rules' findings")
        return real_dumps(*args, **kwargs)  # type: ignore[arg-type]

    ran_here: list[str] = []
    real_check = generators.lint.parallel.run_check

    def recording_check(rule: Rule, ctx: LintContext) -> list[object]:
        ran_here.append(rule.id)  # in the worker too, but only this process's list is read
        return real_check(rule, ctx)  # type: ignore[return-value]

    monkeypatch.setattr(generators.core.forking.pickle, "dumps", dumps_twice)
    monkeypatch.setattr(generators.lint.parallel, "run_check", recording_check)
    assert _lint(bundled, parallel=True) == one_core
    theirs = [r.id for r in all_rules() if r.worker]
    assert [r for r in ran_here if r in theirs] == theirs[2:]  # the two it sent are not done again


@pytest.mark.external
@pytest.mark.slow
def test_the_workers_findings_are_placed_rule_by_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # each rule's findings are placed as they arrive, while the worker goes on: only the last rule's wait for
    # it to end
    bundled = bundle_spec(_corpus("github"))
    ctx = LintContext(bundled.document, LintConfig())
    rules = all_rules()
    batches: list[list[str]] = []
    found = generators.lint.parallel.findings_by_rule(ctx, rules, lambda batch: batches.append(list(batch)))
    theirs = {r.id for r in rules if r.worker}
    mine = [r.id for r in rules if not r.worker]
    assert set(found) == {r.id for r in rules}
    assert batches[0] == mine[: len(batches[0])]  # this process's own, from the start (the worker may take the end)
    sent = [rule_id for batch in batches[1:] for rule_id in batch]
    assert sorted(batches[0] + sent) == sorted(r.id for r in rules)  # each rule placed once
    assert theirs <= set(sent) and len(batches) > 2  # more than one batch from the worker


@pytest.mark.external
@pytest.mark.slow
def test_a_worker_done_first_takes_this_processs_rules_from_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = bundle_spec(_corpus("digitalocean"))
    one_core = _lint(bundled, parallel=False)
    parent, ran = os.getpid(), tmp_path / "ran"
    real_check = generators.lint.parallel.run_check

    def slow_here(rule: Rule, ctx: LintContext) -> list[object]:
        if os.getpid() == parent:
            time.sleep(0.05)  # this process is slow: the worker is done with its own rules first
        with ran.open("a") as log:
            log.write(f"{os.getpid()} {rule.id}\n")
        return real_check(rule, ctx)  # type: ignore[return-value]

    monkeypatch.setattr(generators.lint.parallel, "run_check", slow_here)
    assert _lint(bundled, parallel=True) == one_core
    by_worker = [line.split()[1] for line in ran.read_text().splitlines() if int(line.split()[0]) != parent]
    mine = [r.id for r in all_rules() if not r.worker]
    taken = [rule_id for rule_id in by_worker if rule_id in mine]
    assert taken and taken == mine[::-1][: len(taken)], "the worker took none of this process's rules, from the end"


@pytest.mark.external
@pytest.mark.slow
def test_no_fork_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_corpus("digitalocean"))
    one_core = _lint(bundled, parallel=False)

    def no_fork() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _lint(bundled, parallel=True) == one_core
