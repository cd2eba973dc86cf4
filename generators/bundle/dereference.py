"""``--dereference``: inline every local ``$ref``; a ref that would close a cycle stays a ref.

Inlining can multiply a document: 16 schemas whose two properties each refer to the next expand to 2^16 copies,
8 schemas that all refer to each other to 8! paths. The output is therefore counted as it is produced
(an expansion reused in several places counts each time, as it will be written each time) and refused past
``MAX_DEREFERENCED_NODES``, like a YAML alias bomb, at the ``$ref`` that blew the budget. Expansions are
shared, not copied: one without cycle refs is reused anywhere, one with cycle refs wherever the same refs are
open, so the work stays proportional to the distinct expansions rather than to the output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import generators.core.structure as st
from generators.core.diagnostics import AtlasError, Location
from generators.core.pointer import node_at, parse_fragment, to_pointer
from generators.source.limits import MAX_DEPTH

MAX_DEREFERENCED_NODES = 5_000_000
"""The most nodes a dereferenced document may hold (GitHub's description needs 2 million)."""

Locate = Callable[[str], Location | None]


def dereference_document(document: dict[str, Any], locate: Locate | None = None) -> dict[str, Any]:
    """A copy of ``document`` with refs inlined; ``locate`` maps a JSON pointer to its source (for refusals)."""
    return _Dereferencer(document, locate).run()


class _Expansion(NamedTuple):
    node: Any
    cyclic: bool  # it kept a cycle ref, so it depends on the refs open around it
    size: int  # nodes, counting shared parts each time they appear
    height: int  # levels of nesting


class _Dereferencer:
    def __init__(self, document: dict[str, Any], locate: Locate | None) -> None:
        self.document = document
        self.locate = locate
        self.expanding: list[str] = []  # refs being expanded, outermost first
        self.open: set[str] = set()  # the same, for membership tests
        self.sites: list[tuple[str, ...]] = []  # where each of them was written
        self.path: list[str] = []  # where the node being expanded sits in the source document
        self.depth = 0
        self.produced = 0
        self.finished: dict[str, _Expansion] = {}  # expansions that kept no cycle ref, reusable anywhere
        self.cyclic: dict[tuple[str, frozenset[str]], _Expansion] = {}  # the others, wherever the same refs are open
        self.literal_sizes: dict[int, int] = {}

    def run(self) -> dict[str, Any]:
        result = self._expand(self.document, st.ROOT).node
        return result if isinstance(result, dict) else self.document

    def _expand(self, node: Any, context: str) -> _Expansion:
        if context == st.LITERAL:
            size = self._literal_size(node)
            self._produce(size)
            return _Expansion(node, False, size, 1)
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                return self._follow(ref, {k: v for k, v in node.items() if k != "$ref"}, context)
            return self._expand_dict(node, context)
        if isinstance(node, list):
            return self._expand_list(node, context)
        self._produce(1)
        return _Expansion(node, False, 1, 0)

    def _expand_dict(self, node: dict[str, Any], context: str) -> _Expansion:
        self._enter(1)
        result: dict[str, Any] = {}
        cyclic = False
        size = height = 1
        path = self.path
        for key, value in node.items():
            path.append(key)
            sub = self._expand(value, st.child_context(context, key))
            path.pop()
            result[key] = sub.node
            cyclic |= sub.cyclic
            size += sub.size
            height = max(height, sub.height + 1)
        self.depth -= 1
        return _Expansion(result, cyclic, size, height)

    def _expand_list(self, node: list[Any], context: str) -> _Expansion:
        self._enter(1)
        items = []
        cyclic = False
        size = height = 1
        member = st.item_context(context)
        path = self.path
        for index, value in enumerate(node):
            path.append(str(index))
            sub = self._expand(value, member)
            path.pop()
            items.append(sub.node)
            cyclic |= sub.cyclic
            size += sub.size
            height = max(height, sub.height + 1)
        self.depth -= 1
        return _Expansion(items, cyclic, size, height)

    def _follow(self, ref: str, siblings: dict[str, Any], context: str) -> _Expansion:
        if ref in self.open:
            return self._kept(ref, siblings, cyclic=True)
        key = (ref, frozenset(self.open))
        known = self.finished.get(ref) or self.cyclic.get(key)
        if known is not None:
            site = tuple(self.path)
            self._enter(known.height, site)
            self.depth -= known.height
            self._produce(known.size, site)
            content = known
        else:
            try:
                target = node_at(self.document, parse_fragment(ref[1:]))
            except ValueError:
                target = None
            if target is None:  # nothing there (or a null): keep the reference as written
                return self._kept(ref, siblings, cyclic=False)
            content = self._expand_target(ref, target, context)
            if content.cyclic:
                self.cyclic[key] = content
            else:
                self.finished[ref] = content
        if siblings and isinstance(content.node, dict):
            more = self._expand(siblings, context)
            return _Expansion(
                {**content.node, **more.node},
                content.cyclic or more.cyclic,
                content.size + more.size - 1,
                max(content.height, more.height),
            )
        return content

    def _kept(self, ref: str, siblings: dict[str, Any], cyclic: bool) -> _Expansion:
        size = 2 + self._literal_size(siblings) - 1
        self._produce(size)
        return _Expansion({"$ref": ref, **siblings}, cyclic, size, 1 + bool(siblings))

    def _expand_target(self, ref: str, target: Any, context: str) -> _Expansion:
        self.expanding.append(ref)
        self.open.add(ref)
        self.sites.append(tuple(self.path))
        outer_path = self.path
        self.path = list(parse_fragment(ref[1:]))
        try:
            return self._expand(target, context)
        finally:
            self.path = outer_path
            self.sites.pop()
            self.open.discard(self.expanding.pop())

    def _enter(self, levels: int, site: tuple[str, ...] | None = None) -> None:
        self.depth += levels
        if self.depth > MAX_DEPTH:
            raise self._refusal(
                "deref-too-deep",
                f"dereferencing nests the document deeper than {MAX_DEPTH} levels",
                "a long chain of $refs cannot be inlined: bundle without --dereference",
                site,
            )

    def _produce(self, count: int, site: tuple[str, ...] | None = None) -> None:
        self.produced += count
        if self.produced > MAX_DEREFERENCED_NODES:
            raise self._refusal(
                "deref-too-big",
                f"dereferencing expands the document to more than {MAX_DEREFERENCED_NODES:,} nodes",
                "schemas that refer to others several times multiply when inlined: bundle without --dereference",
                site,
            )

    def _refusal(self, code: str, message: str, hint: str, site: tuple[str, ...] | None) -> AtlasError:
        where = site if site is not None else (self.sites[-1] if self.sites else None)
        location = None
        if where is not None and self.locate is not None:
            location = self.locate(to_pointer((*where, "$ref")))
        return AtlasError.at(code, message, location, hint)

    def _literal_size(self, node: Any) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        key = id(node)
        size = self.literal_sizes.get(key)
        if size is None:
            children = node.values() if isinstance(node, dict) else node
            size = self.literal_sizes[key] = 1 + sum(self._literal_size(c) for c in children)
        return size
