"""``build`` generates the artefacts on a second core while the checks run: the same files as a one-core build,
also when the worker dies or fails; nothing of it is used (and the worker is stopped) when the gate stops."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

import generators.pipeline as pipeline
from generators.core.diagnostics import AtlasError
from generators.core.settings import load_settings
from tests.support import HEAD, OK_PATHS, make_tree, no_child_left

CLEAN = HEAD + OK_PATHS + "        '404': {description: no}\n"
ERRORED = CLEAN.replace("https://api.test", "api.test")  # server-url-valid: an error, the gate stops


def _build(tmp_path: Path, source: str, name: str = "api") -> tuple[pipeline.BuildResult, Path]:
    root = make_tree(tmp_path / name, {"openapi.yaml": source})
    settings = load_settings(spec=root)
    return pipeline.build(settings), settings.out_dir


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture
def generated_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes that ran ``generate_artefacts`` and returned (only this one's are seen here)."""
    ran: list[int] = []
    real = pipeline.generate_artefacts

    def generate(*args: Any) -> Any:
        result = real(*args)
        ran.append(os.getpid())
        return result

    monkeypatch.setattr(pipeline, "generate_artefacts", generate)
    return ran


def test_the_workers_files_are_the_one_core_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated_here: list[int]
) -> None:
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 10**9)
    expected, out = _build(tmp_path, CLEAN, name="one")
    assert generated_here == [os.getpid()] and not expected.stopped
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, forked_out = _build(tmp_path, CLEAN, name="two")
    assert generated_here == [os.getpid()], "the worker's artefacts were not used"
    assert [p.name for p in result.written] == [p.name for p in expected.written]
    assert _files(forked_out) == _files(out)
    assert no_child_left()


def test_a_dying_worker_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated_here: list[int]
) -> None:
    expected, out = _build(tmp_path, CLEAN, name="one")
    parent = os.getpid()
    real = pipeline.generate_artefacts

    def dying(*args: Any) -> Any:
        if os.getpid() != parent:
            os._exit(3)
        return real(*args)

    monkeypatch.setattr(pipeline, "generate_artefacts", dying)
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, dying_out = _build(tmp_path, CLEAN, name="two")
    assert [p.name for p in result.written] == [p.name for p in expected.written]
    assert _files(dying_out) == _files(out)
    assert no_child_left()


def test_an_error_while_generating_is_the_one_core_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors = []
    for name, minimum in (("one", 10**9), ("two", 0)):
        monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", minimum)
        (tmp_path / name / "CHANGELOG.md").mkdir(parents=True)  # unreadable release notes
        with pytest.raises(AtlasError) as caught:
            _build(tmp_path, CLEAN, name=name)
        errors.append((caught.value.diagnostics[0].code, str(caught.value).replace(f"/{name}/", "/")))
        assert not (tmp_path / name / "build").exists()
    assert errors[0] == errors[1] and errors[0][0] == "changelog-read"
    assert no_child_left()


def test_the_gate_stops_the_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = pipeline.generate_artefacts

    started = tmp_path / "worker-started"

    def endless(*args: Any) -> Any:
        if os.getpid() != parent:
            started.touch()
            while True:
                time.sleep(1)
        return real(*args)

    monkeypatch.setattr(pipeline, "generate_artefacts", endless)
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, out = _build(tmp_path, ERRORED)
    assert result.stopped and not out.exists()
    assert started.exists(), "no worker was started"
    assert no_child_left(), "the worker of a stopped build was left running"


def test_small_descriptions_are_generated_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated_here: list[int]
) -> None:
    started: list[object] = []
    monkeypatch.setattr(pipeline, "start", lambda work: started.append(work))  # the pipeline's own worker only
    monkeypatch.setattr(pipeline, "check_bundle", lambda bundled, settings: pipeline.Checked())
    _build(tmp_path, CLEAN)
    assert started == [] and generated_here == [os.getpid()]
