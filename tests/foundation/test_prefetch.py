"""Prefetching files on two cores is only a cache: same bundle, same errors, unreferenced junk ignored."""

from __future__ import annotations

import os
import sys
import threading
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
    real = refs.load_referenced

    def load_referenced(raw: bytes, name: str) -> Any:
        if os.getpid() == parent:
            loaded.append(Path(name).name)
        return real(raw, name)

    monkeypatch.setattr(refs, "load_referenced", load_referenced)
    return loaded


def _worker_finishes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk starts only once the worker has sent everything and ended (a deterministic meeting point)."""
    real = prefetch.prefetch

    def waiting(*args: Any) -> prefetch.Prefetch:
        ahead = real(*args)
        assert ahead.worker is not None
        os.waitpid(ahead.worker.pid, 0)  # small files: everything fits in the pipe, the worker ends
        return ahead

    monkeypatch.setattr(prefetch, "prefetch", waiting)


# the worker's way: the root first (count 1), then S0, S1, ... in the order the root refers to them; every
# WALK_SHARE-th file on that way is the walk's to parse
WALKS_SHARE = [f"S{n}.yaml" for n in range(80) if (n + 2) % prefetch.WALK_SHARE == 0]


def test_the_walk_takes_the_workers_files_and_parses_its_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    expected = dump_json(bundle_spec(root).document)
    loaded = _loads_here(monkeypatch)
    _worker_finishes_first(monkeypatch)
    assert dump_json(bundle_spec(root).document) == expected
    assert loaded == WALKS_SHARE, "the bundler parsed files the worker had sent, or the worker took its share"
    assert no_child_left()


def test_json_files_are_all_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON parses faster than the walk goes: the worker keeps ahead alone, the walk leaves it every file."""
    root = many_files(tmp_path)
    for n in range(80):
        (root.parent / "schemas" / f"S{n}.yaml").rename(root.parent / "schemas" / f"S{n}.json")
    root.write_text(root.read_text().replace(".yaml'", ".json'"))
    loaded = _loads_here(monkeypatch)
    _worker_finishes_first(monkeypatch)
    assert "S79" in dump_json(bundle_spec(root).document)
    assert loaded == []


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
    real_load = prefetch.load_in_order

    def failing(start: str, skip: set[str], follow: Any, board: Any, send: Callable[[prefetch.Batch], None]) -> None:
        sent = [0]

        def send_some(batch: prefetch.Batch) -> None:
            if failure == "dies" and sent[0] == 10:
                os._exit(1)
            sent[0] += 1
            send(batch)

        real_load(start, skip, follow, board, send_some)  # through a garbled pipe (below) when it garbles

    monkeypatch.setattr(prefetch, "load_in_order", failing)
    if failure == "garbles":
        monkeypatch.setattr(forking, "_write_all", lambda fd, data: forking.os.write(fd, b"\x08" + data))
    _worker_finishes_first(monkeypatch)
    assert dump_json(bundle_spec(root).document) == expected
    assert len(loaded) >= 70  # what the worker sent before failing may be used; the rest is parsed here
    assert no_child_left()


def test_a_worker_still_parsing_is_stopped_when_the_walk_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    started = tmp_path / "worker-started"

    def endless(*args: Any) -> None:
        started.touch()
        while True:
            time.sleep(1)

    monkeypatch.setattr(prefetch, "load_in_order", endless)
    bundle_spec(root)
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert no_child_left(), "the worker outlived the bundle"


def test_the_worker_reads_what_the_refs_lead_to_in_the_walks_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Depth first from the root, each file's refs in the order written; never a file nothing refers to."""
    root = many_files(tmp_path)
    (root.parent / "schemas" / "S3.yaml").write_text("type: object\nproperties:\n  deep: {$ref: '../deep/D.yaml'}\n")
    make_tree(root.parent / "deep", {"D.yaml": "type: string\n"})
    seen = tmp_path / "order"
    real_read = prefetch.read_source

    def recording(path: str) -> bytes:
        with open(seen, "a") as log:
            log.write(Path(path).name + "\n")
        return real_read(path)

    monkeypatch.setattr(prefetch, "read_source", recording)
    _worker_finishes_first(monkeypatch)
    bundle_spec(root)
    order = seen.read_text().splitlines()
    assert order[:7] == ["openapi.yaml", "S0.yaml", "S1.yaml", "S2.yaml", "S3.yaml", "D.yaml", "S4.yaml"]
    assert sorted(order) == sorted(["openapi.yaml", "D.yaml", *(f"S{n}.yaml" for n in range(80))])


@pytest.mark.parametrize("content", ["valid", "broken"])
def test_the_walk_waits_for_the_file_the_worker_is_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    """Not parsed twice: taken from the worker once it is sent; parsed here (and its error said) if it fails."""
    root = many_files(tmp_path, broken_referenced=content == "broken")
    slow = "S7.yaml" if content == "broken" else "S0.yaml"
    real_load = prefetch.load_referenced

    def slow_load(raw: bytes, name: str) -> Any:
        if name.endswith(slow):
            time.sleep(0.5)
        return real_load(raw, name)

    monkeypatch.setattr(prefetch, "load_referenced", slow_load)
    real_prefetch = prefetch.prefetch

    def once_at_it(*args: Any) -> prefetch.Prefetch:
        ahead = real_prefetch(*args)
        assert ahead.board is not None
        deadline = time.monotonic() + 10
        while ahead.board.current != hash(str(root.parent / "schemas" / slow)) and time.monotonic() < deadline:
            time.sleep(0.001)
        return ahead

    monkeypatch.setattr(prefetch, "prefetch", once_at_it)
    loaded = _loads_here(monkeypatch)
    if content == "valid":
        assert "S0" in dump_json(bundle_spec(root).document)
        assert slow not in loaded
    else:
        with pytest.raises(AtlasError) as caught:
            bundle_spec(root)
        assert caught.value.diagnostics[0].code == "yaml-duplicate-key"
        assert loaded[-1] == slow  # parsed here after the worker failed, for the error at its line
    assert no_child_left()


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


@pytest.mark.parametrize("queued", [False, True])
def test_a_queued_stream_works_on_while_nobody_reads(tmp_path: Path, queued: bool) -> None:
    """With ``queued``, the child's work is not held up by a reader that has not read yet (a full pipe would
    stop it: lint's worker sat 0.64 s in one send); what it sent still arrives whole and in order."""
    items = [{"n": n, "text": "x" * 100_000} for n in range(40)]  # 4 MB: more than the pipe holds
    done = tmp_path / "done"

    def work(send: Callable[[dict[str, Any]], None]) -> None:
        for item in items:
            send(item)
        done.touch()

    worker = forking.stream(work, queued=queued)
    assert worker is not None
    deadline = time.monotonic() + 30
    while not done.exists() and time.monotonic() < deadline and queued:
        time.sleep(0.01)
    time.sleep(0.2)
    assert done.exists() == queued  # unqueued, the work waits in a send until it is read
    got: list[dict[str, Any]] = []
    while worker.reader >= 0 and time.monotonic() < deadline:
        got += worker.poll()
        time.sleep(0.001)
    assert got == items and done.exists()
    assert no_child_left()


def test_a_queued_stream_whose_reader_is_gone_ends_quietly(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's sending thread meets a closed pipe: it stops, and no traceback reaches the terminal."""
    # as on a terminal: line-buffered, so what the child prints is out before it leaves with os._exit
    monkeypatch.setattr(sys, "stderr", open(2, "w", buffering=1, closefd=False))  # noqa: SIM115
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)  # not pytest's, which keeps quiet

    def work(send: Callable[[str], None]) -> None:
        for _ in range(40):
            send("x" * 100_000)  # 4 MB: more than the pipe holds

    worker = forking.stream(work, queued=True)
    assert worker is not None
    os.close(worker.reader)
    worker.reader = -1
    _, status = os.waitpid(worker.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert capfd.readouterr().err == ""


def test_the_worker_skips_what_the_walk_parses_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path)
    taken = str(root.parent / "schemas" / "S1.yaml")
    real_board = prefetch.Board

    def claimed_board() -> prefetch.Board:
        board = real_board()
        board.claim(taken)  # as the walk does before it parses a file the worker had not sent
        return board

    monkeypatch.setattr(prefetch, "Board", claimed_board)
    loaded = _loads_here(monkeypatch)
    _worker_finishes_first(monkeypatch)
    bundle_spec(root)
    assert loaded == ["S1.yaml", *WALKS_SHARE]
