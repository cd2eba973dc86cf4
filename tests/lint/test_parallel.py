"""Linting a big description on two cores gives exactly the one-core findings, also when the worker fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generators.core.forking
from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.core.diagnostics import Diagnostic
from generators.lint import LintConfig, fast_locators, lint_document
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
def test_no_fork_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_corpus("digitalocean"))
    one_core = _lint(bundled, parallel=False)

    def no_fork() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _lint(bundled, parallel=True) == one_core
