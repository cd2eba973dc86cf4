"""Resolve ``$ref`` strings safely: relative files inside the spec root only, JSON pointers, no network ever."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from generators.bundle.rootscan import RootScan, ref_strings
from generators.core.diagnostics import AtlasError, Location
from generators.core.pointer import node_at, parse_fragment, to_pointer
from generators.source.cache import ParseCache
from generators.source.loader import load_bytes, load_referenced, read_source

if TYPE_CHECKING:
    from generators.source.prefetch import Prefetch

# Where a $ref was written, computed only when an error needs it (finding a line means re-reading a file).
Where = Callable[[], Location | None]


@dataclass(frozen=True)
class Target:
    """What a ``$ref`` points at: a file (resolved, real path) and the JSON pointer segments inside it."""

    file: Path
    segments: tuple[str, ...]
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # targets are dict keys all through a bundle (and between bundles, memo.py): hash once
        object.__setattr__(self, "_hash", hash((self.file, self.segments)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def pointer(self) -> str:
        """The JSON pointer string of ``segments``."""
        return to_pointer(self.segments)

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


class RefResolver:
    """Loads source files once and follows ``$ref`` strings, refusing anything outside the allowed roots."""

    def __init__(self, root_file: Path, ref_roots: tuple[Path, ...] = (), cache: ParseCache | None = None) -> None:
        self.root_file = Path(os.path.realpath(root_file))
        self.roots = (self.root_file.parent, *(Path(os.path.realpath(r)) for r in ref_roots))
        self.documents: dict[Path, Any] = {}
        self._paths: dict[tuple[str, str], Path] = {}
        self._folders: dict[Path, str] = {}
        self._interned: dict[str, Path] = {str(self.root_file): self.root_file}
        self._links: dict[str, bool] = {}
        self._targets: dict[tuple[Path, str], Target] = {}
        self._places: dict[tuple[Path, str], Target] = {}
        self._fragments: dict[str, tuple[str, ...]] = {}
        self._inside: dict[Path, bool] = {}
        self._dirs: dict[tuple[str, str], str] = {}
        self._root_prefixes = tuple(str(root).rstrip(os.sep) + os.sep for root in self.roots)
        self._prefetched: Prefetch | None = None
        self._followed: dict[tuple[str, str], str | None] = {}  # the worker's (folder, file part of a ref) -> file
        self.root_bytes = b""
        self.root_scan: RootScan | None = None  # a JSON root's text scans (rootscan.py)
        self.cache = cache  # parsed files kept from an earlier build (serve); no prefetch then

    def prefetch(self) -> None:
        """Parse the source files under the roots on two cores ahead of the walk (a cache, see prefetch.py)."""
        from generators.source.prefetch import prefetch

        if self.cache is not None or self._prefetched is not None:
            return  # the cache holds the files already (and a server's threads make forking unsafe); or started
        skip = {str(self.root_file), *(str(f) for f in self.documents)}
        self._prefetched = prefetch(self.roots, skip, str(self.root_file), self._follow)

    def _follow(self, ref: str, file: str) -> str | None:
        """The file ``ref`` (written in ``file``) names, as the walk will name it where no folder on the way is a
        link (a guess, for the worker's order: a wrong one only costs a parse here); None when it would be
        refused or leads outside the roots."""
        path_text = ref.partition("#")[0]
        if not path_text:
            return file
        key = (os.path.dirname(file), path_text)
        found = self._followed.get(key, "")
        if found == "":
            relative = unquote(path_text) if "%" in path_text else path_text
            found = None
            if not (":" in relative or os.path.isabs(relative) or "\x00" in relative):
                candidate = os.path.normpath(os.path.join(key[0], relative))
                if candidate.startswith(self._root_prefixes):
                    found = candidate
            self._followed[key] = found
        return found

    def stop_prefetch(self) -> None:
        """The walk is over: stop parsing ahead."""
        if self._prefetched is not None:
            self._prefetched.close()
            self._prefetched = None

    def document(self, file: Path, referenced_from: Where | None = None) -> Any:
        """The parsed content of ``file`` (cached)."""
        cached = self.documents.get(file)
        if cached is None and file not in self.documents:
            if self._prefetched is not None:
                found, content = self._prefetched.take(str(file))
                if found:
                    cached = self.documents[file] = content
                    return cached
            if self.cache is not None:
                kept = self.cache.unchanged(file)  # watched even while missing: creating it triggers a rebuild
                if kept is not None:
                    cached = self.documents[file] = kept[1]
                    if file == self.root_file:
                        self.root_bytes = kept[0]
                    return cached
            try:
                cached = self._load(file)
            except AtlasError as exc:
                unreadable = self._unreadable(file, referenced_from, exc)
                if unreadable is None:
                    raise  # the file is there: its own error (a syntax error, say) says what is wrong
                raise unreadable from None
            self.documents[file] = cached
        return cached

    def _load(self, file: Path) -> Any:
        if self.cache is not None:
            raw, cached = self.cache.source(file, root=file == self.root_file)
            if file == self.root_file:
                self.root_bytes = raw
            return cached
        if file == self.root_file:  # the bundler looks at the root's text too: read it once
            self.root_bytes = read_source(file)
            return self._load_root(file)
        return load_referenced(read_source(file), str(file))

    def _load_root(self, file: Path) -> Any:
        """The root's parse; a JSON root's text is scanned meanwhile, for the parse's check and its refs."""
        if file.suffix.lower() != ".json":
            return load_bytes(self.root_bytes, str(file))
        self.root_scan = RootScan(self.root_bytes)
        try:
            return load_bytes(self.root_bytes, str(file), self.root_scan.facts)
        finally:
            self.root_scan.collect()  # the child is done (the parse takes longer): never left behind

    def root_refs(self) -> set[bytes] | None:
        """The ref strings of the root's JSON text (``rootscan.ref_strings``)."""
        return self.root_scan.refs() if self.root_scan is not None else ref_strings(self.root_bytes)

    @staticmethod
    def _unreadable(file: Path, referenced_from: Where | None, error: AtlasError) -> AtlasError | None:
        """Why ``file`` could not be read, said at the ``$ref`` (a missing file, a folder, a FIFO, a file too large
        or unreadable), or None when it was read and its content is what is wrong.

        Only asked once reading failed: two ``stat`` calls per file before each read were 24 ms of
        DigitalOcean's 2,907 files.
        """
        try:
            if file.is_dir() and referenced_from is not None:
                return AtlasError.at("ref-directory", f"$ref names a folder, not a file: {file}", referenced_from())
            if file.exists():
                return _at_the_ref(file, referenced_from, error)
        except OSError as exc:  # e.g. a file name too long for the file system
            where = referenced_from() if referenced_from is not None else Location(str(file))
            return AtlasError.at("file-read", f"cannot read file: {exc.strerror}", where)
        if referenced_from is None:
            return AtlasError.at("spec-missing", f"file not found: {file}")
        return AtlasError.at(
            "ref-missing-file",
            f"$ref target file does not exist: {file}",
            referenced_from(),
            "check the relative path: it is resolved from the folder of the file that holds the $ref",
        )

    def target_of(self, ref: object, base_file: Path, where: Where) -> Target:
        """Where ``ref`` (written in ``base_file`` at ``where``) points; refuses unsafe or malformed refs."""
        if isinstance(ref, str):
            cached = self._targets.get((base_file, ref))
            if cached is None:
                cached = self._targets[(base_file, ref)] = self._target_of(ref, base_file, where)
            return cached
        return self._target_of(ref, base_file, where)

    def _target_of(self, ref: object, base_file: Path, where: Where) -> Target:
        if not isinstance(ref, str):
            raise AtlasError.at(
                "ref-not-string", "$ref must be a string", where(), "write $ref: './file.yaml#/pointer'"
            )
        scheme = self._scheme(ref, where) if ":" in ref or "//" in ref else ""
        if scheme in ("http", "https"):
            raise AtlasError.at(
                "ref-remote",
                f"remote $ref '{ref}' is not allowed",
                where(),
                "atlas-spec never downloads at build time: copy the file into the spec folder and use a relative $ref",
            )
        if scheme == "file" or len(scheme) > 1:
            raise AtlasError.at("ref-scheme", f"$ref '{ref}' uses a URI scheme", where(), "use a relative file path")
        path_text, _, fragment = ref.partition("#")
        segments = self._fragments.get(fragment)
        if segments is None:
            try:
                segments = self._fragments[fragment] = parse_fragment(fragment)
            except ValueError as exc:
                raise AtlasError.at("ref-pointer-syntax", str(exc), where()) from None
        if not path_text:
            return self._target(base_file, fragment, segments)
        relative = unquote(path_text) if "%" in path_text else path_text
        if os.path.isabs(relative) or relative.startswith("~"):
            raise AtlasError.at(
                "ref-absolute",
                f"absolute $ref path '{relative}' is not allowed",
                where(),
                "use a path relative to the file that holds the $ref",
            )
        if "\x00" in relative:
            raise AtlasError.at("ref-invalid-path", f"$ref {ref!r} holds a NUL character", where())
        folder = self._folders.get(base_file)
        if folder is None:
            folder = self._folders[base_file] = os.path.dirname(base_file)
        try:
            resolved = self._real_path(folder, relative)
        except (ValueError, OSError) as exc:  # a NUL byte, a name too long for the file system
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise AtlasError.at(
                "ref-invalid-path", f"$ref {ref!r} is not a usable file path: {reason}", where()
            ) from None
        inside = self._inside.get(resolved)
        if inside is None:
            inside = self._inside[resolved] = str(resolved).startswith(self._root_prefixes)
        if not inside:
            raise AtlasError.at(
                "ref-outside-root",
                f"$ref '{ref}' leads outside the spec root folder",
                where(),
                "keep referenced files under the root file's folder, or list the extra folder in "
                "[tool.atlas-spec] ref-roots",
            )
        return self._target(resolved, fragment, segments)

    def _target(self, file: Path, fragment: str, segments: tuple[str, ...]) -> Target:
        """One Target per place, however many files refer to it (they are dict keys all through a bundle)."""
        found = self._places.get((file, fragment))
        if found is None:
            found = self._places[(file, fragment)] = Target(file, segments)
        return found

    @staticmethod
    def _scheme(ref: str, where: Where) -> str:
        """The URI scheme of ``ref`` ('' for none); refs without ':' or '//' have none and skip this."""
        try:
            return urlsplit(ref).scheme
        except ValueError as exc:  # e.g. '//[x': an IPv6 host without its closing bracket
            raise AtlasError.at("ref-syntax", f"$ref {ref!r} is not a valid URI reference: {exc}", where()) from None

    def _real_path(self, folder: str, relative: str) -> Path:
        key = (folder, relative)
        found = self._paths.get(key)
        if found is None:
            head, tail = os.path.split(relative)
            candidate = os.path.join(self._real_folder(folder, head) if head else folder, tail)
            if tail in ("", ".", "..") or self._is_link(candidate):
                candidate = os.path.realpath(candidate)
            found = self._interned.get(candidate)
            if found is None:  # one Path object per file: cheap hashing and identity-equal dict keys
                found = self._interned[candidate] = Path(candidate)
            self._paths[key] = found
        return found

    def _real_folder(self, folder: str, relative: str) -> str:
        """The real path of the folder ``relative`` leads to from ``folder`` (itself a real path, as every file's is).

        Step by step, each step remembered: ``..`` is the parent, a link is followed. ``os.path.realpath`` looks
        at every folder of the path again on each call (DigitalOcean's refs: 484 calls, 4,000 ``lstat``, ~50 ms).
        """
        key = (folder, relative)
        found = self._dirs.get(key)
        if found is None:
            found = folder
            for part in relative.split("/"):
                if part == "..":
                    found = os.path.dirname(found)
                elif part and part != ".":
                    step = os.path.join(found, part)
                    found = os.path.realpath(step) if self._is_link(step) else step
            self._dirs[key] = found
        return found

    def _is_link(self, candidate: str) -> bool:
        known = self._links.get(candidate)
        if known is None:
            known = self._links[candidate] = os.path.islink(candidate)
        return known

    def resolve(self, target: Target, where: Where) -> Any:
        """The value at ``target``; refuses missing files, missing pointers and pointers into scalars."""
        node = self.document(target.file, where)
        for depth, segment in enumerate(target.segments):
            if isinstance(node, dict):
                if segment not in node:
                    raise self._missing(target, depth, where)
                node = node[segment]
            elif isinstance(node, list):
                if not segment.isdigit() or int(segment) >= len(node) or (segment != "0" and segment[0] == "0"):
                    raise self._missing(target, depth, where)
                node = node[int(segment)]
            else:
                raise AtlasError.at(
                    "ref-into-scalar",
                    f"$ref pointer '#{target.pointer}' goes into a scalar value "
                    f"at '#{to_pointer(target.segments[:depth])}' of {target.file.name}",
                    where(),
                )
        return node

    @staticmethod
    def _missing(target: Target, depth: int, where: Where) -> AtlasError:
        found = to_pointer(target.segments[:depth]) or "/"
        return AtlasError.at(
            "ref-missing-pointer",
            f"$ref pointer '#{target.pointer}' not found in {target.file.name} "
            f"(nothing named '{target.segments[depth]}' under '#{found}')",
            where(),
        )

    def relative_name(self, file: Path) -> tuple[str, ...]:
        """Path parts of ``file`` relative to the root (or extra root) folder that holds it."""
        text = str(file)  # real paths on both sides: comparing text is comparing paths, without Path objects
        for root, prefix in zip(self.roots, self._root_prefixes, strict=True):
            if text == str(root):
                return ()
            if text.startswith(prefix):
                return tuple(text[len(prefix) :].split(os.sep))
        return (file.name,)


# The loader's refusals of a file that is there but cannot be read (loader.read_source), said at the $ref instead
_READ_HINTS = {
    "not-a-file": "a $ref must name a regular YAML or JSON file, not a FIFO, device or socket",
    "file-too-large": "split the referenced file into smaller files joined by $ref",
    "file-read": "check the file's permissions",
}


def _at_the_ref(file: Path, referenced_from: Where | None, error: AtlasError) -> AtlasError | None:
    """``error`` (reading ``file`` failed) moved to the ``$ref`` that names the file, as a missing file is; None
    when the file was read (its content is what is wrong: its own error has its line) or nothing referred to it."""
    first = error.diagnostics[0]
    if referenced_from is None or first.code not in _READ_HINTS or len(error.diagnostics) != 1:
        return None
    where = referenced_from()
    if where is None:
        return None
    return AtlasError.at(
        first.code, f"$ref target {file} cannot be read: {first.message}", where, _READ_HINTS[first.code]
    )


def alias_cycles(document: Any, known: Collection[str] | None = None) -> list[list[str]]:
    """Chains of local ``$ref``s that only point at each other (A -> B -> A), each as its ref strings.

    Such a chain never reaches a real node, so a validator or a generator following it would never stop.
    ``known``: every local ref string of ``document`` (more does no harm), when known without a walk: if none
    of them points at a node that is itself a local ref, there is no chain (GitHub: 3 ms instead of 40).
    """
    if known is not None and not any(_is_alias(_local_node(document, ref)) for ref in known):
        return []
    settled: set[str] = set()
    cycles: list[list[str]] = []
    for ref in local_refs(document):
        chain: list[str] = []
        current = ref
        while current not in settled:
            if current in chain:
                cycles.append([*chain[chain.index(current) :], current])
                break
            chain.append(current)
            node = _local_node(document, current)
            if not _is_alias(node):
                break
            current = node["$ref"]
        settled.update(chain)
    return cycles


def _is_alias(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")


def local_refs(document: Any, mappings: bool = False) -> list[str]:
    """Every distinct local ``$ref`` (``#...``) under ``document``, in the order met; with ``mappings``, the local
    refs a discriminator's ``mapping`` holds too."""
    found: dict[str, None] = {}
    stack = [document] if isinstance(document, (dict, list)) else []
    push = stack.append
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found[ref] = None
            mapping = node.get("mapping") if mappings else None
            if isinstance(mapping, dict):
                found.update((v, None) for v in mapping.values() if isinstance(v, str) and v.startswith("#"))
        for value in node.values() if isinstance(node, dict) else node:
            # only containers are stacked: most values are strings (a third of the time)
            if isinstance(value, (dict, list)):
                push(value)
    return list(found)


def _local_node(document: Any, ref: str) -> Any:
    try:
        segments = parse_fragment(ref[1:])
    except ValueError:
        return None
    return node_at(document, segments)
