"""The real-world sweep's own bookkeeping (bench/corpus.py): a spec is "crashed" only when its child died."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("atlas_bench_corpus", REPO / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Child:
    """A child that sends its result and ends at the very moment its pipe was first polled and found empty."""

    def __init__(self) -> None:
        self.finished = False
        self.exitcode = 0

    # the Process side
    def start(self) -> None:
        pass

    def is_alive(self) -> bool:
        return not self.finished

    def join(self) -> None:
        pass

    def kill(self) -> None:
        raise AssertionError("a child that finished is never killed")

    # the receiving end of its Pipe
    def poll(self) -> bool:
        ready = self.finished
        self.finished = True  # it sends and ends right after this poll
        return ready

    def recv(self) -> dict[str, Any]:
        return {"stages": {"bundle": {"outcome": "ok", "seconds": 0.0}}, "peak_rss_mb": 1.0}

    def close(self) -> None:
        pass


def test_a_child_that_ends_right_after_a_poll_is_not_taken_for_dead(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    corpus = corpus_module()
    monkeypatch.setattr(corpus, "API_DIR", tmp_path)
    spec = tmp_path / "some.json"
    spec.write_text("{}", encoding="utf-8")
    children: list[Child] = []

    class Context:
        def Pipe(self, duplex: bool) -> tuple[Child, Child]:
            children.append(Child())
            return children[-1], children[-1]

        def Process(self, **_: Any) -> Child:
            return children[-1]

    monkeypatch.setattr(corpus.multiprocessing, "get_context", lambda _: Context())
    monkeypatch.setattr(corpus, "wait", lambda *_, **__: None)
    records = corpus.sweep([spec], workers=1, timeout=60, memory_bytes=1 << 30)
    assert [r["result"] for r in records] == ["passed"], records
