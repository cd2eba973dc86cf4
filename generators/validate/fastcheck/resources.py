"""Schema documents by URI, with their ``$id``-embedded resources and anchors, for the schema compiler."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urljoin

Fetch = Callable[[str], Any]
OAS31_BASE_DIALECT_ID = "https://spec.openapis.org/oas/3.1/dialect/base"  # openapi-schema-validator's
OAS32_BASE_DIALECT_ID = "https://spec.openapis.org/oas/3.2/dialect/2025-09-17"
BASE_DIALECTS = {"3.1": OAS31_BASE_DIALECT_ID, "3.2": OAS32_BASE_DIALECT_ID}  # a Schema Object's, by default


class Unsupported(Exception):
    """Something the fast path does not compile; the caller falls back to openapi-spec-validator."""


def _base(uri: str) -> str:
    return uri.partition("#")[0]


class Resources:
    """Loads schema documents once and answers ``$ref`` / ``$dynamicRef`` lookups against them."""

    def __init__(self, fetch: Fetch, id_key: str) -> None:
        self._fetch = fetch
        self._id_key = id_key  # "id" in draft 4, "$id" from draft 6 on
        self._documents: dict[str, Any] = {}
        self._anchors: dict[str, dict[str, Any]] = {}
        self._dynamic: dict[str, set[str]] = {}

    def add(self, uri: str, document: Any) -> None:
        """Register ``document`` (and the resources it embeds) under ``uri``."""
        self._index(document, _base(uri))

    def _index(self, node: Any, base: str) -> None:
        if base not in self._documents:
            self._documents[base] = node
            self._anchors.setdefault(base, {})
            self._dynamic.setdefault(base, set())
        self._walk(node, base, top=True)

    def _walk(self, node: Any, base: str, top: bool = False) -> None:
        if isinstance(node, list):
            for item in node:
                self._walk(item, base)
            return
        if not isinstance(node, dict):
            return
        own = node.get(self._id_key)
        if isinstance(own, str) and not top and _base(urljoin(base, own)) != base:
            self._index(node, _base(urljoin(base, own)))
            return
        for key in ("$anchor", "$dynamicAnchor"):
            name = node.get(key)
            if isinstance(name, str):
                self._anchors[base][name] = node
                if key == "$dynamicAnchor":
                    self._dynamic[base].add(name)
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples"):
                self._walk(value, base)

    def document(self, uri: str) -> Any:
        """The resource at ``uri`` (no fragment), fetched on first use."""
        uri = _base(uri)
        if uri not in self._documents:
            try:
                self.add(uri, self._fetch(uri))
            except Exception as error:
                raise Unsupported(f"cannot load {uri}") from error
        return self._documents[uri]

    def has_dynamic_anchor(self, uri: str, name: str) -> bool:
        """Whether the resource at ``uri`` declares ``$dynamicAnchor: name``."""
        self.document(uri)
        return name in self._dynamic.get(_base(uri), set())

    def resolve(self, ref: str, base: str) -> tuple[Any, str]:
        """The schema node ``ref`` names from ``base``, and the base URI in force there."""
        uri, _, fragment = urljoin(base, ref).partition("#")
        node = self.document(uri)
        fragment = unquote(fragment)
        if not fragment:
            return node, uri
        if not fragment.startswith("/"):
            try:
                return self._anchors[uri][fragment], uri
            except KeyError:
                raise Unsupported(f"no anchor {fragment!r} in {uri}") from None
        for raw in fragment[1:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, ValueError, TypeError):
                raise Unsupported(f"unresolvable {ref} in {base}") from None
        return node, uri


def meta_contents(uri: str) -> Any:
    """The meta-schema at ``uri`` as openapi-schema-validator's ``REGISTRY.contents`` gives it, without importing
    that library: its own schema files (the OpenAPI dialects) by ``$id``, then jsonschema's specifications."""
    own = _oas_meta_schemas().get(uri.rstrip("#"))
    if own is not None:
        return own
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]  # jsonschema imported it

    return REGISTRY.contents(uri)


@functools.cache
def _oas_meta_schemas() -> dict[str, Any]:
    spec = importlib.util.find_spec("openapi_schema_validator")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return {}
    found: dict[str, Any] = {}
    # every file there, as the library reads them (``oas3.1/vocabularies/base`` has no suffix)
    folder = Path(next(iter(spec.submodule_search_locations)), "schemas")
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        contents = json.loads(path.read_bytes())
        if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
            found[contents["$id"].rstrip("#")] = contents
    return found


_PACKAGE_LOCK = threading.Lock()


def schema_validators() -> ModuleType:
    """openapi-schema-validator's ``validators`` module (its validator classes), without its package's
    ``__init__`` when the package is not imported yet.

    That ``__init__`` imports ``shortcuts``, whose cache reads its settings with pydantic-settings: 0.13 s of a
    0.14 s import, more than all the rest of validating a small description that only needs the classes (to judge
    a default). ``validators`` and what it imports stay loaded and the package is left unimported, so a later
    ``import openapi_schema_validator`` (openapi-spec-validator's) runs the package as usual and finds the
    same classes. Only the validate layer imports this package, from one thread at a time.
    """
    name = "openapi_schema_validator"
    with _PACKAGE_LOCK:
        spec = None if name in sys.modules else importlib.util.find_spec(name)
        if spec is None or spec.submodule_search_locations is None:
            return importlib.import_module(f"{name}.validators")
        package = importlib.util.module_from_spec(spec)  # the package without its __init__ run
        sys.modules[name] = package
        try:
            return importlib.import_module(f"{name}.validators")
        finally:
            if sys.modules.get(name) is package:
                del sys.modules[name]
