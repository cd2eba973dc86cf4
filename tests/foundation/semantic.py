"""Semantic equality of two bundled documents: refs are followed on both sides, cycles assumed equal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def resolve_pointer(document: Any, ref: str) -> Any:
    node = document
    for raw in ref[2:].split("/") if ref.startswith("#/") else []:
        segment = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(segment)] if isinstance(node, list) else node[segment]
    return node


class Comparer:
    """Finds the first differences between a node of document A and a node of document B."""

    def __init__(
        self, a: dict[str, Any], b: dict[str, Any], excuse: Callable[[Any, Any, str], bool] = lambda x, y, where: False
    ) -> None:
        self.a, self.b = a, b
        self.assumed: set[tuple[str, str]] = set()
        self.differences: list[str] = []
        self.excused: list[str] = []
        self.excuse = excuse

    def equal(self, x: Any, y: Any, where: str = "#") -> bool:
        if where.endswith(("/example", "/value", "/default")) and self.excuse(x, y, where):
            self.excused.append(f"{where}: literal {str(x)[:60]}")
            return True
        x, ref_x = self._deref(self.a, x)
        y, ref_y = self._deref(self.b, y)
        if ref_x is not None and ref_y is not None:
            if (ref_x, ref_y) in self.assumed:
                return True
            self.assumed.add((ref_x, ref_y))
        if self.excuse(x, y, where):
            self.excused.append(f"{where}: {str(x)[:60]} vs {str(y)[:60]}")
            return True
        if isinstance(x, dict) and isinstance(y, dict):
            if set(x) != set(y):
                self._note(f"{where}: keys differ: only A {sorted(set(x) - set(y))}, only B {sorted(set(y) - set(x))}")
                return False
            results = [
                self._mapping(x[k], y[k], f"{where}/{k}")
                if k == "mapping" and "propertyName" in x
                else self.equal(x[k], y[k], f"{where}/{k}")
                for k in x
            ]
            return all(results)
        if isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                self._note(f"{where}: list lengths {len(x)} != {len(y)}")
                return False
            results = [self.equal(i, j, f"{where}/{n}") for n, (i, j) in enumerate(zip(x, y, strict=True))]
            return all(results)
        if x != y or _kind(x) != _kind(y):
            self._note(f"{where}: {str(x)[:80]!r} != {str(y)[:80]!r}")
            return False
        return True

    def _mapping(self, x: Any, y: Any, where: str) -> bool:
        """Discriminator mapping values are references written as strings: compare what they point at."""
        if not (isinstance(x, dict) and isinstance(y, dict)) or set(x) != set(y):
            return self.equal(x, y, where)
        wrap = lambda v: {"$ref": v} if isinstance(v, str) and v.startswith("#/") else v  # noqa: E731
        return all([self.equal(wrap(x[k]), wrap(y[k]), f"{where}/{k}") for k in x])

    def _deref(self, document: Any, node: Any) -> tuple[Any, str | None]:
        first = None
        hops = 0
        while (
            isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#") and hops < 50
        ):
            ref = node["$ref"]
            first = first or ref
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = resolve_pointer(document, ref)
            if siblings and isinstance(node, dict):
                node = {**node, **siblings}
            hops += 1
        return node, first

    def _note(self, text: str) -> None:
        if len(self.differences) < 50:
            self.differences.append(text)


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (path, method) for path, item in document.get("paths", {}).items() for method in item if method in HTTP_METHODS
    }


def _kind(value: Any) -> str:
    """JSON's kinds: 85 and 85.0 are the same number (JavaScript keeps no difference), True is no number."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__
