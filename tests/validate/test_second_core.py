"""The structural check on a second core (``Validation``) gives exactly the in-process findings, also when the
worker dies or cannot start; ``build`` still refuses an invalid document that was linted meanwhile."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import generators.core.forking
import generators.lint
import generators.validate.structural as structural
from generators.bundle.bundler import BundledSpec, bundle_spec
from generators.core.diagnostics import Diagnostic
from generators.core.settings import load_settings
from generators.pipeline import check_bundle
from generators.validate.structural import Validation, validate_bundle
from tests.support import cli, counting_forks, make_tree

# an unknown field (struct), a default its schema rejects (oas-default-invalid) and a valid default
SPEC = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      summery: Get A
      parameters:
        - {name: n, in: query, schema: {type: integer, default: 'ten'}}
        - {name: m, in: query, schema: {type: string, default: ok}}
      responses:
        '200': {description: ok}
"""


@pytest.fixture
def bundled(tmp_path: Path) -> BundledSpec:
    return bundle_spec(make_tree(tmp_path, {"openapi.yaml": SPEC}))


def test_the_worker_finds_what_this_process_finds(bundled: BundledSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = validate_bundle(bundled)
    assert {d.code for d in expected} == {"struct", "oas-default-invalid"}
    forks = counting_forks(monkeypatch)
    with Validation(bundled) as validation:
        assert not validation.done
        assert validation.result() == expected
    assert forks == [1]


def test_a_dying_worker_changes_nothing(bundled: BundledSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = validate_bundle(bundled)
    forks = counting_forks(monkeypatch)
    checked_here: list[int] = []
    real_validate = structural.validate_bundle

    def broken_dumps(*args: object, **kwargs: object) -> bytes:
        raise MemoryError("the worker cannot send its findings")

    def validate_here(spec: BundledSpec, fast: bool = True) -> list[Diagnostic]:
        checked_here.append(os.getpid())
        return real_validate(spec, fast)

    # patched before the fork, so the worker inherits it and dies without sending anything
    monkeypatch.setattr(generators.core.forking.pickle, "dumps", broken_dumps)
    monkeypatch.setattr(structural, "validate_bundle", validate_here)
    with Validation(bundled) as validation:
        assert validation.result() == expected
    assert forks == [1]
    assert os.getpid() in checked_here  # the worker failed: this process did the check


def test_no_fork_checks_at_once(bundled: BundledSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = validate_bundle(bundled)

    def no_fork() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", no_fork)
    validation = Validation(bundled)
    assert validation.done
    assert validation.result() == expected


def test_build_refuses_an_invalid_document_whatever_lint_does(
    bundled: BundledSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(spec=tmp_path / "openapi.yaml")
    checked = check_bundle(bundled, settings)
    assert checked.invalid
    assert checked.lint == []  # an invalid document is reported in structural terms only, as on one core

    def crashing_lint(*args: object, **kwargs: object) -> list[Diagnostic]:
        raise RuntimeError("a rule met a shape it cannot read")

    monkeypatch.setattr(generators.lint, "lint_bundle", crashing_lint)
    assert check_bundle(bundled, settings) == checked  # linted meanwhile on an invalid document: not reported
    valid = bundle_spec(make_tree(tmp_path / "valid", {"openapi.yaml": SPEC.replace("summery", "summary")}))
    with pytest.raises(RuntimeError):
        check_bundle(valid, settings)  # on a valid document a failing lint is not hidden


def test_example_patterns_are_ecma_262_in_any_process(tmp_path: Path) -> None:
    """``\\p{L}`` is ECMA-262 but not Python: an example of ``format: regex`` is judged as the validator judges it,
    whichever process imports the example checker first (here the structural check runs in a worker)."""
    parameter = "- {name: m, in: query, example: '\\p{L}+', schema: {type: string, format: regex}}"
    spec = SPEC.replace("summery", "summary").replace(
        "- {name: m, in: query, schema: {type: string, default: ok}}", parameter
    )
    make_tree(tmp_path, {"openapi.yaml": spec.replace("default: 'ten'", "default: 10")})
    result = cli("lint", "--spec", "openapi.yaml", "--format", "json", cwd=tmp_path)
    assert '"code"' in result.stdout  # it did lint (no servers, no contact...)
    assert "struct" not in result.stdout
    assert "no-invalid-parameter-examples" not in result.stdout, result.stdout


def test_an_unread_worker_is_stopped_not_waited_for(bundled: BundledSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while linting leaves the structural findings unread: closing must not wait for them."""
    children: list[int] = []
    real_fork: Callable[[], int] = os.fork

    def fork() -> int:
        pid = real_fork()
        children.append(pid)
        return pid

    def forever(spec: BundledSpec, fast: bool = True) -> list[Diagnostic]:
        while True:
            time.sleep(1)

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(structural, "validate_bundle", forever)  # inherited by the worker
    validation = Validation(bundled)
    closing = threading.Thread(target=validation.close, daemon=True)
    try:
        closing.start()
        closing.join(timeout=60)  # a hang guard, not a time limit: without the stop, close() never returns
        assert not closing.is_alive()
    finally:
        with contextlib.suppress(OSError):
            os.kill(children[0], signal.SIGKILL)  # when the test fails, leave no worker behind
