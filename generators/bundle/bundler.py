"""Bundle a modular spec into one document: external ``$ref``s hoisted into ``components`` under stable names.

A component's name is a function of its own file and pointer only (never of traversal order), so adding a
ref elsewhere never renames an existing component. Refs where OpenAPI allows none (an Operation, a
description string, a vendor extension) are inlined, as Redocly does. Literal data (``example``,
``default``, ``enum``, ``const``, example ``value``) is copied untouched, ``$ref`` keys included.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generators.core.structure as st
from generators.bundle.names import component_name, disambiguate
from generators.bundle.refs import RefResolver, Target, Where, node_at
from generators.core.diagnostics import AtlasError, Location
from generators.core.gcpause import gc_paused
from generators.core.pointer import escape_token, pointer_segments
from generators.core.settings import Settings
from generators.source.cache import ParseCache
from generators.source.locate import SourceLocator

Segments = tuple[str, ...]


@dataclass
class BundledSpec:
    """The bundled document and the way back from any of its nodes to the source."""

    document: dict[str, Any]
    root_file: Path
    origins: dict[Segments, tuple[Path, Segments]] = field(default_factory=dict)
    locator: SourceLocator = field(default_factory=SourceLocator)
    sources: dict[Path, Any] = field(default_factory=dict)  # every file read, parsed (with keep_sources)
    files_read: tuple[Path, ...] = ()
    """Every file the bundle was read from, always (an output must never replace one)."""

    def locate(self, pointer: str | Segments) -> Location | None:
        """Where the node at ``pointer`` of the bundled document was written in the source.

        The pointer may pass through local ``$ref``s (as validators' paths do); they are followed.
        """
        segments = self.canonical(pointer_segments(pointer) if isinstance(pointer, str) else tuple(pointer))
        for cut in range(len(segments), -1, -1):
            origin = self.origins.get(segments[:cut])
            if origin is not None:
                file, source = origin
                return self.locator.locate(file, source + segments[cut:])
        return None

    def source_of(self, pointer: str | Segments) -> tuple[Path, Segments] | None:
        """The source file and pointer segments of a bundled node (without computing a line)."""
        segments = pointer_segments(pointer) if isinstance(pointer, str) else tuple(pointer)
        for cut in range(len(segments), -1, -1):
            origin = self.origins.get(segments[:cut])
            if origin is not None:
                return origin[0], origin[1] + segments[cut:]
        return None

    def canonical(self, segments: Segments) -> Segments:
        """The pointer without detours: where a segment is missing beside a local ``$ref``, follow the ref."""
        node: Any = self.document
        path: list[str] = []
        for index, segment in enumerate(segments):
            hops = 0
            while isinstance(node, dict) and segment not in node and hops < 64:
                ref = node.get("$ref")
                if not (isinstance(ref, str) and ref.startswith("#")):
                    break
                path = list(pointer_segments(ref))
                node = node_at(self.document, path)
                hops += 1
            if isinstance(node, dict) and segment in node:
                node = node[segment]
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
            else:
                return (*path, *segments[index:])
            path.append(segment)
        return tuple(path)


def bundle_spec(
    root: Path,
    ref_roots: tuple[Path, ...] = (),
    dereference: bool = False,
    remove_unused: bool = False,
    keep_sources: bool = False,
    cache: ParseCache | None = None,
) -> BundledSpec:
    """Load ``root`` and every file it references; return one self-contained document.

    ``keep_sources``: keep the parsed source files in ``sources`` (``stats`` counts them; others let them go).
    """
    root = Path(root)
    if not root.exists():
        raise AtlasError.at(
            "spec-missing", f"spec root not found: {root}", None, "pass --spec PATH or set spec in [tool.atlas-spec]"
        )
    if root.is_dir():
        raise AtlasError.at(
            "spec-is-folder",
            f"spec root is a folder: {root}",
            None,
            "point --spec at the root file, e.g. spec/openapi.yaml",
        )
    with gc_paused():
        bundler = _Bundler(RefResolver(root, ref_roots, cache))
        result = bundler.run()
    if not keep_sources:
        result.sources = {}
    if dereference:
        from generators.bundle.dereference import dereference_document

        result.document = dereference_document(result.document, result.locate)
    if remove_unused:
        from generators.bundle.unused import remove_unused_components

        result.document = remove_unused_components(result.document)
    return result


def bundle_configured(
    settings: Settings, dereference: bool = False, remove_unused: bool = False, cache: ParseCache | None = None
) -> BundledSpec:
    """Bundle the spec root that ``settings`` name, with their extra ref roots (every command starts here).

    ``cache`` keeps parsed files between builds (``serve``): only files changed since are read and parsed again.
    """
    return bundle_spec(settings.spec, settings.ref_roots, dereference, remove_unused, cache=cache)


class _Bundler:
    def __init__(self, resolver: RefResolver) -> None:
        self.resolver = resolver
        self.root_file = resolver.root_file
        self.locator = SourceLocator()
        self.origins: dict[Segments, tuple[Path, Segments]] = {}
        # kind -> target -> provisional name; name -> target; emitted ref dicts per (kind, target)
        self.names: dict[str, dict[Target, str]] = {}
        self.hoisted: dict[str, dict[Target, Any]] = {}
        self.emitted: dict[tuple[str, Target], list[tuple[Any, Any]]] = {}
        self.author_names: dict[tuple[str, Target], str] = {}
        self.inlining: list[Target] = []

    # ------------------------------------------------------------ entry

    def run(self) -> BundledSpec:
        document = self.resolver.document(self.root_file)
        self.locator.remember(self.root_file, self.resolver.root_bytes)
        if not isinstance(document, dict):
            raise AtlasError.at(
                "spec-not-object", "the root document must be a mapping", Location(str(self.root_file), 1, 1)
            )
        self.origins[()] = (self.root_file, ())
        if self._self_contained(document):
            return BundledSpec(
                document,
                self.root_file,
                self.origins,
                self.locator,
                self.resolver.documents,
                tuple(self.resolver.documents),
            )
        self.resolver.prefetch()
        self._collect_author_names(document)
        bundled = self._walk(document, st.ROOT, self.root_file, [], [])
        self._place_hoisted(bundled)
        return BundledSpec(
            bundled, self.root_file, self.origins, self.locator, self.resolver.documents, tuple(self.resolver.documents)
        )

    def _self_contained(self, document: dict[str, Any]) -> bool:
        """True when the root refers to no other file and every local ref resolves: nothing to rebuild.

        A single-file description (GitHub's is 13 MB) is then its own bundle; finding that out from
        the JSON text costs milliseconds, where walking a million nodes costs a second.
        """
        if self.root_file.suffix.lower() != ".json":
            return False
        text = self.resolver.root_bytes
        found = set(_JSON_REF.findall(text))
        for mapping in _JSON_MAPPING.findall(text):
            found.update(v for v in _JSON_STRING_VALUE.findall(mapping) if b"/" in v or b"." in v or b"#" in v)
        refs = set()
        for raw in found:
            if b"\\" in raw or not raw.startswith(b"#"):
                return False
            refs.add(raw.decode("utf-8", "replace"))
        for ref in refs:
            try:
                self.resolver.resolve(self.resolver.target_of(ref, self.root_file, lambda: None), lambda: None)
            except AtlasError:
                return False  # let the full walk tell a dangling ref from literal data, with its line
        return True

    def _collect_author_names(self, document: dict[str, Any]) -> None:
        """``components/schemas/Task: {$ref: ./Task.yaml}`` makes every ref to Task.yaml use the name Task."""
        components = document.get("components")
        if not isinstance(components, dict):
            return
        for kind, members in components.items():
            if not isinstance(members, dict):
                continue
            for name, value in members.items():
                if isinstance(value, dict) and isinstance(value.get("$ref"), str) and not value["$ref"].startswith("#"):
                    where = self._where(self.root_file, ["components", kind, name, "$ref"])
                    target = self.resolver.target_of(value["$ref"], self.root_file, where)
                    self.author_names.setdefault((kind, target), name)

    # ------------------------------------------------------------ walking

    def _walk(self, node: Any, context: str, file: Path, src: list[str], out: list[str]) -> Any:
        if context == st.LITERAL:
            return node
        kind = type(node)
        if kind is dict:
            if type(node.get("$ref")) is str:
                return self._reference(node, context, file, src, out)
            if context == st.DISCRIMINATOR:
                return self._discriminator(node, file, src)
            result: dict[str, Any] = {}
            for key, value in node.items():
                if type(value) is dict or type(value) is list:  # scalars hold no refs: no descent
                    src.append(key)
                    out.append(key)
                    result[key] = self._walk(value, st.child_context(context, key), file, src, out)
                    src.pop()
                    out.pop()
                else:
                    result[key] = value
            return result
        if kind is list:
            member = st.item_context(context)
            items = []
            for index, value in enumerate(node):
                if type(value) is dict or type(value) is list:
                    src.append(str(index))
                    out.append(str(index))
                    items.append(self._walk(value, member, file, src, out))
                    src.pop()
                    out.pop()
                else:
                    items.append(value)
            return items
        return node

    def _reference(self, node: dict[str, Any], context: str, file: Path, src: list[str], out: list[str]) -> Any:
        where = self._where(file, [*src, "$ref"])
        target = self.resolver.target_of(node["$ref"], file, where)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        kind = st.COMPONENT_KIND.get(context)
        if target.file == self.root_file:
            ref = _fragment(target.pointer)
            self.resolver.resolve(target, where)  # a dangling local ref is an error now, not in a consumer
            return self._with_siblings(ref, siblings, context, file, src, out)
        if kind is None or self._is_root_component_slot(src, file):
            return self._inline(target, siblings, context, file, src, out, where)
        name = self._component(kind, target, context, where)
        result = self._with_siblings(_component_ref(kind, name), siblings, context, file, src, out)
        self.emitted.setdefault((kind, target), []).append((result, "$ref"))
        return result

    def _is_root_component_slot(self, src: list[str], file: Path) -> bool:
        """True for ``components/<kind>/<name>`` of the root document: the author named this component."""
        return file == self.root_file and len(src) == 3 and src[0] == "components"

    def _with_siblings(
        self, ref: str, siblings: dict[str, Any], context: str, file: Path, src: list[str], out: list[str]
    ) -> dict[str, Any]:
        result: dict[str, Any] = {"$ref": ref}
        for key, value in siblings.items():
            src.append(key)
            out.append(key)
            result[key] = self._walk(value, st.child_context(context, key), file, src, out)
            src.pop()
            out.pop()
        return result

    def _inline(
        self,
        target: Target,
        siblings: dict[str, Any],
        context: str,
        file: Path,
        src: list[str],
        out: list[str],
        where: Where,
    ) -> Any:
        if target in self.inlining:
            chain = " -> ".join(str(self._short(t)) for t in [*self.inlining[self.inlining.index(target) :], target])
            raise AtlasError.at(
                "ref-circular",
                f"circular $ref with no way out: {chain}",
                where(),
                "a cycle is only possible through a schema (or other component) reference; break the loop",
            )
        value = self.resolver.resolve(target, where)
        self.origins[tuple(out)] = (target.file, target.segments)
        self.inlining.append(target)
        try:
            result = self._walk(value, context, target.file, list(target.segments), out)
        finally:
            self.inlining.pop()
        if siblings and isinstance(result, dict):
            result = dict(result)
            for key, sibling in siblings.items():
                src.append(key)
                out.append(key)
                result[key] = self._walk(sibling, st.child_context(context, key), file, src, out)
                self.origins[tuple(out)] = (file, tuple(src))
                src.pop()
                out.pop()
        return result

    def _component(self, kind: str, target: Target, context: str, where: Where) -> str:
        known = self.names.setdefault(kind, {}).get(target)
        if known is not None:
            return known
        author = self.author_names.get((kind, target))
        if author is not None:
            self.names[kind][target] = author
            return author
        name = component_name(target, kind, self.resolver.relative_name(target.file))
        self.names[kind][target] = name
        value = self.resolver.resolve(target, where)
        out = ["components", kind, name]
        self.origins[tuple(out)] = (target.file, target.segments)
        self.inlining, saved = [], self.inlining
        try:
            walked = self._walk(value, context, target.file, list(target.segments), out)
        finally:
            self.inlining = saved
        self.hoisted.setdefault(kind, {})[target] = walked
        return name

    def _discriminator(self, node: dict[str, Any], file: Path, src: list[str]) -> dict[str, Any]:
        result = dict(node)
        mapping = node.get("mapping")
        if not isinstance(mapping, dict):
            return result
        new_mapping: dict[str, Any] = {}
        for key, value in mapping.items():
            local_in_root = file == self.root_file and isinstance(value, str) and value.startswith("#")
            if isinstance(value, str) and not local_in_root and ("/" in value or "." in value or "#" in value):
                where = self._where(file, [*src, "mapping", key])
                target = self.resolver.target_of(value, file, where)
                if target.file == self.root_file:
                    new_mapping[key] = _fragment(target.pointer)
                else:
                    name = self._component("schemas", target, st.SCHEMA, where)
                    new_mapping[key] = _component_ref("schemas", name)
                    self.emitted.setdefault(("schemas", target), []).append((new_mapping, key))
            else:
                new_mapping[key] = value
        result["mapping"] = new_mapping
        return result

    # ------------------------------------------------------------ output

    def _place_hoisted(self, bundled: dict[str, Any]) -> None:
        if not any(self.hoisted.values()):
            return
        provisional = {kind: {t: self.names[kind][t] for t in entries} for kind, entries in self.hoisted.items()}
        renames = disambiguate(provisional, self.resolver.relative_name, set(self._author_declared(bundled)))
        components = bundled.setdefault("components", {})
        for kind in st.COMPONENT_KINDS:
            entries = self.hoisted.get(kind)
            if not entries:
                continue
            section = components.setdefault(kind, {})
            placed = {}
            for target, walked in entries.items():
                name = provisional[kind][target]
                final = renames.get((kind, target), name)
                if final != name:
                    self._rename(kind, target, name, final)
                placed[final] = walked
            for final in sorted(placed):
                section[final] = placed[final]

    def _author_declared(self, bundled: dict[str, Any]) -> Iterator[tuple[str, str]]:
        components = bundled.get("components")
        if isinstance(components, dict):
            for kind, members in components.items():
                if isinstance(members, dict):
                    for name in members:
                        yield kind, name

    def _rename(self, kind: str, target: Target, old: str, new: str) -> None:
        for holder, key in self.emitted.get((kind, target), []):
            holder[key] = f"#/components/{kind}/{new}" + holder[key][len(f"#/components/{kind}/{old}") :]
        prefix = ("components", kind, old)
        for segments in [s for s in self.origins if s[:3] == prefix]:
            self.origins[("components", kind, new, *segments[3:])] = self.origins.pop(segments)

    # ------------------------------------------------------------ helpers

    def _where(self, file: Path, segments: list[str]) -> Where:
        frozen = tuple(segments)
        return lambda: self.locator.locate(file, frozen)

    def _short(self, target: Target) -> str:
        name = "/".join(self.resolver.relative_name(target.file))
        return f"{name}#{target.pointer}" if target.segments else name


# string bodies as `[^"\\]*(?:\\.[^"\\]*)*` (unrolled): twice as fast in `re` as `(?:[^"\\]|\\.)*` on 13 MB
_JSON_REF = re.compile(rb'"\$ref"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
_JSON_MAPPING = re.compile(rb'"mapping"\s*:\s*\{([^{}]*)\}')
_JSON_STRING_VALUE = re.compile(rb':\s*"([^"\\]*(?:\\.[^"\\]*)*)"')


def _fragment(pointer: str) -> str:
    """A pointer as a ``$ref`` fragment: ``%`` escaped, since a fragment is percent-decoded when read."""
    return "#" + pointer.replace("%", "%25") if "%" in pointer else "#" + pointer


def _component_ref(kind: str, name: str) -> str:
    """``#/components/<kind>/<name>``; an author's name may hold ``/``, ``~`` or ``%`` (OpenAPI's rule aside)."""
    return _fragment(f"/components/{kind}/{escape_token(name)}")


def relative_display(path: Path) -> str:
    """A path as shown in messages: relative to the working folder when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


__all__ = ["BundledSpec", "bundle_spec"]
