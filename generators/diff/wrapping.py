"""A schema moved into a ``oneOf`` / ``anyOf`` (or out of one): compared with the alternative it became.

``{type: object, properties: {id}}`` rewritten as ``{oneOf: [{type: object, properties: {id}}, {type: string}]}``
keeps the old schema as one alternative and adds another. Compared keyword by keyword, the revision's outer
object has no type and no properties, which reads as "type widened to any" and "property id removed": neither
is true. Here the old schema is paired with the alternative closest to it: that pair is compared as usual (its
findings sit under ``oneOf/<index>``), every other alternative is added, and a ``oneOf`` says so once
(``wrapped-in-one-of``). The opposite edit (one alternative of several kept as the whole schema) removes the
others and compares the kept one with the revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generators.diff.model import Finding

Compare = Callable[[Any, Any], list[Finding]]  # (base node, revision node) -> relative findings, one direction
Against = Callable[[Any], list[Finding]]  # one side fixed: the other side's node -> findings

_COMBINATORS = (("oneOf", "one-of"), ("anyOf", "any-of"))
_DOCS = ("description", "title")


def shaped(view: dict[str, Any]) -> bool:
    """A schema that says something of its value itself (a type or properties), not only through subschemas."""
    return view.get("type") is not None or bool(view.get("properties"))


def label(node: Any, index: int) -> str:
    """How an alternative is named in messages: its component's name, else ``#index``."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return f"#{index}"


def rewrapped(
    b: Any, r: Any, b_view: dict[str, Any], r_view: dict[str, Any], side: str, compare: Compare
) -> list[Finding] | None:
    """The findings of ``b`` against ``r`` when one of them is the other moved into (or out of) a combinator:
    ``None`` when neither is (the caller compares keyword by keyword)."""
    for keyword, stem in _COMBINATORS:
        bl, rl = b_view.get(keyword), r_view.get(keyword)
        if isinstance(rl, list) and rl and not isinstance(bl, list) and shaped(b_view) and not shaped(r_view):
            return _wrapped(keyword, stem, rl, side, lambda alt: compare(b, alt))
        if isinstance(bl, list) and bl and not isinstance(rl, list) and shaped(r_view) and not shaped(b_view):
            return _unwrapped(stem, bl, side, lambda alt: compare(alt, r))
    return None


def _closest(alternatives: list[Any], against: Against) -> tuple[int | None, list[Finding]]:
    """The alternative the single schema became (fewest findings, none of them an incompatible type), if any."""
    best: tuple[int, int] | None = None
    kept: list[Finding] = []
    for index, alternative in enumerate(alternatives):
        found = against(alternative)
        if any(f.rule.endswith("-type-changed") and not f.path for f in found):
            continue
        if best is None or len(found) < best[0]:
            best, kept = (len(found), index), found
    return (best[1], kept) if best is not None else (None, [])


def _wrapped(keyword: str, stem: str, alternatives: list[Any], side: str, against: Against) -> list[Finding]:
    former, found = _closest(alternatives, against)
    out = [f.under(keyword, str(former)) for f in found]
    names = [label(node, i) for i, node in enumerate(alternatives)]
    if keyword == "oneOf":
        shown = [f"{name} (the former schema)" if i == former else name for i, name in enumerate(names)]
        out.append(Finding(f"{side}-wrapped-in-one-of", (), (("value", ", ".join(shown)),)))
    # at the schema itself, not its new list: the findings cover the node, so the keys that moved into the
    # alternative (type, properties, ...) are not reported again as removed by the catch-all
    out += [Finding(f"{side}-{stem}-added", (), (("value", n),)) for i, n in enumerate(names) if i != former]
    return out


def _unwrapped(stem: str, alternatives: list[Any], side: str, against: Against) -> list[Finding]:
    kept, found = _closest(alternatives, against)
    names = [label(node, i) for i, node in enumerate(alternatives)]
    return [*found, *(Finding(f"{side}-{stem}-removed", (), (("value", n),)) for i, n in enumerate(names) if i != kept)]
