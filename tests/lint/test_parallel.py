"""Linting a big description on two cores gives exactly the one-core findings, also when the worker fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generators.core.forking
from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.core.diagnostics import Diagnostic
from generators.core.settings import load_settings
from generators.lint import LintConfig, fast_locators, lint_bundle, lint_document
from generators.validate import structural
from tests.conftest import node_package_file, shared_path
from tests.support import HEAD, OK_PATHS, counting_forks, make_tree


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
def test_no_fork_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_corpus("digitalocean"))
    one_core = _lint(bundled, parallel=False)

    def no_fork() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _lint(bundled, parallel=True) == one_core


def _lint_bundle_pids(bundled: BundledSpec, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Diagnostic], list[int]]:
    """``lint_bundle``'s findings, and the process each structural check ran in."""
    checked_in: list[int] = []
    real = structural.validate_bundle

    def validate(spec: BundledSpec, fast: bool = True) -> list[Diagnostic]:
        checked_in.append(os.getpid())
        if os.getpid() != parent:
            os.write(reply, str(os.getpid()).encode())  # the worker tells which process it is
        return real(spec, fast)

    parent = os.getpid()
    read_end, reply = os.pipe()
    monkeypatch.setattr(structural, "validate_bundle", validate)
    try:
        found = lint_bundle(bundled, load_settings(spec=bundled.root_file))
    finally:
        os.close(reply)
        told = os.read(read_end, 100)
        os.close(read_end)
    return found, checked_in + ([int(told)] if told else [])


@pytest.mark.external
@pytest.mark.slow
def test_the_structural_check_runs_here_while_the_rules_worker_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # three processes on two cores: the check's own worker cost GitHub's lint 40 ms of copies on write
    bundled = bundle_spec(_corpus("github"))
    expected = lint_bundle(bundled, load_settings(spec=bundled.root_file))
    forks = counting_forks(monkeypatch)
    found, checked_in = _lint_bundle_pids(bundled, monkeypatch)
    assert found == expected
    assert forks == [1]  # the example rules' worker only
    assert checked_in == [os.getpid()]


def test_without_a_rules_worker_the_structural_check_has_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = bundle_spec(make_tree(tmp_path, {"openapi.yaml": HEAD + OK_PATHS}))
    expected = lint_bundle(bundled, load_settings(spec=bundled.root_file))
    forks = counting_forks(monkeypatch)
    found, checked_in = _lint_bundle_pids(bundled, monkeypatch)
    assert found == expected
    assert forks == [1]
    assert len(checked_in) == 1 and checked_in[0] != os.getpid()
