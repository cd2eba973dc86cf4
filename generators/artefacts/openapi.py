"""Artefact: the bundled spec as ``<name>.openapi.json``."""

from __future__ import annotations

from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.registry import kind
from generators.core.jsonout import dump_json_bytes
from generators.core.settings import Settings, artefact_name


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The bundled document, serialised deterministically."""
    return Artefact(kind("openapi").file_name(artefact_name(settings, spec)), dump_json_bytes(spec))
