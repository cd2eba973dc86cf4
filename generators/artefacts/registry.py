"""The one registry of artefacts: each is listed once with its file name, link label, media type and generator.

Everything that names an artefact derives it from here: ``build`` (what to generate, in output order), the docs
page's link bar (what to offer for download), ``serve`` (which media type to answer with) and ``diff`` (where
the released bundle lives). Generator modules are imported when a build asks for them, so this module is a leaf
that a generator (the docs page) can read without importing its siblings.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import cast

from generators.artefacts.model import Generator


@dataclass(frozen=True)
class ArtefactKind:
    """One artefact of the build: ``pattern`` names its file (``{name}`` is the configured artefact name)."""

    key: str
    pattern: str
    label: str
    media_type: str
    module: str  # exposes ``generate(spec, settings) -> Artefact``
    download: bool = True  # offered in the docs page's link bar as a download
    page: bool = False  # linked from the docs page's link bar as a page of the site (read in the browser)

    def file_name(self, name: str) -> str:
        """The artefact's file name for the artefact base name ``name``."""
        return self.pattern.format(name=name)

    def generator(self) -> Generator:
        """The module's ``generate`` function."""
        return cast(Generator, importlib.import_module(self.module).generate)


JSON = "application/json"
HTML = "text/html; charset=utf-8"
ARTEFACTS = (
    ArtefactKind("openapi", "{name}.openapi.json", "OpenAPI spec", JSON, "generators.artefacts.openapi"),
    ArtefactKind(
        "postman-collection",
        "{name}.postman_collection.json",
        "Postman collection",
        JSON,
        "generators.artefacts.postman.collection",
    ),
    ArtefactKind(
        "postman-environment",
        "{name}.postman_environment.json",
        "Postman environment",
        JSON,
        "generators.artefacts.postman.environment",
    ),
    ArtefactKind("mcp-tools", "{name}.mcp-tools.json", "MCP tools", JSON, "generators.artefacts.mcp_tools"),
    ArtefactKind("changelog", "changelog.html", "Changelog", HTML, "generators.artefacts.docs.changelog", False, True),
    ArtefactKind(
        "changelog-feed",
        "changelog.xml",
        "Changelog feed (Atom)",
        "application/atom+xml",
        "generators.artefacts.docs.feed",
        False,
        True,
    ),
    ArtefactKind("docs", "index.html", "API reference", HTML, "generators.artefacts.docs.page", False),
)
"""Every artefact, in output order."""


def kind(key: str) -> ArtefactKind:
    """The registered artefact ``key``."""
    for entry in ARTEFACTS:
        if entry.key == key:
            return entry
    raise KeyError(key)


def artefact_generators() -> list[Generator]:
    """Every generator of the build, in output order."""
    return [entry.generator() for entry in ARTEFACTS]


def media_type_of(file_name: str, name: str) -> str | None:
    """The media type of the artefact written as ``file_name`` (None when it is not one of ours)."""
    for entry in ARTEFACTS:
        if entry.file_name(name) == file_name:
            return entry.media_type
    return None
