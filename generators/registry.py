"""The one list of artefact generators that ``atlas-spec build`` runs, in output order."""

from __future__ import annotations

from generators.artefacts import Generator


def artefact_generators() -> list[Generator]:
    """Every generator of the build; each module exposes ``generate(spec, settings) -> Artefact``."""
    from generators import bundle_artefact, postman_collection, postman_environment, redoc_html

    return [bundle_artefact.generate, postman_collection.generate, postman_environment.generate, redoc_html.generate]
