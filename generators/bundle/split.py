"""Split one OpenAPI description into the modular layout: a file per path item, component and webhook.

``split_document(document, fmt)`` returns the files to write (relative path -> bytes). The root file keeps
everything else and names every split component in its ``components`` map (``Pet: {$ref: ./components/
schemas/Pet.yaml}``), so bundling the result gives every component its old name whatever its file is
called: file names only need to be safe, not reversible. A ``$ref`` in a split file is rewritten relative to
that file: to the component's file where the bundler hoists a ref of that kind, else to the same place in the
root file (``../openapi.yaml#/components/links/Next``). A unit some ``$ref`` points *into*
(``#/components/schemas/Pet/properties/id``) stays in the root file, so that pointer keeps working.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generators.core.structure as st
from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError, Location
from generators.core.escape import for_terminal
from generators.core.jsonout import dump_json_bytes
from generators.core.pointer import parse_fragment
from generators.core.shape import not_openapi3
from generators.core.yamlout import dump_yaml_bytes

# Component kinds written one file each (links, callbacks and pathItems stay in the root file).
SPLIT_KINDS = ("schemas", "parameters", "responses", "examples", "requestBodies", "headers", "securitySchemes")
_KIND_CONTEXT = {
    "schemas": st.SCHEMA,
    "parameters": st.PARAMETER,
    "responses": st.RESPONSE,
    "examples": st.EXAMPLE,
    "requestBodies": st.REQUEST_BODY,
    "headers": st.HEADER,
    "securitySchemes": st.SECURITY_SCHEME,
}
_MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._{}@-]+")
# Names Windows refuses as files whatever their extension.
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})

Unit = tuple[str, ...]  # ("paths", "/pets") | ("webhooks", "new") | ("components", "schemas", "Pet")


@dataclass
class SplitResult:
    """The files of the modular layout (relative POSIX path -> bytes) and the units kept in the root file."""

    files: dict[str, bytes] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def summary(self, out_dir: Path) -> str:
        """What was written, for people (spec text made safe for a terminal)."""
        lines = [f"kept in the root file: {for_terminal(p)} (a $ref points inside it)" for p in self.kept]
        lines.append(f"wrote {len(self.files)} files; the root is {out_dir / next(iter(self.files))}")
        return "\n".join(lines)


def file_stem(name: str) -> str:
    """A file-name stem for ``name``: ASCII letters, digits and ``._{}@-`` only, never hidden or reserved."""
    stem = _UNSAFE.sub("_", name).strip("_").lstrip(".") or "_"
    if stem.split(".")[0].lower() in _RESERVED:
        stem = "_" + stem
    if len(stem) > _MAX_STEM:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        stem = f"{stem[: _MAX_STEM - 11]}-{digest}"
    return stem


def path_stem(path: str) -> str:
    """``/repos/{owner}/{repo}`` -> ``repos_{owner}_{repo}`` (Redocly's default separator); ``/`` -> ``root``."""
    return file_stem(path.strip("/").replace("/", "_")) if path.strip("/") else "root"


class _Names:
    """Unique file names within one folder, compared without case (macOS and Windows file systems)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, stem: str, extension: str) -> str:
        candidate, number = stem, 1
        while f"{candidate}{extension}".lower() in self.used:
            number += 1
            candidate = f"{stem}-{number}"
        self.used.add(f"{candidate}{extension}".lower())
        return f"{candidate}{extension}"


def split_spec(spec: Path, out_dir: Path, fmt: str | None = None) -> SplitResult:
    """Bundle ``spec`` (one file, or already modular) and split it; ``fmt`` json|yaml, default the input's.

    ``out_dir`` must be new or empty: split never mixes its files with ones already there.
    """
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise AtlasError.at(
            "split-out-not-empty",
            f"--out must be a new or empty folder: {out_dir}",
            Location(str(out_dir)),
            "split writes only into a new or empty folder; pass another --out",
        )
    fmt = fmt or ("json" if spec.suffix.lower() == ".json" else "yaml")
    document = bundle_spec(spec).document
    why = not_openapi3(document)
    if why is not None:
        raise AtlasError.at(
            "split-version", f"split needs an OpenAPI 3.x description, not this: {why[0]}", Location(str(spec)), why[1]
        )
    return split_document(document, dump_json_bytes if fmt == "json" else dump_yaml_bytes, f".{fmt}")


def split_document(
    document: dict[str, Any], dump: Callable[[Any], bytes], extension: str, root_name: str = "openapi"
) -> SplitResult:
    """The modular layout of ``document`` (a bundled description: every ``$ref`` local)."""
    root_file = f"{root_name}{extension}"
    kept = _pointed_into(document)
    units = _units(document, kept, extension)
    result = SplitResult(kept=sorted("#/" + "/".join(u) for u in kept))
    root = _shallow_copy(document)
    for unit, relative in units.items():
        value = _get(document, unit)
        folder = posixpath.dirname(relative)
        rewritten = _Rewriter(units, folder, root_file).walk(value, _unit_context(unit))
        result.files[relative] = dump(rewritten)
        _set(root, unit, {"$ref": "./" + relative})
    result.files = {root_file: dump(root), **dict(sorted(result.files.items()))}
    return result


def _unit_context(unit: Unit) -> str:
    return st.PATH_ITEM if unit[0] in ("paths", "webhooks") else _KIND_CONTEXT[unit[1]]


def _candidates(document: dict[str, Any]) -> Iterator[Unit]:
    for section in ("paths", "webhooks"):
        members = document.get(section)
        if isinstance(members, dict):
            yield from ((section, key) for key in members)
    components = document.get("components")
    if isinstance(components, dict):
        for kind in SPLIT_KINDS:
            members = components.get(kind)
            if isinstance(members, dict):
                yield from (("components", kind, name) for name in members)


def _unit_of(segments: tuple[str, ...]) -> Unit | None:
    if len(segments) >= 2 and segments[0] in ("paths", "webhooks"):
        return segments[:2]
    if len(segments) >= 3 and segments[0] == "components" and segments[1] in SPLIT_KINDS:
        return segments[:3]
    return None


def _units(document: dict[str, Any], kept: set[Unit], extension: str) -> dict[Unit, str]:
    """Each unit that gets a file, with its relative path; aliases (a bare ``$ref``) stay in the root."""
    folders: dict[str, _Names] = {}
    units: dict[Unit, str] = {}
    for unit in _candidates(document):
        value = _get(document, unit)
        if unit in kept or not isinstance(value, dict) or "$ref" in value:
            continue
        folder = "/".join(unit[:-1])
        stem = path_stem(unit[-1]) if unit[0] == "paths" else file_stem(unit[-1])
        units[unit] = f"{folder}/{folders.setdefault(folder, _Names()).take(stem, extension)}"
    return units


def _pointed_into(document: dict[str, Any]) -> set[Unit]:
    """Units some ``$ref`` (or discriminator mapping) points inside of, not at."""
    found: set[Unit] = set()
    for ref in _local_refs(document, st.ROOT):
        try:
            segments = parse_fragment(ref[1:])
        except ValueError:
            continue
        unit = _unit_of(segments)
        if unit is not None and len(segments) > len(unit):
            found.add(unit)
    return found


def _local_refs(node: Any, context: str) -> Iterator[str]:
    """Every local ref string outside literal data, with the bundler's idea of where refs stand."""
    stack = [(node, context)]
    while stack:
        value, where = stack.pop()
        if where == st.LITERAL:
            continue
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                yield ref
            if where == st.DISCRIMINATOR:
                mapping = value.get("mapping")
                if isinstance(mapping, dict):
                    yield from (v for v in mapping.values() if isinstance(v, str) and v.startswith("#"))
                continue
            for key, child in value.items():
                # as the bundler reads it: a "$ref" value is no place for refs, but in a map of names "$ref" is a name
                if (key != "$ref" or where in st.MEMBER_CONTEXT) and isinstance(child, (dict, list)):
                    stack.append((child, st.child_context(where, key)))
        elif isinstance(value, list):
            member = st.item_context(where)
            stack.extend((child, member) for child in value if isinstance(child, (dict, list)))


class _Rewriter:
    """Copies one unit, rewriting its local refs relative to the unit's file."""

    def __init__(self, units: dict[Unit, str], folder: str, root_file: str) -> None:
        self.units = units
        self.folder = folder
        self.root = _relative(root_file, folder)

    def walk(self, value: Any, context: str) -> Any:
        if context == st.LITERAL:
            return value
        if isinstance(value, dict):
            result: dict[str, Any] = {}
            for key, child in value.items():
                if key == "$ref" and isinstance(child, str):
                    result[key] = self.ref(child, st.COMPONENT_KIND.get(context))
                elif key == "$ref" and context not in st.MEMBER_CONTEXT:
                    result[key] = child  # not a string: data, as the bundler keeps it
                elif isinstance(child, (dict, list)):
                    result[key] = self.walk(child, st.child_context(context, key))
                else:
                    result[key] = child
            if context == st.DISCRIMINATOR and isinstance(value.get("mapping"), dict):
                result["mapping"] = {k: self.mapping(v) for k, v in value["mapping"].items()}
            return result
        if isinstance(value, list):
            member = st.item_context(context)
            return [self.walk(child, member) if isinstance(child, (dict, list)) else child for child in value]
        return value

    def ref(self, ref: str, kind: str | None) -> str:
        if not ref.startswith("#"):
            return ref
        try:
            segments = parse_fragment(ref[1:])
        except ValueError:
            return self.root + ref
        file = self.units.get(segments)
        if file is not None and kind is not None and segments[:2] == ("components", kind):
            return _relative(file, self.folder)
        return self.root + ref

    def mapping(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("#"):
            return self.ref(value, "schemas")
        return value


def _relative(file: str, folder: str) -> str:
    relative = posixpath.relpath(file, folder or ".")
    return relative if relative.startswith("../") else "./" + relative


def _get(document: dict[str, Any], unit: Unit) -> Any:
    node: Any = document
    for segment in unit:
        node = node[segment]
    return node


def _shallow_copy(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the maps that hold units, so replacing units leaves the input as it was."""
    root = dict(document)
    for section in ("paths", "webhooks"):
        if isinstance(root.get(section), dict):
            root[section] = dict(root[section])
    if isinstance(root.get("components"), dict):
        components = root["components"] = dict(root["components"])
        for kind in SPLIT_KINDS:
            if isinstance(components.get(kind), dict):
                components[kind] = dict(components[kind])
    return root


def _set(document: dict[str, Any], unit: Unit, value: Any) -> None:
    node = document
    for segment in unit[:-1]:
        node = node[segment]
    node[unit[-1]] = value
