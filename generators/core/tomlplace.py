"""Where a key of a TOML configuration file is written, so a configuration error names ``file:line:col``.

``tomllib`` keeps no positions, and the configuration is small, so the text is scanned line by line: table
headers (``[tool.atlas-spec.diff]``) and the keys under them (``fail-on = ...``, dotted ``diff.fail-on = ...``,
quoted ``"fail-on" = ...``). A key inside an inline table or an array is placed at the line of the deepest key
found on its way; a file the scan cannot follow gives the file alone, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from generators.core.diagnostics import Location

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=")
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")
_SYNTAX = re.compile(r"\(at line (\d+), column (\d+)\)")


def key_location(path: Path, text: str, keys: tuple[str | int, ...]) -> Location:
    """The place of the key ``keys`` (the whole dotted path from the top of the file) in ``text``, or of the
    deepest key on its way that is written there; the file alone when none is. A number in ``keys`` after the
    path of an array of tables picks one of its tables: ``("lint", "exceptions", 2, "reason")`` is the third
    ``[[lint.exceptions]]`` table's ``reason``."""
    best: tuple[int, int, int] | None = None  # (keys matched, line, column)
    table: tuple[str | int, ...] = ()
    seen: dict[tuple[str | int, ...], int] = {}  # tables of an array met so far
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            if line.lstrip().startswith("[[") and len(keys) > len(table) and isinstance(keys[len(table)], int):
                seen[table] = seen.get(table, -1) + 1
                table = (*table, seen[table])
            found, column = table, line.index("[") + 1
        else:
            key = _KEY.match(line)
            if not key:
                continue
            found, column = (*table, *_parts(key.group(1))), key.start(1) + 1
        matched = _common(found, keys)
        if matched == len(found) and (best is None or matched > best[0]):
            best = (matched, number, column)
            if matched == len(keys):
                break
    return Location(str(path), best[1], best[2]) if best else Location(str(path))


def syntax_location(path: Path, message: str) -> Location:
    """The place ``tomllib``'s error message names ("... (at line 3, column 7)"), else the file."""
    found = _SYNTAX.search(message)
    return Location(str(path), int(found[1]), int(found[2])) if found else Location(str(path))


def _parts(dotted: str) -> tuple[str | int, ...]:
    return tuple(m[1] if m[1] is not None else m[2] if m[2] is not None else m[3] for m in _PART.finditer(dotted))


def _common(found: tuple[str | int, ...], keys: tuple[str | int, ...]) -> int:
    count = 0
    for a, b in zip(found, keys, strict=False):
        if a != b:
            break
        count += 1
    return count
