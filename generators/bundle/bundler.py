"""Bundle a modular spec into one document: external ``$ref``s hoisted into ``components`` under stable names.

A component's name is a function of its own file and pointer only (never of traversal order), so adding a
ref elsewhere never renames an existing component. Refs where OpenAPI allows none (an Operation, a
description string, a vendor extension) are inlined, as Redocly does. Literal data (``example``,
``default``, ``enum``, ``const``, example ``value``) is copied untouched, ``$ref`` keys included.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import generators.core.structure as st
from generators.bundle.bundled import BundledSpec, Segments
from generators.bundle.memo import Entry, Recorder, WalkMemo
from generators.bundle.names import component_name
from generators.bundle.place import Holder, component_ref, fragment, place_hoisted
from generators.bundle.refs import RefResolver, Target, Where
from generators.core.diagnostics import AtlasError, Location
from generators.core.gcpause import gc_paused
from generators.core.settings import Settings, spec_hint
from generators.source.cache import ParseCache
from generators.source.locate import SourceLocator


def bundle_spec(
    root: Path,
    ref_roots: tuple[Path, ...] = (),
    dereference: bool = False,
    remove_unused: bool = False,
    keep_sources: bool = False,
    cache: ParseCache | None = None,
    memo: WalkMemo | None = None,
) -> BundledSpec:
    """Load ``root`` and every file it references; return one self-contained document.

    ``keep_sources``: keep the parsed source files in ``sources`` (``stats`` counts them; others let them go).
    ``memo`` (with ``cache``): walk results kept between bundles; only the units that read a changed file are
    walked again (``memo.py``). The result is the same document, origins and files read.
    """
    root = Path(root)
    if not root.exists():
        raise AtlasError.at("spec-missing", f"spec root not found: {root}", None, spec_hint(root))
    if root.is_dir():
        raise AtlasError.at(
            "spec-is-folder",
            f"spec root is a folder: {root}",
            None,
            "point --spec at the root file, e.g. spec/openapi.yaml",
        )
    with gc_paused():
        kept = memo if cache is not None and not dereference and not remove_unused else None
        bundler = _Bundler(RefResolver(root, ref_roots, cache), kept)
        result = bundler.run()
    if not keep_sources:
        result.sources = {}
    if dereference or remove_unused:
        result.local_refs = None  # of the document replaced below
    if dereference:
        from generators.bundle.dereference import dereference_document

        result.document = dereference_document(result.document, result.locate)
    if remove_unused:
        from generators.bundle.unused import remove_unused_components

        result.document = remove_unused_components(result.document)
    return result


def bundle_configured(
    settings: Settings,
    dereference: bool = False,
    remove_unused: bool = False,
    cache: ParseCache | None = None,
    memo: WalkMemo | None = None,
) -> BundledSpec:
    """Bundle the spec root that ``settings`` name, with their extra ref roots (every command starts here).

    ``cache`` keeps parsed files between builds (``serve``): only files changed since are read and parsed again;
    ``memo`` keeps walk results too: only the parts that read a changed file are walked again.
    """
    return bundle_spec(settings.spec, settings.ref_roots, dereference, remove_unused, cache=cache, memo=memo)


class _Bundler:
    def __init__(self, resolver: RefResolver, memo: WalkMemo | None = None) -> None:
        self.resolver = resolver
        self.root_file = resolver.root_file
        self.locator = SourceLocator()
        self.origins: dict[Segments, tuple[Path, Segments]] = {}
        # kind -> target -> provisional name; hoisted trees; where each component ref string was written
        self.names: dict[str, dict[Target, str]] = {}
        self.hoisted: dict[str, dict[Target, Any]] = {}
        self.holders: list[Holder] = []
        self.author_names: dict[tuple[str, Target], str] = {}
        self.inlining: list[Target] = []
        self.memo = memo
        self.recording: list[Recorder] = []  # the units being walked (with a memo), innermost last
        self.base: tuple[str, Target] | None = None  # the tree being walked: the document or a hoisted component
        self.base_prefix = 0  # the length of the output path at that tree's root
        self.local_refs: frozenset[str] | None = None  # known from a self-contained root's text
        self.schema_names: frozenset[str] = frozenset()  # the root's components/schemas: what a bare mapping names

    # ------------------------------------------------------------ entry

    def run(self) -> BundledSpec:
        if self.root_file.suffix.lower() != ".json":  # never its own bundle: the worker starts before the root
            self.resolver.prefetch()
        try:
            return self._run()
        finally:
            self.resolver.stop_prefetch()

    def _run(self) -> BundledSpec:
        document = self.resolver.document(self.root_file)
        self.locator.remember(self.root_file, self.resolver.root_bytes, document)
        if not isinstance(document, dict):
            raise AtlasError.at(
                "spec-not-object", "the root document must be a mapping", Location(str(self.root_file), 1, 1)
            )
        self.origins[()] = (self.root_file, ())
        if self._self_contained(document):
            return self._result(document)
        self.resolver.prefetch()
        self._collect_author_names(document)
        if self.memo is not None:
            self.memo.begin((self.root_file, self.resolver.roots))
        bundled, _ = self._unit("root", Target(self.root_file, ()), st.ROOT, [], lambda: None)
        self.resolver.stop_prefetch()  # before placing: the worker's share is of no more use
        bundled = place_hoisted(
            bundled, self.hoisted, self.names, self.holders, self.origins, self.resolver.relative_name
        )
        if self.memo is not None:
            self.memo.finish()
        return self._result(bundled)

    def _result(self, document: dict[str, Any]) -> BundledSpec:
        files = self.resolver.documents
        return BundledSpec(document, self.root_file, self.origins, self.locator, files, tuple(files), self.local_refs)

    def _self_contained(self, document: dict[str, Any]) -> bool:
        """True when the root refers to no other file and every local ref resolves: nothing to rebuild.

        A single-file description (GitHub's is 13 MB) is then its own bundle; finding that out from
        the JSON text costs milliseconds, where walking a million nodes costs a second.
        """
        if self.root_file.suffix.lower() != ".json":
            return False
        found = self.resolver.root_refs()
        if found is None:
            return False  # a key may spell $ref with escapes: only the walk can tell
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
        self.local_refs = frozenset(refs)
        return True

    def _collect_author_names(self, document: dict[str, Any]) -> None:
        """``components/schemas/Task: {$ref: ./Task.yaml}`` makes every ref to Task.yaml use the name Task (and
        the schema names are what a bare discriminator mapping value may name)."""
        components = document.get("components")
        if not isinstance(components, dict):
            return
        schemas = components.get("schemas")
        self.schema_names = frozenset(schemas) if isinstance(schemas, dict) else frozenset()
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
                return self._discriminator(node, file, src, out)
            result: dict[str, Any] = {}
            for key, value in node.items():
                # scalars hold no refs: no descent; nor does a "$ref" that is not a string (validate's finding),
                # but in a map of names, such as properties, "$ref" is a name
                if (type(value) is dict or type(value) is list) and (key != "$ref" or context in st.MEMBER_CONTEXT):
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
            ref = fragment(target.pointer)
            self._resolve(target, where)  # a dangling local ref is an error now, not in a consumer
            return self._with_siblings(ref, siblings, context, file, src, out)
        if kind is None or self._is_root_component_slot(src, file):
            return self._inline(target, siblings, context, file, src, out, where)
        ref = component_ref(kind, self._component(kind, target, context, where))
        self._hold(out, "$ref", kind, target, context, ref, file, (*src, "$ref"))
        return self._with_siblings(ref, siblings, context, file, src, out)

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
        self.origins[tuple(out)] = (target.file, target.segments)
        result, entry = self._unit("inline", target, context, out, where)
        if entry is not None and self.recording:
            self.recording[-1].add_child(tuple(out[self.recording[-1].start :]), entry)
        if siblings and isinstance(result, dict):
            result = dict(result)
            for key, sibling in siblings.items():
                src.append(key)
                out.append(key)
                result[key] = self._walk(sibling, st.child_context(context, key), file, src, out)
                self._origin(out, file, tuple(src))
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
        name = self.memo.names.get((kind, target)) if self.memo is not None else None
        if name is None:
            name = component_name(target, kind, self.resolver.relative_name(target.file))
            if self.memo is not None:
                self.memo.names[(kind, target)] = name
        self.names[kind][target] = name
        out = ["components", kind, name]
        self.origins[tuple(out)] = (target.file, target.segments)
        saved = self.inlining, self.base, self.base_prefix
        self.inlining, self.base, self.base_prefix = [], (kind, target), len(out)
        try:
            walked, _ = self._unit("component", target, context, out, where)
        finally:
            self.inlining, self.base, self.base_prefix = saved
        self.hoisted.setdefault(kind, {})[target] = walked
        return name

    # ------------------------------------------------------------ units (kept between builds with a memo)

    def _unit(self, role: str, target: Target, context: str, out: list[str], where: Where) -> tuple[Any, Entry | None]:
        """Walk ``target`` in ``context`` at ``out`` (``role``: root, inline or component), or replay its entry."""
        memo = self.memo
        if memo is None:
            if role == "inline":
                self.inlining.append(target)
            try:
                return self._walk(self._resolve(target, where), context, target.file, list(target.segments), out), None
            finally:
                if role == "inline":
                    self.inlining.pop()
        key: Any = (role, target) if role == "component" else (target, context)
        entry = (
            memo.take_component(key, self._current)
            if role == "component"
            else memo.take_inline(key, self.inlining, self._current)
        )
        if entry is not None:
            self._replay(entry, out)
            return entry.result, entry
        recorder = Recorder(len(out), target, role == "inline")
        self.recording.append(recorder)
        if role == "inline":
            self.inlining.append(target)
        try:
            result = self._walk(self._resolve(target, where), context, target.file, list(target.segments), out)
        finally:
            if role == "inline":
                self.inlining.pop()
            self.recording.pop()
        entry = recorder.entry(result)
        (memo.add_component if role == "component" else memo.add_inline)(key, entry)
        return result, entry

    def _replay(self, entry: Entry, out: list[str]) -> None:
        """Do again what the walk of ``entry`` did, its result placed at ``out``."""
        site = tuple(out)
        held = site[self.base_prefix :]
        for effect in entry.effects:
            if effect[0] == "o":
                self.origins[site + effect[1]] = (effect[2], effect[3])
            elif effect[0] == "c":
                _, rel, key, kind, target, context, written, file, segments = effect
                self._component(kind, target, context, self._where(file, list(segments)))
                self.holders.append((self.base, held + rel, key, kind, target, written))
            else:
                child = effect[2]
                self.origins[site + effect[1]] = (child.target.file, child.target.segments)
                self._replay(child, [*site, *effect[1]])

    def _resolve(self, target: Target, where: Where) -> Any:
        value = self.resolver.resolve(target, where)
        if self.recording:
            self.recording[-1].deps.setdefault(target.file, self.resolver.documents[target.file])
        return value

    def _current(self, file: Path) -> Any:
        try:
            return self.resolver.document(file)
        except AtlasError:
            return None  # gone or broken: the entries that read it are walked again, which reports it

    def _origin(self, out: list[str], file: Path, segments: Segments) -> None:
        path = tuple(out)
        self.origins[path] = (file, segments)
        if self.recording:
            recorder = self.recording[-1]
            recorder.effects.append(("o", path[recorder.start :], file, segments))

    def _hold(
        self, out: list[str], key: str, kind: str, target: Target, context: str, ref: str, file: Path, where: Segments
    ) -> None:
        """A component ref string ``ref`` written under ``key`` of the mapping at ``out`` (renamed later if need be)."""
        self.holders.append((self.base, tuple(out[self.base_prefix :]), key, kind, target, ref))
        if self.recording:
            recorder = self.recording[-1]
            rel = tuple(out[recorder.start :])
            recorder.effects.append(("c", rel, key, kind, target, context, ref, file, where))

    def _discriminator(self, node: dict[str, Any], file: Path, src: list[str], out: list[str]) -> dict[str, Any]:
        result = dict(node)
        mapping = node.get("mapping")
        if not isinstance(mapping, dict):
            return result
        new_mapping: dict[str, Any] = {}
        for key, value in mapping.items():
            local_in_root = file == self.root_file and isinstance(value, str) and value.startswith("#")
            if isinstance(value, str) and not local_in_root and self._mapping_ref(value):
                where = self._where(file, [*src, "mapping", key])
                target = self.resolver.target_of(value, file, where)
                if target.file == self.root_file:
                    new_mapping[key] = fragment(target.pointer)
                else:
                    ref = component_ref("schemas", self._component("schemas", target, st.SCHEMA, where))
                    self._hold([*out, "mapping"], key, "schemas", target, st.SCHEMA, ref, file, (*src, "mapping", key))
                    new_mapping[key] = ref
            else:
                new_mapping[key] = value
        result["mapping"] = new_mapping
        return result

    def _mapping_ref(self, value: str) -> bool:
        """Whether a discriminator mapping value is a reference rather than a schema name. A value with ``/`` or
        ``#`` is one (as Redocly decides); a bare one naming a root ``components/schemas`` entry is a name
        (``Cow.V1``, OpenAPI 3.1.1: a name first); another bare one with a dot is taken for a file (``Cow.yaml``)."""
        if "/" in value or "#" in value:
            return True
        if "." not in value:
            return False
        if self.recording:  # the answer depends on the root's component names: a replay needs the same root
            self.recording[-1].deps.setdefault(self.root_file, self.resolver.documents[self.root_file])
        return value not in self.schema_names

    # ------------------------------------------------------------ helpers

    def _where(self, file: Path, segments: list[str]) -> Where:
        frozen = tuple(segments)
        return lambda: self.locator.locate(file, frozen)

    def _short(self, target: Target) -> str:
        name = "/".join(self.resolver.relative_name(target.file))
        return f"{name}#{target.pointer}" if target.segments else name


def relative_display(path: Path) -> str:
    """A path as shown in messages: relative to the working folder when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


__all__ = ["BundledSpec", "bundle_spec"]
