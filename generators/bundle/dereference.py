"""``--dereference``: inline every local ``$ref``; a ref that would close a cycle stays a ref."""

from __future__ import annotations

from typing import Any

import generators.core.structure as st
from generators.bundle.refs import node_at
from generators.core.pointer import parse_fragment

_MAX_DEPTH = 512


def dereference_document(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with refs inlined; expansions without cycles are shared, not copied."""
    return _Dereferencer(document).run()


class _Dereferencer:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.expanding: list[str] = []
        self.finished: dict[str, Any] = {}  # expansions that kept no cycle ref, reusable anywhere

    def run(self) -> dict[str, Any]:
        result, _ = self._expand(self.document, st.ROOT)
        return result if isinstance(result, dict) else self.document

    def _expand(self, node: Any, context: str) -> tuple[Any, bool]:
        """The expanded node, and whether it kept a cycle ref (then it depends on the stack)."""
        if context == st.LITERAL:
            return node, False
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                return self._follow(ref, {k: v for k, v in node.items() if k != "$ref"}, context)
            result: dict[str, Any] = {}
            cyclic = False
            for key, value in node.items():
                result[key], kept = self._expand(value, st.child_context(context, key))
                cyclic |= kept
            return result, cyclic
        if isinstance(node, list):
            items = []
            cyclic = False
            member = st.item_context(context)
            for value in node:
                expanded, kept = self._expand(value, member)
                items.append(expanded)
                cyclic |= kept
            return items, cyclic
        return node, False

    def _follow(self, ref: str, siblings: dict[str, Any], context: str) -> tuple[Any, bool]:
        if ref in self.expanding or len(self.expanding) >= _MAX_DEPTH:
            return {"$ref": ref, **siblings}, True
        if ref in self.finished:
            content: Any = self.finished[ref]
            cyclic = False
        else:
            try:
                target = node_at(self.document, parse_fragment(ref[1:]))
            except ValueError:
                target = None
            if target is None:  # nothing there (or a null): keep the reference as written
                return {"$ref": ref, **siblings}, False
            self.expanding.append(ref)
            try:
                content, cyclic = self._expand(target, context)
            finally:
                self.expanding.pop()
            if not cyclic:
                self.finished[ref] = content
        if siblings and isinstance(content, dict):
            expanded_siblings, kept = self._expand(siblings, context)
            return {**content, **expanded_siblings}, cyclic or kept
        return content, cyclic
