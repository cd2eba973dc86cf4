"""``build`` generates the artefacts on a second core while the checks run: the same files as a one-core build,
also when the worker dies or fails; nothing of it is used (and the worker is stopped) when the gate stops."""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import generators.pipeline as pipeline
import generators.writer as writer
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


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if ".tmp-" in p.name)


def test_the_worker_writes_the_files_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The artefacts are written by the worker into the staging folder (not sent back and written here), and
    that folder becomes the build folder only after the gate."""
    expected, out = _build(tmp_path, CLEAN, name="one")
    parent, filled_by = os.getpid(), tmp_path / "filled-by"
    real = writer.Staging.fill

    def fill(self: writer.Staging, artefacts: Any) -> list[str]:
        filled_by.write_text(str(os.getpid()))
        return real(self, artefacts)

    monkeypatch.setattr(writer.Staging, "fill", fill)
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, forked_out = _build(tmp_path, CLEAN, name="two")
    assert int(filled_by.read_text()) != parent, "the files were written here, not by the worker"
    assert [p.name for p in result.written] == [p.name for p in expected.written]
    assert _files(forked_out) == _files(out)
    (forked_out / "old.txt").write_text("kept")  # a file the build does not make stays, as on one core
    _build(tmp_path, CLEAN, name="two")
    assert (forked_out / "old.txt").read_text() == "kept" and _leftovers(tmp_path / "two") == []
    assert no_child_left()


def test_a_worker_dying_while_writing_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, out = _build(tmp_path, CLEAN, name="one")
    parent = os.getpid()
    real = writer._write_file
    written: list[str] = []

    def dying(folder: Path, artefact: Any) -> str:
        if os.getpid() != parent and written:
            os._exit(3)  # after one file: the staging folder holds part of the build
        written.append(artefact.path)
        return real(folder, artefact)

    monkeypatch.setattr(writer, "_write_file", dying)
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, dying_out = _build(tmp_path, CLEAN, name="two")
    assert [p.name for p in result.written] == [p.name for p in expected.written]
    assert _files(dying_out) == _files(out)
    assert _leftovers(tmp_path / "two") == [] and no_child_left()


def test_a_stopped_build_leaves_no_staging_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, out = _build(tmp_path, ERRORED)
    assert result.stopped and not out.exists()
    assert _leftovers(tmp_path / "api") == [] and no_child_left()


@pytest.mark.parametrize("minimum", [10**9, 0])
def test_an_unwritable_out_folder_is_the_one_core_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimum: int
) -> None:
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", minimum)
    root = make_tree(tmp_path / "api", {"openapi.yaml": CLEAN})
    (tmp_path / "api" / "build").write_text("a file where the build folder goes")
    with pytest.raises(AtlasError) as caught:
        pipeline.build(load_settings(spec=root))
    assert caught.value.diagnostics[0].code == "out-not-a-folder"
    assert _leftovers(tmp_path / "api") == [] and no_child_left()


def test_a_missing_parent_folder_is_made_only_when_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    root = make_tree(tmp_path / "api", {"openapi.yaml": ERRORED})
    settings = replace(load_settings(spec=root), out_dir=tmp_path / "api" / "site" / "build")
    assert pipeline.build(settings).stopped and not (tmp_path / "api" / "site").exists()
    (root.parent / "openapi.yaml").write_text(CLEAN)
    result = pipeline.build(replace(settings, spec=root))
    written = tmp_path / "api" / "site" / "build"
    assert not result.stopped and result.written and all(p.parent == written and p.is_file() for p in result.written)


def test_a_stopped_build_stops_what_its_worker_forked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The artefact worker forks the docs page's worker, which inherits the output folder's lock: when the gate
    stops the build, that one is stopped too (it would hold the lock, and a second build, until it ended)."""
    import generators.artefacts.docs.page as page

    started = tmp_path / "page-worker-started"
    real_shell, real_checks = page.shell, pipeline.check_bundle

    def slow_shell(*args: Any, **kwargs: Any) -> Any:
        started.touch()
        time.sleep(20)
        return real_shell(*args, **kwargs)

    def checks_once_the_page_worker_runs(*args: Any) -> Any:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real_checks(*args)

    monkeypatch.setattr(page, "shell", slow_shell)
    monkeypatch.setattr(pipeline, "check_bundle", checks_once_the_page_worker_runs)
    monkeypatch.setattr(pipeline, "MIN_PATHS_FORKED", 0)
    result, _ = _build(tmp_path, ERRORED)
    assert result.stopped and started.exists()
    folder = os.open(tmp_path / "api", os.O_RDONLY)
    try:
        deadline, free = time.monotonic() + 5, False
        while not free and time.monotonic() < deadline:
            try:
                fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                free = True
            except BlockingIOError:
                time.sleep(0.05)
    finally:
        os.close(folder)
    assert free, "a process the build forked still holds the output folder's lock"
    assert _leftovers(tmp_path / "api") == [] and no_child_left()
