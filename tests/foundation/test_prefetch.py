"""Prefetching files on two cores is only a cache: same bundle, same errors, unreferenced junk ignored."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import generators.bundle.refs as refs
import generators.core.forking as forking
from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError
from generators.core.jsonout import dump_json
from generators.source import prefetch
from tests.support import HEAD, make_tree, no_child_left


def many_files(root: Path, broken_referenced: bool = False) -> Path:
    refs = "".join(f"        p{n}: {{$ref: './schemas/S{n}.yaml'}}\n" for n in range(80))
    files = {
        "openapi.yaml": HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema:\n"
        "                type: object\n                properties:\n" + refs.replace("        ", "                  "),
        "junk/dup.yaml": "a: 1\na: 2\n",  # never referenced: must not matter
        "junk/bomb.yaml": "a: &a [x, x]\nb: &b [*a, *a]\n",
    }
    for n in range(80):
        files[f"schemas/S{n}.yaml"] = f"type: string\nexample: s{n}\n"
    if broken_referenced:
        files["schemas/S7.yaml"] = "type: string\ntype: integer\n"
    return make_tree(root, files)


def test_prefetched_bundle_equals_the_sequential_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    parallel = dump_json(bundle_spec(root).document)
    monkeypatch.setattr(prefetch, "MIN_FILES", 10**9)
    assert dump_json(bundle_spec(root).document) == parallel
    assert "S79" in parallel


def test_a_broken_referenced_file_is_reported_as_without_prefetch(tmp_path: Path) -> None:
    root = many_files(tmp_path, broken_referenced=True)
    with pytest.raises(AtlasError) as caught:
        bundle_spec(root)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "yaml-duplicate-key"
    assert diagnostic.location is not None and diagnostic.location.file.endswith("S7.yaml")
    assert diagnostic.location.line == 2


def _loads_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files this process (not a worker) parses through the resolver."""
    parent = os.getpid()
    loaded: list[str] = []
    real = refs.load_file

    def load_file(path: Path) -> Any:
        if os.getpid() == parent:
            loaded.append(path.name)
        return real(path)

    monkeypatch.setattr(refs, "load_file", load_file)
    return loaded


def _worker_finishes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk starts only once the worker has sent everything and ended (a deterministic meeting point)."""
    real = prefetch.prefetch

    def waiting(roots: tuple[Path, ...], skip: set[str]) -> prefetch.Prefetch:
        ahead = real(roots, skip)
        assert ahead.worker is not None
        os.waitpid(ahead.worker.pid, 0)  # small files: everything fits in the pipe, the worker ends
        return ahead

    monkeypatch.setattr(prefetch, "prefetch", waiting)


def test_the_walk_takes_the_workers_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    expected = dump_json(bundle_spec(root).document)
    loaded = _loads_here(monkeypatch)
    _worker_finishes_first(monkeypatch)
    assert dump_json(bundle_spec(root).document) == expected
    assert loaded == [], "the bundler parsed files the worker had sent"
    assert no_child_left()


def test_without_a_worker_every_file_is_loaded_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    expected = dump_json(bundle_spec(root).document)
    loaded = _loads_here(monkeypatch)
    monkeypatch.setattr(prefetch, "stream", lambda work: None)
    assert dump_json(bundle_spec(root).document) == expected
    assert sorted(loaded) == sorted(f"S{n}.yaml" for n in range(80))


@pytest.mark.parametrize("failure", ["dies", "garbles"])
def test_a_failing_worker_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    root = many_files(tmp_path)
    expected = dump_json(bundle_spec(root).document)
    loaded = _loads_here(monkeypatch)
    real_load_all = prefetch._load_all

    def failing(files: list[str], send: Callable[[prefetch.Batch], None]) -> None:
        if failure == "dies":
            real_load_all(files[:10], send)
            os._exit(1)
        real_load_all(files, send)  # through a garbled pipe (below)

    monkeypatch.setattr(prefetch, "_load_all", failing)
    if failure == "garbles":
        monkeypatch.setattr(forking, "_write_all", lambda fd, data: forking.os.write(fd, b"\x08" + data))
    _worker_finishes_first(monkeypatch)
    assert dump_json(bundle_spec(root).document) == expected
    assert len(loaded) >= 70  # what the worker sent before failing may be used; the rest is parsed here
    assert no_child_left()


def test_a_worker_still_parsing_is_stopped_when_the_walk_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    started = tmp_path / "worker-started"

    def endless(files: list[str], send: Callable[[prefetch.Batch], None]) -> None:
        started.touch()
        while True:
            time.sleep(1)

    monkeypatch.setattr(prefetch, "_load_all", endless)
    bundle_spec(root)
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert no_child_left(), "the worker outlived the bundle"


def test_the_worker_starts_from_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk meets files roughly in sorted order from the start: the worker takes them from the end."""
    root = many_files(tmp_path)
    seen = tmp_path / "order"

    def record(files: list[str], send: Callable[[prefetch.Batch], None]) -> None:
        seen.write_text("\n".join(Path(f).name for f in files))

    monkeypatch.setattr(prefetch, "_load_all", record)
    _worker_finishes_first(monkeypatch)
    bundle_spec(root)
    order = seen.read_text().splitlines()
    assert order[0] == "S9.yaml" and order[-1] == "bomb.yaml" and len(order) == 82


def test_stream_frames_arrive_whole_and_in_order() -> None:
    items = [{"n": n, "text": "x" * (n * 997 % 70_000)} for n in range(200)]

    def work(send: Callable[[dict[str, Any]], None]) -> None:
        for item in items:
            send(item)

    worker = forking.stream(work)
    assert worker is not None
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while worker.reader >= 0 and time.monotonic() < deadline:
        got += worker.poll()
        time.sleep(0.001)
    assert got == items
    assert no_child_left()
