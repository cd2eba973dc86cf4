"""The layering written in README's Architecture section, held by reading the package's import graph.

The graph comes from the AST of every module, so imports inside functions and under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import ast
import re
import tokenize
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generators"

# Which layers each layer may import (besides itself and the package root's __version__). A layer is the first
# part below ``generators``; the pipeline reads source -> bundle -> validate / lint -> artefacts -> writer, diff
# stands beside them, serve and the CLI sit on top.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "source": {"core"},
    "bundle": {"core", "source"},
    "validate": {"core", "source", "bundle"},
    "lint": {"core", "source", "bundle", "validate"},
    "artefacts": {"core", "source", "bundle"},
    "writer": {"core", "artefacts"},
    "diff": {"core", "source", "bundle", "artefacts", "writer"},
    "pipeline": {"core", "source", "bundle", "validate", "lint", "artefacts", "writer"},
    "serve": {"core", "source", "bundle", "validate", "lint", "artefacts", "writer", "pipeline"},
    "cli": {"core", "source", "bundle", "validate", "lint", "artefacts", "writer", "diff", "pipeline", "serve"},
    "__main__": {"cli"},
}
_WRITES = re.compile(
    r"""\.write_(?:text|bytes)\(|os\.(?:replace|rename|link|symlink)\(|mkstemp\(|shutil\.(?:copy|move)"""
    r"""|\bopen\([^)]*["'][wax+]"""
)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    names = modules()
    if isinstance(node, ast.Import):
        wanted = [alias.name for alias in node.names]
    else:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = ".".join([*package[: len(package) - node.level + 1], node.module or ""]) if node.level else node.module
        wanted = [f"{base}.{a.name}" if f"{base}.{a.name}" in names else str(base) for a in node.names]
    found = []
    for name in wanted:
        while name and name not in names:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.append(name)
    return found


@cache
def graph() -> dict[str, frozenset[str]]:
    """module -> the package modules it imports anywhere in its source."""
    edges = {}
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom))
        edges[module] = frozenset(t for n in nodes for t in _targets(module, path, n))
    return edges


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles() == []


def test_the_cycle_finder_finds_a_planted_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    planted = {**graph(), "generators.core.pointer": graph()["generators.core.pointer"] | {"generators.lint.engine"}}
    monkeypatch.setitem(globals(), "graph", lambda: planted)
    assert any("generators.core.pointer" in cycle for cycle in _cycles())


def test_no_layer_imports_a_layer_above_it() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if _layer(module) not in ("root", _layer(target))
        and _layer(target) != "root"
        and _layer(target) not in ALLOWED.get(_layer(module), set())
    ]
    assert wrong == []


def test_every_layer_is_known() -> None:
    layers = {_layer(m) for m in modules()} - {"root"}
    assert layers <= set(ALLOWED), layers - set(ALLOWED)


def test_only_the_cli_commands_import_click() -> None:
    importers = sorted(
        m for m, path in modules().items() if re.search(r"^\s*(import|from) click\b", path.read_text(), re.M)
    )
    assert importers == ["generators.cli.adopt", "generators.cli.commands", "generators.cli.release"]


def test_only_the_writer_writes_files() -> None:
    writers = sorted(m for m, path in modules().items() if _WRITES.search(path.read_text(encoding="utf-8")))
    assert writers == ["generators.writer"]


def test_generators_read_no_files_but_the_redoc_bundle_they_inline() -> None:
    reads = re.compile(r"\.read_(?:text|bytes)\(|\bopen\(")
    readers = sorted(
        m for m, path in modules().items() if m.startswith("generators.artefacts") and reads.search(_code_only(path))
    )
    assert readers in ([], ["generators.artefacts.docs.page"])


def _code_only(path: Path) -> str:
    """The module's text with each string emptied: a code sample's ``open("file.bin", "rb")`` is text it writes."""
    text = path.read_text(encoding="utf-8")
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    with path.open("rb") as source:
        strings = [t for t in tokenize.tokenize(source.readline) if t.type == tokenize.STRING]
    for token in reversed(strings):
        begin, end = starts[token.start[0] - 1] + token.start[1], starts[token.end[0] - 1] + token.end[1]
        text = text[:begin] + '""' + text[end:]
    return text


def test_the_package_stays_small_enough_to_read() -> None:
    entries = [p for p in PACKAGE.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 14, sorted(p.name for p in entries)
    long = {m: n for m, path in modules().items() if (n := len(path.read_text().splitlines())) > 450}
    assert long == {}
