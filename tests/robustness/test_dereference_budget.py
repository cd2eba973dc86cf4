"""``bundle --dereference`` is bounded like a YAML alias bomb: refused at the ``$ref`` that blew the budget.

On the main before this test, the doubling spec gave hundreds of MB, the mutual one ended in a MemoryError
traceback and the 1,000-long chain took 36 s and 5 GB.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from generators.bundle.bundler import bundle_spec

from .cliutil import assert_no_crash, assert_refused, cli

REF_LINE_PREFIX = '"$ref": "#/components/schemas/'


def write_spec(tmp_path: Path, schemas: dict[str, Any]) -> Path:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1.0"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    root = tmp_path / "openapi.json"
    root.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return root


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def doubling(levels: int) -> dict[str, Any]:
    """Each schema has two properties referring to the next: 2**levels copies when inlined."""
    schemas: dict[str, Any] = {
        f"S{i}": {"type": "object", "properties": {"left": ref(f"S{i + 1}"), "right": ref(f"S{i + 1}")}}
        for i in range(levels)
    }
    schemas[f"S{levels}"] = {"type": "string", "description": "leaf"}
    return schemas


def dereference(root: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = cli("bundle", "--dereference", "--spec", root.name, "-o", "out.json", cwd=root.parent, memory_mb=1024)
    return result, time.perf_counter() - started


def ref_lines(root: Path) -> set[int]:
    lines = root.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if REF_LINE_PREFIX in line}


def assert_refused_at_a_ref(result: subprocess.CompletedProcess[str], code: str, root: Path) -> None:
    assert_refused(result, code, root.name)
    line = int(result.stderr.split(f"{root.name}:", 1)[1].split(":", 1)[0])
    assert line in ref_lines(root), result.stderr


def test_schemas_that_double_at_each_level_are_refused_at_a_ref(tmp_path: Path) -> None:
    root = write_spec(tmp_path, doubling(24))
    result, seconds = dereference(root)
    assert_refused_at_a_ref(result, "deref-too-big", root)
    assert seconds < 30, seconds  # about 0.1 s; before the budget: no end
    assert not (tmp_path / "out.json").exists()


def test_the_issue_s_16_doubling_schemas_are_refused_or_done_quickly(tmp_path: Path) -> None:
    root = write_spec(tmp_path, doubling(16))
    result, seconds = dereference(root)
    assert_no_crash(result)
    assert result.returncode in (0, 2), result.stderr
    assert seconds < 30, seconds


def test_eight_mutually_referring_schemas_are_refused_at_a_ref(tmp_path: Path) -> None:
    names = [f"M{i}" for i in range(8)]
    schemas = {
        name: {"type": "object", "properties": {f"to{other}": ref(other) for other in names if other != name}}
        for name in names
    }
    root = write_spec(tmp_path, schemas)
    result, seconds = dereference(root)
    assert_refused_at_a_ref(result, "deref-too-big", root)
    assert seconds < 30, seconds  # about 0.1 s; before: a MemoryError traceback after 3 GB


def test_a_chain_of_1000_refs_is_refused_as_too_deep(tmp_path: Path) -> None:
    schemas: dict[str, Any] = {
        f"C{i}": {"type": "object", "properties": {"next": ref(f"C{i + 1}")}} for i in range(1000)
    }
    schemas["C1000"] = {"type": "string"}
    root = write_spec(tmp_path, schemas)
    result, seconds = dereference(root)
    assert_refused_at_a_ref(result, "deref-too-deep", root)
    assert seconds < 30, seconds  # before: 36 s and 5 GB


def naive(node: Any, document: dict[str, Any], stack: tuple[str, ...] = ()) -> Any:
    """Inline every ref, keeping those already being expanded: the definition, without sharing or budget."""
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str):
            if target in stack:
                return node
            name = target.rsplit("/", 1)[1]
            return naive(document["components"]["schemas"][name], document, (*stack, target))
        return {key: naive(value, document, stack) for key, value in node.items()}
    return node


def test_shared_expansions_give_the_output_of_inlining_one_by_one(tmp_path: Path) -> None:
    """Expansions with cycle refs are reused wherever the same refs are open: the output stays the same."""
    names = "ABCD"
    schemas = {
        name: {"type": "object", "properties": {other.lower(): ref(other) for other in names if other != name}}
        for name in names
    }
    root = write_spec(tmp_path, schemas)
    source = json.loads(root.read_text(encoding="utf-8"))
    assert bundle_spec(root, dereference=True).document == naive(source, source)


@pytest.mark.parametrize("levels", [3, 6])
def test_a_small_doubling_is_still_inlined_in_full(tmp_path: Path, levels: int) -> None:
    document = bundle_spec(write_spec(tmp_path, doubling(levels)), dereference=True).document
    node = document["components"]["schemas"]["S0"]
    for _ in range(levels):
        node = node["properties"]["right"]
    assert node == {"type": "string", "description": "leaf"}
