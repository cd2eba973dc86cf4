"""Generic rules about path templates: parameters, identical and ambiguous paths, path key shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generators.core.diagnostics import Severity
from generators.core.operations import ADDITIONAL_OPERATIONS, HTTP_METHODS
from generators.core.pointer import pointer_join
from generators.core.shape import as_dict
from generators.lint.context import LintContext
from generators.lint.registry import Finding, rule

E, W = Severity.ERROR, Severity.WARN
_TEMPLATE = re.compile(r"\{([^}/]*)\}")
_WHOLE = re.compile(r"\{[^}/]*\}")  # a segment that is one variable


def _at_key(pointer: str, message: str, hint: str) -> Finding:
    """A finding about a path template: placed at the key in the file that declares it."""
    return Finding(pointer, message, hint, key=True)


def _paths(ctx: LintContext) -> Iterator[tuple[str, str]]:
    for path in as_dict(ctx.document.get("paths")):
        if not path.startswith("x-"):  # the Paths Object allows extensions beside the paths
            yield path, pointer_join("/paths", path)


@rule(
    "path-parameters-defined",
    E,
    "Path template variables and in: path parameters match one to one.",
    redocly="path-parameters-defined",
    spectral="path-params",
)
def path_parameters_defined(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if op.path is None:
            continue
        template = _TEMPLATE.findall(op.path)
        declared = {p.get("name"): ptr for p, ptr in op.parameters if p.get("in") == "path"}
        for name in template:
            if name and name not in declared:
                yield Finding(
                    op.pointer,
                    f"{op.label} does not declare path parameter '{name}'",
                    f"add a parameter with name: {name}, in: path, required: true",
                )
        for name, pointer in declared.items():
            if name not in template:
                yield Finding(
                    pointer,
                    f"path parameter '{name}' of {op.label} is not in the path template",
                    "rename it to match a {variable} in the path, or remove it",
                )
        for param, pointer in op.parameters:
            if param.get("in") == "path" and param.get("required") is not True:
                yield Finding(
                    pointer,
                    f"path parameter '{param.get('name')}' of {op.label} is not required: true",
                    "path parameters must say required: true",
                )


@rule(
    "no-identical-paths",
    E,
    "No two paths differ only in their variable names.",
    redocly="no-identical-paths",
    spectral="path-params",
)
def no_identical_paths(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for path, pointer in _paths(ctx):
        shape = _TEMPLATE.sub("{}", path)
        if shape in first:
            yield _at_key(
                pointer,
                f"path '{path}' is the same as '{first[shape]}' up to variable names",
                "merge them into one path item",
            )
        else:
            first[shape] = path


@rule(
    "no-ambiguous-paths",
    W,
    "No two paths can match the same URL with neither more specific.",
    redocly="no-ambiguous-paths",
)
def no_ambiguous_paths(ctx: LintContext) -> Iterator[Finding]:
    by_length: dict[int, list[tuple[str, list[str | None]]]] = {}
    for path, _ in _paths(ctx):
        segments: list[str | None] = [None if "{" in s else s for s in path.strip("/").split("/")]
        by_length.setdefault(len(segments), []).append((path, segments))
    for group in by_length.values():
        reported: set[str] = set()  # one finding a path, naming the first earlier one it is ambiguous with
        for path_a, _, path_b, _ in _compatible_pairs(group):
            if path_a not in reported and _ambiguous(path_a.strip("/").split("/"), path_b.strip("/").split("/")):
                reported.add(path_a)
                yield _at_key(
                    pointer_join("/paths", path_a),
                    f"path '{path_a}' is ambiguous with '{path_b}'",
                    "make one of them literal where the other is templated, or merge them",
                )


Segments = list[str | None]


def _compatible_pairs(group: list[tuple[str, Segments]]) -> Iterator[tuple[str, Segments, str, Segments]]:
    """Each path with every earlier one of the same length that agrees with it wherever both are literal.

    Pairs come in the order of a nested loop over the group; the candidates of a path are found with one
    bit set per position (paths with that literal there, or a variable), not by comparing it with every
    earlier path (GitHub's description has 200 paths of one length).
    """
    literal: list[dict[str, int]] = [{} for _ in group[0][1]] if group else []
    variable = [0] * len(literal)
    for index, (_, segments) in enumerate(group):
        bit = 1 << index
        for position, segment in enumerate(segments):
            if segment is None:
                variable[position] |= bit
            else:
                literal[position][segment] = literal[position].get(segment, 0) | bit
    for index, (path_a, a) in enumerate(group):
        candidates = (1 << index) - 1
        for position, segment in enumerate(a):
            if segment is not None and candidates:
                candidates &= literal[position].get(segment, 0) | variable[position]
        while candidates:
            lowest = candidates & -candidates
            path_b, b = group[lowest.bit_length() - 1]
            yield path_a, a, path_b, b
            candidates ^= lowest


def _ambiguous(a: list[str], b: list[str]) -> bool:
    """Some URL matches both paths (segment by segment), and each is the more specific one somewhere.

    A segment is, from most to least specific, literal text, a template with literal text (``{name}.zip``,
    which only a segment ending in .zip matches, and not ``.zip`` itself), or one whole variable.
    """
    a_specific = b_specific = False
    for x, y in zip(a, b, strict=True):
        if not _overlap(x, y):
            return False
        rank_x, rank_y = _rank(x), _rank(y)
        a_specific = a_specific or rank_x > rank_y
        b_specific = b_specific or rank_y > rank_x
    return a_specific and b_specific


def _rank(segment: str) -> int:
    if "{" not in segment or not _TEMPLATE.search(segment):
        return 2
    return 0 if _WHOLE.fullmatch(segment) else 1


def _overlap(x: str, y: str) -> bool:
    """Some segment text matches both ``x`` and ``y`` (a variable stands for any text)."""
    rank_x, rank_y = _rank(x), _rank(y)
    if rank_x == 0 or rank_y == 0:
        return True
    if rank_x == 2 and rank_y == 2:
        return x == y
    if rank_x == 2 or rank_y == 2:
        return _matches(x, y) if rank_x == 2 else _matches(y, x)
    # two templates: their literal starts and ends must agree (a necessary condition; close enough for paths)
    first_x, *_, last_x = _TEMPLATE.split(x)[::2]
    first_y, *_, last_y = _TEMPLATE.split(y)[::2]
    starts = first_x.startswith(first_y) or first_y.startswith(first_x)
    return starts and (last_x.endswith(last_y) or last_y.endswith(last_x))


def _matches(text: str, template: str) -> bool:
    """``text`` matches ``template``, each variable standing for some text (a path parameter is required: at
    least one character): its literal pieces in order, the first at the start and the last at the end (found
    left to right, the leftmost fit leaving the most room: linear in the segment's length)."""
    first, *middle, last = _TEMPLATE.split(template)[::2]
    if not (text.startswith(first) and text.endswith(last)):
        return False
    at, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, at + 1, end)
        if found < 0:
            return False
        at = found + len(piece)
    return end - at >= 1


@rule(
    "no-path-trailing-slash",
    E,
    "Paths do not end with a slash.",
    redocly="no-path-trailing-slash",
    spectral="path-keys-no-trailing-slash",
)
def no_trailing_slash(ctx: LintContext) -> Iterator[Finding]:
    for path, pointer in _paths(ctx):
        if len(path) > 1 and path.endswith("/"):
            yield _at_key(pointer, f"path '{path}' ends with a slash", f"use '{path.rstrip('/')}'")


@rule(
    "path-declaration-must-exist",
    E,
    "Path variables have names ({} is not allowed).",
    redocly="path-declaration-must-exist",
    spectral="path-declarations-must-exist",
)
def path_declaration(ctx: LintContext) -> Iterator[Finding]:
    for path, pointer in _paths(ctx):
        if "{}" in path:
            yield _at_key(pointer, f"path '{path}' has an empty variable {{}}", "name the variable: {taskId}")


@rule(
    "path-not-include-query",
    E,
    "Paths do not include a query string.",
    redocly="path-not-include-query",
    spectral="path-not-include-query",
)
def path_query(ctx: LintContext) -> Iterator[Finding]:
    for path, pointer in _paths(ctx):
        if "?" in path:
            yield _at_key(pointer, f"path '{path}' includes a query string", "declare in: query parameters instead")


@rule("no-empty-paths", E, "Path keys start with / and every path item declares at least one operation.")
def no_empty_paths(ctx: LintContext) -> Iterator[Finding]:
    for path, pointer in _paths(ctx):
        item, _ = ctx.resolve(ctx.document["paths"][path], pointer)
        if not path.startswith("/"):
            yield _at_key(pointer, f"path '{path}' does not start with /", "paths are relative to the server url")
        elif isinstance(item, dict) and not _declares_operations(item) and "$ref" not in item:
            yield _at_key(pointer, f"path '{path}' declares no operation", "add an operation or remove the path")


def _declares_operations(item: dict[str, Any]) -> bool:
    return any(method in item for method in HTTP_METHODS) or bool(item.get(ADDITIONAL_OPERATIONS))
