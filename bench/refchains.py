"""Benchmark: growth of every command's time on long chains of local refs (issue 18: linear in input size).

Shapes, each a one-file JSON description whose size grows with ``n``:

- ``schemas``: ``A0 -> A1 -> ... -> An`` under ``components/schemas``, each ``{$ref: next}``, the last an object;
- ``parameters``, ``responses``, ``pathitems``: the same chain of Parameter, Response and Path Item refs;
- ``allof``: distinct schemas ``S0 .. Sn``, each with a property of its own and ``allOf: [{$ref: next}]``;
- ``wide``: one schema referenced ``n`` times (one property per ref).

Each command runs as a user runs it (a fresh process, ``diff`` compares the spec with itself); the table shows
CPU seconds, the exit code and the ratio to the previous size (about 3.3 for linear cost on 100/300/1,000/3,000/
10,000; 10 for quadratic). Usage: ``python bench/refchains.py [--shapes schemas,allof] [--sizes 100,300]
[--commands validate] [--timeout S]``; run it under ``nice -n 19`` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ATLAS, REPO, env

Document = dict[str, Any]


def _base(**components: Any) -> Document:
    get = {"operationId": "get", "responses": {"200": {"description": "ok"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chain", "version": "1"},
        "paths": {"/a": {"get": get}},
        "components": components,
    }


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def schemas(n: int) -> Document:
    """A chain of ``n`` schema refs ending in an object schema, used by the one operation."""
    chain: dict[str, Any] = {f"A{i}": _ref("schemas", f"A{i + 1}") for i in range(n)}
    chain[f"A{n}"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    document = _base(schemas=chain)
    ok = document["paths"]["/a"]["get"]["responses"]["200"]
    ok["content"] = {"application/json": {"schema": _ref("schemas", "A0")}}
    return document


def parameters(n: int) -> Document:
    """A chain of ``n`` parameter refs ending in a query parameter."""
    chain: dict[str, Any] = {f"P{i}": _ref("parameters", f"P{i + 1}") for i in range(n)}
    chain[f"P{n}"] = {"name": "q", "in": "query", "schema": {"type": "string"}}
    document = _base(parameters=chain)
    document["paths"]["/a"]["get"]["parameters"] = [_ref("parameters", "P0")]
    return document


def responses(n: int) -> Document:
    """A chain of ``n`` response refs ending in a response."""
    chain: dict[str, Any] = {f"R{i}": _ref("responses", f"R{i + 1}") for i in range(n)}
    chain[f"R{n}"] = {"description": "ok"}
    document = _base(responses=chain)
    document["paths"]["/a"]["get"]["responses"]["200"] = _ref("responses", "R0")
    return document


def pathitems(n: int) -> Document:
    """A chain of ``n`` path item refs (OpenAPI 3.1 ``components/pathItems``) ending in a path item."""
    chain: dict[str, Any] = {f"I{i}": _ref("pathItems", f"I{i + 1}") for i in range(n)}
    document = _base(pathItems=chain)
    chain[f"I{n}"] = document["paths"]["/a"]
    document["paths"]["/a"] = _ref("pathItems", "I0")
    return document


def allof(n: int) -> Document:
    """``n`` distinct schemas, each with a property of its own and ``allOf`` the next one."""
    chain: dict[str, Any] = {
        f"S{i}": {
            "type": "object",
            "properties": {f"p{i}": {"type": "string"}},
            "allOf": [_ref("schemas", f"S{i + 1}")],
        }
        for i in range(n)
    }
    chain[f"S{n}"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    document = _base(schemas=chain)
    ok = document["paths"]["/a"]["get"]["responses"]["200"]
    ok["content"] = {"application/json": {"schema": _ref("schemas", "S0")}}
    return document


def wide(n: int) -> Document:
    """One schema referenced ``n`` times, as the properties of another."""
    props = {f"p{i}": _ref("schemas", "Leaf") for i in range(n)}
    document = _base(schemas={"Leaf": {"type": "string"}, "Wide": {"type": "object", "properties": props}})
    ok = document["paths"]["/a"]["get"]["responses"]["200"]
    ok["content"] = {"application/json": {"schema": _ref("schemas", "Wide")}}
    return document


SHAPES: dict[str, Callable[[int], Document]] = {
    "schemas": schemas,
    "parameters": parameters,
    "responses": responses,
    "pathitems": pathitems,
    "allof": allof,
    "wide": wide,
}
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "validate": lambda spec, out: ["validate", "--spec", str(spec)],
    "lint": lambda spec, out: ["lint", "--spec", str(spec)],
    "bundle": lambda spec, out: ["bundle", "--spec", str(spec), "-o", str(out / "bundled.json")],
    "postman": lambda spec, out: ["postman", "--spec", str(spec), "-o", str(out / "postman.json")],
    "docs": lambda spec, out: ["docs", "--spec", str(spec), "-o", str(out / "docs.html")],
    "diff": lambda spec, out: ["diff", str(spec), str(spec)],
}


def write(document: Document, path: Path) -> Path:
    """``document`` as indented JSON (one key a line: every ref has a line of its own)."""
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(command: list[str], timeout: float) -> tuple[float | None, int]:
    """CPU seconds (user + system: steadier than wall time on a shared machine) of one run of ``atlas-spec
    command`` and the workers it waits for (None past ``timeout`` seconds of wall time), and its exit code."""
    started = _cpu()
    try:
        done = subprocess.run(
            [*ATLAS, *command], cwd=REPO, env=env(), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None, -1
    return _cpu() - started, done.returncode


def main() -> int:
    """One table per shape: a row per command, a column per size (seconds, x ratio to the previous size)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--sizes", default="100,300,1000,3000,10000")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for shape in args.shapes.split(","):
            print(f"\n{shape}: " + " | ".join(f"{n:>14,}" for n in sizes), flush=True)
            specs = {n: write(SHAPES[shape](n), out / f"{shape}-{n}.json") for n in sizes}
            for name in args.commands.split(","):
                cells, previous, gave_up = [], None, False
                for n in sizes:
                    if gave_up:
                        cells.append(f"{'-':>14}")
                        continue
                    took, code = seconds(COMMANDS[name](specs[n], out), args.timeout)
                    if took is None:
                        cells.append(f"{'>' + str(int(args.timeout)) + 's':>14}")
                        gave_up = True
                        continue
                    ratio = f"x{took / previous:.1f}" if previous else ""
                    cells.append(f"{took:6.2f}s{ratio:>5} {code}")
                    previous = took
                print(f"{name:>9}: " + " | ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
