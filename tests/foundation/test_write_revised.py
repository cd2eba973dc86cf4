"""A file written while its final bytes are worked out: the revision wins, failures leave the old file alone."""

from __future__ import annotations

import json
import stat
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import generators.writer as writer
from generators.core.jsonout import dump_json_bytes, dump_json_draft
from generators.writer import write_file_atomic
from tests.support import HEAD, cli, make_tree, reading_fifo

OLD = b"old content\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("revised", [b"the final bytes\n", b"x", b"a much longer final text " * 1000])
def test_a_different_revision_replaces_the_draft(tmp_path: Path, revised: bytes) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_file_atomic(target, b"draft " * 500, lambda: revised)
    assert target.read_bytes() == revised
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("revised", "writes"), [(None, 1), (b"other\n", 2)])
def test_the_draft_is_written_once_when_it_was_final(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, revised: bytes | None, writes: int
) -> None:
    draft = b"final already\n"
    calls: list[list[bytes]] = []
    real = writer._write_synced

    def counted(stream: Any, pieces: Sequence[bytes]) -> None:
        calls.append(list(pieces))
        real(stream, pieces)

    monkeypatch.setattr(writer, "_write_synced", counted)
    target = tmp_path / "out.json"
    write_file_atomic(target, draft, lambda: draft if revised is None else revised)
    assert len(calls) == writes
    assert target.read_bytes() == (revised or draft)


def test_a_failing_revision_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)

    def revise() -> bytes:
        raise RuntimeError("no final bytes")

    with pytest.raises(RuntimeError):
        write_file_atomic(target, b"draft\n", revise)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []
    assert threading.active_count() == 1


def test_a_failing_write_is_raised_here_and_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)

    def full_disk(stream: object, pieces: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "_write_synced", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_file_atomic(target, b"draft\n", lambda: b"draft\n")
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_fifo_gets_the_revision(tmp_path: Path) -> None:
    with reading_fifo(tmp_path / "pipe") as received:
        write_file_atomic(tmp_path / "pipe", b"draft\n", lambda: b"revised\n")
    assert received == [b"revised\n"]


@pytest.mark.parametrize(
    ("document", "draft_final"),
    [({"n": 1e-7, "m": [0.00001, 2.5]}, False), ({"n": 1.5}, True), ([1, "1e-7"], True), ("text", True)],
)
def test_the_json_draft_ends_as_the_standard_librarys_text(document: object, draft_final: bool) -> None:
    draft, final = dump_json_draft(document)
    expected = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    assert final() == expected == dump_json_bytes(document)
    assert (draft == expected) is draft_final


def test_bundle_writes_small_floats_as_python_does(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "openapi.json": json.dumps(
                {
                    "openapi": "3.1.0",
                    "info": {"title": "T", "version": "1"},
                    "paths": {},
                    "components": {"schemas": {"S": {"type": "number", "minimum": 1e-7, "maximum": 0.00001}}},
                }
            ),
            "openapi.yaml": HEAD + "paths: {}\ncomponents:\n  schemas:\n    S: {type: number, minimum: 1.0e-7}\n",
        },
    )
    for root in ("openapi.json", "openapi.yaml"):
        result = cli("bundle", "--spec", root, "-o", "out.json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        text = (tmp_path / "out.json").read_text(encoding="utf-8")
        assert '"minimum": 1e-07' in text, text
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
