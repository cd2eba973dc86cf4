"""The last step of a bundle: every component ref string made final, the hoisted components placed.

Component names are provisional while walking (a short name may collide with another's, which only the whole
walk can tell); here colliding names get their long form, and each ref string written under a provisional name
is rewritten. Trees kept between builds (``memo.py``) are never written to: a container is copied before
anything in it changes (``Copies``), so only what changed is new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import generators.core.structure as st
from generators.bundle.memo import Copies
from generators.bundle.names import disambiguate
from generators.bundle.refs import Target
from generators.core.pointer import escape_token

Segments = tuple[str, ...]
# Where a component ref string sits: the tree (None: the document; else the hoisted component's kind and
# target), the path of the mapping in that tree, its key, the component's kind and target, the string written.
Holder = tuple[tuple[str, Target] | None, Segments, str, str, Target, str]


def place_hoisted(
    document: dict[str, Any],
    hoisted: dict[str, dict[Target, Any]],
    names: dict[str, dict[Target, str]],
    holders: list[Holder],
    origins: dict[Segments, tuple[Path, Segments]],
    relative_name: Callable[[Path], tuple[str, ...]],
) -> dict[str, Any]:
    """``document`` with its refs final and ``hoisted`` placed under ``components`` (``origins`` follow renames)."""
    copies = Copies()
    provisional = {kind: {t: names[kind][t] for t in entries} for kind, entries in hoisted.items()}
    renames = {}
    if any(hoisted.values()):
        renames = disambiguate(provisional, relative_name, set(_author_declared(document)))
    final_refs: dict[tuple[str, Target], str] = {}
    for base, path, key, kind, target, written in holders:
        ref = final_refs.get((kind, target))
        if ref is None:
            name = names[kind][target]
            final = renames.get((kind, target), name)
            ref = component_ref(kind, name)
            if final != name:
                ref = f"#/components/{kind}/{final}" + ref[len(f"#/components/{kind}/{name}") :]
            final_refs[(kind, target)] = ref
        if ref == written:
            continue
        if base is None:
            document = copies.set_at(document, path, key, ref)
        else:
            trees = hoisted[base[0]]
            trees[base[1]] = copies.set_at(trees[base[1]], path, key, ref)
    if not any(hoisted.values()):
        return document
    document = copies.own(document)
    components = document.setdefault("components", {})
    if isinstance(components, dict):
        components = document["components"] = copies.own(components)
    for kind in st.COMPONENT_KINDS:
        entries = hoisted.get(kind)
        if not entries:
            continue
        section = components.setdefault(kind, {})
        if isinstance(section, dict):
            section = components[kind] = copies.own(section)
        placed = {}
        for target, walked in entries.items():
            name = provisional[kind][target]
            final = renames.get((kind, target), name)
            if final != name:
                _rename_origins(origins, kind, name, final)
            placed[final] = walked
        for final in sorted(placed):
            section[final] = placed[final]
    return document


def _author_declared(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    components = document.get("components")
    if isinstance(components, dict):
        for kind, members in components.items():
            if isinstance(members, dict):
                for name in members:
                    yield kind, name


def _rename_origins(origins: dict[Segments, tuple[Path, Segments]], kind: str, old: str, new: str) -> None:
    prefix = ("components", kind, old)
    for segments in [s for s in origins if s[:3] == prefix]:
        origins[("components", kind, new, *segments[3:])] = origins.pop(segments)


def fragment(pointer: str) -> str:
    """A pointer as a ``$ref`` fragment: ``%`` escaped, since a fragment is percent-decoded when read."""
    return "#" + pointer.replace("%", "%25") if "%" in pointer else "#" + pointer


def component_ref(kind: str, name: str) -> str:
    """``#/components/<kind>/<name>``; an author's name may hold ``/``, ``~`` or ``%`` (OpenAPI's rule aside)."""
    return fragment(f"/components/{kind}/{escape_token(name)}")
