"""Chains of local ``$ref``s (``A -> B -> C``, each a ref to the next), each followed once, and a document where every
ref on such a chain names its end.

A reader that follows each ref anew (openapi-spec-validator's, through jsonschema-path and referencing) walks the
rest of a chain for every ref on it: n refs cost n^2 / 2 steps (800 refs: 8 s), and its recursion gives up on a
long one. Given refs that name their chain's end directly, it resolves each in one step and reads the same nodes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from generators.bundle.refs import local_refs
from generators.core.pointer import node_at, parse_fragment


def _target(document: Any, ref: str) -> Any:
    try:
        return node_at(document, parse_fragment(ref[1:]))
    except ValueError:
        return None


def _alias(node: Any) -> str | None:
    """The local ref a node is (as the readers follow it: siblings of ``$ref`` aside), or None."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            return ref
    return None


def alias_ends(document: Any, known: Collection[str] | None = None) -> dict[str, str]:
    """For each local ref whose target is itself a local ref, the last ref of its chain (the one whose target is
    not a ref); empty when no ref names a ref. Linear: every ref is followed once. A loop (refused before, see
    ``refs.alias_cycles``) is left as it is. ``known``: every local ref string of ``document``, when known."""
    refs = local_refs(document) if known is None else list(known)
    ends: dict[str, str] = {}
    settled: set[str] = set()
    looping: set[str] = set()
    for ref in refs:
        chain: list[str] = []
        on_chain: set[str] = set()
        current, loop = ref, False
        while current not in settled:
            if current in on_chain:
                loop = True
                break
            chain.append(current)
            on_chain.add(current)
            following = _alias(_target(document, current))
            if following is None:
                break
            current = following
        if loop or current in looping:  # a loop, or a way into one: nothing on it has an end
            looping.update(chain)
            settled.update(chain)
            continue
        end = ends.get(current, current)
        for step in chain:
            settled.add(step)
            if step != end:
                ends[step] = end
    return ends


def collapse_aliases(document: dict[str, Any], ends: dict[str, str]) -> dict[str, Any]:
    """``document`` where every ref in ``ends`` names the end of its chain instead: a copy of the containers on
    the way to those refs, every other node shared (``document`` itself when ``ends`` is empty)."""
    if not ends:
        return document
    found: list[tuple[Any, ...]] = []  # paths to the refs to rewrite, as (parent link, key) pairs
    stack: list[tuple[Any, Any]] = [(document, None)]
    while stack:
        node, link = stack.pop()
        if _alias(node) in ends:
            found.append(link)
        children = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((child, (link, key)) for key, child in children if isinstance(child, (dict, list)))
    copies: dict[int, Any] = {}  # id of an original container -> its copy (a node met twice is copied once)
    root = copies[id(document)] = dict(document)
    for link in found:
        keys: list[Any] = []
        while link is not None:
            link, key = link
            keys.append(key)
        node = root
        original: Any = document
        for key in reversed(keys):
            original = original[key]
            copy = copies.get(id(original))
            if copy is None:
                copy = copies[id(original)] = dict(original) if isinstance(original, dict) else list(original)
            node[key] = copy
            node = copy
        node["$ref"] = ends.get(node["$ref"], node["$ref"])  # a ref met twice is rewritten once
    return root
