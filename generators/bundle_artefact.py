"""Artefact 1: the bundled spec as ``<name>.openapi.json``."""

from __future__ import annotations

from typing import Any

from generators.artefacts import Artefact
from generators.jsonout import dump_json_bytes
from generators.settings import Settings


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The bundled document, serialised deterministically."""
    return Artefact(f"{settings.name}.openapi.json", dump_json_bytes(spec))
