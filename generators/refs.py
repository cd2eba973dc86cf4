"""Resolve ``$ref`` strings safely: relative files inside the spec root only, JSON pointers, no network ever."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generators.diagnostics import AtlasError, Location
from generators.loader import load_file


@dataclass(frozen=True)
class Target:
    """What a ``$ref`` points at: a file (resolved, real path) and the JSON pointer segments inside it."""

    file: Path
    segments: tuple[str, ...]

    @property
    def pointer(self) -> str:
        """The JSON pointer string of ``segments``."""
        return to_pointer(self.segments)

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


def to_pointer(segments: tuple[str, ...] | list[str]) -> str:
    """Segments -> RFC 6901 pointer (``~`` and ``/`` escaped)."""
    return "".join("/" + s.replace("~", "~0").replace("/", "~1") for s in segments)


def parse_pointer(fragment: str) -> tuple[str, ...]:
    """A URI fragment (percent-encoded JSON pointer) -> decoded segments."""
    pointer = unquote(fragment)
    if pointer in ("", "/"):
        return () if pointer == "" else ("",)
    if not pointer.startswith("/"):
        raise ValueError(f"'#{fragment}' is not a JSON pointer (it must start with '/')")
    return tuple(s.replace("~1", "/").replace("~0", "~") for s in pointer[1:].split("/"))


class RefResolver:
    """Loads source files once and follows ``$ref`` strings, refusing anything outside the allowed roots."""

    def __init__(self, root_file: Path, ref_roots: tuple[Path, ...] = ()) -> None:
        self.root_file = Path(os.path.realpath(root_file))
        self.roots = (self.root_file.parent, *(Path(os.path.realpath(r)) for r in ref_roots))
        self.documents: dict[Path, Any] = {}

    def document(self, file: Path, referenced_from: Location | None = None) -> Any:
        """The parsed content of ``file`` (cached)."""
        cached = self.documents.get(file)
        if cached is None and file not in self.documents:
            if not file.exists():
                raise AtlasError.at(
                    "ref-missing-file", f"$ref target file does not exist: {file}", referenced_from,
                    "check the relative path: it is resolved from the folder of the file that holds the $ref",
                )
            cached = load_file(file)
            self.documents[file] = cached
        return cached

    def target_of(self, ref: object, base_file: Path, where: Location) -> Target:
        """Where ``ref`` (written in ``base_file`` at ``where``) points; refuses unsafe or malformed refs."""
        if not isinstance(ref, str):
            raise AtlasError.at("ref-not-string", "$ref must be a string", where, "write $ref: './file.yaml#/pointer'")
        parts = urlsplit(ref)
        if parts.scheme in ("http", "https"):
            raise AtlasError.at(
                "ref-remote", f"remote $ref '{ref}' is not allowed", where,
                "atlas-spec never downloads at build time: copy the file into the spec folder and use a relative $ref",
            )
        if parts.scheme == "file" or (parts.scheme and len(parts.scheme) > 1):
            raise AtlasError.at("ref-scheme", f"$ref '{ref}' uses a URI scheme", where, "use a relative file path")
        path_text, _, fragment = ref.partition("#")
        try:
            segments = parse_pointer(fragment)
        except ValueError as exc:
            raise AtlasError.at("ref-pointer-syntax", str(exc), where) from None
        if not path_text:
            return Target(base_file, segments)
        relative = unquote(path_text)
        if os.path.isabs(relative) or relative.startswith("~"):
            raise AtlasError.at(
                "ref-absolute", f"absolute $ref path '{relative}' is not allowed", where,
                "use a path relative to the file that holds the $ref",
            )
        resolved = Path(os.path.realpath(base_file.parent / relative))
        if not any(resolved == root or root in resolved.parents for root in self.roots):
            raise AtlasError.at(
                "ref-outside-root", f"$ref '{ref}' leads outside the spec root folder", where,
                "keep referenced files under the root file's folder, or list the extra folder in "
                "[tool.atlas-spec] ref-roots",
            )
        if resolved.is_dir():
            raise AtlasError.at("ref-directory", f"$ref '{ref}' names a folder, not a file", where)
        return Target(resolved, segments)

    def resolve(self, target: Target, where: Location) -> Any:
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
                    "ref-into-scalar", f"$ref pointer '#{target.pointer}' goes into a scalar value "
                    f"at '#{to_pointer(target.segments[:depth])}' of {target.file.name}", where,
                )
        return node

    @staticmethod
    def _missing(target: Target, depth: int, where: Location) -> AtlasError:
        found = to_pointer(target.segments[:depth]) or "/"
        return AtlasError.at(
            "ref-missing-pointer", f"$ref pointer '#{target.pointer}' not found in {target.file.name} "
            f"(nothing named '{target.segments[depth]}' under '#{found}')", where,
        )

    def relative_name(self, file: Path) -> tuple[str, ...]:
        """Path parts of ``file`` relative to the root (or extra root) folder that holds it."""
        for root in self.roots:
            if file == root or root in file.parents:
                return file.relative_to(root).parts
        return (file.name,)
