"""Findings are placed at their source lines in bulk: each batch of findings indexes the JSON source once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document
from generators.source.locate import SourceLocator


def _spec(tmp_path: Path) -> Path:
    paths = {
        f"/p{i}/{{id}}": {
            "get": {"tags": ["t"], "responses": {"200": {"description": "ok"}}},  # no security, no 4xx, no id param
            "x-a": {"b": [{"c": i}]},
        }
        for i in range(6)
    }
    document = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_every_finding_is_prepared_before_it_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared: set[tuple[Path, tuple[str, ...]]] = set()
    located: list[tuple[Path, tuple[str, ...]]] = []
    real_prepare, real_locate = SourceLocator.prepare, SourceLocator.locate

    def prepare(self: SourceLocator, file: Path, requests: list[tuple[str, ...]]) -> None:
        prepared.update((file, tuple(r)) for r in requests)
        real_prepare(self, file, requests)

    def locate(self: SourceLocator, file: Path, segments: Any) -> Any:
        located.append((file, tuple(segments)))
        return real_locate(self, file, segments)

    monkeypatch.setattr(SourceLocator, "prepare", prepare)
    monkeypatch.setattr(SourceLocator, "locate", locate)
    bundled = bundle_spec(_spec(tmp_path))
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    assert len(found) >= 12 and located
    assert set(located) <= prepared


def test_prepared_places_are_the_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundle_spec(_spec(tmp_path))
    prepared = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    monkeypatch.setattr(SourceLocator, "prepare", lambda *_: None)
    bundled = bundle_spec(_spec(tmp_path))
    one_by_one = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    assert prepared == one_by_one
    assert len({(d.location.line, d.location.col) for d in prepared if d.location}) >= 12


def test_a_locator_that_cannot_prepare_still_places_every_finding(tmp_path: Path) -> None:
    bundled = bundle_spec(_spec(tmp_path))
    expected = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)

    class OneByOne:  # a stand-in with ``locate`` only
        def __init__(self, real: SourceLocator) -> None:
            self.locate = real.locate

    bundled = bundle_spec(_spec(tmp_path))
    bundled.locator = OneByOne(bundled.locator)  # type: ignore[assignment]
    assert lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False) == expected
