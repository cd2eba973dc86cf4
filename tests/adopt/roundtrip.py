"""Split a description into a folder, bundle the folder again, and compare with the original."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from generators.artefacts.model import Artefact
from generators.bundle.bundler import bundle_spec
from generators.bundle.split import SplitResult, split_spec
from generators.core.pointer import parse_fragment, to_pointer
from generators.writer import write_artefacts


def split_into(spec: Path, out: Path, fmt: str | None = None) -> SplitResult:
    result = split_spec(spec, out, fmt)
    write_artefacts(out, [Artefact(path, content) for path, content in result.files.items()])
    return result


def normal(node: Any) -> Any:
    """The document with every local ``$ref`` written one way (``%7B`` and ``{`` name the same key)."""
    if isinstance(node, dict):
        copy = {key: normal(value) for key, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            copy["$ref"] = "#" + to_pointer(parse_fragment(ref[1:]))
        return copy
    if isinstance(node, list):
        return [normal(value) for value in node]
    return node


def assert_round_trip(spec: Path, out: Path, fmt: str | None = None) -> SplitResult:
    """bundle(split(X)) is X: the same document (refs compared as pointers) with the same component names."""
    original = bundle_spec(spec).document
    result = split_into(spec, out, fmt)
    again = bundle_spec(out / next(iter(result.files))).document
    for kind, members in original.get("components", {}).items():
        assert list(again["components"][kind]) == list(members), kind
    assert normal(again) == normal(original)
    return result


def files_below(folder: Path) -> list[Path]:
    return [Path(top, name) for top, _, names in os.walk(folder) for name in names]
