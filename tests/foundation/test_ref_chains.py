"""One follower of local ``$ref`` chains (``core.pointer.follow_local_refs``) for every layer that reads a bundled
document: operations (Path Items written as refs), lint's context and the diff's resolver."""

from __future__ import annotations

from typing import Any

import pytest

from generators.core.operations import local_ref_resolver
from generators.core.pointer import follow_local_refs, fragment_target
from generators.diff.resolve import Resolver
from generators.lint.config import LintConfig
from generators.lint.context import LintContext

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "components": {
        "schemas": {
            "End": {"type": "string"},
            "Mid": {"$ref": "#/components/schemas/End"},
            "Top": {"$ref": "#/components/schemas/Mid"},
            "Dangling": {"$ref": "#/components/schemas/Nowhere"},
            "LoopA": {"$ref": "#/components/schemas/LoopB"},
            "LoopB": {"$ref": "#/components/schemas/LoopC"},
            "LoopC": {"$ref": "#/components/schemas/LoopA"},
            "Item{id}": {"type": "integer"},
            "Encoded": {"$ref": "#/components/schemas/Item%7Bid%7D"},
            "External": {"$ref": "other.yaml#/End"},
            "NotPointer": {"$ref": "#End"},
        }
    },
}
SCHEMAS = DOCUMENT["components"]["schemas"]


def follow(node: Any, limit: int | None = None) -> tuple[Any, str | None]:
    return follow_local_refs(node, lambda ref: fragment_target(DOCUMENT, ref), limit)


@pytest.mark.parametrize(
    ("start", "end", "last"),
    [
        ("End", "End", None),  # not a ref: itself
        ("Top", "End", "#/components/schemas/End"),  # two steps to the end
        ("Dangling", "Dangling", None),  # leads nowhere: where it stands
        ("Encoded", "Item{id}", "#/components/schemas/Item%7Bid%7D"),  # a URI fragment, percent-decoded
        ("External", "External", None),  # another file's: not followed here
        ("NotPointer", "NotPointer", None),  # '#End' is no JSON pointer
    ],
)
def test_chain_ends(start: str, end: str, last: str | None) -> None:
    assert follow(SCHEMAS[start]) == (SCHEMAS[end], last)


def test_a_loop_stops_where_it_comes_round() -> None:
    node, last = follow(SCHEMAS["LoopA"])
    assert (node, last) == (SCHEMAS["LoopA"], "#/components/schemas/LoopA")  # three steps, then the first ref again


def test_a_limit_stops_a_long_chain() -> None:
    assert follow(SCHEMAS["Top"], limit=1) == (SCHEMAS["Mid"], "#/components/schemas/Mid")


def test_every_reader_follows_alike() -> None:
    """Each layer's resolver gives what the one follower gives (lint: the target's pointer, unescaped as read)."""
    lint = LintContext(DOCUMENT, LintConfig())
    diff = Resolver(DOCUMENT)
    operations = local_ref_resolver(DOCUMENT)
    for name, node in SCHEMAS.items():
        end, last = follow(node)
        assert operations(node) is end, name
        assert diff.resolve(node) == (end, last), name
        if "%" not in name and "%" not in str(node.get("$ref")):  # lint reads bundled refs, already decoded
            assert lint.resolve(node, "/here") == (end, "/here" if last is None else last[1:]), name
